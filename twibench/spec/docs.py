"""Documentation for a request, looked up in the bundled Twilio OpenAPI specs (every product).

The TUI's Docs tab shows, beside the request being edited, what Twilio's spec says about it: summary,
description and every parameter; key completion, the curl reader and the exporters ask the same question.
`find_operation` matches a request's method and URL template (`/2010-04-01/Accounts/{{account_sid}}/
Messages.json`, or an absolute URL on any product host such as verify.twilio.com) against the operations
of that product's specs only. A product's specs are read (through `spec.index`, which the sandbox shares)
and indexed the first time one of its requests is looked up; later lookups are a short scan of
precompiled patterns. No product costs anything until it is asked for.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

from twibench.spec import index
from twibench.spec.openapi import OperationDoc, ParameterDoc, read_operations

__all__ = [
    "OperationDoc",
    "ParameterDoc",
    "find_operation",
    "form_parameter_names",
    "is_indexed",
    "operation_markdown",
    "parameter_markdown",
    "path_arguments",
    "product_of",
]

_TEMPLATE_VAR = re.compile(r"\{\{\s*[A-Za-z_][A-Za-z0-9_.\-]*\s*\}\}")
_SPEC_PARAM = re.compile(r"\{[^{}/]+\}")
# A value for a path parameter: one path segment's worth, or a {{variable}}.
_SEGMENT_VALUE = r"(?:\{\{[^{}]*\}\}|[^/{}?#])+?"


@dataclass(frozen=True)
class _Entry:
    pattern: re.Pattern[str]
    literal_length: int
    doc: OperationDoc


def _pattern(path: str, *, named: bool = False) -> re.Pattern[str]:
    """A regex for a spec path: literal text, and a segment's worth of text per `{Param}` (group pN)."""
    pieces: list[str] = []
    last = 0
    for index_, match in enumerate(_SPEC_PARAM.finditer(path)):
        pieces.append(re.escape(path[last : match.start()]))
        pieces.append(f"(?P<p{index_}>{_SEGMENT_VALUE})" if named else _SEGMENT_VALUE)
        last = match.end()
    pieces.append(re.escape(path[last:]))
    return re.compile("".join(pieces))


_lock = threading.Lock()
_indexes: dict[str, dict[str, list[_Entry]]] = {}


def _build(label: str) -> dict[str, list[_Entry]]:
    """METHOD → candidate operations of one product, most literal (least templated) first."""
    by_method: dict[str, list[_Entry]] = {}
    for spec in index.product(label).specs:
        for doc in read_operations(spec.doc, source=f"{spec.name}.json"):
            literal = len(_SPEC_PARAM.sub("", doc.path))
            by_method.setdefault(doc.method, []).append(_Entry(_pattern(doc.path), literal, doc))
    for entries in by_method.values():
        entries.sort(key=lambda e: -e.literal_length)
    return by_method


def _product_index(label: str) -> dict[str, list[_Entry]]:
    """The index of one product, built on first use; one thread builds it while the others wait."""
    found = _indexes.get(label)
    if found is not None:
        return found
    with _lock:
        if label not in _indexes:
            _indexes[label] = _build(label)
        return _indexes[label]


def is_indexed(url_template: str) -> bool:
    """True when a lookup for this URL needs no reading (its product is indexed, or it has none)."""
    label = product_of(url_template)
    return label is None or label in _indexes


def product_of(url_template: str) -> str | None:
    """The host label of the product a request URL calls (`api` for a path), or None for another host."""
    split = _split_url(url_template)
    return split[0] if split is not None else None


def _split_url(url_template: str) -> tuple[str, str] | None:
    """(Twilio product, path template) of a request URL; None for a URL on another host."""
    url = url_template.strip()
    # Variables may hold anything (`?`, `/`): find the URL's parts with them masked, same length.
    masked = _TEMPLATE_VAR.sub(lambda m: "x" * len(m.group(0)), url)
    if url.startswith(("http://", "https://")):
        parts = urlsplit(masked)
        product = index.host_label(parts.hostname)
        if product is None:
            return None
        start = len(parts.scheme) + 3 + len(parts.netloc)
        path = url[start : start + len(parts.path)]
    elif url.startswith("/"):
        product = index.API_LABEL
        path = url[: len(re.split(r"[?#]", masked, maxsplit=1)[0])]
    else:
        return None
    return product, path.rstrip("/") if len(path) > 1 else path


def find_operation(method: str, url_template: str) -> OperationDoc | None:
    """The bundled-spec operation a request calls, or None.

    Args:
        method: the HTTP method (any case).
        url_template: the request's URL as the collection writes it: a path joined to the API host
            (`/2010-04-01/Accounts/{{account_sid}}/Messages/{{message_sid}}.json`), or an absolute URL on a
            Twilio product host (`https://verify.twilio.com/v2/Services`, region/edge hosts included). A
            `{{variable}}` or a literal value matches a `{Param}` of the spec. Other hosts match nothing.
    """
    split = _split_url(url_template)
    if split is None:
        return None
    product, path = split
    for entry in _product_index(product).get(method.strip().upper(), ()):
        if entry.pattern.fullmatch(path):
            return entry.doc
    return None


def path_arguments(doc: OperationDoc, url_template: str) -> dict[str, str]:
    """What the request's URL puts in each `{Param}` of the operation's path (`{"Sid": "{{message_sid}}"}`).

    Returns an empty mapping when the URL does not match the operation.
    """
    split = _split_url(url_template)
    names = doc.path_params
    if split is None or not names:
        return {}
    match = _pattern(doc.path, named=True).fullmatch(split[1])
    if match is None:
        return {}
    return {name: match.group(f"p{i}") for i, name in enumerate(names)}


def form_parameter_names(doc: OperationDoc) -> list[str]:
    """The names of the operation's form (body) parameters, required ones first, for add-row suggestions."""
    form = [p for p in doc.parameters if p.location == "form"]
    return [p.name for p in sorted(form, key=lambda p: not p.required)]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def parameter_markdown(param: ParameterDoc) -> str:
    """One markdown list item: name, type, enum values, required, description."""
    bits = [f"- **`{param.name}`** ({param.type_label})"]
    if param.required:
        bits.append(" — *required*")
    if param.enum:
        bits.append(" — one of " + ", ".join(f"`{value}`" for value in param.enum))
    if param.description:
        bits.append(" — " + _one_line(param.description))
    return "".join(bits)


_SECTIONS = (
    ("path", "Path parameters"),
    ("query", "Query parameters"),
    ("header", "Header parameters"),
    ("form", "Form parameters"),
    ("json", "JSON body fields"),
    ("body", "Body fields"),
)


def operation_markdown(doc: OperationDoc) -> str:
    """The Docs tab's text for an operation: title, method and URL, summary, description, parameters."""
    lines = [f"## {doc.title}", "", f"`{doc.method} {doc.server}{doc.path}`", ""]
    if doc.summary:
        lines += [doc.summary, ""]
    if doc.description and _one_line(doc.description) != _one_line(doc.summary):
        lines += [doc.description, ""]
    for location, heading in _SECTIONS:
        params = [p for p in doc.parameters if p.location == location]
        if not params:
            continue
        lines += [f"### {heading}", ""]
        lines += [parameter_markdown(p) for p in sorted(params, key=lambda p: not p.required)]
        lines.append("")
    if not doc.parameters:
        lines += ["This operation takes no parameters.", ""]
    lines.append(f"*From Twilio's OpenAPI spec `{doc.source}`.*")
    return "\n".join(lines)
