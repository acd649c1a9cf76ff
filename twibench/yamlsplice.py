"""Editing YAML text in place: only the characters of what changed move (exact saves of users' files).

A round-trip re-emit rewrites the whole document and normalises what it does not model exactly (`null`
became an empty value, a block mapping could turn into a flow one, a number into a string). These helpers
instead find, with PyYAML's node positions, the exact characters of a changed value, row or key, and
replace only those; every other byte stays identical. A value written as a plain scalar (`PageSize: 20`)
stays plain when the new text can be, so digits stay a number; a quoted value keeps its quotes.

Shared by the collection writer (`collection.splice`) and the profiles file (`profiles_save`), so it sits
on the bottom floor and knows neither format. A shape these helpers do not edit by text (anchors, a key
on a `- ` line that must go…) raises `Unsupported`; the caller then uses its round-trip fallback, and
every caller checks that the result loads back as intended.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

__all__ = [
    "Dumper",
    "Edit",
    "Lines",
    "Splicer",
    "Unsupported",
    "apply_edits",
    "emit",
    "float_text",
    "flow",
    "mapping_items",
    "node",
    "scalar_text",
    "text_node",
    "uses_anchors",
]

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
MAP = "tag:yaml.org,2002:map"
SEQ = "tag:yaml.org,2002:seq"
# A flow collection (`{Accept: application/json}`) is used only when it stays this short on one line.
_FLOW_WIDTH = 60
_resolver = yaml.resolver.Resolver()


class Dumper(yaml.SafeDumper):
    """The safe dumper in the DESIGN §2 style: lists indented under their key, double quotes when needed."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        """Indent block lists under their key (`requests:` then `  - name:`), as the docs write them."""
        super().increase_indent(flow, False)

    def choose_scalar_style(self) -> str:
        """Prefer "double" to 'single' quotes: the style of the docs, and able to hold any text."""
        style: str = super().choose_scalar_style()
        return '"' if style == "'" else style


# Line breaks other than \n that YAML 1.1 folds into \n inside block and plain scalars.
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


def text_node(value: str, *, key: bool = False) -> yaml.ScalarNode:
    """A string node; the emitter quotes it when a plain scalar would load as something else.

    Multi-line text is written as a literal block (`|`), which keeps \n exactly; text holding other
    line-break characters, and multi-line keys, are double-quoted so their escapes keep them.
    """
    if any(brk in value for brk in _OTHER_BREAKS) or (key and "\n" in value):
        return yaml.ScalarNode(STR, value, style='"')
    return yaml.ScalarNode(STR, value, style="|" if "\n" in value else None)


def float_text(value: float) -> str:
    """`repr` of a float in a form YAML 1.1 reads back as a float (it wants a '.' before any exponent)."""
    text = repr(value)
    if "e" in text and "." not in text:
        mantissa, _, exponent = text.partition("e")
        text = f"{mantissa}.0e{exponent}"
    return text


def is_flat(value: object) -> bool:
    """True for a value that fits a short flow collection: scalars only, no line breaks."""
    return not isinstance(value, dict | list) and not (isinstance(value, str) and "\n" in value)


def flow(items: list[tuple[str, Any]] | list[Any]) -> bool:
    """Whether a collection of these items reads best on one line (`{Accept: application/json}`)."""
    width = 0
    for item in items:
        parts = item if isinstance(item, tuple) else (item,)
        if not all(is_flat(part) for part in parts):
            return False
        width += sum(len(str(part)) + 2 for part in parts)
    return width <= _FLOW_WIDTH


def node(value: Any) -> yaml.Node:
    """A YAML node for a JSON-like value (json bodies, expect/poll/retry), keeping the types."""
    if isinstance(value, str):
        return text_node(value)
    if isinstance(value, bool):
        return yaml.ScalarNode(BOOL, "true" if value else "false")
    if isinstance(value, int):
        return yaml.ScalarNode(INT, str(value))
    if isinstance(value, float):
        return yaml.ScalarNode(FLOAT, float_text(value))
    if value is None:
        return yaml.ScalarNode(NULL, "null")
    if isinstance(value, dict):
        pairs = [(str(k), v) for k, v in value.items()]
        return yaml.MappingNode(MAP, [(text_node(k, key=True), node(v)) for k, v in pairs], flow_style=flow(pairs))
    if isinstance(value, list | tuple):
        items = list(value)
        return yaml.SequenceNode(SEQ, [node(v) for v in items], flow_style=flow(items))
    raise TypeError(f"cannot write {type(value).__name__} to a YAML file")


def emit(value: yaml.Node, *, width: int = 4096, indent: int = 2) -> str:
    """YAML text for one node, in the writers' style, without the document end marker."""
    text: str = yaml.serialize(value, Dumper=Dumper, allow_unicode=True, width=width, indent=indent)
    if text.endswith("\n...\n"):
        text = text[: -len("...\n")]
    return text


