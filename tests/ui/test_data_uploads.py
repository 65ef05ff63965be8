"""Data page: the uploaders stay open after a failed load, so the files can be fixed at once."""

from __future__ import annotations

from tests.ui.conftest import text
from tests.ui.test_choices_kept import go
from tests.ui.test_state_kept import YAML, broken_catalogue, entry
from ui import state


def test_the_data_uploaders_stay_open_after_a_failed_load():
    app = go(entry(), "data")
    assert not app.expander[0].proto.expanded
    next(b for b in app.button if b.label == text("data.load")).click().run()  # nothing chosen yet
    assert app.warning and app.expander[0].proto.expanded
    data, _ = broken_catalogue()
    app.file_uploader(key=state.W_DATA_CATALOGUE).set_value(("mine.yaml", data, YAML))
    next(b for b in app.button if b.label == text("data.load")).click().run()
    assert app.error and app.expander[0].proto.expanded
    app.run()  # the message is gone, the uploaders are still open
    assert not app.error and app.expander[0].proto.expanded
