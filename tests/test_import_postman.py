"""Importing Postman v2.1 collections: every upstream example, layout, auth, disabled rows, bodies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from twibench import cli
from twibench.collection import Collection, load_paths
from twibench.importers.postman import PostmanError, import_postman

EXAMPLES = Path(__file__).resolve().parent / "fixtures" / "postman" / "examples-v2.1.0"
SECRET = "hunter2-very-secret"


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.name)
def test_every_example_imports_and_loads(example: Path, tmp_path: Path) -> None:
    result = import_postman(example, tmp_path)
    loaded = load_paths([tmp_path])
    assert loaded.errors == []
    assert result.requests == sum(len(c.requests) for c in loaded.collections) > 0
    assert sorted(result.files) == sorted(c.path for c in loaded.collections)


def collections_of(folder: Path) -> dict[str, Collection]:
    loaded = load_paths([folder])
    assert loaded.errors == []
    return {str(c.path.relative_to(folder)): c for c in loaded.collections}


def test_the_complete_request_example(tmp_path: Path) -> None:
    import_postman(EXAMPLES / "request.json", tmp_path)
    (collection,) = collections_of(tmp_path).values()
    (request,) = collection.requests
    assert request.url == "https://postman-echo.com/alpha/{{beta}}/{{gamma}}"
    assert collection.variables == {"gamma": "radiation"}
    assert request.params == [("foo", "bar")]
    assert request.form is not None and ("user_id", "U1") in request.form
    assert request.auth.mode == "none"


def test_form_data_files_are_dropped_with_a_warning(tmp_path: Path) -> None:
    result = import_postman(EXAMPLES / "formdata-body.json", tmp_path)
    (collection,) = collections_of(tmp_path).values()
    assert collection.requests[0].form == [("not_a_file", "")]
    assert any("file parts of form-data bodies were dropped" in w for w in result.warnings)


def test_graphql_bodies_become_json(tmp_path: Path) -> None:
    import_postman(EXAMPLES / "reqBodyGraphQL.json", tmp_path)
    (collection,) = collections_of(tmp_path).values()
    assert collection.requests[0].json == {"query": "query Test { hello }", "variables": {"foo": "bar"}}


TWILIO_STYLE: dict[str, Any] = {
    "info": {"name": "Twilio SMS", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
    "auth": {
        "type": "basic",
        "basic": [{"key": "username", "value": "AC0123"}, {"key": "password", "value": SECRET}],
    },
    "variable": [{"key": "to", "value": "+15558675310"}, {"key": "bad name!", "value": "x"}],
    "item": [
        {
            "name": "Account",
            "request": {"method": "GET", "url": "https://api.twilio.com/2010-04-01/Accounts/{{TWILIO_SID}}.json"},
        },
        {
            "name": "Messages",
            "description": "Messaging requests",
            "item": [
                {
                    "name": "Send",
                    "request": {
                        "method": "POST",
                        "header": [
                            {"key": "Content-Type", "value": "application/x-www-form-urlencoded"},
                            {"key": "X-Old", "value": "1", "disabled": True},
                            {"key": "Authorization", "value": f"Basic {SECRET}"},
                        ],
                        "body": {
                            "mode": "urlencoded",
                            "urlencoded": [
                                {"key": "To", "value": "{{to}}"},
                                {"key": "Body", "value": "a & b = c"},
                                {"key": "MediaUrl", "value": "https://x/1.png"},
                                {"key": "MediaUrl", "value": "https://x/2.png"},
                                {"key": "StatusCallback", "value": "https://x/cb", "disabled": True},
                            ],
                        },
                        "url": {
                            "raw": "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/"
                            "Messages.json",
                        },
                    },
                },
                {"name": "Send", "request": {"method": "GET", "url": "https://api.twilio.com/2010-04-01/x.json"}},
                {
                    "name": "Nested",
                    "item": [
                        {
                            "name": "Echo",
                            "request": {
                                "method": "POST",
                                "auth": {"type": "noauth"},
                                "url": "postman-echo.com/post?x=1",
                                "body": {
                                    "mode": "raw",
                                    "raw": '{"a": 1}',
                                    "options": {"raw": {"language": "json"}},
                                },
                            },
                        },
                        {"name": "Copy", "request": {"method": "COPY", "url": "https://example.com"}},
                    ],
                },
            ],
        },
    ],
}


def test_folders_become_files_and_credentials_go_to_the_profile(tmp_path: Path) -> None:
    source = tmp_path / "twilio.postman_collection.json"
    source.write_text(json.dumps(TWILIO_STYLE))
    result = import_postman(source, tmp_path / "out")
    files = collections_of(tmp_path / "out")
    assert set(files) == {"twilio-sms.yaml", "messages.yaml", "messages/nested.yaml"}
    assert files["twilio-sms.yaml"].variables == {"to": "+15558675310"}
    send, send_again = files["messages.yaml"].requests
    assert (send.name, send_again.name, send_again.id) == ("Send", "Send (2)", "send-2")
    assert send.url == "/2010-04-01/Accounts/{{account_sid}}/Messages.json"
    assert send.form == [
        ("To", "{{to}}"),
        ("Body", "a & b = c"),
        ("MediaUrl", "https://x/1.png"),
        ("MediaUrl", "https://x/2.png"),
    ]
    assert send.headers == [] and send.auth.mode == "profile"
    assert send.description == "Disabled in Postman, not imported: header `X-Old`, form field `StatusCallback`."
    echo = files["messages/nested.yaml"].requests[0]
    assert (echo.url, echo.params, echo.json, echo.auth.mode) == (
        "http://postman-echo.com/post",
        [("x", "1")],
        {"a": 1},
        "none",
    )
    warnings = "\n".join(result.warnings)
    assert "basic auth was replaced by the active profile's credentials" in warnings
    assert "a literal Authorization header was not imported" in warnings
    assert "cannot send the method COPY" in warnings and "'bad name!' was skipped" in warnings
    everything = warnings + "".join(p.read_text() for p in result.files)
    assert SECRET not in everything


def test_not_a_postman_collection(tmp_path: Path) -> None:
    for content, message in [
        ("{not json", "not JSON"),
        ('{"info": {}}', "not a Postman collection"),
        ('{"info": {"schema": "https://schema.getpostman.com/json/collection/v1.0.0/"}, "item": []}', "v1 collection"),
        ('{"info": {"name": "x"}, "item": []}', "no request could be imported"),
    ]:
        source = tmp_path / "c.json"
        source.write_text(content)
        with pytest.raises(PostmanError, match=message):
            import_postman(source, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["import", "postman", str(EXAMPLES / "v2.json"), "-o", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("imported 3 request(s) into 1 file(s)")
    assert "twibench: warning: oauth1 auth was dropped" in err
    assert cli.main(["import", "postman", str(EXAMPLES / "v2.json"), "-o", str(tmp_path)]) == 2
    assert "already exists; use --force" in capsys.readouterr().err
    assert cli.main(["import", "postman", str(EXAMPLES / "v2.json"), "-o", str(tmp_path), "--force"]) == 0
