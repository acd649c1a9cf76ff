"""Imported operations as a runnable workflow: create, capture the id, fetch, update, list, children, delete.

An imported file should run top to bottom with `twibench run`, like the shipped collections: each
resource is created before anything reads it, its new id is captured into the variable its instance
path uses (`{{service_sid}}`), the resources nested under it come next, and it is deleted last. Every
path variable also gets a default in the collection's `variables:` — a well-formed sample id of the
right prefix — so resources the API cannot create (recordings, SIMs, usage records) can still be
fetched, and the run never stops on an unknown variable.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from twibench.spec.openapi import OperationDoc, ParameterDoc, snake_case

_PARAM = re.compile(r"\{([^{}/]+)\}")
_SID_PATTERN = re.compile(r"^\^\(?([A-Z]{2})(?:\|[A-Z]{2})*\)?\[0-9a-fA-F\]\{32\}\$$")
"""`^VA[0-9a-fA-F]{32}$`, or a choice of prefixes (`^(SM|MM)[0-9a-fA-F]{32}$`: the first is taken)."""
_STEP = {("POST", "list"): 0, ("GET", "instance"): 1, ("POST", "instance"): 2, ("GET", "list"): 3}
_DELETE = 9
"""Deletes come after the resource's children (see `order`)."""


def _stem(path: str) -> str:
    return path.removesuffix(".json")


def _kind(path: str) -> str:
    """`instance` when the path ends in a parameter (`/Services/{Sid}`), else `list`."""
    return "instance" if _stem(path).endswith("}") else "list"


def resource_of(path: str) -> str:
    """The list path a path belongs to: `/v2/Services/{Sid}` → `/v2/Services`."""
    stem = _stem(path)
    return stem.rsplit("/", 1)[0] if _kind(path) == "instance" else stem


def order(docs: Iterable[OperationDoc]) -> list[OperationDoc]:
    """The operations in workflow order: parents before children, each resource's steps in turn.

    For each resource (a list path and its instance path): create, fetch, update, list, then every
    resource nested under it, then delete. Operations on paths that are neither (actions, singletons)
    sit with the resource whose list path is the longest prefix of theirs.
    """
    by_resource: dict[str, list[OperationDoc]] = {}
    for doc in docs:
        by_resource.setdefault(resource_of(doc.path), []).append(doc)
    resources = sorted(by_resource, key=lambda r: (r.count("/"), r))

    def parent(resource: str) -> str | None:
        candidates = [r for r in resources if r != resource and resource.startswith(r + "/")]
        return max(candidates, key=len) if candidates else None

    children: dict[str | None, list[str]] = {}
    for resource in resources:
        children.setdefault(parent(resource), []).append(resource)
    with_instances = {resource_of(d.path) for d in by_resource_docs(by_resource) if _kind(d.path) == "instance"}
    for siblings in children.values():  # real resources before actions on them (Verifications, then a check)
        siblings.sort(key=lambda r: (r not in with_instances, r.count("/"), r))
    out: list[OperationDoc] = []

    def visit(resource: str) -> None:
        steps = sorted(by_resource[resource], key=_step_key)
        out.extend(d for d in steps if _step_key(d)[0] < _DELETE)
        for child in children.get(resource, []):
            visit(child)
        out.extend(d for d in steps if _step_key(d)[0] >= _DELETE)

    for root in children.get(None, []):
        visit(root)
    return out


def by_resource_docs(by_resource: dict[str, list[OperationDoc]]) -> list[OperationDoc]:
    """Every operation of a grouping, flat."""
    return [doc for docs in by_resource.values() for doc in docs]


def _step_key(doc: OperationDoc) -> tuple[int, str]:
    if doc.method == "DELETE":
        return (_DELETE, doc.path)
    return (_STEP.get((doc.method, _kind(doc.path)), 5), doc.path)


def creates(doc: OperationDoc, instance_paths: set[str]) -> bool:
    """True for a create: a POST on a list path whose instance path exists."""
    return (
        doc.method == "POST"
        and _kind(doc.path) == "list"
        and any(p.rsplit("/", 1)[0] == _stem(doc.path) for p in instance_paths)
    )


