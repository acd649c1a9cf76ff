"""Docs from the bundled specs: finding a request's operation, its markdown, and form suggestions."""

from __future__ import annotations

from typing import Any

import pytest

from twibench.spec import docs as spec_docs
from twibench.spec.openapi import OperationDoc

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

    monkeypatch.setattr(spec_docs, "load_document", refuse)
    for _ in range(50):
        assert spec_docs.find_operation("POST", MESSAGES) is not None
    assert spec_docs._index.cache_info().hits >= 50
