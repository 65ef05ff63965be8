"""Edit a YAML text where a value sits, leaving every other line as it was written.

A catalogue or criteria file is read and written by people: comments, key order, the choice
between ``{zh: …, en: …}`` on one line and a block, all of it carries meaning for the next reader.
Dumping the parsed document again would lose it. Instead the text is composed once with PyYAML
(which records where every node starts and ends), and an edit replaces, inserts or removes only the
lines of the entry it changes; new values are written in the files' own style (a mapping of short
scalars on one line, blocks otherwise, two-space indents, sequences indented under their key).

Paths name a value from the top: ``("countermeasures", 2, "scores", "talent")``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Path = Sequence[str | int]

# libyaml when it is there: twenty times faster, with the same marks (indices count characters)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
LINE_WIDTH = 110  # a flow mapping longer than this is written as a block
_LINE_BREAK = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")  # what PyYAML counts as a line break


def _lines(text: str) -> list[str]:
    """The text's lines with their breaks, split where PyYAML counts lines."""
    lines: list[str] = []
    start = 0
    for match in _LINE_BREAK.finditer(text):
        lines.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


def _scalar(value: Any) -> str:
    """One scalar as YAML writes it, safe in flow and block context alike."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    dumped = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=10**9)
    return dumped.strip()[1:-1]


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_scalar(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return _scalar(value)


def _is_flat(value: Any) -> bool:
    """A mapping or list of scalars only: the kind the files write on one line when it fits."""
    items = value.values() if isinstance(value, dict) else value
    return not any(isinstance(v, dict | list) for v in items)


def entry_lines(key: str, value: Any, indent: int) -> list[str]:
    """``key: value`` at ``indent`` spaces, in the files' style, one string per line."""
    pad = " " * indent
    head = f"{pad}{_scalar(key)}:"
    if not isinstance(value, dict | list) or not value:
        return [f"{head} {_flow(value)}"]
    if _is_flat(value) and len(head) + 1 + len(_flow(value)) <= LINE_WIDTH:
        return [f"{head} {_flow(value)}"]
    if isinstance(value, dict):
        return [head] + [line for k, v in value.items() for line in entry_lines(k, v, indent + 2)]
    return [head] + [line for item in value for line in item_lines(item, indent + 2)]


def item_lines(value: Any, indent: int) -> list[str]:
    """``- value`` at ``indent`` spaces: a mapping starts on the dash's line, its keys aligned."""
    pad = " " * indent
    if not isinstance(value, dict | list) or not value:
        return [f"{pad}- {_flow(value)}"]
    if _is_flat(value) and indent + 2 + len(_flow(value)) <= LINE_WIDTH:
        return [f"{pad}- {_flow(value)}"]
    if isinstance(value, list):
        return [f"{pad}-"] + [line for item in value for line in item_lines(item, indent + 2)]
    lines = [line for k, v in value.items() for line in entry_lines(k, v, indent + 2)]
    return [f"{pad}- {lines[0].lstrip()}", *lines[1:]]


def _with_break(lines: list[str], newline: str) -> list[str]:
    return [line + newline for line in lines]


@dataclass(frozen=True)
class _Span:
    """Lines ``first`` to ``last`` (both included, counted from 0) and the indent of the entry."""

    first: int
    last: int
    indent: int


