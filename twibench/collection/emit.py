"""Writing a collection as new YAML text in the DESIGN §2 style (`twibench.collection.writer` saves it).

`dump_collection` emits YAML through PyYAML's own emitter, so every string is quoted exactly when the safe
loader would otherwise read it as something else ("yes", "020", "+15005550006", "{{to}}"). Keys come in
the documented order and defaults are left out, so writing is stable whatever built the model.
"""

from __future__ import annotations

from collections.abc import Callable

import yaml

from twibench.collection.model import Collection, Pairs, Request, slug
from twibench.collection.schema import REQUEST_KEYS
from twibench.yamlsplice import FLOAT as _FLOAT
from twibench.yamlsplice import INT as _INT
from twibench.yamlsplice import MAP as _MAP
from twibench.yamlsplice import SEQ as _SEQ
from twibench.yamlsplice import Dumper as _Dumper
from twibench.yamlsplice import float_text as float_text
from twibench.yamlsplice import flow as _flow
from twibench.yamlsplice import node as _node
from twibench.yamlsplice import text_node as _text

__all__ = ["dump_collection", "dump_request", "float_text", "group_pairs"]


_WIDTH = 100


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
