"""The generic operations: create, fetch, update, delete and list any resource the specs describe.

A create is a POST on a list path; fetch/update/delete act on an instance path. Resources that the
API can create are stored and a missing one is 404; resources it cannot create (call recordings,
usage records, singletons such as a service's configuration) answer a generated resource whose values
come from the schema, and remember what an update set.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from twibench.sandbox.call import Call, Reply
from twibench.sandbox.errors import ApiError, not_found
from twibench.sandbox.generic import records, values
from twibench.sandbox.generic.envelope import api_envelope, meta_envelope, slice_page
from twibench.sandbox.generic.model import (
    PAGE_PARAMS,
    Operation,
    Resource,
    ancestors,
    operation,
    resource_of,
    sid_prefix,
)
from twibench.sandbox.generic.target import Target
from twibench.sandbox.paging import parse_page
from twibench.spec.index import API_PREFIX, product, snake

Transform = Callable[[dict[str, Any], Call], dict[str, Any]]

HANDWRITTEN_LISTS = frozenset(
    f"{API_PREFIX}/Accounts/{{AccountSid}}/{name}" for name in ("Messages", "Keys", "IncomingPhoneNumbers")
) | {f"{API_PREFIX}/Accounts"}
"""2010 collections served by hand-written modules: their members are not in the generic store."""

REQUIRED_CODES: dict[tuple[str, str], tuple[int, str]] = {
    (f"{API_PREFIX}/Accounts/{{AccountSid}}/Calls", "To"): (21201, "No 'To' number is specified"),
    (f"{API_PREFIX}/Accounts/{{AccountSid}}/Calls", "From"): (21213, "No 'From' number is specified"),
}
"""Where Twilio has its own code for a missing parameter (else 20001, "Missing required parameter X…")."""


def handle(target: Target, call: Call) -> Reply:
    """Run the generic implementation of the target's operation."""
    op = operation(target.item, call.method.lower())
    assert op is not None, "dispatch only routes methods the spec has"
    check_required(target, op, call)
    check_parents(target, call)
    resource = resource_of(target.item)
    if op.records_key and call.method == "GET":
        return list_records(target, call, op, resource)
    if target.item.path_type == "list":
        if call.method == "POST":
            return create(target, call, op, resource)
        if call.method == "DELETE":
            return Reply(status=204)
        return _reply(op, build(target, call, op, target.path, None))
    if call.method == "DELETE":
        return delete(target, call, resource)
    if call.method == "GET" and 200 <= op.status < 300:
        return Reply(payload=fetch(target, call, op, resource), element=_element(target), cacheable=True)
    if call.method == "GET":
        fetch(target, call, op, resource)
        return _reply(op, {})
    return _reply(op, update(target, call, op, resource))


def account_of(target: Target, call: Call) -> str:
    """The account owning the target: the URL's for the 2010 API, the caller's elsewhere."""
    return target.args.get("AccountSid", call.principal.account_sid) if target.is_api else call.principal.account_sid


def check_required(target: Target, op: Operation, call: Call) -> None:
    """Raise Twilio's error for the first required parameter missing."""
    for name in op.required():
        if name not in call.params:
            code, message = REQUIRED_CODES.get(
                (target.item.template, name), (20001, f"Missing required parameter {name} in the post body")
            )
            raise ApiError(400, code, message)


def check_parents(target: Target, call: Call) -> None:
    """404 when a parent the API can create (a Service, a Conversation) is not stored."""
    segments = target.path.split("/")
    account = account_of(target, call)
    for parent in ancestors(target.item, product(target.label)):
        resource = resource_of(parent)
        if not resource.creatable or resource.list_item is None or resource.list_item.template in HANDWRITTEN_LISTS:
            continue
        depth = parent.template.count("/") + 1
        own = "/".join(segments[:depth])
        list_path, _, ident = own.rpartition("/")
        if not records.exists(call.ctx.store.conn, target.store_path(list_path), account, ident):
            raise not_found(target.store_path(own))


def properties(target: Target, schema: dict[str, Any]) -> dict[str, Any]:
    """A schema's properties with `$ref`s resolved."""
    return {name: target.item.spec.resolve(prop) for name, prop in schema.get("properties", {}).items()}


