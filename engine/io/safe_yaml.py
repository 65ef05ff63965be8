"""Safe, bounded YAML reading.

``yaml.safe_load`` alone still accepts aliases (the "billion laughs" expansion), silently keeps the
last of two duplicate keys and recurses without limit on deeply nested documents. Analysts edit
these files by hand, so each of those is reported as an :class:`InputError` instead.

PyYAML's pure-Python loader is the reference. When PyYAML has libyaml, its C parser reads a text
first (the shipped catalogue in a fifth of the time; benchmarks/yaml_load.py), with the same checks
made on its events and the same Python constructor; a text it cannot vouch for is read again by the
pure-Python loader, so both accept the same documents and every message keeps its wording and place.
"""

from __future__ import annotations

import hashlib
import os
import re
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    NodeEvent,
    ScalarEvent,
)
from yaml.nodes import MappingNode
from yaml.reader import Reader

from engine.io.files import read_input
from engine.text.messages import coded

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 40
LIBYAML: bool = yaml.__with_libyaml__
"""Whether :func:`parse_yaml` tries libyaml's C parser first; False reads with pure Python alone."""
# Text the two parsers read differently (found with the YAML test suite and tests/test_safe_yaml.py):
# tabs (PyYAML refuses some that libyaml skips), a byte-order mark after the start (libyaml skips it
# at the start of any line), a comment right after a block scalar's | or >, and a character PyYAML's
# reader refuses (it checks the whole text before the first token, libyaml as it goes).
_PURE_PYTHON_ONLY = re.compile(rf"\t|\ufeff|[|>][-+0-9]*#|{Reader.NON_PRINTABLE.pattern}")


class _DocumentError(Exception):
    def __init__(self, line: int | None, code: str, **params: Any) -> None:
        super().__init__(code)
        self.line = line
        self.code = code
        self.params = params


class _UniqueKeys(SafeConstructor):
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

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        # an explicit tag on a value it cannot convert (`!!int x`, `!!float abc`) makes PyYAML's
        # constructors raise a bare ValueError, which would escape as a crash, not a message
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError) as exc:
            tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
            raise _DocumentError(
                node.start_mark.line + 1, "yaml_syntax", problem=f"{tag} cannot hold {node.value!r} ({exc})"
            ) from None


class _StrictLoader(_UniqueKeys, yaml.SafeLoader):
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


if yaml.__with_libyaml__:

    class _CLoader(_UniqueKeys, yaml.CSafeLoader):
        """Composes in C, so aliases and depth are checked on the events first (:func:`_vouch`)."""


def _vouch(text: str) -> bool:
    """Whether libyaml may read ``text``: refuse aliases and deep nesting from its events.

    The checks and their lines are those of ``_StrictLoader.compose_node``, met in the same order.
    False for what the two parsers treat differently: the text of ``_PURE_PYTHON_ONLY``, explicit
    tags (``!`` alone, a tag before a flow comma), ``?`` inside a plain scalar in brackets or
    braces (libyaml follows YAML 1.2 there), a repeated anchor (worded differently), directives and
    a second document.
    """
    if _PURE_PYTHON_ONLY.search(text):
        return False
    depth = flow = documents = 0
    anchors: set[str] = set()
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, AliasEvent):
            raise _DocumentError(event.start_mark.line + 1, "yaml_alias")
        if isinstance(event, NodeEvent):
            if depth >= MAX_DEPTH:
                raise _DocumentError(event.start_mark.line + 1, "yaml_depth", depth=MAX_DEPTH)
            if event.anchor in anchors or event.tag is not None:
                return False
            if event.anchor is not None:
                anchors.add(event.anchor)
            if isinstance(event, ScalarEvent) and flow and not event.style and "?" in event.value:
                return False
            if isinstance(event, CollectionStartEvent):
                depth += 1
                flow += bool(flow or event.flow_style)  # nothing inside brackets or braces is block
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
            flow -= bool(flow)
        elif isinstance(event, DocumentStartEvent):
            documents += 1
            if documents > 1 or event.version or event.tags:
                return False
    return True


def _load(text: str) -> Any:
    if LIBYAML:
        try:
            if _vouch(text):
                return yaml.load(text, Loader=_CLoader)
        except ConstructorError:
            raise  # from the Python constructor both paths share, at the same node
        except yaml.YAMLError:
            pass  # libyaml words its errors differently: the pure-Python loader gives the pinned message
    return yaml.load(text, Loader=_StrictLoader)


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
        return _load(text)
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
    data = read_input(path, label)
    return parse_yaml(data, label), hashlib.sha256(data).hexdigest()
