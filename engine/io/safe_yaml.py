"""Safe, bounded YAML reading.

``yaml.safe_load`` alone still accepts aliases (the "billion laughs" expansion), silently keeps the
last of two duplicate keys and recurses without limit on deeply nested documents. Analysts edit
these files by hand, so each of those is reported as an :class:`InputError` instead.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError
from yaml.events import AliasEvent
from yaml.nodes import MappingNode

from engine.text.messages import coded

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 40


class _DocumentError(Exception):
    def __init__(self, line: int | None, code: str, **params: Any) -> None:
        super().__init__(code)
        self.line = line
        self.code = code
        self.params = params


class _StrictLoader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise _DocumentError(event.start_mark.line + 1, "yaml_alias")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                event = self.peek_event()
                raise _DocumentError(event.start_mark.line + 1, "yaml_depth", depth=MAX_DEPTH)
            return Composer.compose_node(self, parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
            except TypeError:
                raise _DocumentError(key_node.start_mark.line + 1, "yaml_key") from None
            if duplicate:
                raise _DocumentError(key_node.start_mark.line + 1, "yaml_duplicate_key", key=key)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def parse_yaml(text: str | bytes, source: str) -> Any:
    """Parse one YAML document from text or bytes, raising :class:`InputError` on any problem."""
    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            raise coded(source, "", "file_too_large", mb=MAX_BYTES // (1024 * 1024))
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise coded(source, f"byte {exc.start}", "not_utf8") from None
    text = text.removeprefix("\ufeff")  # Excel and Notepad write a BOM; it carries no meaning
    if not text.strip():
        raise coded(source, "", "file_empty")
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except _DocumentError as exc:
        raise coded(source, f"line {exc.line}" if exc.line else "", exc.code, **exc.params) from None
    except ConstructorError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        tag = (exc.problem or "").rsplit("tag ", 1)[-1].strip("'").replace("tag:yaml.org,2002:", "!!")
        raise coded(source, f"line {line}" if line else "", "yaml_tag", tag=tag) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = exc.problem or exc.context or ""
        if "'\\t'" in problem:
            raise coded(source, place, "yaml_tab") from None
        raise coded(source, place, "yaml_syntax", problem=problem) from None
    except yaml.YAMLError as exc:
        raise coded(source, "", "yaml_syntax", problem=str(exc)) from None
    except RecursionError:
        raise coded(source, "", "yaml_depth", depth=MAX_DEPTH) from None


def read_yaml(path: str | os.PathLike[str], label: str) -> tuple[Any, str]:
    """Read and parse a YAML file; return the document and the SHA-256 of its bytes.

    ``label`` is how the file is named in messages.
    """
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise coded(label, "", "file_not_found") from None
    except IsADirectoryError:
        raise coded(label, "", "not_a_file") from None
    except OSError as exc:
        raise coded(label, "", "unreadable", reason=exc.strerror) from None
    return parse_yaml(data, label), hashlib.sha256(data).hexdigest()
