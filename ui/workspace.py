"""The open workspace: the store the app writes to, the open project and scenario, autosave, undo."""

from __future__ import annotations

import threading

from engine.store import Store, open_store
from engine.store.database import database_url

_stores: dict[str, Store] = {}
_stores_lock = threading.Lock()


def store() -> Store:
    """The workspace database (``POLICYRANK_DB``, else the user's SQLite file), opened once per URL."""
    url = database_url().render_as_string(hide_password=False)
    with _stores_lock:
        if url not in _stores:
            _stores[url] = open_store(url)
        return _stores[url]


def forget_stores() -> None:
    """Close every open store (tests point ``POLICYRANK_DB`` at a new file for each test)."""
    with _stores_lock:
        for opened in _stores.values():
            opened.close()
        _stores.clear()
