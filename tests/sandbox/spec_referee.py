"""Twilio's bundled OpenAPI specs as the referee for spec-driven answers (every product, not just 2010).

`validate(response)` checks a 2xx JSON answer of the sandbox against the operation Twilio documents
for it: the sandbox path is turned back into Twilio's URL (`/verify/v2/…` → verify.twilio.com/v2/…),
then openapi-core validates the body, with every documented property required.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

import httpx

from twibench.spec.index import PRODUCTS, product, split_sandbox_path

_RFC2822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
    r"\d{2}:\d{2}:\d{2} \+0000$"
)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
_E164 = re.compile(r"^\+[1-9]\d{1,14}$")


def _uri(value: object) -> bool:
    return not isinstance(value, str) or value == "" or value.startswith(("/2010-04-01/", "https://"))


def _uri_map(value: object) -> bool:
    return not isinstance(value, dict) or all(isinstance(v, str) and _uri(v) for v in value.values())


def _formats() -> dict[str, Any]:
    return {
        "uri": _uri,
        "uri-map": _uri_map,
        "date-time-rfc-2822": lambda v: not isinstance(v, str) or bool(_RFC2822.match(v)),
        "date-time": lambda v: not isinstance(v, str) or bool(_ISO.match(v)),
        "phone-number": lambda v: not isinstance(v, str) or bool(_E164.match(v)),
    }


@functools.cache
def _openapi(spec_name: str) -> Any:
    from openapi_core import OpenAPI
    from openapi_core.configurations import Config

    label = next(label for label, names in PRODUCTS.items() if spec_name in names)
    spec = next(s for s in product(label).specs if s.name == spec_name)
    config = Config(
        spec_validator_cls=None,
        response_properties_default_policy="required",
        extra_format_validators=_formats(),
        extra_media_type_deserializers={"application/scim+json": json.loads},
    )
    return OpenAPI.from_dict(spec.doc, config=config)


def operation_of(method: str, sandbox_path: str) -> tuple[str, str, str] | None:
    """(spec name, spec path template, method) of a sandbox request path."""
    found = split_sandbox_path(sandbox_path)
    if found is None:
        return None
    label, rest = found
    stem = rest.removesuffix(".json") if label == "api" else rest
    match = product(label).match(stem)
    if match is None:
        return None
    item, _ = match
    raw_template = item.template + (".json" if label == "api" else "")
    return item.spec.name, raw_template, method.upper()


validated: set[tuple[str, str, str]] = set()
"""(spec, template, METHOD) of every operation whose answer was validated this session."""


def validate(response: httpx.Response) -> None:
    """Validate a 2xx answer against its spec operation (raises on any mismatch)."""
    from openapi_core.testing import MockRequest, MockResponse

    request = response.request
    if not 200 <= response.status_code < 300 or request.method == "HEAD":
        return
    response.read()
    path = request.url.path
    found = operation_of(request.method, path)
    assert found is not None, f"{path} is not a path of a bundled spec"
    spec_name, template, method = found
    label, rest = split_sandbox_path(path) or ("", "")
    host = f"https://{label}.twilio.com"
    content_type = response.headers.get("content-type", "").split(";")[0] or "application/json"
    mock_request = MockRequest(host, method.lower(), rest, args=dict(request.url.params))
    mock_response = MockResponse(response.content, status_code=response.status_code, content_type=content_type)
    _openapi(spec_name).validate_response(mock_request, mock_response)
    validated.add((spec_name, template, method))
