"""Writing a collection as new YAML text in the DESIGN §2 style (`twibench.collection.writer` saves it).

`dump_collection` emits YAML through PyYAML's own emitter, so every string is quoted exactly when the safe
loader would otherwise read it as something else ("yes", "020", "+15005550006", "{{to}}"). Keys come in
the documented order and defaults are left out, so writing is stable whatever built the model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

from twibench.collection.model import Collection, Pairs, Request, slug
from twibench.collection.schema import REQUEST_KEYS

__all__ = ["dump_collection", "dump_request", "float_text", "group_pairs"]


_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
# A flow collection (`{Accept: application/json}`) is used only when it stays this short on one line.
_FLOW_WIDTH = 60
_WIDTH = 100


class _Dumper(yaml.SafeDumper):
    """The safe dumper in the DESIGN §2 style: lists indented under their key, double quotes when needed."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        """Indent block lists under their key (`requests:` then `  - name:`), as the docs write them."""
        super().increase_indent(flow, False)

    def choose_scalar_style(self) -> str:
        """Prefer "double" to 'single' quotes: the style of the docs, and able to hold any text."""
        style: str = super().choose_scalar_style()
        return '"' if style == "'" else style


# --------------------------------------------------------------------------------------------------
# Model → YAML nodes
# --------------------------------------------------------------------------------------------------


# Line breaks other than \n that YAML 1.1 folds into \n inside block and plain scalars.
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


def _text(value: str, *, key: bool = False) -> yaml.ScalarNode:
    """A string node; the emitter quotes it when a plain scalar would load as something else.

    Multi-line text is written as a literal block (`|`), which keeps \n exactly; text holding other
    line-break characters, and multi-line keys, are double-quoted so their escapes keep them.
    """
    if any(brk in value for brk in _OTHER_BREAKS) or (key and "\n" in value):
        return yaml.ScalarNode(_STR, value, style='"')
    return yaml.ScalarNode(_STR, value, style="|" if "\n" in value else None)


def float_text(value: float) -> str:
    """`repr` of a float in a form YAML 1.1 reads back as a float (it wants a '.' before any exponent)."""
    text = repr(value)
    if "e" in text and "." not in text:
        mantissa, _, exponent = text.partition("e")
        text = f"{mantissa}.0e{exponent}"
    return text


def _is_flat(value: object) -> bool:
    """True for a value that fits a short flow collection: scalars only, no line breaks."""
    return not isinstance(value, dict | list) and not (isinstance(value, str) and "\n" in value)


def _flow(items: list[tuple[str, Any]] | list[Any]) -> bool:
    """Whether a collection of these items reads best on one line (`{Accept: application/json}`)."""
    width = 0
    for item in items:
        parts = item if isinstance(item, tuple) else (item,)
        if not all(_is_flat(part) for part in parts):
            return False
        width += sum(len(str(part)) + 2 for part in parts)
    return width <= _FLOW_WIDTH


def _node(value: Any) -> yaml.Node:
    """A YAML node for a JSON-like value (json bodies, expect/poll/retry), keeping the types."""
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, bool):
        return yaml.ScalarNode(_BOOL, "true" if value else "false")
    if isinstance(value, int):
        return yaml.ScalarNode(_INT, str(value))
    if isinstance(value, float):
        return yaml.ScalarNode(_FLOAT, float_text(value))
    if value is None:
        return yaml.ScalarNode(_NULL, "null")
    if isinstance(value, dict):
        pairs = [(str(k), v) for k, v in value.items()]
        return yaml.MappingNode(_MAP, [(_text(k, key=True), _node(v)) for k, v in pairs], flow_style=_flow(pairs))
    if isinstance(value, list | tuple):
        items = list(value)
        return yaml.SequenceNode(_SEQ, [_node(v) for v in items], flow_style=_flow(items))
    raise TypeError(f"cannot write {type(value).__name__} to a collection file")


def group_pairs(pairs: Pairs) -> dict[str, list[str]]:
    """Repeated names gathered into lists, in order of first appearance (how a file writes them)."""
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    return grouped


def _pairs(pairs: Pairs, *, block: bool = False) -> yaml.MappingNode:
    """params/headers/form: one key per name, a list when the name repeats."""
    grouped = [(k, v[0] if len(v) == 1 else v) for k, v in group_pairs(pairs).items()]
    items = [(_text(k, key=True), _node(v)) for k, v in grouped]
    return yaml.MappingNode(_MAP, items, flow_style=not items or (not block and _flow(grouped)))


def _number(seconds: float) -> yaml.ScalarNode:
    """A duration in seconds, as an int when it is whole (`30`, not `30.0`)."""
    if seconds == int(seconds) and abs(seconds) < 1e15:
        return yaml.ScalarNode(_INT, str(int(seconds)))
    return yaml.ScalarNode(_FLOAT, float_text(seconds))


def _auth(request: Request) -> yaml.Node:
    if request.auth.mode == "none":
        return _text("none")
    secrets = yaml.SequenceNode(_SEQ, [_text(request.auth.user), _text(request.auth.secret)], flow_style=True)
    return yaml.MappingNode(_MAP, [(_text("basic"), secrets)], flow_style=True)


def _writes_id(request: Request) -> bool:
    return request.explicit_id or request.id != slug(request.name)


# Each request key: when it is written, and how. The order of REQUEST_KEYS is the order in the file.
_REQUEST_FIELDS: dict[str, tuple[Callable[[Request], bool], Callable[[Request], yaml.Node]]] = {
    "name": (lambda r: True, lambda r: _text(r.name)),
    "id": (_writes_id, lambda r: _text(r.id)),
    "description": (lambda r: bool(r.description), lambda r: _text(r.description or "")),
    "method": (lambda r: r.method.upper() != "GET", lambda r: _text(r.method.upper())),
    "url": (lambda r: True, lambda r: _text(r.url)),
    "params": (lambda r: bool(r.params), lambda r: _pairs(r.params)),
    "headers": (lambda r: bool(r.headers), lambda r: _pairs(r.headers)),
    "auth": (lambda r: r.auth.mode != "profile", _auth),
    "form": (lambda r: r.form is not None, lambda r: _pairs(r.form or [], block=True)),
    "json": (lambda r: r.json is not None, lambda r: _node(r.json)),
    "body": (lambda r: r.body is not None, lambda r: _text(r.body or "")),
    "timeout": (lambda r: r.timeout is not None, lambda r: _number(r.timeout or 0.0)),
    "follow_redirects": (lambda r: r.follow_redirects, lambda r: _node(True)),
    "capture": (lambda r: bool(r.capture), lambda r: _node(r.capture)),
    "capture_secret": (lambda r: bool(r.capture_secret), lambda r: _node(r.capture_secret)),
    "expect": (lambda r: r.expect is not None, lambda r: _node(r.expect.as_dict() if r.expect else {})),
    "poll": (lambda r: r.poll is not None, lambda r: _node(r.poll.as_dict() if r.poll else {})),
    "retry": (lambda r: r.retry is not None, lambda r: _node(r.retry.as_dict() if r.retry else {})),
    "paginate": (lambda r: r.paginate is not None, lambda r: _node(r.paginate.as_dict() if r.paginate else {})),
    "docs": (lambda r: bool(r.docs), lambda r: _text(r.docs or "")),
}
assert tuple(_REQUEST_FIELDS) == REQUEST_KEYS, "the writer and the loader must know the same request keys"


def _request_node(request: Request) -> yaml.MappingNode:
    items = [(_text(key), build(request)) for key, (written, build) in _REQUEST_FIELDS.items() if written(request)]
    return yaml.MappingNode(_MAP, items, flow_style=False)


def _collection_node(collection: Collection) -> yaml.MappingNode:
    items: list[tuple[yaml.Node, yaml.Node]] = [(_text("name"), _text(collection.name))]
    if collection.description:
        items.append((_text("description"), _text(collection.description)))
    if collection.docs:
        items.append((_text("docs"), _text(collection.docs)))
    if collection.sandbox_only:
        items.append((_text("sandbox_only"), _node(True)))
    if collection.variables:
        variables = [(_text(k), _text(v)) for k, v in collection.variables.items()]
        items.append((_text("variables"), yaml.MappingNode(_MAP, variables, flow_style=False)))
    requests = [_request_node(r) for r in collection.requests]
    items.append((_text("requests"), yaml.SequenceNode(_SEQ, requests, flow_style=not requests)))
    return yaml.MappingNode(_MAP, items, flow_style=False)


def _emit(node: yaml.Node) -> str:
    text: str = yaml.serialize(node, Dumper=_Dumper, allow_unicode=True, width=_WIDTH)
    return text


def dump_collection(collection: Collection) -> str:
    """The collection as YAML text in the DESIGN §2 style, which `load_collection` reads back equal.

    Keys come in a fixed order; defaults (GET, no auth, no redirects) are left out; an id is written only
    when it was written before or differs from the slug of the name; a name that repeats in
    params/headers/form becomes one key with a list, at the place of its first appearance.
    """
    return _emit(_collection_node(collection))


def dump_request(request: Request) -> str:
    """One request as a YAML mapping (the text `dump_collection` writes for it, unindented)."""
    return _emit(_request_node(request))
