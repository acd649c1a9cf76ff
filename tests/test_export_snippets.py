"""Exporting twilio-cli commands and Python snippets: exact text, the fallbacks, and never a secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_export_languages import captured_placeholders
from twibench import cli
from twibench.collection import Auth, Request, load_paths
from twibench.exporters import to_python, to_twilio_cli
from twibench.exporters.twilio_cli import command_name, missing_reason
from twibench.importers.openapi import bundled_specs, import_bundled, import_openapi
from twibench.profiles import Profile, SecretRef

ROOT = Path(__file__).resolve().parent.parent
ACCOUNT = "AC0123456789abcdef0123456789abcdef"
TOKEN = "f00dfacef00dfacef00dfacef00dface"
MESSAGES = "/2010-04-01/Accounts/{{account_sid}}/Messages.json"
MESSAGE = "/2010-04-01/Accounts/{{account_sid}}/Messages/{{message_sid}}.json"
SID = "SM0123456789abcdef0123456789abcdef"

LIVE = Profile(name="live", kind="auth_token", account_sid=ACCOUNT, username=ACCOUNT, secret=SecretRef(literal=TOKEN))
KEY = Profile(
    name="key",
    kind="api_key",
    account_sid=ACCOUNT,
    username="SK" + "1" * 32,
    secret=SecretRef(literal=TOKEN),
    region="ie1",
    edge="dublin",
)
SEND = Request(
    name="Send",
    id="send",
    method="POST",
    url=MESSAGES,
    form=[("To", "+15558675310"), ("From", "{{from}}"), ("Body", "It's $5"), ("MediaUrl", "https://x/1.png")],
)


def test_twilio_cli_send() -> None:
    assert to_twilio_cli(SEND, LIVE, {"from": "+15005550006"}) == (
        "twilio api:core:messages:create \\\n"
        "  --to +15558675310 \\\n"
        "  --from +15005550006 \\\n"
        "  --body 'It'\"'\"'s $5' \\\n"
        "  --media-url https://x/1.png"
    )


def test_twilio_cli_path_parameters_filters_and_other_apis() -> None:
    fetch = Request(name="Fetch", id="fetch", url=MESSAGE)
    assert to_twilio_cli(fetch, LIVE, {"message_sid": SID}) == f"twilio api:core:messages:fetch \\\n  --sid {SID}"
    listing = Request(name="List", id="list", url=MESSAGES, params=[("DateSent<", "2024-01-01"), ("PageSize", "20")])
    assert to_twilio_cli(listing, LIVE, {}) == (
        "twilio api:core:messages:list \\\n  --date-sent-before 2024-01-01 \\\n  --page-size 20"
    )
    media = Request(name="Media", id="media", url=MESSAGE.replace(".json", "/Media.json"))
    assert (
        to_twilio_cli(media, LIVE, {"message_sid": SID})
        == f"twilio api:core:messages:media:list \\\n  --message-sid {SID}"
    )
    other_account = Request(name="Sub", id="sub", url="/2010-04-01/Accounts/{{sub}}/Messages.json")
    assert to_twilio_cli(other_account, LIVE, {"sub": "AC" + "9" * 32}) == (
        "twilio api:core:messages:list \\\n  --account-sid AC99999999999999999999999999999999"
    )
    service = Request(
        name="Svc",
        id="svc",
        method="POST",
        url="https://messaging.twilio.com/v1/Services",
        form=[("FriendlyName", "Mine")],
    )
    assert to_twilio_cli(service, LIVE, {}) == "twilio api:messaging:v1:services:create \\\n  --friendly-name Mine"


def test_every_2010_operation_has_a_command_name(tmp_path: Path) -> None:
    from twibench.spec import docs as spec_docs

    import_openapi(ROOT / "twibench" / "data" / "twilio-oai" / "twilio_api_v2010.json.gz", tmp_path)
    for collection in load_paths([tmp_path]).collections:
        for request in collection.requests:
            doc = spec_docs.find_operation(request.method, request.url)
            assert doc is not None and command_name(doc) is not None, request.name
    keys = spec_docs.find_operation("POST", "/2010-04-01/Accounts/{{account_sid}}/Keys.json")
    assert keys is not None and command_name(keys) == "api:core:keys:create"


def test_twilio_cli_knows_every_product() -> None:
    start = Request(
        name="Start",
        id="start",
        method="POST",
        url="https://verify.twilio.com/v2/Services/{{service_sid}}/Verifications",
        form=[("To", "+15558675310"), ("Channel", "sms")],
    )
    assert to_twilio_cli(start, LIVE, {"service_sid": "VA" + "0" * 32}) == (
        f"twilio api:verify:v2:services:verifications:create \\\n  --service-sid VA{'0' * 32} \\\n"
        "  --to +15558675310 \\\n  --channel sms"
    )
    lookup = Request(name="L", id="l", url="https://lookups.twilio.com/v2/PhoneNumbers/+15558675310")
    command = "twilio api:lookups:v2:phone-numbers:fetch \\\n  --phone-number +15558675310"
    assert to_twilio_cli(lookup, LIVE, {}) == command


def test_every_bundled_operation_but_one_has_a_command_name(tmp_path: Path) -> None:
    from twibench.spec import docs as spec_docs

    import_bundled(bundled_specs(), tmp_path)
    without: list[str] = []
    for collection in load_paths([tmp_path]).collections:
        for request in collection.requests:
            doc = spec_docs.find_operation(request.method, request.url)
            assert doc is not None, (request.method, request.url)
            if command_name(doc) is None:
                without.append(doc.operation_id or "")
    assert without == ["PatchOrganizationUser"]  # a PATCH: twilio-cli has no action word for it


@pytest.mark.parametrize(
    ("request_", "reason"),
    [
        (Request(name="x", id="x", url="https://example.com/a", auth=Auth(mode="none")), "not an operation"),
        (Request(name="x", id="x", url=MESSAGES, auth=Auth(mode="basic", user="{{u}}", secret="{{s}}")), "credentials"),
        (Request(name="x", id="x", method="POST", url=MESSAGES, json={"To": "+1"}), "JSON or raw body"),
        (Request(name="x", id="x", url=MESSAGES, headers=[("X-Trace", "1")]), "header X-Trace"),
    ],
)
def test_twilio_cli_has_no_equivalent(request_: Request, reason: str) -> None:
    assert to_twilio_cli(request_, LIVE, {"u": "a", "s": "b"}) is None
    assert reason in (missing_reason(request_) or "")


def test_python_helper_library_for_messages() -> None:
    assert to_python(SEND, LIVE, {"from": "+15005550006"}) == (
        "import os\n"
        "\n"
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(os.environ['TWILIO_ACCOUNT_SID'], os.environ['TWILIO_AUTH_TOKEN'])\n"
        "message = client.messages.create(to='+15558675310', from_='+15005550006', body=\"It's $5\", "
        "media_url=['https://x/1.png'])\n"
        "print(message.sid)\n"
    )


def test_python_helper_library_with_an_api_key_lists_and_instances() -> None:
    listing = Request(name="List", id="list", url=MESSAGES, params=[("To", "+1555"), ("PageSize", "20")])
    text = to_python(listing, KEY, {})
    assert (
        "client = Client(os.environ['TWILIO_API_KEY'], os.environ['TWILIO_API_SECRET'], "
        "os.environ['TWILIO_ACCOUNT_SID'], region='ie1', edge='dublin')\n"
    ) in text
    assert "for message in client.messages.list(to='+1555', page_size=20):\n    print(message.sid)\n" in text
    redact = Request(name="Redact", id="redact", method="POST", url=MESSAGE, form=[("Body", "")])
    assert f"message = client.messages('{SID}').update(body='')\n" in to_python(redact, LIVE, {"message_sid": SID})
    account = Request(name="Me", id="me", url="/2010-04-01/Accounts/{{account_sid}}.json")
    assert "account = client.api.v2010.accounts(os.environ['TWILIO_ACCOUNT_SID']).fetch()" in to_python(
        account, LIVE, {}
    )
    key = Request(
        name="Key",
        id="key",
        method="POST",
        url="/2010-04-01/Accounts/{{account_sid}}/Keys.json",
        form=[("FriendlyName", "ci")],
    )
    assert "key = client.new_keys.create(friendly_name='ci')" in to_python(key, LIVE, {})


def test_python_httpx_for_everything_else() -> None:
    call = Request(
        name="Call",
        id="call",
        method="POST",
        url="/2010-04-01/Accounts/{{account_sid}}/Calls.json",
        form=[
            ("To", "+1555"),
            ("Url", "https://x/twiml"),
            ("StatusCallbackEvent", "ringing"),
            ("StatusCallbackEvent", "answered"),
        ],
    )
    assert to_python(call, LIVE, {}) == (
        "import os\n"
        "\n"
        "import httpx\n"
        "\n"
        "response = httpx.request(\n"
        "    'POST',\n"
        "    'https://api.twilio.com/2010-04-01/Accounts/' + os.environ['TWILIO_ACCOUNT_SID'] + '/Calls.json',\n"
        "    data={'To': '+1555', 'Url': 'https://x/twiml', 'StatusCallbackEvent': ['ringing', 'answered']},\n"
        "    auth=(os.environ['TWILIO_ACCOUNT_SID'], os.environ['TWILIO_AUTH_TOKEN']),\n"
        ")\n"
        "print(response.status_code, response.reason_phrase)\n"
        "print(response.text)\n"
    )


def test_every_shipped_request_exports_compilable_python_without_secrets() -> None:
    from twibench.sandbox import credentials

    sandbox_like = Profile(
        name="live",
        kind="auth_token",
        account_sid=credentials.ACCOUNT_SID,
        username=credentials.ACCOUNT_SID,
        secret=SecretRef(literal=credentials.AUTH_TOKEN),
    )
    loaded = load_paths([ROOT / "collections"])
    assert loaded.errors == []
    for collection in loaded.collections:
        for request in collection.requests:
            values = captured_placeholders(collection.requests)
            values |= {"message_sid": SID, "key_sid": "SK" + "2" * 32, "key_secret": "x" * 10, "from": "+1"}
            values["call_sid"] = "CA" + "3" * 32  # webhooks.yaml
            values |= collection.variables | sandbox_like.builtin_variables()
            python = to_python(request, sandbox_like, values, secret_names={"key_secret"})
            compile(python, f"{collection.name}#{request.id}", "exec")
            command = to_twilio_cli(request, sandbox_like, values, secret_names={"key_secret"}) or ""
            for text in (python, command):
                assert credentials.AUTH_TOKEN not in text and "x" * 10 not in text


def test_cli_twilio_cli_without_equivalent_is_exit_2(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "c.yaml"
    file.write_text("name: C\nrequests:\n  - name: Echo\n    url: https://example.com/echo\n    auth: none\n")
    assert cli.main(["export", "twilio-cli", f"{file}#echo"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        "twibench: 'Echo' has no twilio-cli equivalent: GET https://example.com/echo is not an operation"
    )
    assert err.rstrip().endswith(f"use twibench export curl {file}#echo")
    assert cli.main(["export", "python", f"{file}#echo"]) == 0
    assert "httpx.request(\n    'GET',\n    'https://example.com/echo',\n)" in capsys.readouterr().out
