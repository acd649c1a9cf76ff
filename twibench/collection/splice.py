"""Saving one request by editing the file's text: only the lines of the keys the user changed move.

A round-trip re-emit (ruamel.yaml) rewrites the whole document and normalises what it does not model
exactly (`null` became an empty value, a block mapping could turn into a flow one, a number into a string).
This module instead finds, with PyYAML's node positions, the exact characters of each changed value, row
or key, and replaces only those; every other byte of the file stays identical. A value that was written as
a plain scalar (a number such as `PageSize: 20`) stays plain when the new text can be, so digits stay a
number; a quoted value keeps its quotes.

`splice_request` returns None when the file uses something it does not edit by text (anchors and merge
keys, a request written as a flow mapping, a key on the `- ` line that must go): the caller then falls back
to the round-trip editor. Every result is checked by the caller to load back as intended.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

from twibench.collection.model import Request, slug

__all__ = ["splice_request"]

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_PAIR_KEYS = ("params", "headers", "form")
_SCALAR_KEYS = ("name", "id", "description", "method", "url", "body", "docs")
_resolver = yaml.resolver.Resolver()


@dataclass(frozen=True)
class _Edit:
    """Replace text[start:end] with `text` (an insertion when start == end)."""

    start: int
    end: int
    text: str


class _Unsupported(Exception):
    """The file's shape is not one this module edits by text; the caller uses the round-trip editor."""


def _emit(node: yaml.Node) -> str:
    """YAML text for one node, in the writer's style, without the document end marker."""
    from twibench.collection.emit import _Dumper  # the same dumper the whole-file writer uses

    text: str = yaml.serialize(node, Dumper=_Dumper, allow_unicode=True, width=4096)
    if text.endswith("\n...\n"):
        text = text[: -len("...\n")]
    return text


def _scalar(value: str, old: yaml.ScalarNode | None) -> str | None:
    """`value` as one-line YAML text in the style of `old` (None when it cannot be one line)."""
    if "\n" in value or "\r" in value:
        return None
    style = old.style if old is not None else None
    if style == "'" or style == '"':
        text = _emit(yaml.ScalarNode(_STR, value, style=style)).rstrip("\n")
    else:
        # Plain like before when the emitter allows it: `5` stays a number, `yes` stays unquoted (the loader
        # keeps a scalar's source text). Text that would read as null, or needs quotes, gets double quotes.
        tag = _resolver.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
        node = yaml.ScalarNode(_STR if tag == _NULL else tag, value, style=None)
        text = _emit(node).rstrip("\n")
        if tag != _NULL and text != value:
            text = _emit(yaml.ScalarNode(_STR, value, style=None)).rstrip("\n")
    return None if "\n" in text else text


class _Text:
    """The file's lines, with helpers to find where a key's lines begin and end."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.newline = "\r\n" if "\r\n" in text else "\n"
        self.starts = [0]
        for match in re.finditer("\n", text):
            self.starts.append(match.end())

    def line(self, number: int) -> str:
        """Line `number` (0-based) without its line break."""
        start = self.starts[number]
        end = self.starts[number + 1] if number + 1 < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def line_start(self, number: int) -> int:
        return self.starts[number] if number < len(self.starts) else len(self.text)

    def last_line(self, key: yaml.Node, value: yaml.Node) -> int:
        """The last line that holds `value`'s content (not the blank or comment lines after it)."""
        node = value
        # A block collection ends where the next token starts: its content ends with its last child.
        while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style and node.value:
            last_child = node.value[-1]
            node = last_child[1] if isinstance(node, yaml.MappingNode) else last_child
        end = node.end_mark
        last = end.line if end.column > 0 else end.line - 1
        literal = isinstance(node, yaml.ScalarNode) and node.style in ("|", ">")
        while last > key.start_mark.line:
            stripped = self.line(last).strip()
            if stripped and (literal or not stripped.startswith("#")):
                break
            last -= 1
        return last

    def after(self, line: int) -> int:
        """The offset just after line `line`'s break (the start of the next line)."""
        if line + 1 < len(self.starts):
            return self.starts[line + 1]
        return len(self.text)

    def indent_block(self, block: str, column: int) -> str:
        """`block` (lines ending in \\n) indented by `column` spaces, with the file's line breaks."""
        pad = " " * column
        lines = block.splitlines()
        return "".join((pad + line if line else line) + self.newline for line in lines)


def _mapping_items(node: yaml.MappingNode) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
    """The (key, value) nodes of a mapping; merge keys and non-text keys are left to the round-trip editor."""
    items = []
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.value == "<<":
            raise _Unsupported("merge key or complex key")
        items.append((key, value))
    return items


