"""Docs from the bundled specs: finding a request's operation, its markdown, and form suggestions."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

import pytest

from twibench.spec import docs as spec_docs
from twibench.spec import index
from twibench.spec.openapi import OperationDoc, read_operations

MESSAGES = "/2010-04-01/Accounts/{{account_sid}}/Messages.json"


@pytest.mark.parametrize(
    ("method", "url", "operation"),
    [
        ("POST", MESSAGES, "CreateMessage"),
        ("get", MESSAGES + "?To=%2B1555&PageSize=20", "ListMessage"),
        ("GET", "/2010-04-01/Accounts/{{ account_sid }}/Messages/{{message_sid}}.json", "FetchMessage"),
        ("DELETE", "/2010-04-01/Accounts/AC123/Messages/SM0123.json", "DeleteMessage"),
        ("GET", "/2010-04-01/Accounts/{{account_sid}}/IncomingPhoneNumbers/Local.json", "ListIncomingPhoneNumberLocal"),
        ("GET", "/2010-04-01/Accounts/{{account_sid}}/IncomingPhoneNumbers/PN1.json", "FetchIncomingPhoneNumber"),
        ("GET", "https://api.twilio.com/2010-04-01/Accounts.json", "ListAccount"),
        ("GET", "https://api.dublin.ie1.twilio.com/2010-04-01/Accounts/{{account_sid}}.json", "FetchAccount"),
        ("POST", "https://messaging.twilio.com/v1/Services", "CreateService"),
        ("GET", "https://messaging.twilio.com/v1/Services/{{service_sid}}/PhoneNumbers/", "ListPhoneNumber"),
    ],
)
def test_requests_find_their_operation(method: str, url: str, operation: str) -> None:
    doc = spec_docs.find_operation(method, url)
    assert doc is not None and doc.operation_id == operation


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("PATCH", MESSAGES),
        ("GET", "/2010-04-01/Accounts/{{account_sid}}/Nothing.json"),
        ("GET", "https://example.com/2010-04-01/Accounts.json"),
        ("GET", "{{base}}/2010-04-01/Accounts.json"),
        ("GET", "https://messaging.twilio.com/v1/Nope"),
    ],
)
def test_other_requests_find_nothing(method: str, url: str) -> None:
    assert spec_docs.find_operation(method, url) is None


def test_create_message_markdown_lists_every_parameter() -> None:
    doc = spec_docs.find_operation("POST", MESSAGES)
    assert doc is not None
    text = spec_docs.operation_markdown(doc)
    assert text.startswith(
        "## Create message\n\n`POST https://api.twilio.com/2010-04-01/Accounts/{AccountSid}/Messages.json`"
    )
    assert "Send a message" in text
    assert "### Path parameters" in text and "### Form parameters" in text
    for param in doc.parameters:
        assert f"**`{param.name}`**" in text
    assert "- **`To`** (string, phone-number) — *required* — The recipient's phone number" in text
    assert "one of `retain`, `discard`" in text


def test_parameters_carry_location_type_enum_and_description() -> None:
    doc = spec_docs.find_operation("GET", MESSAGES)
    assert doc is not None
    by_name = {p.name: p for p in doc.parameters}
    assert by_name["AccountSid"].location == "path" and by_name["AccountSid"].required
    assert by_name["PageSize"].location == "query" and by_name["PageSize"].type == "integer"
    assert by_name["DateSent<"].format == "date-time" and not by_name["DateSent<"].required
    update = spec_docs.find_operation("POST", "/2010-04-01/Accounts/{{account_sid}}/Messages/{{message_sid}}.json")
    assert update is not None
    status = next(p for p in update.parameters if p.name == "Status")
    assert status.enum == ("canceled",) and status.location == "form"


def test_form_parameter_names_put_required_ones_first() -> None:
    doc = spec_docs.find_operation("POST", MESSAGES)
    assert doc is not None
    names = spec_docs.form_parameter_names(doc)
    assert names[0] == "To" and {"From", "Body", "MediaUrl", "MessagingServiceSid"} <= set(names)
    fetch = spec_docs.find_operation("GET", MESSAGES.replace(".json", "/{{sid}}.json"))
    assert fetch is not None and spec_docs.form_parameter_names(fetch) == []


def test_path_arguments_say_what_fills_each_parameter() -> None:
    url = "/2010-04-01/Accounts/{{account_sid}}/Messages/{{message_sid}}/Media/ME1.json"
    doc = spec_docs.find_operation("GET", url)
    assert doc is not None
    assert spec_docs.path_arguments(doc, url) == {
        "AccountSid": "{{account_sid}}",
        "MessageSid": "{{message_sid}}",
        "Sid": "ME1",
    }
    assert spec_docs.path_arguments(doc, "/somewhere/else") == {}


def test_the_specs_are_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    spec_docs.find_operation("GET", MESSAGES)  # warm the index

    def refuse(*args: Any) -> OperationDoc:
        raise AssertionError("the spec was parsed again")

    monkeypatch.setattr(spec_docs, "read_operations", refuse)
    monkeypatch.setattr(index, "load_spec", refuse)
    for _ in range(50):
        assert spec_docs.find_operation("POST", MESSAGES) is not None


@pytest.mark.parametrize(
    ("method", "url", "operation", "source"),
    [
        ("POST", "https://verify.twilio.com/v2/Services", "CreateService", "twilio_verify_v2.json"),
        ("POST", "https://verify.twilio.com/v2/Services/{{service_sid}}/Verifications", "CreateVerification", None),
        ("GET", "https://lookups.twilio.com/v2/PhoneNumbers/{{number}}", "FetchPhoneNumber", "twilio_lookups_v2.json"),
        ("GET", "https://flex-api.twilio.com/v1/Configuration", "FetchConfiguration", "twilio_flex_v1.json"),
        ("POST", "https://conversations.twilio.com/v1/Conversations", "CreateConversation", None),
        ("GET", "https://studio.twilio.com/v2/Flows", "ListFlow", "twilio_studio_v2.json"),
        ("GET", "https://messaging.twilio.com/v2/Channels/Senders", None, "twilio_messaging_v2.json"),
    ],
)
def test_every_product_is_documented(method: str, url: str, operation: str | None, source: str | None) -> None:
    doc = spec_docs.find_operation(method, url)
    assert doc is not None
    assert operation is None or doc.operation_id == operation
    assert source is None or doc.source == source
    assert spec_docs.operation_markdown(doc).startswith(f"## {doc.title}")


def test_each_bundled_operation_is_found_from_its_own_url() -> None:
    """All 55 specs: every operation's own URL (variables in its path parameters) finds an operation
    with the same method and path — the one, or an equally literal twin the spec declares twice."""
    missing: list[str] = []
    for label in index.PRODUCTS:
        for spec in index.product(label).specs:
            for doc in read_operations(spec.doc, source=spec.name):
                url = doc.server + re.sub(r"\{([^{}/]+)\}", r"{{\1}}", doc.path)
                found = spec_docs.find_operation(doc.method, url)
                if found is None or (found.method, found.path) != (doc.method, doc.path):
                    missing.append(f"{doc.method} {url}")
    assert not missing, missing[:5]


def test_a_product_is_read_only_when_one_of_its_requests_is_looked_up() -> None:
    probe = """
import sys
from twibench.spec import docs, index
docs.find_operation("GET", "https://video.twilio.com/v1/Rooms")
print(sorted(index._product.cache_info()._asdict().items()), "verify" in docs._indexes, "video" in docs._indexes)
"""
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60).stdout
    assert "('currsize', 1)" in out and out.strip().endswith("False True")


def test_is_loaded_says_no_while_another_thread_is_still_importing_the_docs_module(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib.machinery
    import sys
    import types

    from twibench.spec import reference

    half = types.ModuleType("twibench.spec.docs")  # as sys.modules holds it mid-import: no functions yet
    half.__spec__ = importlib.machinery.ModuleSpec("twibench.spec.docs", None)
    half.__spec__._initializing = True  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "twibench.spec.docs", half)
    assert reference.is_loaded("https://verify.twilio.com/v2/Services") is False
