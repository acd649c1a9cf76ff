"""Reading an OpenAPI 3.0/3.1 document into one `OperationDoc` per operation.

Both the OpenAPI importer (which writes requests) and `twibench.spec.docs` (which shows an operation's
documentation beside a request) need the same facts: method, path, server, summary, and every parameter
with its type, enum values and description. This module extracts them once, resolving local `$ref`s, so
neither of them walks raw JSON.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from twibench.errors import TwibenchError

HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
_MAX_REF_DEPTH = 50
MAX_NESTING = 100
MAX_DOCUMENT_BYTES = 64 * 2**20
"""A compressed file may expand to anything; Twilio's largest spec is 1.9 MB."""
"""Twilio's own documents nest at most 22 levels; deeper input is refused with one sentence."""
_PARAM = re.compile(r"\{([^{}/]+)\}")


class SpecError(TwibenchError):
    """The document is not a usable OpenAPI 3.x document; the message names the file and the problem."""


@dataclass(frozen=True)
class ParameterDoc:
    """One parameter of an operation, as its documentation shows it."""

    name: str
    location: str
    """Where it goes: path, query, header, form (urlencoded or multipart body) or json (JSON body)."""
    required: bool = False
    type: str = "string"
    """The JSON Schema type; `array` for list parameters (their item type is in `items`)."""
    format: str | None = None
    items: str | None = None
    enum: tuple[str, ...] = ()
    description: str = ""
    pattern: str | None = None
    example: Any = None
    """An example or default value from the spec (None when it gives neither)."""
    minimum: float | None = None

    @property
    def type_label(self) -> str:
        """`string`, `string, phone-number`, `array of string`: the type as a reader wants it."""
        label = f"array of {self.items or 'string'}" if self.type == "array" else self.type
        return f"{label}, {self.format}" if self.format else label


@dataclass(frozen=True)
class OperationDoc:
    """One operation (method + path) of an OpenAPI document."""

    method: str
    path: str
    """The path template as the spec writes it: /2010-04-01/Accounts/{AccountSid}/Messages.json."""
    server: str
    """The base URL the path is joined to (https://api.twilio.com), or "" when the spec names none."""
    operation_id: str | None = None
    summary: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    parameters: tuple[ParameterDoc, ...] = ()
    body_type: str | None = None
    """The request body's media type (application/x-www-form-urlencoded, application/json), if any."""
    source: str = ""
    """The document the operation comes from (its title or file name), for messages."""
    resource_description: str = ""
    """The path item's description: what the resource is ("A Message resource represents …")."""
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        """A short name: the operationId in words ("CreateMessage" → "Create message")."""
        if self.operation_id:
            return humanize(self.operation_id)
        return f"{self.method} {self.path}"

    @property
    def path_params(self) -> list[str]:
        """The `{Name}` parameters of the path template, in order."""
        return _PARAM.findall(self.path)


def humanize(identifier: str) -> str:
    """`CreateIncomingPhoneNumberLocal` → `Create incoming phone number local`; `list_messages` too."""
    words = split_words(identifier)
    if not words:
        return identifier
    text = " ".join(w if (w.isupper() and len(w) > 1) else w.lower() for w in words)
    return text[0].upper() + text[1:]


def split_words(identifier: str) -> list[str]:
    """Split camelCase, PascalCase, snake_case and kebab-case into words (`A2PProfile` → A2P, Profile)."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", identifier)
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", spaced)
    return [w for w in re.split(r"[\s_\-./]+", spaced) if w]


def snake_case(identifier: str) -> str:
    """`MessagingServiceSid` → `messaging_service_sid`; `A2PProfileBundleSid` → `a2p_profile_bundle_sid`."""
    return "_".join(w.lower() for w in split_words(identifier))


# --------------------------------------------------------------------------------------------------
# Loading a document
# --------------------------------------------------------------------------------------------------


def load_document(path: Path) -> dict[str, Any]:
    """Read an OpenAPI document from a JSON or YAML file, gzip-compressed when its name ends in `.gz`
    (as the bundled specs are).

    Raises:
        SpecError: the file cannot be read or parsed, or is not an OpenAPI 3.x document.
    """
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as handle:
                text = handle.read(MAX_DOCUMENT_BYTES + 1).decode("utf-8")
            if len(text) > MAX_DOCUMENT_BYTES:
                raise SpecError(f"{path}: the document is larger than {MAX_DOCUMENT_BYTES // 2**20} MB uncompressed")
        else:
            text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, EOFError, zlib.error) as exc:
        raise SpecError(f"{path}: cannot read the file: {getattr(exc, 'strerror', None) or exc}") from None
    return parse_document(text, path)


def parse_document(text: str, path: Path) -> dict[str, Any]:
    """Parse JSON (or YAML, a superset) text and check it is an OpenAPI 3.x document."""
    data: Any
    too_deep = SpecError(f"{path}: the document nests more than {MAX_NESTING} levels deep; API descriptions never do")
    try:
        data = json.loads(text)
    except RecursionError:
        raise too_deep from None
    except ValueError as json_error:
        import yaml

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        try:
            data = yaml.load(text, Loader=loader)  # noqa: S506 (a safe loader)
        except RecursionError:
            raise too_deep from None
        except yaml.YAMLError as exc:
            if "nesting depth" in str(getattr(exc, "problem", "")):  # libyaml's own limit
                raise too_deep from None
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}: " if mark is not None else ""
            problem = getattr(exc, "problem", None) or str(exc)
            hint = f" (as JSON: {json_error})" if text.lstrip().startswith(("{", "[")) else ""
            raise SpecError(f"{path}: not valid JSON or YAML: {where}{problem}{hint}") from None
    if nesting(data) > MAX_NESTING:  # the readers below recurse: refuse before they could overflow the stack
        raise too_deep
    if not isinstance(data, dict):
        raise SpecError(f"{path}: expected an OpenAPI document (a mapping with openapi: and paths:)")
    version = data.get("openapi")
    if version is None:
        if "swagger" in data:
            raise SpecError(f"{path}: Swagger {data['swagger']} documents are not supported; convert it to OpenAPI 3")
        raise SpecError(f"{path}: no 'openapi' version field; expected an OpenAPI 3.0 or 3.1 document")
    if not str(version).startswith("3."):
        raise SpecError(f"{path}: OpenAPI version {version} is not supported; expected 3.0 or 3.1")
    if not isinstance(data.get("paths"), dict):
        raise SpecError(f"{path}: 'paths' is missing or not a mapping of path → operations")
    return data


def nesting(data: Any) -> int:
    """How many mappings and lists deep `data` goes (counted without recursion, so any depth is safe)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            if deepest > MAX_NESTING:
                return deepest
            stack.extend((child, depth + 1) for child in (value.values() if isinstance(value, dict) else value))
    return deepest