def _uses_anchors(text: str) -> bool:
    """True when the document has an anchor or alias (one edit could then change several places)."""
    try:
        return any(
            isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None
            for event in yaml.parse(text, Loader=yaml.SafeLoader)
        )
    except yaml.YAMLError:
        return True


class _Splicer:
    """Collects the edits that turn one request's text into the new request's."""

    def __init__(self, lines: _Text) -> None:
        self.lines = lines
        self.edits: list[_Edit] = []

    # --- whole keys ---------------------------------------------------------------------------

    def key_block(self, key: str, node: yaml.Node) -> str:
        """`key: value` as the writer writes it (a block of lines, unindented)."""
        return _emit(yaml.MappingNode(_MAP, [(yaml.ScalarNode(_STR, key), node)], flow_style=False))

    def replace_key(self, key: yaml.ScalarNode, value: yaml.Node, new: yaml.Node) -> None:
        """Rewrite the lines of `key:` and its value with the new value.

        A one-line value that stays one line is replaced alone, so an end-of-line comment stays.
        """
        one_line = value.start_mark.line == value.end_mark.line and not (
            isinstance(value, yaml.MappingNode | yaml.SequenceNode) and not value.flow_style
        )
        if one_line and (not isinstance(value, yaml.ScalarNode) or value.style not in ("|", ">")):
            text = _emit(new).rstrip("\n")
            if "\n" not in text and not text.startswith(("|", ">")):
                self.edits.append(_Edit(value.start_mark.index, value.end_mark.index, text))
                return
        if key.start_mark.column != self._first_column(key):
            raise _Unsupported("key shares its line with the sequence dash")
        last = self.lines.last_line(key, value)
        start = self.lines.line_start(key.start_mark.line)
        block = self.lines.indent_block(self.key_block(key.value, new), key.start_mark.column)
        self.edits.append(_Edit(start, self.lines.after(last), block))

    def delete_key(self, key: yaml.ScalarNode, value: yaml.Node) -> None:
        if key.start_mark.column != self._first_column(key):
            raise _Unsupported("key shares its line with the sequence dash")
        last = self.lines.last_line(key, value)
        self.edits.append(_Edit(self.lines.line_start(key.start_mark.line), self.lines.after(last), ""))

    def insert_key(self, at_line: int, column: int, key: str, new: yaml.Node) -> None:
        """Insert `key: value` lines before line `at_line`."""
        block = self.lines.indent_block(self.key_block(key, new), column)
        offset = self.lines.line_start(at_line)
        self.edits.append(_Edit(offset, offset, block))

    def _first_column(self, key: yaml.Node) -> int:
        line = self.lines.line(key.start_mark.line)
        return len(line) - len(line.lstrip(" "))

    # --- scalars ------------------------------------------------------------------------------

    def replace_scalar(self, key: yaml.ScalarNode, value: yaml.Node, new_value: str, build: yaml.Node) -> None:
        """Replace a one-line scalar in place (keeping its style), else the key's lines."""
        if (
            isinstance(value, yaml.ScalarNode)
            and value.style not in ("|", ">")
            and value.start_mark.line == value.end_mark.line
        ):
            text = _scalar(new_value, value)
            if text is not None:
                self.edits.append(_Edit(value.start_mark.index, value.end_mark.index, text))
                return
        self.replace_key(key, value, build)

    # --- params / headers / form ----------------------------------------------------------------

    def replace_pairs(
        self,
        key: yaml.ScalarNode,
        value: yaml.Node,
        old: dict[str, list[str]],
        new: dict[str, list[str]],
        build: Callable[[], yaml.Node],
    ) -> None:
        """Edit only the rows that changed: a value, a renamed name, an added or removed row."""
        if not isinstance(value, yaml.MappingNode) or len(value.value) != len(old) or not new or not old:
            self.replace_key(key, value, build())
            return
        items = _mapping_items(value)
        old_names, new_names = list(old), list(new)
        if len(new_names) == len(old_names):
            pairs = list(zip(old_names, new_names, strict=True))
            removed: int | None = None
        elif len(new_names) == len(old_names) - 1:
            removed = next((i for i, (a, b) in enumerate(zip(old_names, new_names, strict=False)) if a != b), None)
            removed = len(old_names) - 1 if removed is None else removed
            kept = [n for i, n in enumerate(old_names) if i != removed]
            pairs = list(zip(kept, new_names, strict=True))
        elif len(new_names) > len(old_names) and new_names[: len(old_names)] == old_names:
            pairs = [(n, n) for n in old_names]
            removed = None
        else:
            self.replace_key(key, value, build())
            return
        positions = [i for i in range(len(old_names)) if i != removed]
        for index, (old_name, new_name) in zip(positions, pairs, strict=True):
            row_key, row_value = items[index]
            if old_name != new_name:
                text = _scalar(new_name, row_key)
                if text is None or row_key.start_mark.line != row_key.end_mark.line:
                    raise _Unsupported("multi-line row name")
                self.edits.append(_Edit(row_key.start_mark.index, row_key.end_mark.index, text))
            if old[old_name] != new[new_name]:
                self._row_value(row_key, row_value, new[new_name], flow=bool(value.flow_style))
        if removed is not None:
            self._delete_row(value, items, removed)
        for name in new_names[len(old_names) :]:
            self._append_row(value, items, name, new[name])

    def _row_value(self, row_key: yaml.ScalarNode, row_value: yaml.Node, values: list[str], *, flow: bool) -> None:
        if len(values) == 1 and isinstance(row_value, yaml.ScalarNode) and row_value.style not in ("|", ">"):
            text = _scalar(values[0], row_value)
            if text is not None and row_value.start_mark.line == row_value.end_mark.line:
                self.edits.append(_Edit(row_value.start_mark.index, row_value.end_mark.index, text))
                return
        if flow:
            raise _Unsupported("a list or multi-line value in a flow mapping")
        node = _row_node(values)
        self.replace_key(row_key, row_value, node)

    def _delete_row(self, mapping: yaml.MappingNode, items: list[tuple[yaml.ScalarNode, yaml.Node]], at: int) -> None:
        row_key, row_value = items[at]
        if not mapping.flow_style:
            self.delete_key(row_key, row_value)
            return
        if at > 0:
            start, end = items[at - 1][1].end_mark.index, row_value.end_mark.index
        elif len(items) > 1:
            start, end = row_key.start_mark.index, items[1][0].start_mark.index
        else:
            raise _Unsupported("removing the last row of a flow mapping")
        self.edits.append(_Edit(start, end, ""))

    def _append_row(
        self, mapping: yaml.MappingNode, items: list[tuple[yaml.ScalarNode, yaml.Node]], name: str, values: list[str]
    ) -> None:
        if mapping.flow_style:
            close = mapping.end_mark.index - 1
            if self.lines.text[close] != "}" or len(values) != 1:
                raise _Unsupported("appending to this flow mapping")
            key_text, value_text = _scalar(name, None), _scalar(values[0], None)
            if key_text is None or value_text is None:
                raise _Unsupported("multi-line row")
            separator = ", " if items else ""
            # After the last value, so spaces before `}` stay where they were.
            at = items[-1][1].end_mark.index if items else close
            self.edits.append(_Edit(at, at, f"{separator}{key_text}: {value_text}"))
            return
        if not items:
            raise _Unsupported("empty block mapping")
        last_key, last_value = items[-1]
        column = last_key.start_mark.column
        if column != self._first_column(last_key):
            raise _Unsupported("row on a dash line")
        block = self.lines.indent_block(self.key_block(name, _row_node(values)), column)
        at = self.lines.after(self.lines.last_line(last_key, last_value))
        if at == len(self.lines.text) and not self.lines.text.endswith("\n"):
            block = self.lines.newline + block.rstrip("\r\n")
        self.edits.append(_Edit(at, at, block))


