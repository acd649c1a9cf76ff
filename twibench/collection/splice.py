"""Saving one request by editing the file's text: only the lines of the keys the user changed move.

The text editing itself (node positions, styles kept, rows edited one by one) is `twibench.yamlsplice`,
shared with the profiles file; this module knows which request keys changed and where a missing one goes.

`splice_request` returns None when the file uses something it does not edit by text (anchors and merge
keys, a request written as a flow mapping, a key on the `- ` line that must go): the caller then falls back
to the round-trip editor. Every result is checked by the caller to load back as intended.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import yaml

from twibench.collection.model import Request, slug
from twibench.yamlsplice import Lines as _Text
from twibench.yamlsplice import Splicer as _Splicer
from twibench.yamlsplice import Unsupported as _Unsupported
from twibench.yamlsplice import apply_edits, emit, mapping_items, uses_anchors

__all__ = ["splice_request"]

_PAIR_KEYS = ("params", "headers", "form")
_SCALAR_KEYS = ("name", "id", "description", "method", "url", "body", "docs")


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
    if uses_anchors(text):
        return None
    lines = _Text(text)
    splicer = _Splicer(lines)
    builders = _builders()
    try:
        present = {k.value: (k, v) for k, v in mapping_items(item)}
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
    return apply_edits(text, splicer.edits)


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
    if not isinstance(root, yaml.MappingNode) or uses_anchors(text):
        return None
    requests = next((v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "requests"), None)
    if not isinstance(requests, yaml.SequenceNode) or requests.flow_style or not requests.value:
        return None
    lines = _Text(text)
    items = requests.value
    dash = items[0].start_mark.column - 2
    if dash < 0 or lines.line(items[0].start_mark.line)[dash] != "-":
        return None
    block = lines.indent_block(emit(yaml.SequenceNode("tag:yaml.org,2002:seq", [_request_node(request)])), dash)
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