def capture(doc: OperationDoc, docs: Iterable[OperationDoc], names: Callable[[str], dict[str, str]]) -> dict[str, str]:
    """`{variable: JSONPath}` that captures a create's new id into the variable its instance path uses."""
    stem = _stem(doc.path)
    for other in docs:
        other_stem = _stem(other.path)
        if _kind(other.path) == "instance" and other_stem.rsplit("/", 1)[0] == stem:
            param = _PARAM.findall(other_stem.rsplit("/", 1)[1])[0]
            variable = names(other.path)[param]
            field = "sid" if param == "Sid" else snake_case(param)  # Participants/{CallSid} → $.call_sid
            return {variable: f"$.{field}"}
    return {}


_SID_VALUE = re.compile(r"^[A-Z]{2}[0-9a-f]{32}$")


def is_sid(value: str) -> bool:
    """True for a value shaped like a Twilio SID (`PA` + 32 hex digits)."""
    return bool(_SID_VALUE.match(value))


def sample_id(param: ParameterDoc | None, variable: str) -> str:
    """A default for a path variable: a SID of the pattern's prefix, else a plain sample."""
    if param is not None and param.pattern:
        found = _SID_PATTERN.match(param.pattern)
        if found:
            return found.group(1) + "0" * 31 + "1"
    return "sample-" + variable.removesuffix("_sid").replace("_", "-")


def id_prefixes(document: Mapping[str, Any]) -> dict[str, str]:
    """Instance path → the two-letter SID prefix of the resource it answers (from its `sid` pattern).

    Path parameters rarely carry a pattern, but the resource's own `sid` property does
    (`^PA[0-9a-fA-F]{32}$`): a default id of that shape names a resource the API (or the sandbox) can
    answer for, even one nobody created.
    """
    schemas = document.get("components", {}).get("schemas", {})
    out: dict[str, str] = {}
    for path, item in document.get("paths", {}).items():
        if not isinstance(item, Mapping) or not _stem(path).endswith("}") or "get" not in item:
            continue
        content: dict[str, Any] = item["get"].get("responses", {}).get("200", {}).get("content", {})
        first: dict[str, Any] = next(iter(content.values()), {}) if content else {}
        schema: Any = first.get("schema", {})
        ref = schema.get("$ref", "") if isinstance(schema, Mapping) else ""
        resolved = schemas.get(ref.rsplit("/", 1)[-1], {}) if ref else schema
        pattern = resolved.get("properties", {}).get("sid", {}).get("pattern", "")
        found = _SID_PATTERN.match(pattern) if isinstance(pattern, str) else None
        if found:
            out[_stem(path)] = found.group(1)
    return out


def defaults(
    docs: Iterable[OperationDoc], names: Callable[[str], dict[str, str]], prefixes: Mapping[str, str] | None = None
) -> dict[str, str]:
    """A default value for every path variable of the collection (`account_sid` comes from the profile)."""
    out: dict[str, str] = {}
    for doc in docs:
        params = {p.name: p for p in doc.parameters if p.location == "path"}
        stem = _stem(doc.path)
        for param, variable in names(doc.path).items():
            if variable == "account_sid" or variable in out:
                continue
            prefix = (prefixes or {}).get(stem) if stem.endswith("{" + param + "}") else None
            out[variable] = prefix + "0" * 31 + "1" if prefix else sample_id(params.get(param), variable)
    return out


ONE_OF = {
    "CreateMessage": [("From", "+15005550006"), ("Body", "Hello from twibench")],
    "CreateCall": [("Twiml", "<Response><Say>Hello from twibench</Say></Response>")],
    "CreateVerification": [("Channel", "sms")],
    "CreateVerificationCheck": [("To", "+15005550006"), ("Code", "123456")],
}
"""Values Twilio needs that the specs cannot say: a message needs `From` (or a Messaging Service) and
`Body` (or media); a call needs `Url`, `Twiml` or an application; a verification's `Channel` is a free
string in the spec but one of sms, call, email…; a check needs the number and a code."""


def one_of(doc: OperationDoc) -> list[tuple[str, str]]:
    """The values a request needs to succeed that the spec cannot express (see ONE_OF)."""
    return list(ONE_OF.get(doc.operation_id or "", []))
