"""What the spec says about one resource path: its response schema, ID, list, records key, parents.

Derived once per path item and cached (a product's specs are loaded on its first request).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from twibench.spec.index import PathItem, Product, product, snake

ID_PATTERN = re.compile(r"^\^?([A-Za-z_]*)(?:\[(?:0-9a-fA-F|0-9a-f|a-zA-Z0-9|a-fA-F0-9)\]\{32\}|\.\+)\$?$")
PAGE_PARAMS = frozenset({"PageSize", "Page", "PageToken"})


def sid_prefix(schema: dict[str, Any]) -> str | None:
    """The literal prefix of an ID pattern that 32 hex digits complete: `VA` for `^VA[0-9a-fA-F]{32}$`,
    `aia_asst_` for `^aia_asst_.+$`; None for any other pattern."""
    found = ID_PATTERN.match(str(schema.get("pattern", "")))
    return found.group(1) if found and found.group(1) else None


@dataclass(frozen=True)
class Operation:
    """One method of a path item: its success status, response schema and declared parameters."""

    method: str
    status: int
    schema: dict[str, Any]
    """The resolved 2xx response schema ({} when the answer has no body)."""
    query: tuple[dict[str, Any], ...]
    body_schema: dict[str, Any]
    body_type: str | None
    example: dict[str, Any]
    media_type: str = "application/json"
    """The response's content type (`application/scim+json` for a few IAM operations)."""

    @property
    def properties(self) -> dict[str, Any]:
        """The response schema's properties."""
        props: dict[str, Any] = self.schema.get("properties", {})
        return props

    @property
    def records_key(self) -> str | None:
        """For a list answer (one with a paging envelope), the one array property holding the records."""
        if not {"meta", "page", "next_page_uri"} & set(self.properties):
            return None
        for name, prop in self.properties.items():
            items = prop.get("items", {})
            if name != "meta" and prop.get("type") == "array" and ("$ref" in items or "oneOf" in items):
                return name
        return None

    def record_schema(self, item: PathItem) -> dict[str, Any]:
        """The schema of one record of a list answer."""
        key = self.records_key
        assert key is not None
        return _alternative(item, item.spec.resolve(self.properties[key]["items"]))

    def required(self) -> list[str]:
        """Required body parameters, then required query parameters, in spec order."""
        names = [str(n) for n in self.body_schema.get("required", [])]
        names += [str(p["name"]) for p in self.query if p.get("required")]
        return names

    def body_properties(self) -> dict[str, Any]:
        """The request body's parameters (name → schema)."""
        props: dict[str, Any] = self.body_schema.get("properties", {})
        return props


def _alternative(item: PathItem, schema: dict[str, Any]) -> dict[str, Any]:
    """A `oneOf`/`anyOf` schema's first alternative (the sandbox answers in one documented shape)."""
    for combinator in ("oneOf", "anyOf"):
        if combinator in schema and "properties" not in schema:
            return item.spec.resolve(schema[combinator][0])
    return schema


def operation(item: PathItem, method: str) -> Operation | None:
    """The operation `method` (lower case) of `item`, or None when the spec has none."""
    return _operations(item).get(method)


@functools.cache
def _operations(item: PathItem) -> dict[str, Operation]:
    result: dict[str, Operation] = {}
    for method, raw in item.operations.items():
        responses = raw.get("responses", {})
        codes = sorted(int(c) for c in responses if str(c).isdigit() and 200 <= int(c) < 300) or [200]
        if not any(200 <= int(c) < 300 for c in responses if str(c).isdigit()):
            codes = sorted(int(c) for c in responses if str(c).isdigit()) or [200]
        contents = responses.get(str(codes[0]), {}).get("content", {})
        media = "application/json" if "application/json" in contents else next(iter(contents), "application/json")
        content = contents.get(media, {})
        schema = _alternative(item, item.spec.resolve(content.get("schema")))
        examples: dict[str, Any] = content.get("examples") or {}
        first: dict[str, Any] = next(iter(examples.values()), {})
        example = first.get("value", {})
        query = tuple(p for p in raw.get("parameters", []) if p.get("in") == "query")
        body_content = raw.get("requestBody", {}).get("content", {})
        body_type = next(iter(body_content), None)
        body_schema = item.spec.resolve(body_content[body_type].get("schema")) if body_type else {}
        result[method] = Operation(
            method,
            codes[0],
            schema,
            query,
            body_schema,
            body_type,
            example if isinstance(example, dict) else {},
            media,
        )
    return result


@dataclass(frozen=True)
class Resource:
    """How the sandbox stores the instances of a path: under their list, by their ID."""

    item: PathItem
    """The instance path item."""
    list_item: PathItem | None
    """The list it belongs to (None for singletons such as `/Services/{Sid}/Configuration`)."""
    id_param: str | None
    """The last path parameter (`Sid`, `Identity`), None for a singleton."""

    @property
    def creatable(self) -> bool:
        """Instances come from a POST on the list: a missing one is 404 (otherwise it is generated)."""
        return self.list_item is not None and "post" in self.list_item.operations

    def id_property(self, schema: dict[str, Any]) -> str | None:
        """The property holding the ID (`sid`, `identity`)."""
        if self.id_param is None:
            return None
        name = snake(self.id_param)
        props = schema.get("properties", {})
        if name in props:
            return name
        return "sid" if "sid" in props else None


def resource_of(item: PathItem) -> Resource:
    """The resource an instance path serves, or that a list path holds (its instance path)."""
    return _resource(item)


@functools.cache
def _resource(item: PathItem) -> Resource:
    prod = product(item.spec.label)
    if item.path_type == "list":
        for candidate in prod.items():
            if candidate.path_type == "instance" and _parent_template(candidate.template) == item.template:
                return Resource(candidate, item, candidate.params[-1])
        return Resource(item, item, None)
    parent = _parent_template(item.template)
    if parent is not None and parent in prod.by_template:
        return Resource(item, prod.by_template[parent], item.params[-1])
    return Resource(item, None, None)


def _parent_template(template: str) -> str | None:
    head, _, last = template.rpartition("/")
    return head if last.startswith("{") and last.endswith("}") and head else None


def ancestors(item: PathItem, prod: Product) -> list[PathItem]:
    """Instance path items whose template is a prefix of `item`'s (parameter names may differ:
    `/Conversations/{ConversationSid}/Participants` is under `/Conversations/{Sid}`)."""
    shapes = _shapes(prod)
    found: list[PathItem] = []
    parts = _PARAM.sub("{}", item.template).split("/")
    for end in range(2, len(parts)):
        prefix = "/".join(parts[:end])
        candidate = shapes.get(prefix)
        if candidate is not None and prefix.endswith("{}") and candidate.path_type == "instance":
            found.append(candidate)
    return found


_PARAM = re.compile(r"\{[^{}/]+\}")


@functools.cache
def _shapes(prod: Product) -> dict[str, PathItem]:
    shapes: dict[str, PathItem] = {}
    for candidate in prod.items():
        shapes.setdefault(_PARAM.sub("{}", candidate.template), candidate)
    return shapes
