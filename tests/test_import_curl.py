"""Importing curl commands as Twilio's docs, browsers and people write them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from twibench import cli
from twibench.collection import load_collection
from twibench.collection.writer import dump_collection, dump_request
from twibench.importers.curl import CurlError, import_curl, looks_like_curl, parse_curl
from twibench.importers.shellwords import ShellSyntaxError

TOKEN = "0123456789abcdef0123456789abcdef"
KEY_SECRET = "s3cr3tKeyValue9876543210zyxwvuts"
ACCOUNT = "AC0123456789abcdef0123456789abcdef"
KEY = "SK0123456789abcdef0123456789abcdef"
MESSAGES = "/2010-04-01/Accounts/{{account_sid}}/Messages.json"
MESSAGE = "/2010-04-01/Accounts/{{account_sid}}/Messages/SM0123456789abcdef0123456789abcdef.json"


def shape(command: str) -> dict[str, Any]:
    """What a user sees of the imported request (defaults left out, as the YAML leaves them out)."""
    request, _ = parse_curl(command)
    out: dict[str, Any] = {"method": request.method, "url": request.url}
    for key in ("params", "headers"):
        if getattr(request, key):
            out[key] = getattr(request, key)
    for key in ("form", "json", "body", "timeout"):
        if getattr(request, key) is not None:
            out[key] = getattr(request, key)
    if request.auth.mode != "profile":
        out["auth"] = (request.auth.mode, request.auth.user, request.auth.secret)
    if request.follow_redirects:
        out["follow_redirects"] = True
    return out


CASES: list[tuple[str, str, dict[str, Any]]] = [
    (
        "docs: send an SMS, several --data-urlencode, continuations",
        """curl -X POST "https://api.twilio.com/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/Messages.json" \\
--data-urlencode "Body=Hi there, your total is \\$5 & change" \\
--data-urlencode "From=+15557122661" \\
--data-urlencode "To=+15558675310" \\
-u $TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN""",
        {
            "method": "POST",
            "url": MESSAGES,
            "form": [("Body", "Hi there, your total is $5 & change"), ("From", "+15557122661"), ("To", "+15558675310")],
        },
    ),
    (
        "docs: a GET list with a query, -G and --data-urlencode",
        """curl -G https://api.twilio.com/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/Messages.json \\
  --data-urlencode "To=+15558675310" -d PageSize=20 \\
  -u "$TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN\"""",
        {"method": "GET", "url": MESSAGES, "params": [("To", "+15558675310"), ("PageSize", "20")]},
    ),
    (
        "a query string in the URL, percent-encoded",
        "curl 'https://api.twilio.com/2010-04-01/Accounts/${TWILIO_ACCOUNT_SID}/Messages.json?To=%2B15558675310&"
        'DateSent%3E=2024-01-01\' -u "${TWILIO_ACCOUNT_SID}:${TWILIO_AUTH_TOKEN}"',
        {"method": "GET", "url": MESSAGES, "params": [("To", "+15558675310"), ("DateSent>", "2024-01-01")]},
    ),
    (
        "DELETE keeps the message SID as written",
        "curl -X DELETE https://api.twilio.com/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/Messages/"
        "SM0123456789abcdef0123456789abcdef.json -u $TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN",
        {"method": "DELETE", "url": MESSAGE},
    ),
    (
        "MMS with two MediaUrl: the field repeats, order kept",
        """curl -X POST https://api.twilio.com/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/Messages.json \\
  --data-urlencode "To=+15558675310" --data-urlencode "From=+15557122661" \\
  --data-urlencode "MediaUrl=https://demo.twilio.com/owl.png" \\
  --data-urlencode "Body=Owls" \\
  --data-urlencode "MediaUrl=https://demo.twilio.com/logo.png?size=2&x=1" \\
  -u $TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN""",
        {
            "method": "POST",
            "url": MESSAGES,
            "form": [
                ("To", "+15558675310"),
                ("From", "+15557122661"),
                ("MediaUrl", "https://demo.twilio.com/owl.png"),
                ("Body", "Owls"),
                ("MediaUrl", "https://demo.twilio.com/logo.png?size=2&x=1"),
            ],
        },
    ),
    (
        "redaction: an empty Body is a field",
        "curl -X POST https://api.twilio.com/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/Messages/"
        "SM0123456789abcdef0123456789abcdef.json --data-urlencode 'Body=' -u $TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN",
        {"method": "POST", "url": MESSAGE, "form": [("Body", "")]},
    ),
    (
        "percent-encoded -d values are decoded; + is a space; repeats stay",
        "curl https://api.twilio.com/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/Messages.json "
        "-d 'To=%2B15558675310&Body=Caf%C3%A9+%26+more%3D%21' -d MediaUrl=a -d MediaUrl=b",
        {
            "method": "POST",
            "url": MESSAGES,
            "form": [("To", "+15558675310"), ("Body", "Café & more=!"), ("MediaUrl", "a"), ("MediaUrl", "b")],
        },
    ),
    (
        "a literal account in the path becomes {{account_sid}}",
        f"curl https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages.json "
        "-u $TWILIO_API_KEY:$TWILIO_API_SECRET",
        {"method": "GET", "url": MESSAGES},
    ),
    (
        "the Messaging v1 host stays absolute",
        "curl -X POST https://messaging.twilio.com/v1/Services --data-urlencode 'FriendlyName=My service' "
        "-u $TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN",
        {"method": "POST", "url": "https://messaging.twilio.com/v1/Services", "form": [("FriendlyName", "My service")]},
    ),
    (
        "short options clustered and glued: -sSL, -XPOST, -HAccept:…",
        "curl -sSL -XPOST -H'Accept: application/json' https://api.twilio.com/2010-04-01/Accounts.json "
        "--data-urlencode FriendlyName=sub",
        {
            "method": "POST",
            "url": "/2010-04-01/Accounts.json",
            "headers": [("Accept", "application/json")],
            "form": [("FriendlyName", "sub")],
            "follow_redirects": True,
        },
    ),
    (
        "another API: no credentials unless asked, a JSON body, a timeout",
        """$ curl https://httpbin.org/post --json '{"to": "+1555", "n": 2}' -m 2.5""",
        {
            "method": "POST",
            "url": "https://httpbin.org/post",
            "headers": [("Accept", "application/json")],
            "json": {"to": "+1555", "n": 2},
            "timeout": 2.5,
            "auth": ("none", "", ""),
        },
    ),
    (
        "bash $'…' strings and Windows line ends in continuations",
        "curl -X POST https://example.com/hook \\\r\n  -H $'X-Note: tab\\there' \\\r\n"
        "  --data-raw $'line one\\nline two' -H 'Content-Type: text/plain'",
        {
            "method": "POST",
            "url": "https://example.com/hook",
            "headers": [("X-Note", "tab\there"), ("Content-Type", "text/plain")],
            "body": "line one\nline two",
            "auth": ("none", "", ""),
        },
    ),
    (
        "environment credentials for another host become basic auth from variables",
        'curl https://example.com/api -u "$API_USER:$API_PASSWORD"',
        {"method": "GET", "url": "https://example.com/api", "auth": ("basic", "{{api_user}}", "{{api_password}}")},
    ),
]


