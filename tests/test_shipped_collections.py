"""The shipped collections load cleanly and match operations of Twilio's bundled OpenAPI spec."""

from __future__ import annotations

import gzip
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from twibench.collection import Collection, Request, load_paths

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "twibench" / "data" / "twilio-oai" / "twilio_api_v2010.json.gz"
EXPECTED = {
    "messages.yaml": ["send-sms", "send-mms", "list", "fetch", "redact", "delete"],
    "accounts.yaml": ["fetch", "list"],
    "api-keys.yaml": ["create", "list", "fetch", "delete"],
    "phone-numbers.yaml": ["list"],
}


@cache
def spec() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(gzip.decompress(SPEC.read_bytes()))
    return data


def shipped() -> list[Collection]:
    result = load_paths([ROOT / "collections"])
    assert result.errors == [], [str(e) for e in result.errors]
    return result.collections


def spec_operation(request: Request) -> tuple[str, dict[str, Any]]:
    """Find the spec path whose template matches the request URL (a {param} where a {{var}} stands)."""
    url = request.url.split("?")[0]
    for template, item in spec()["paths"].items():
        pattern = re.sub(r"\\\{[A-Za-z]+\\\}", r"\\{\\{\\s*[a-z_]+\\s*\\}\\}", re.escape(template))
        if re.fullmatch(pattern, url):
            operation = item.get(request.method.lower())
            assert operation is not None, f"{request.id}: {request.method} not allowed on {template}"
            return template, operation
    raise AssertionError(f"{request.id}: {url} matches no path of the 2010 spec")


def test_every_file_has_its_requests_with_docs() -> None:
    by_file = {c.path.name: c for c in shipped()}
    for name, ids in EXPECTED.items():
        collection = by_file[name]
        present = [r.id for r in collection.requests if r.id in ids]
        assert present == ids, f"{name}: expected the requests {ids} in this order, got {present}"
        for request in collection.requests:
            assert request.explicit_id and request.description and request.docs, request.id
            assert request.docs.startswith("https://www.twilio.com/docs/")
    assert "status-codes-tour.yaml" in by_file and by_file["status-codes-tour.yaml"].sandbox_only


REQUESTS = [
    (c.path.name, r) for c in load_paths([ROOT / "collections"]).collections if not c.sandbox_only for r in c.requests
]


@pytest.mark.parametrize(("file", "request_"), REQUESTS, ids=[f"{f}#{r.id}" for f, r in REQUESTS])
def test_request_matches_the_spec(file: str, request_: Request) -> None:
    template, operation = spec_operation(request_)
    # Every {Param} of the path is filled by a variable, and {AccountSid} by {{account_sid}}.
    if "{AccountSid}" in template:
        assert "{{account_sid}}" in request_.url
    query = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
    for name, _ in request_.params:
        assert name in query, f"{file}#{request_.id}: query parameter {name} is not in {sorted(query)}"
    if request_.form is not None:
        schema = operation["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
        fields = set(schema["properties"])
        for name, _ in request_.form:
            assert name in fields, f"{file}#{request_.id}: form field {name} is not a parameter"
        assert set(schema.get("required", [])) <= {name for name, _ in request_.form}


def test_mms_repeats_media_url() -> None:
    messages = next(c for c in shipped() if c.path.name == "messages.yaml")
    mms = messages.get("send-mms")
    assert mms is not None and mms.form is not None
    assert [k for k, _ in mms.form].count("MediaUrl") == 2