def _row_node(values: list[str]) -> yaml.Node:
    from twibench.collection.emit import _node

    node: yaml.Node = _node(values[0] if len(values) == 1 else values)
    return node


def _builders() -> dict[str, tuple[Callable[[Request], bool], Callable[[Request], yaml.Node]]]:
    from twibench.collection.emit import _REQUEST_FIELDS

    return _REQUEST_FIELDS


def _changed(key: str, old: Request, new: Request) -> bool:
    if key == "method":
        return old.method.upper() != new.method.upper()
    if key in ("description", "docs"):
        return (getattr(old, key) or None) != (getattr(new, key) or None)
    if key == "id":
        return old.id != new.id
    return bool(getattr(old, key) != getattr(new, key))


def splice_request(text: str, index: int, old: Request, new: Request) -> str | None:
    """`text` with request `index` (read as `old`) changed into `new`, touching only what changed.

    Returns None when the file's shape needs the round-trip editor (see the module docstring).
    """
    from twibench.collection.emit import group_pairs

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode):
        return None
    requests = next((v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "requests"), None)
    if not isinstance(requests, yaml.SequenceNode) or requests.flow_style or index >= len(requests.value):
        return None
    item = requests.value[index]
    if not isinstance(item, yaml.MappingNode) or item.flow_style:
        return None
    if _uses_anchors(text):
        return None
    lines = _Text(text)
    splicer = _Splicer(lines)
    builders = _builders()
    try:
        present = {k.value: (k, v) for k, v in _mapping_items(item)}
        columns = {k.start_mark.column for k, _ in present.values()}
        column = min(columns) if columns else item.start_mark.column
        for key, (written, build) in builders.items():
            in_file = present.get(key)
            writes = written(new)
            if key == "id" and in_file is None:
                # Written only when loading would not give the same id back from the name.
                if new.id != slug(new.name):
                    splicer.insert_key(_insert_line(lines, present, key, builders), column, key, build(new))
                continue
            if not _changed(key, old, new):
                continue
            if in_file is None:
                if writes:
                    splicer.insert_key(_insert_line(lines, present, key, builders), column, key, build(new))
                continue
            key_node, value_node = in_file
            if not writes:
                splicer.delete_key(key_node, value_node)
            elif key in _SCALAR_KEYS:
                splicer.replace_scalar(key_node, value_node, _scalar_value(key, new), build(new))
            elif key in _PAIR_KEYS:
                old_pairs = group_pairs(getattr(old, key) or [])
                new_pairs = group_pairs(getattr(new, key) or [])
                splicer.replace_pairs(key_node, value_node, old_pairs, new_pairs, functools.partial(build, new))
            else:
                splicer.replace_key(key_node, value_node, build(new))
    except _Unsupported:
        return None
    out = text
    for edit in sorted(splicer.edits, key=lambda e: (e.start, e.end), reverse=True):
        out = out[: edit.start] + edit.text + out[edit.end :]
    return out