@pytest.mark.parametrize(("label", "command", "expected"), CASES, ids=[c[0] for c in CASES])
def test_commands_import_as_the_request_they_send(label: str, command: str, expected: dict[str, Any]) -> None:
    assert shape(command) == expected


def test_docs_command_imports_without_warnings_and_with_the_operation_name() -> None:
    request, warnings = parse_curl(CASES[0][1])
    assert warnings == []
    assert request.name == "Create message" and request.id == "create-message"
    assert request.auth.mode == "profile"


@pytest.mark.parametrize(
    ("user", "kind"),
    [(f"{ACCOUNT}:{TOKEN}", "an Auth Token profile"), (f"{KEY}:{KEY_SECRET}", "an API Key profile")],
)
def test_literal_credentials_are_dropped_with_a_warning_naming_the_profile_kind(user: str, kind: str) -> None:
    command = f"curl https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages.json -u '{user}'"
    request, warnings = parse_curl(command)
    assert request.auth.mode == "profile"
    assert len(warnings) == 1 and kind in warnings[0]
    secret = user.partition(":")[2]
    assert secret not in warnings[0]
    assert secret not in dump_request(request)


def test_credentials_in_the_url_or_an_authorization_header_never_reach_the_file() -> None:
    command = (
        f"curl 'https://{ACCOUNT}:{TOKEN}@api.twilio.com/2010-04-01/Accounts.json' -H 'Authorization: Basic {TOKEN}'"
    )
    request, warnings = parse_curl(command)
    text = dump_request(request)
    assert TOKEN not in text and all(TOKEN not in w for w in warnings)
    assert request.url == "/2010-04-01/Accounts.json" and request.headers == []
    assert any("Authorization" in w for w in warnings) and any("Auth Token profile" in w for w in warnings)


