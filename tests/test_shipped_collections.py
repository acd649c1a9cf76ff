"""The shipped collections load cleanly and match operations of Twilio's bundled OpenAPI spec."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from twibench.collection import Collection, Request, load_paths
from twibench.spec.index import PathItem, host_label, product

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = {
    "messages.yaml": ["send-sms", "send-mms", "list", "fetch", "redact", "delete"],
    "accounts.yaml": ["fetch", "list"],
    "api-keys.yaml": ["create", "list", "fetch", "delete"],
    "phone-numbers.yaml": ["list"],
    "calls.yaml": ["create-call", "fetch-call", "list-calls", "create-second-call", "cancel-call", "invalid-to"],
    "verify.yaml": ["create-service", "send-code", "read-code", "check-wrong", "check-right", "check-again"],
    "lookup.yaml": ["lookup", "lookup-national", "lookup-invalid"],
}
SANDBOX_ONLY_PATHS = ("/_sandbox/",)
"""The sandbox's own routes (reading a Verify code) are in no Twilio spec."""


def shipped() -> list[Collection]:
    result = load_paths([ROOT / "collections"])
    assert result.errors == [], [str(e) for e in result.errors]
    return result.collections


def spec_operation(request: Request) -> tuple[PathItem, dict[str, Any]]:
    """The operation of the bundled spec (any product) whose path matches the request's URL."""
    url = re.sub(r"\{\{\s*[a-z_]+\s*\}\}", "VAR", request.url.split("?")[0])
    parts = urlsplit(url)
    label = host_label(parts.hostname) if parts.scheme else "api"
    assert label is not None, f"{request.id}: {url} is not a Twilio host"
    path = unquote(parts.path if parts.scheme else url)
    found = product(label).match(path.removesuffix(".json") if label == "api" else path)
    assert found is not None, f"{request.id}: {url} matches no path of the {label} specs"
    item, _args = found
    operation = item.operations.get(request.method.lower())
    assert operation is not None, f"{request.id}: {request.method} not allowed on {item.template}"
    return item, operation


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
    (c.path.name, r)
    for c in load_paths([ROOT / "collections"]).collections
    if c.path.name != "status-codes-tour.yaml"  # the tour provokes errors on purpose, some on unknown paths
    for r in c.requests
    if not r.url.startswith(SANDBOX_ONLY_PATHS)
]


@pytest.mark.parametrize(("file", "request_"), REQUESTS, ids=[f"{f}#{r.id}" for f, r in REQUESTS])
def test_request_matches_the_spec(file: str, request_: Request) -> None:
    item, operation = spec_operation(request_)
    # Every {Param} of the path is filled by a variable, and {AccountSid} by {{account_sid}}.
    if "{AccountSid}" in item.template:
        assert "{{account_sid}}" in request_.url
    query = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
    for name, _ in request_.params:
        assert name in query, f"{file}#{request_.id}: query parameter {name} is not in {sorted(query)}"
    if request_.form is not None:
        schema = item.spec.resolve(operation["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"])
        fields = set(schema["properties"])
        for name, _ in request_.form:
            assert name in fields, f"{file}#{request_.id}: form field {name} is not a parameter"
        assert set(schema.get("required", [])) <= {name for name, _ in request_.form}


def test_mms_repeats_media_url() -> None:
    messages = next(c for c in shipped() if c.path.name == "messages.yaml")
    mms = messages.get("send-mms")
    assert mms is not None and mms.form is not None
    assert [k for k, _ in mms.form].count("MediaUrl") == 2
