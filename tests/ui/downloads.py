"""The exact bytes an AppTest's download buttons serve, caught where Streamlit stores them.

AppTest shows a download button's label and proto but not its file. Static data goes through
``MemoryMediaFileStorage.load_and_get_id`` (the button's URL ends in the file id); deferred data is
a callable registered with ``MediaFileManager.add_deferred`` (the proto carries its id), which a
click in the browser would call. Both are wrapped, not replaced, while the context is open.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from unittest import mock

from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage


@dataclass
class Served:
    stored: dict[str, bytes] = field(default_factory=dict)
    deferred: dict[str, tuple[Callable[[], bytes | str], str | None]] = field(default_factory=dict)

    def file(self, button) -> tuple[bytes, str | None]:
        """``(bytes, download name or None)`` of a download button as a click would get them."""
        proto = button.proto
        if proto.deferred_file_id:
            produce, name = self.deferred[proto.deferred_file_id]
            data = produce()
        else:
            file_id = proto.url.rsplit("/", 1)[-1].split(".", 1)[0]
            data, name = self.stored[file_id], None
        return (data.encode("utf-8") if isinstance(data, str) else data), name

    def bytes(self, button) -> bytes:
        return self.file(button)[0]


@contextlib.contextmanager
def capture() -> Iterator[Served]:
    served = Served()
    store = MemoryMediaFileStorage.load_and_get_id
    defer = MediaFileManager.add_deferred

    def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
        file_id = store(self, path_or_data, mimetype, kind, filename)
        if isinstance(path_or_data, bytes):
            served.stored[file_id] = path_or_data
        return file_id

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        file_id = defer(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)
        served.deferred[file_id] = (data_callable, file_name)
        return file_id

    with (
        mock.patch.object(MemoryMediaFileStorage, "load_and_get_id", load_and_get_id),
        mock.patch.object(MediaFileManager, "add_deferred", add_deferred),
    ):
        yield served