def build(
    target: Target, call: Call, op: Operation, own: str, ident: str | None, schema: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A new resource at concrete path `own`: parameters, path arguments, dates, URL and defaults."""
    schema = op.schema if schema is None else schema
    props = properties(target, schema)
    resource = resource_of(target.item)
    id_prop = resource.id_property(schema) if ident is not None else None
    given = values.mapped(call.params, props, frozenset(target.args) | PAGE_PARAMS)
    args = {snake(name): value for name, value in target.args.items()}
    example = op.example if not op.records_key else {}
    now = call.now
    data: dict[str, Any] = {}
    for name, prop in props.items():
        if name == id_prop:
            value: Any = _checked_ident(target, ident, prop)
        elif name in given:
            value = given[name]
            if isinstance(value, dict) and prop.get("properties"):
                value = {
                    **values.default(name, {**prop, "nullable": False}, None, own, target.item.spec.resolve),
                    **value,
                }
        elif name in args and prop.get("type") == "string":
            value = _checked_arg(target, name, args[name], prop)
        elif name == "account_sid" and sid_prefix(prop) == "AC":
            value = account_of(target, call)
        elif name in ("date_created", "date_updated"):
            value = values.date_value(prop, now)
        elif name in ("url", "uri") and prop.get("type") == "string":
            value = target.url(own)
        elif prop.get("format") == "uri-map" or name in ("links", "subresource_uris"):
            value = _links(example.get(name), example.get("uri") or example.get("url"), target.url(own))
        else:
            value = values.default(name, prop, example.get(name), own, target.item.spec.resolve)
        data[name] = value
    return data


def _checked_ident(target: Target, ident: str | None, prop: dict[str, Any]) -> Any:
    """The ID from the path as its property's type; one the schema cannot hold names nothing (404)."""
    if ident is None or prop.get("type") not in ("string", "integer", "number"):
        return ident
    try:
        return values.coerce("Sid", [ident], prop)
    except ApiError:
        raise not_found(target.store_path(target.path)) from None


def _checked_arg(target: Target, name: str, value: str, prop: dict[str, Any]) -> Any:
    try:
        return values.coerce(name, [value], prop)
    except ApiError:
        raise not_found(target.store_path(target.path)) from None


def _links(example: Any, example_url: Any, own_url: str) -> dict[str, str]:
    """Link URLs shaped like the spec example's, under this resource's URL."""
    if not isinstance(example, dict) or not isinstance(example_url, str):
        return {}
    base, own = example_url.removesuffix(".json"), own_url.removesuffix(".json")
    return {
        key: own + link[len(base) :]
        for key, link in example.items()
        if isinstance(link, str) and link.startswith(base + "/")
    }


def _element(target: Target) -> str:
    last = next((s for s in reversed(target.item.template.split("/")) if s and not s.startswith("{")), "Resource")
    return last.rstrip("s") or "Resource"


def _reply(op: Operation, payload: dict[str, Any], status: int | None = None) -> Reply:
    if 300 <= op.status < 400:
        # An operation Twilio answers with a redirect (a payload or export download): point at a placeholder.
        return Reply(status=op.status, headers={"Location": "https://example.com/twibench-sandbox/download"})
    if op.status == 204 or not op.schema:
        return Reply(status=op.status)
    media = None if op.media_type == "application/json" else op.media_type
    return Reply(status=status or op.status, payload=payload, content_type=media)


def new_ident(target: Target, call: Call, resource: Resource, schema: dict[str, Any], conn: Any) -> str:
    """The ID of a new resource: a given `{Identity}`-like parameter, else a SID with the schema's prefix."""
    param = resource.id_param
    if param and param != "Sid" and call.params.get(param):
        return str(call.params.get(param))
    prefix = None
    instance_get = operation(resource.item, "get")
    for candidate in (schema, instance_get.schema if instance_get else {}):
        props = candidate.get("properties", {})
        id_prop = resource.id_property(candidate) or "sid"
        prefix = prefix or sid_prefix(target.item.spec.resolve(props.get(id_prop, {})))
    return call.ctx.sids.new(conn, prefix or "ZZ")


def create(target: Target, call: Call, op: Operation, resource: Resource, extra: dict[str, Any] | None = None) -> Reply:
    """POST on a list: store a new resource shaped by the response schema → 201 (or the spec's 2xx)."""
    account = account_of(target, call)
    with call.ctx.store.write() as conn:
        ident = new_ident(target, call, resource, op.schema, conn)
        data = build(target, call, op, f"{target.path}/{ident}", ident)
        data.update(extra or {})
        data["_id"] = ident
        records.insert(conn, target.store_path(target.path), account, ident, data)
    return _reply(op, records.public(data, op.properties))


def locate(target: Target, resource: Resource) -> tuple[str, str]:
    """(list path, ID) of the resource an instance path names; a singleton is stored under its own path."""
    if resource.id_param is None or resource.list_item is None:
        return target.path, ""
    list_path, _, ident = target.path.rpartition("/")
    return list_path, ident


def stored(target: Target, call: Call, resource: Resource) -> dict[str, Any] | None:
    """The stored resource an instance path names, or None."""
    list_path, ident = locate(target, resource)
    return records.load(call.ctx.store.conn, target.store_path(list_path), account_of(target, call), ident)


def fetch(
    target: Target, call: Call, op: Operation, resource: Resource, transform: Transform | None = None
) -> dict[str, Any]:
    """GET an instance: the stored resource, or a generated one for what the API never creates.

    Args:
        transform: a product's view of the stored data at read time (a call's status from the clock).
    """
    data = stored(target, call, resource)
    if data is None:
        if resource.creatable:
            raise not_found(target.store_path(target.path))
        _, ident = locate(target, resource)
        data = build(target, call, op, target.path, ident or None)
    elif transform is not None:
        data = transform(data, call)
    return complete(target, call, op, data)


def complete(target: Target, call: Call, op: Operation, data: dict[str, Any]) -> dict[str, Any]:
    """A stored resource rendered for `op` (what another operation's schema lacked, or left null where
    this one forbids null, gets this schema's value)."""
    props = properties(target, op.schema)
    missing = [n for n, p in props.items() if n not in data or (data[n] is None and not values.nullable(p))]
    if missing:
        filled = build(target, call, op, target.path, None)
        data = {**data, **{name: filled[name] for name in missing}}
    return records.public(data, props)


def update(target: Target, call: Call, op: Operation, resource: Resource) -> dict[str, Any]:
    """POST/PUT/PATCH on an instance: apply the parameters that name properties; `date_updated` moves."""
    list_path, ident = locate(target, resource)
    account = account_of(target, call)
    with call.ctx.store.write() as conn:
        data = records.load(conn, target.store_path(list_path), account, ident)
        if data is None:
            if resource.creatable:
                raise not_found(target.store_path(target.path))
            data = build(target, call, op, target.path, ident or None)
            data["_id"] = ident
            records.insert(conn, target.store_path(list_path), account, ident, data)
        props = properties(target, op.schema)
        data.update(values.mapped(call.params, props, frozenset(target.args) | PAGE_PARAMS))
        if "date_updated" in props:
            data["date_updated"] = values.date_value(props["date_updated"], call.now)
        records.save(conn, target.store_path(list_path), account, str(data.get("_id", ident)), data)
    return complete(target, call, op, data)


def delete(target: Target, call: Call, resource: Resource) -> Reply:
    """DELETE an instance → 204 (404 for a creatable resource that is not there); the few deletes the
    spec answers with a body return the resource as it was."""
    list_path, ident = locate(target, resource)
    op = operation(target.item, "delete")
    if op is not None and op.status != 204 and op.schema:
        last = fetch(target, call, op, resource)
        with call.ctx.store.write() as conn:
            records.delete(conn, target.store_path(list_path), account_of(target, call), ident)
        return _reply(op, last)
    with call.ctx.store.write() as conn:
        gone = records.delete(conn, target.store_path(list_path), account_of(target, call), ident)
    if not gone and resource.creatable:
        raise not_found(target.store_path(target.path))
    return Reply(status=204)


def list_records(
    target: Target, call: Call, op: Operation, resource: Resource, transform: Transform | None = None
) -> Reply:
    """GET a list: stored records, filtered by query parameters that name a property, one page."""
    request = parse_page(call.params)
    key = op.records_key
    assert key is not None
    record_schema = op.record_schema(target.item)
    props = properties(target, record_schema)
    declared = {p["name"] for p in op.query} - PAGE_PARAMS
    filters = [(n, v) for n in sorted(declared) if (v := call.params.get(n)) not in (None, "") and snake(n) in props]
    everything = records.rows(call.ctx.store.conn, target.store_path(target.path), account_of(target, call))
    if transform is not None:
        everything = [(seq, transform(data, call)) for seq, data in everything]
    matching = [(seq, data) for seq, data in everything if all(_same(data.get(snake(n)), v) for n, v in filters)]
    page, more = slice_page(matching, request)
    rendered = [_record(data, props, target) for _, data in page]
    envelope_props = properties(target, op.schema)
    if "meta" in envelope_props:
        body = meta_envelope(target.url(target.path), filters, request, key, page, rendered, more)
        meta_props = properties(target, envelope_props["meta"])
        body["meta"] = {
            n: body["meta"][n] if n in body["meta"] else values.default(n, p, None, "") for n, p in meta_props.items()
        }
    else:
        body = api_envelope(target.url(target.path), filters, request, key, page, rendered, more, envelope_props)
    for name, prop in envelope_props.items():
        if body.get(name) is None and not values.nullable(prop) and name != key:
            body[name] = values.default(name, prop, None, "", target.item.spec.resolve)
    media = None if op.media_type == "application/json" else op.media_type
    return Reply(payload=body, element=_element(target), records_key=key, content_type=media)


def _record(data: dict[str, Any], props: dict[str, Any], target: Target) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, prop in props.items():
        value = data.get(name)
        if value is None and (name not in data or not values.nullable(prop)):
            value = values.default(name, prop, None, "", target.item.spec.resolve)
        out[name] = value
    return out


def _same(value: Any, wanted: str) -> bool:
    if isinstance(value, bool):
        return str(value).lower() == wanted.lower()
    return value is not None and str(value) == wanted
