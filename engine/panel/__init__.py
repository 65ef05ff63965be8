"""Expert panels: questionnaires for experts, their answers read back, and the panel's aggregate view."""
