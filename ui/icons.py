"""The icons of buttons and messages, all emoji (the page icons are in :data:`ui.views.PAGES`).

The browser draws an emoji with its own fonts, and Streamlit turns an emoji page icon into an
inline image. A Material Symbols page icon is instead fetched from fonts.gstatic.com, which an
intranet without internet cannot reach (the other Material icons come from a font Streamlit
bundles today); emoji need nothing, so the app uses them throughout. ``tests/ui/test_offline.py``
keeps it that way.
"""

from __future__ import annotations

APP = "⚖️"
DOWNLOAD = "📥"
UPLOAD = "📤"
RESET = "🔄"
SAMPLE = "🧪"
CLUSTER = "💡"
SPEC = "📄"
DELETE = "🗑️"
SIGN_OUT = "🚪"
REVERT = "↩️"