def apply_edits(text: str, edits: list[Edit]) -> str:
    """`text` with every edit applied (they must not overlap)."""
    out = text
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        out = out[: edit.start] + edit.text + out[edit.end :]
    return out


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] with `text` (an insertion when start == end)."""

    start: int
    end: int
    text: str


class Unsupported(Exception):
    """The file's shape is not one this module edits by text; the caller uses the round-trip editor."""


def scalar_text(value: str, old: yaml.ScalarNode | None) -> str | None:
    """`value` as one-line YAML text in the style of `old` (None when it cannot be one line)."""
    if "\n" in value or "\r" in value:
        return None
    style = old.style if old is not None else None
    if style == "'" or style == '"':
        text = emit(yaml.ScalarNode(STR, value, style=style)).rstrip("\n")
    else:
        # Plain like before when the emitter allows it: `5` stays a number, `yes` stays unquoted (the loader
        # keeps a scalar's source text). Text that would read as null, or needs quotes, gets double quotes.
        tag = _resolver.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
        node = yaml.ScalarNode(STR if tag == NULL else tag, value, style=None)
        text = emit(node).rstrip("\n")
        if tag != NULL and text != value:
            text = emit(yaml.ScalarNode(STR, value, style=None)).rstrip("\n")
    return None if "\n" in text else text


class Lines:
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


def mapping_items(node: yaml.MappingNode) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
    """The (key, value) nodes of a mapping; merge keys and non-text keys are left to the round-trip editor."""
    items = []
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.value == "<<":
            raise Unsupported("merge key or complex key")
        items.append((key, value))
    return items


def uses_anchors(text: str) -> bool:
    """True when the document has an anchor or alias (one edit could then change several places)."""
    try:
        return any(
            isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None
            for event in yaml.parse(text, Loader=yaml.SafeLoader)
        )
    except yaml.YAMLError:
        return True


