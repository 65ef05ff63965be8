"""The memo page renders Word, PDF and HTML in the background once it is drawn, so that a download
click reads bytes already made instead of waiting for them."""

from __future__ import annotations

import pytest

from tests.ui.conftest import started, text
from tests.ui.downloads import capture
from ui import memos


def test_the_slow_formats_are_rendered_once_ahead_of_the_click(monkeypatch: pytest.MonkeyPatch):
    rendered: list[str] = []
    engine_render = memos.render

    def counting(memo, fmt: str) -> bytes:
        rendered.append(fmt)
        return engine_render(memo, fmt)

    monkeypatch.setattr(memos, "render", counting)
    monkeypatch.setattr(memos, "_served", lambda: True)  # AppTest runs without a server
    with capture() as served:
        app = started("memo")
        app.run()  # a rerun of the same memo starts no second rendering
        for thread in list(memos._preparing.values()):
            thread.join(timeout=300)
        assert sorted(rendered) == sorted(memos.PREPARED)
        for fmt in memos.PREPARED:
            button = next(b for b in app.download_button if b.label == text(f"memo.download.{fmt}"))
            assert served.bytes(button)
    # the clicks read the cache: nothing was rendered again
    assert sorted(rendered) == sorted(memos.PREPARED)


def test_without_a_server_nothing_is_rendered_ahead(monkeypatch: pytest.MonkeyPatch):
    rendered: list[str] = []
    monkeypatch.setattr(memos, "render", lambda memo, fmt: rendered.append(fmt) or b"")
    started("memo")
    assert rendered == [] and not [t for t in memos._preparing.values() if t.is_alive()]