def test_warnings_for_what_was_changed_or_ignored() -> None:
    command = (
        "curl -k 'https://api.twilio.com/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/Messages.json' "
        '-d "To=+15558675310" --data-urlencode "From=$MY_NUMBER" | jq .'
    )
    request, warnings = parse_curl(command)
    assert request.url == MESSAGES  # a shell would not expand it in single quotes, but it can only mean this
    assert request.form == [("To", " 15558675310"), ("From", "{{my_number}}")]
    joined = "\n".join(warnings)
    assert "-k was ignored" in joined and "single quotes" in joined
    assert "'+' means a space" in joined and "--data-urlencode" in joined
    assert "$MY_NUMBER became {{my_number}}" in joined
    assert "'|'" in joined


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("curl --frobnicate https://api.twilio.com/x", "unknown curl option --frobnicate"),
        ("curl -Z https://api.twilio.com/x", "unknown curl option -Z"),
        ("curl -sZ https://api.twilio.com/x", "unknown curl option -Z (in -sZ)"),
        ("curl -F 'MediaUrl=@a.png' https://api.twilio.com/x", "multipart form uploads (-F) are not supported"),
        ("curl -X POST", "has no URL"),
        ("curl https://a.example https://b.example", "2 URLs"),
        ("curl -X BREW https://a.example", "-X BREW"),
        ("wget https://a.example", "starting with curl"),
        ("curl -H", "needs a value"),
    ],
)
def test_unusable_commands_are_one_clear_error(command: str, message: str) -> None:
    with pytest.raises(CurlError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_curl(command)


def test_an_unterminated_quote_is_a_syntax_error() -> None:
    with pytest.raises(ShellSyntaxError, match="unterminated single quote"):
        parse_curl("curl 'https://api.twilio.com")


def test_looks_like_curl() -> None:
    assert looks_like_curl("curl https://api.twilio.com")
    assert looks_like_curl("  $ curl -X POST x")
    assert looks_like_curl("curl \\\n  -X POST x")
    assert not looks_like_curl("curling is a sport")
    assert not looks_like_curl("https://api.twilio.com/2010-04-01")


def test_appending_keeps_the_file_valid_and_names_unique(tmp_path: Path) -> None:
    target = tmp_path / "pasted.yaml"
    target.write_text(
        "# my notes stay\nname: Pasted\nrequests:\n  - name: Create message  # first\n"
        "    method: POST\n    url: /2010-04-01/Accounts/{{account_sid}}/Messages.json\n"
    )
    result = import_curl(CASES[0][1], target)
    assert (result.request.name, result.request.id) == ("Create message (2)", "create-message-2")
    again = import_curl(CASES[0][1], target, name="Send it")
    assert again.request.id == "send-it"
    text = target.read_text()
    assert "# my notes stay" in text and "# first" in text
    loaded = load_collection(target)
    assert [r.id for r in loaded.requests] == ["create-message", "create-message-2", "send-it"]
    assert loaded.requests[1].form == [
        ("Body", "Hi there, your total is $5 & change"),
        ("From", "+15557122661"),
        ("To", "+15558675310"),
    ]


def test_a_new_file_is_a_valid_collection(tmp_path: Path) -> None:
    target = tmp_path / "new-requests.yaml"
    import_curl(CASES[1][1], target)
    loaded = load_collection(target)
    assert loaded.name == "New requests" and loaded.requests[0].params == [("To", "+15558675310"), ("PageSize", "20")]


def run_top_level(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    """`twibench import …` through the real top level."""
    return cli.main(["import", *args])


def test_cli_prints_a_collection_and_warnings_go_to_stderr(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    command = f"curl https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages.json -u {ACCOUNT}:{TOKEN} -k"
    assert run_top_level(monkeypatch, "curl", command) == 0
    out, err = capsys.readouterr()
    assert out.startswith("name: Imported\nrequests:\n  - name: List message\n")
    assert "url: /2010-04-01/Accounts/{{account_sid}}/Messages.json" in out
    assert "twibench: warning: -k was ignored" in err and "Auth Token profile" in err
    assert TOKEN not in out + err


def test_cli_appends_to_a_file_and_reads_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(CASES[4][1]))
    target = tmp_path / "mms.yaml"
    assert run_top_level(monkeypatch, "curl", "-", "-o", str(target), "--name", "Send an MMS") == 0
    assert f"twibench send {target}#send-an-mms" in capsys.readouterr().out
    assert load_collection(target).requests[0].form is not None


def test_cli_unknown_option_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_top_level(monkeypatch, "curl", "curl --trace-time https://api.twilio.com") == 2
    err = capsys.readouterr().err
    assert err == "twibench: unknown curl option --trace-time; twibench cannot tell what it would change\n"


def test_printed_collection_round_trips_through_the_loader(tmp_path: Path) -> None:
    for _, command, _expected in CASES:
        result = import_curl(command)
        path = tmp_path / "printed.yaml"
        path.write_text(dump_collection(result.collection))
        assert load_collection(path).requests[0].url == result.request.url