class Splicer:
    """Collects the edits that turn one mapping's text (a request, a profile) into the new one's."""

    def __init__(self, lines: Lines, indent: int = 2) -> None:
        self.lines = lines
        self.indent = indent
        self.edits: list[Edit] = []

    # --- whole keys ---------------------------------------------------------------------------

    def key_block(self, key: str, value: yaml.Node) -> str:
        """`key: value` as the writer writes it (a block of lines, unindented, nested by `self.indent`)."""
        return emit(yaml.MappingNode(MAP, [(yaml.ScalarNode(STR, key), value)], flow_style=False), indent=self.indent)

    def replace_key(self, key: yaml.ScalarNode, value: yaml.Node, new: yaml.Node) -> None:
        """Rewrite the lines of `key:` and its value with the new value.

        A one-line value that stays one line is replaced alone, so an end-of-line comment stays.
        """
        one_line = value.start_mark.line == value.end_mark.line and not (
            isinstance(value, yaml.MappingNode | yaml.SequenceNode) and not value.flow_style
        )
        if one_line and (not isinstance(value, yaml.ScalarNode) or value.style not in ("|", ">")):
            text = emit(new).rstrip("\n")
            if "\n" not in text and not text.startswith(("|", ">")):
                self.edits.append(Edit(value.start_mark.index, value.end_mark.index, text))
                return
        if key.start_mark.column != self._first_column(key):
            raise Unsupported("key shares its line with the sequence dash")
        last = self.lines.last_line(key, value)
        start = self.lines.line_start(key.start_mark.line)
        block = self.lines.indent_block(self.key_block(key.value, new), key.start_mark.column)
        self.edits.append(Edit(start, self.lines.after(last), block))

    def delete_key(self, key: yaml.ScalarNode, value: yaml.Node) -> None:
        if key.start_mark.column != self._first_column(key):
            raise Unsupported("key shares its line with the sequence dash")
        last = self.lines.last_line(key, value)
        self.edits.append(Edit(self.lines.line_start(key.start_mark.line), self.lines.after(last), ""))

    def insert_key(self, at_line: int, column: int, key: str, new: yaml.Node) -> None:
        """Insert `key: value` lines before line `at_line`."""
        block = self.lines.indent_block(self.key_block(key, new), column)
        offset = self.lines.line_start(at_line)
        self.edits.append(Edit(offset, offset, block))

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
            text = scalar_text(new_value, value)
            if text is not None:
                self.edits.append(Edit(value.start_mark.index, value.end_mark.index, text))
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
        items = mapping_items(value)
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
                text = scalar_text(new_name, row_key)
                if text is None or row_key.start_mark.line != row_key.end_mark.line:
                    raise Unsupported("multi-line row name")
                self.edits.append(Edit(row_key.start_mark.index, row_key.end_mark.index, text))
            if old[old_name] != new[new_name]:
                self._row_value(row_key, row_value, new[new_name], flow=bool(value.flow_style))
        if removed is not None:
            self._delete_row(value, items, removed)
        for name in new_names[len(old_names) :]:
            self._append_row(value, items, name, new[name])

    def _row_value(self, row_key: yaml.ScalarNode, row_value: yaml.Node, values: list[str], *, flow: bool) -> None:
        if len(values) == 1 and isinstance(row_value, yaml.ScalarNode) and row_value.style not in ("|", ">"):
            text = scalar_text(values[0], row_value)
            if text is not None and row_value.start_mark.line == row_value.end_mark.line:
                self.edits.append(Edit(row_value.start_mark.index, row_value.end_mark.index, text))
                return
        if flow:
            raise Unsupported("a list or multi-line value in a flow mapping")
        self.replace_key(row_key, row_value, row_node(values))

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
            raise Unsupported("removing the last row of a flow mapping")
        self.edits.append(Edit(start, end, ""))

    def _append_row(
        self, mapping: yaml.MappingNode, items: list[tuple[yaml.ScalarNode, yaml.Node]], name: str, values: list[str]
    ) -> None:
        if mapping.flow_style:
            close = mapping.end_mark.index - 1
            if self.lines.text[close] != "}" or len(values) != 1:
                raise Unsupported("appending to this flow mapping")
            key_text, value_text = scalar_text(name, None), scalar_text(values[0], None)
            if key_text is None or value_text is None:
                raise Unsupported("multi-line row")
            separator = ", " if items else ""
            # After the last value, so spaces before `}` stay where they were.
            at = items[-1][1].end_mark.index if items else close
            self.edits.append(Edit(at, at, f"{separator}{key_text}: {value_text}"))
            return
        if not items:
            raise Unsupported("empty block mapping")
        last_key, last_value = items[-1]
        column = last_key.start_mark.column
        if column != self._first_column(last_key):
            raise Unsupported("row on a dash line")
        block = self.lines.indent_block(self.key_block(name, row_node(values)), column)
        at = self.lines.after(self.lines.last_line(last_key, last_value))
        if at == len(self.lines.text) and not self.lines.text.endswith("\n"):
            block = self.lines.newline + block.rstrip("\r\n")
        self.edits.append(Edit(at, at, block))


def row_node(values: list[str]) -> yaml.Node:
    """One row's value: a string, or a list when the name repeats."""
    return node(values[0] if len(values) == 1 else values)
