"""Sample parameter values that satisfy an operation's declared types (for tests, figures and examples).

`sample_value` picks a plain value a parameter's schema accepts: the first enum value, a SID with the
pattern's prefix, an E.164 number, an https URL, a date. It knows nothing about any product's rules.
"""

from __future__ import annotations

import re
from typing import Any

from twibench.spec.index import Spec

_SID = re.compile(r"^\^([A-Z]{2})\[0-9a-fA-F\]\{32\}\$$")
PHONE = "+15005550006"


def sample_sid(prefix: str, n: int = 0) -> str:
    """A well-formed SID (`VA` + 32 hex digits)."""
    return prefix + f"{n:032x}"


def sample_value(name: str, schema: dict[str, Any]) -> Any:
    """A value `schema` accepts for parameter `name` (a list for array parameters)."""
    value = _sample(name, schema)
    if isinstance(value, str) and isinstance(schema.get("maxLength"), int):
        return value[: schema["maxLength"]]
    return value


def _sample(name: str, schema: dict[str, Any]) -> Any:
    kind = schema.get("type")
    if kind == "array":
        return [sample_value(name, schema.get("items", {}))]
    if schema.get("enum"):
        return schema["enum"][0]
    found = _SID.match(str(schema.get("pattern", "")))
    if found:
        return sample_sid(found.group(1), 1)
    fmt = str(schema.get("format", ""))
    if kind == "boolean":
        return "false"
    if kind in ("integer", "number"):
        return str(max(1, int(schema.get("minimum", 1))))
    if fmt == "phone-number" or name in ("To", "From", "PhoneNumber"):
        return PHONE
    if fmt == "uri" or name.endswith(("Url", "Uri", "URL")):
        return "https://example.com/hook"
    if fmt == "date-time":
        return "2025-01-01T00:00:00Z"
    if fmt == "date":
        return "2025-01-01"
    if fmt == "iso-country-code" or "country" in name.lower():
        return "US"
    if fmt == "email" or "Email" in name:
        return "user@example.com"
    if name == "Twiml":
        return "<Response><Say>Hi</Say></Response>"
    if kind == "object":
        return "{}"
    return "sample"


def required_params(spec: Spec, operation: dict[str, Any]) -> dict[str, Any]:
    """Values for every required body and query parameter of `operation`."""
    out: dict[str, Any] = {}
    for param in operation.get("parameters", []):
        if param.get("in") == "query" and param.get("required"):
            out[param["name"]] = sample_value(param["name"], spec.resolve(param.get("schema")))
    content = operation.get("requestBody", {}).get("content", {})
    if content:
        schema = spec.resolve(next(iter(content.values())).get("schema"))
        props = schema.get("properties", {})
        for name in schema.get("required", []):
            out[name] = sample_value(name, spec.resolve(props.get(name, {})))
    return out