def _scalar_value(key: str, request: Request) -> str:
    value: Any = getattr(request, key)
    if key == "method":
        return str(value).upper()
    return "" if value is None else str(value)


def _insert_line(
    lines: _Text,
    present: dict[str, tuple[yaml.ScalarNode, yaml.Node]],
    key: str,
    builders: dict[str, Any],
) -> int:
    """The line before which a missing key goes: before the nearest key that follows it in the writer's
    order, else after the nearest one that precedes it (the file's own order may differ from the writer's)."""
    order = list(builders)
    at = order.index(key)
    for following in order[at + 1 :]:
        if following in present:
            key_node, _ = present[following]
            if not lines.line(key_node.start_mark.line).lstrip().startswith("-"):
                return int(key_node.start_mark.line)
            break
    for previous in reversed(order[:at]):
        if previous in present:
            key_node, value_node = present[previous]
            return lines.last_line(key_node, value_node) + 1
    raise _Unsupported("empty request")


def insert_request(text: str, position: int, request: Request) -> str | None:
    """`text` with `request` added as request number `position` (the end when past the last one).

    The new request is written in the writer's style at the dash column of the others, separated by a
    blank line when the file separates its requests so; nothing else changes. None when the file's shape
    needs the round-trip editor.
    """
    from twibench.collection.emit import _request_node

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode) or _uses_anchors(text):
        return None
    requests = next((v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "requests"), None)
    if not isinstance(requests, yaml.SequenceNode) or requests.flow_style or not requests.value:
        return None
    lines = _Text(text)
    items = requests.value
    dash = items[0].start_mark.column - 2
    if dash < 0 or lines.line(items[0].start_mark.line)[dash] != "-":
        return None
    block = lines.indent_block(_emit(yaml.SequenceNode("tag:yaml.org,2002:seq", [_request_node(request)])), dash)
    spaced = len(items) > 1 and not lines.line(items[1].start_mark.line - 1).strip()
    if position < len(items):
        line = items[position].start_mark.line
        while line > 0 and lines.line(line - 1).lstrip().startswith("#"):
            line -= 1
        at = lines.line_start(line)
        return text[:at] + block + (lines.newline if spaced else "") + text[at:]
    last = items[-1]
    end_line = last.end_mark.line if last.end_mark.column > 0 else last.end_mark.line - 1
    while end_line > last.start_mark.line and (
        not lines.line(end_line).strip() or lines.line(end_line).lstrip().startswith("#")
    ):
        end_line -= 1
    at = lines.after(end_line)
    prefix = "" if text[:at].endswith("\n") else lines.newline
    return text[:at] + prefix + (lines.newline if spaced else "") + block + text[at:]