class YamlText:
    """A YAML document's text with its node tree; every edit returns a new :class:`YamlText`."""

    def __init__(self, text: str) -> None:
        self.text = text.removeprefix("\ufeff")

    @cached_property
    def root(self) -> Node:
        node = yaml.compose(self.text, Loader=_Loader)
        if node is None:
            raise ValueError("empty document")
        return node

    @cached_property
    def data(self) -> Any:
        return _Loader("").construct_document(self.root)

    @cached_property
    def lines(self) -> list[str]:
        return _lines(self.text)

    @property
    def newline(self) -> str:
        first = _LINE_BREAK.search(self.text)
        return first.group() if first else "\n"

    # ------------------------------------------------------------ finding nodes

    def value(self, path: Path) -> Any:
        """The parsed value at ``path``."""
        found = self.data
        for step in path:
            found = found[step]
        return found

    def has(self, path: Path) -> bool:
        try:
            self.value(path)
        except (KeyError, IndexError, TypeError):
            return False
        return True

    def node(self, path: Path) -> Node:
        found = self.root
        for step in path:
            found = self._child(found, step)[1]
        return found

    @staticmethod
    def _child(node: Node, step: str | int) -> tuple[Node | None, Node]:
        """(key node or None, value node) of ``step`` inside ``node``."""
        if isinstance(node, MappingNode) and isinstance(step, str):
            for key, value in node.value:
                if isinstance(key, ScalarNode) and key.value == step:
                    return key, value
        elif (
            isinstance(node, SequenceNode)
            and isinstance(step, int)
            and -len(node.value) <= step < len(node.value)
        ):
            return None, node.value[step]
        raise KeyError(step)

    def _last_line(self, node: Node) -> int:
        """The last line a node's text occupies (block collections end where their last child ends)."""
        if isinstance(node, MappingNode | SequenceNode) and not node.flow_style and node.value:
            last = node.value[-1]
            return self._last_line(last[1] if isinstance(node, MappingNode) else last)
        end = node.end_mark
        # a block scalar (| or >) ends at the start of the line after it
        return end.line - 1 if end.column == 0 and end.line > node.start_mark.line else end.line

    def _dash_line(self, node: Node) -> int:
        """The line of the ``-`` that starts the sequence item ``node``."""
        index = node.start_mark.index - 1
        while index >= 0 and self.text[index] in " \t\r\n":
            index -= 1
        if index < 0:
            return node.start_mark.line
        return bisect.bisect_right(self._line_starts, index) - 1

    @cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        for line in self.lines:
            starts.append(starts[-1] + len(line))
        return starts

    def _entry(self, path: Path) -> _Span:
        """Where the entry at ``path`` (a key and its value, or a sequence item) is written."""
        parent = self.node(path[:-1])
        key, value = self._child(parent, path[-1])
        if key is not None:
            return _Span(key.start_mark.line, self._last_line(value), key.start_mark.column)
        first = self._dash_line(value)
        return _Span(
            first, self._last_line(value), len(self.lines[first]) - len(self.lines[first].lstrip(" "))
        )

    # ------------------------------------------------------------ edits

    def _spliced(self, first: int, last: int, new: list[str]) -> YamlText:
        lines = self.lines
        if lines and not _LINE_BREAK.search(lines[-1]) and new and last >= len(lines) - 1:
            lines = [*lines[:-1], lines[-1] + self.newline]  # the last line gets a break before more follows
        return YamlText("".join([*lines[:first], *_with_break(new, self.newline), *lines[last + 1 :]]))

    def set(self, path: Path, value: Any) -> YamlText:
        """``path`` holds ``value``: replaced where it is, else added as the mapping's last entry."""
        parent = self.node(path[:-1])
        step = path[-1]
        if parent.flow_style or not parent.value:
            # inside a one-line collection the whole collection is written again
            updated = self.value(path[:-1])
            updated = dict(updated) if isinstance(updated, dict) else list(updated)
            updated[step] = value  # type: ignore[index]
            return self.set(path[:-1], updated)
        try:
            span = self._entry(path)
        except KeyError:
            if not isinstance(parent, MappingNode) or not isinstance(step, str):
                raise
            last_key = parent.value[-1][0]
            span = _Span(
                last_key.start_mark.line, self._last_line(parent.value[-1][1]), last_key.start_mark.column
            )
            return self._spliced(span.last + 1, span.last, entry_lines(step, value, span.indent))
        if isinstance(step, int):
            return self._spliced(span.first, span.last, item_lines(value, span.indent))
        return self._spliced(span.first, span.last, entry_lines(step, value, span.indent))

    def append(self, path: Path, value: Any) -> YamlText:
        """``value`` becomes the last item of the sequence at ``path``."""
        sequence = self.node(path)
        if not isinstance(sequence, SequenceNode):
            raise TypeError(f"not a sequence: {list(path)}")
        if sequence.flow_style or not sequence.value:
            return self.set(path, [*self.value(path), value])
        span = self._entry([*path, len(sequence.value) - 1])
        return self._spliced(span.last + 1, span.last, item_lines(value, span.indent))

    def delete(self, path: Path) -> YamlText:
        """Remove the entry or item at ``path`` (the lines it occupies)."""
        parent = self.node(path[:-1])
        if parent.flow_style:
            updated = self.value(path[:-1])
            updated = dict(updated) if isinstance(updated, dict) else list(updated)
            del updated[path[-1]]  # type: ignore[arg-type]
            return self.set(path[:-1], updated)
        span = self._entry(path)
        return self._spliced(span.first, span.last, [])

    def lines_of(self, path: Path) -> tuple[list[str], int]:
        """The lines of the item or entry at ``path`` as written, and their indent."""
        span = self._entry(path)
        return [
            line.rstrip("\r\n\x85\u2028\u2029") for line in self.lines[span.first : span.last + 1]
        ], span.indent

    def insert_lines(self, path: Path, lines: list[str], indent: int) -> YamlText:
        """Append already written item lines (at ``indent``) to the block sequence at ``path``,
        re-indented to the sequence's own items; used to move a subtree with its comments."""
        sequence = self.node(path)
        if not isinstance(sequence, SequenceNode) or sequence.flow_style or not sequence.value:
            raise TypeError(f"not a block sequence with items: {list(path)}")
        span = self._entry([*path, len(sequence.value) - 1])
        shift = span.indent - indent
        moved = [
            (" " * shift + line) if shift >= 0 else line[min(-shift, len(line) - len(line.lstrip(" "))) :]
            for line in lines
        ]
        return self._spliced(span.last + 1, span.last, moved)