# --------------------------------------------------------------------------------------------------
# Operations
# --------------------------------------------------------------------------------------------------


class _Resolver:
    """Follows local `$ref`s (`#/components/...`) of one document."""

    def __init__(self, document: Mapping[str, Any], source: str) -> None:
        self.document = document
        self.source = source

    def resolve(self, value: Any) -> Any:
        """`value` with any chain of `$ref` followed; an unresolvable ref is a SpecError."""
        seen = 0
        while isinstance(value, Mapping) and isinstance(value.get("$ref"), str):
            ref = value["$ref"]
            seen += 1
            if seen > _MAX_REF_DEPTH:
                raise SpecError(f"{self.source}: $ref {ref!r} loops")
            value = self._pointer(ref)
        return value

    def _pointer(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            raise SpecError(f"{self.source}: $ref {ref!r} points outside the document, which is not supported")
        node: Any = self.document
        for raw in ref[2:].split("/"):
            key = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, Mapping) and key in node:
                node = node[key]
            elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            else:
                raise SpecError(f"{self.source}: $ref {ref!r} points to nothing")
        return node

    def schema(self, value: Any, depth: int = 0) -> dict[str, Any]:
        """A schema with refs resolved and the first branch of allOf/oneOf/anyOf merged in.

        Branches are followed at most _MAX_REF_DEPTH deep, so a schema that includes itself through
        `$ref` (legal in OpenAPI) ends instead of recursing forever.
        """
        schema = self.resolve(value)
        if not isinstance(schema, Mapping):
            return {}
        merged = dict(schema)
        for key in ("allOf", "oneOf", "anyOf"):
            branches = schema.get(key)
            if isinstance(branches, list) and branches and depth < _MAX_REF_DEPTH:
                for extra_key, extra in self.schema(branches[0], depth + 1).items():
                    merged.setdefault(extra_key, extra)
        return merged


