"""Property values from a schema: defaults for what nobody set, and request parameters coerced to type.

A request parameter maps onto the property of the same name in snake_case (`FriendlyName` →
`friendly_name`); its text is converted to the property's type (`true` → true, `5` → 5). Everything
else gets the plainest value the schema allows: null when nullable, the first enum value, 0, false, "".
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable
from typing import Any

from twibench.sandbox.call import Params
from twibench.sandbox.clock import rfc2822
from twibench.sandbox.errors import ApiError
from twibench.sandbox.generic.model import sid_prefix
from twibench.spec.index import snake

PHONE = "+15005550006"
Resolver = Callable[[dict[str, Any]], dict[str, Any]]
_E164 = re.compile(r"^\+[1-9]\d{1,14}$")


def fake_sid(prefix: str, *seed: object) -> str:
    """A stable SID for something the sandbox never created (a generated resource, a foreign key)."""
    digest = hashlib.sha256("/".join(str(s) for s in ("twibench-generic", prefix, *seed)).encode()).hexdigest()
    return prefix + digest[:32]


def date_value(schema: dict[str, Any], epoch: float) -> str | None:
    """`epoch` in the property's date format (RFC 2822 for the 2010 API, ISO 8601 elsewhere)."""
    fmt = schema.get("format")
    if fmt == "date-time-rfc-2822":
        return rfc2822(epoch)
    if fmt == "date":
        return time.strftime("%Y-%m-%d", time.gmtime(int(epoch)))
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(epoch)))


def default(name: str, schema: dict[str, Any], example: Any, seed: str, resolve: Resolver | None = None) -> Any:
    """The value of a property nobody set: null when nullable, else the plainest value the schema allows
    (an object gets every one of its properties, as Twilio's responses carry them all)."""
    resolve = resolve or _same
    schema = resolve(schema)
    enum = schema.get("enum")
    if enum:
        return example if example in enum else enum[0]
    prefix = sid_prefix(schema)
    if nullable(schema):
        return None
    if prefix is not None:
        return fake_sid(prefix, seed, name)
    for combinator in ("oneOf", "anyOf", "allOf"):
        if schema.get(combinator):
            return default(name, schema[combinator][0], example, seed, resolve)
    kind = schema.get("type")
    if kind == "boolean":
        return False
    if kind in ("integer", "number"):
        value = schema.get("default", schema.get("minimum", 0))
        return value if isinstance(value, int | float) and not isinstance(value, bool) else 0
    if kind == "array":
        return [default(name, schema.get("items", {}), None, seed, resolve)] * int(schema.get("minItems", 0))
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {key: default(key, prop, None, seed, resolve) for key, prop in props.items()}
    fmt = str(schema.get("format", ""))
    if fmt == "phone-number":
        return PHONE
    if fmt == "email":
        return "user@example.com"
    if fmt.startswith("date"):
        return date_value(schema, 0)
    return "x" * int(schema.get("minLength", 0))


def nullable(schema: dict[str, Any]) -> bool:
    """Whether null is a valid value (a nullable enum without null among its values is not)."""
    return bool(schema.get("nullable")) and not schema.get("enum")


def _same(schema: dict[str, Any]) -> dict[str, Any]:
    return schema


def coerce(param: str, raw: list[str], schema: dict[str, Any]) -> Any:
    """A request parameter's text as the property's type.

    Raises:
        ApiError: 400 when the text is not of that type or not one of the enum's values.
    """
    kind = schema.get("type")
    if kind == "array":
        item = schema.get("items", {})
        return [coerce(param, [value], item) for value in raw]
    text = raw[-1] if raw else ""
    if kind == "boolean":
        if text.lower() not in ("true", "false"):
            raise _invalid(param, text)
        return text.lower() == "true"
    if kind == "integer":
        try:
            return int(text)
        except ValueError:
            raise _invalid(param, text) from None
    if kind == "number":
        try:
            return float(text)
        except ValueError:
            raise _invalid(param, text) from None
    if kind == "object" or "properties" in schema:
        try:
            value = json.loads(text)
        except ValueError:
            return {"value": text}
        return value if isinstance(value, dict) else {"value": value}
    enum = schema.get("enum")
    if enum and text not in enum:
        raise _invalid(param, text, f"; expected one of {', '.join(map(str, enum))}")
    if schema.get("format") == "phone-number" and not _E164.match(text):
        raise _invalid(param, text, "; expected an E.164 phone number")
    pattern = schema.get("pattern")
    if isinstance(pattern, str) and not re.search(pattern, text):
        raise _invalid(param, text, f"; expected {pattern}")
    return text


def _invalid(param: str, text: str, hint: str = "") -> ApiError:
    return ApiError(400, 20001, f"Invalid parameter {param}: '{text[:40]}'{hint}")


def mapped(params: Params, properties: dict[str, Any], skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Parameters that name a property (PascalCase → snake_case), coerced to its type.

    Args:
        params: the request's parameters.
        properties: the response schema's properties, `$ref`s resolved.
        skip: parameter names handled elsewhere (path arguments, paging).
    """
    out: dict[str, Any] = {}
    for name in dict.fromkeys(key for key, _ in params.pairs):
        if name in skip or "." in name:
            continue
        prop = snake(name)
        schema = properties.get(prop)
        if schema is None or str(schema.get("format", "")).startswith("date"):
            continue
        if schema.get("type") == "array" and schema.get("items", {}).get("type") not in _PRIMITIVE:
            continue
        out[prop] = coerce(name, params.getall(name), schema)
    return out


_PRIMITIVE = ("string", "integer", "number", "boolean")