def mapping_of(value: Any) -> Mapping[str, Any]:
    """`value` when it is a mapping, else an empty one (documents are user input: any node may be wrong)."""
    return value if isinstance(value, Mapping) else {}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _type_of(schema: Mapping[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):  # OpenAPI 3.1: ["string", "null"]
        kind = next((k for k in kind if k != "null"), None)
    if isinstance(kind, str):
        return kind
    if "enum" in schema:
        return "string"
    if "properties" in schema:
        return "object"
    return "string"


def _example(raw: Mapping[str, Any], schema: Mapping[str, Any]) -> Any:
    """The first example the spec gives for a parameter or property, else its default."""
    for source in (raw, schema):
        if "example" in source:
            return source["example"]
        examples = source.get("examples")
        if isinstance(examples, Mapping):
            for example in examples.values():
                if isinstance(example, Mapping) and "value" in example:
                    return example["value"]
        elif isinstance(examples, list) and examples:
            return examples[0]
    return schema.get("default")


def _parameter(resolver: _Resolver, name: str, location: str, raw: Mapping[str, Any], required: bool) -> ParameterDoc:
    schema = resolver.schema(raw.get("schema", raw))
    items = resolver.schema(schema.get("items")) if "items" in schema else {}
    enum_source = schema.get("enum") or items.get("enum") or ()
    minimum = schema.get("minimum")
    return ParameterDoc(
        name=name,
        location=location,
        required=required,
        type=_type_of(schema),
        format=schema.get("format") if isinstance(schema.get("format"), str) else None,
        items=_type_of(items) if items else None,
        enum=tuple(str(v).lower() if isinstance(v, bool) else str(v) for v in enum_source if v is not None),
        description=_text(raw.get("description")) or _text(schema.get("description")),
        pattern=schema.get("pattern") if isinstance(schema.get("pattern"), str) else None,
        example=_example(raw, schema),
        minimum=float(minimum) if isinstance(minimum, int | float) and not isinstance(minimum, bool) else None,
    )


_BODY_LOCATIONS = {
    "application/x-www-form-urlencoded": "form",
    "multipart/form-data": "form",
    "application/json": "json",
}


def _body(resolver: _Resolver, operation: Mapping[str, Any]) -> tuple[str | None, list[ParameterDoc]]:
    body = resolver.resolve(operation.get("requestBody"))
    if not isinstance(body, Mapping) or not isinstance(body.get("content"), Mapping):
        return None, []
    content: Mapping[str, Any] = body["content"]
    media_type = next((t for t in _BODY_LOCATIONS if t in content), next(iter(content), None))
    if media_type is None:
        return None, []
    location = _BODY_LOCATIONS.get(media_type, "body")
    media = mapping_of(content[media_type])
    schema = resolver.schema(media.get("schema"))
    required = set(schema.get("required") or ()) if isinstance(schema.get("required"), list) else set()
    properties = schema.get("properties")
    params: list[ParameterDoc] = []
    if isinstance(properties, Mapping):
        for name, prop in properties.items():
            raw = resolver.schema(prop)
            params.append(_parameter(resolver, str(name), location, {"schema": raw, **raw}, str(name) in required))
    return media_type, params


def _server(resolver: _Resolver, *sources: Any) -> str:
    for source in sources:
        servers = source.get("servers") if isinstance(source, Mapping) else None
        if isinstance(servers, list) and servers and isinstance(servers[0], Mapping):
            server = servers[0]
            url = str(server.get("url") or "")
            variables = mapping_of(server.get("variables"))
            for name, spec in variables.items():
                default = spec.get("default") if isinstance(spec, Mapping) else None
                if default is not None:
                    url = url.replace("{" + str(name) + "}", str(default))
            return url.rstrip("/")
    return ""


def read_operations(document: Mapping[str, Any], source: str = "the spec") -> list[OperationDoc]:
    """Every operation of a checked document (see `parse_document`), in document order.

    Raises:
        SpecError: a `$ref` points nowhere or outside the document, or a path item is malformed.
    """
    resolver = _Resolver(document, source)
    operations: list[OperationDoc] = []
    for path, raw_item in document["paths"].items():
        item = resolver.resolve(raw_item)
        if not isinstance(item, Mapping):
            raise SpecError(f"{source}: path {path!r} is not a mapping of method → operation")
        shared = [resolver.resolve(p) for p in item.get("parameters") or () if isinstance(p, Mapping)]
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            if not isinstance(operation, Mapping):
                raise SpecError(f"{source}: {method.upper()} {path} is not an operation object")
            operations.append(_operation(resolver, document, str(path), method, item, operation, shared))
    return operations


def _operation(
    resolver: _Resolver,
    document: Mapping[str, Any],
    path: str,
    method: str,
    item: Mapping[str, Any],
    operation: Mapping[str, Any],
    shared: list[Any],
) -> OperationDoc:
    declared: dict[tuple[str, str], Mapping[str, Any]] = {}
    for raw in [*shared, *(resolver.resolve(p) for p in operation.get("parameters") or ())]:
        if isinstance(raw, Mapping) and isinstance(raw.get("name"), str) and isinstance(raw.get("in"), str):
            declared[(raw["in"], raw["name"])] = raw
    params = [
        _parameter(resolver, name, location, raw, bool(raw.get("required")) or location == "path")
        for (location, name), raw in declared.items()
        if location != "cookie"
    ]
    for name in _PARAM.findall(path):  # a path parameter the spec forgot to declare
        if ("path", name) not in declared:
            params.append(ParameterDoc(name=name, location="path", required=True))
    order = {"path": 0, "query": 1, "header": 2}
    params.sort(key=lambda p: order.get(p.location, 3))
    body_type, body_params = _body(resolver, operation)
    tags = tuple(str(t) for t in operation.get("tags") or () if isinstance(t, str))
    extra = {k: v for k, v in item.items() if k.startswith("x-")}
    return OperationDoc(
        method=method.upper(),
        path=path,
        server=_server(resolver, operation, item, document),
        operation_id=operation.get("operationId") if isinstance(operation.get("operationId"), str) else None,
        summary=_text(operation.get("summary")),
        description=_text(operation.get("description")) or _text(item.get("description")),
        tags=tags,
        parameters=tuple(params + body_params),
        body_type=body_type,
        source=resolver.source,
        resource_description=_text(item.get("description")),
        extra=extra,
    )
