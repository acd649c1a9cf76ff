"""Exporting a request as curl: exact commands, shell quoting, no secrets, and the sandbox agreeing."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twibench import cli
from twibench.collection import Auth, Request
from twibench.exporters import ExportError, to_curl
from twibench.importers.curl import parse_curl
from twibench.profiles import Profile, SecretRef
from twibench.variables import UnknownVariableError

ACCOUNT = "AC0123456789abcdef0123456789abcdef"
TOKEN = "f00dfacef00dfacef00dfacef00dface"
KEY = "SK0123456789abcdef0123456789abcdef"
MESSAGES = "/2010-04-01/Accounts/{{account_sid}}/Messages.json"

LIVE = Profile(name="live", kind="auth_token", account_sid=ACCOUNT, username=ACCOUNT, secret=SecretRef(literal=TOKEN))
IRELAND_KEY = Profile(
    name="ie",
    kind="api_key",
    account_sid=ACCOUNT,
    username=KEY,
    secret=SecretRef(literal=TOKEN),
    region="ie1",
    edge="dublin",
)


def send_sms(body: str = "Your total is $5") -> Request:
    return Request(
        name="Send an SMS",
        id="send-sms",
        method="POST",
        url=MESSAGES,
        form=[("To", "{{to}}"), ("From", "+15005550006"), ("Body", body)],
    )


def test_send_sms_is_the_command_twilios_docs_show() -> None:
    text = to_curl(send_sms(), LIVE, {"to": "+15558675310"})
    assert text == (
        'curl -X POST "https://api.twilio.com/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/Messages.json" \\\n'
        "  --data-urlencode To=+15558675310 \\\n"
        "  --data-urlencode From=+15005550006 \\\n"
        "  --data-urlencode 'Body=Your total is $5' \\\n"
        '  -u "$TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN"'
    )


def test_api_key_profiles_use_the_key_variables_and_their_region_host() -> None:
    request = Request(name="List", id="list", url=MESSAGES, params=[("PageSize", "20"), ("To", "+1 555")])
    text = to_curl(request, IRELAND_KEY, {})
    assert text == (
        'curl "https://api.dublin.ie1.twilio.com/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/Messages.json'
        '?PageSize=20&To=%2B1+555" \\\n'
        '  -u "$TWILIO_API_KEY:$TWILIO_API_SECRET"'
    )


def test_other_requests_json_bodies_no_auth_and_options() -> None:
    request = Request(
        name="Hook",
        id="hook",
        method="PUT",
        url="https://example.com/hooks/{{hook}}",
        headers=[("X-Trace", "it's {{hook}}")],
        json={"account": "{{account_sid}}", "n": 1},
        auth=Auth(mode="none"),
        follow_redirects=True,
        timeout=2.5,
    )
    text = to_curl(request, LIVE, {"hook": "h1"})
    assert text == (
        "curl -X PUT https://example.com/hooks/h1 \\\n"
        "  -H 'X-Trace: it'\"'\"'s h1' \\\n"
        "  -H 'Content-Type: application/json' \\\n"
        """  --data-raw '{"account": "'"$TWILIO_ACCOUNT_SID"'", "n": 1}' \\\n"""
        "  -L \\\n"
        "  --max-time 2.5"
    )


def test_credentials_from_variables_and_captured_secrets_stay_references() -> None:
    request = Request(
        name="Use key",
        id="use-key",
        url=MESSAGES,
        params=[("Note", "{{key_secret}}")],
        auth=Auth(mode="basic", user="{{key_sid}}", secret="{{key_secret}}"),
    )
    captured = {"key_sid": KEY, "key_secret": "captured-secret-value"}
    text = to_curl(request, LIVE, captured, secret_names={"key_secret"})
    assert "captured-secret-value" not in text
    assert text.endswith('-u "$KEY_SID:$KEY_SECRET"') and "Note=$KEY_SECRET" in text


def test_an_export_that_would_hold_the_profile_secret_is_refused() -> None:
    with pytest.raises(ExportError, match="secret of profile 'live'"):
        to_curl(send_sms(body="{{leak}}"), LIVE, {"to": "+1", "leak": f"token {TOKEN}"})


def test_unknown_variables_are_named() -> None:
    with pytest.raises(UnknownVariableError, match="'to'"):
        to_curl(send_sms(), LIVE, {})


def test_another_account_in_the_url_stays_literal() -> None:
    other = "AC" + "9" * 32
    text = to_curl(send_sms(), LIVE, {"to": "+1", "account_sid": other})
    assert f"/Accounts/{other}/Messages.json" in text and text.endswith('-u "$TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN"')


# Values full of what shells and URLs treat specially: quotes, $, &, =, newlines, backslashes, non-ASCII.
SPECIAL = "'\"$&=+%#;|!`\\\n\t ?/é→😀"
values = st.text(
    alphabet=st.one_of(st.sampled_from(SPECIAL), st.characters(exclude_categories=("Cs",), exclude_characters="\x00")),
    max_size=24,
).filter(lambda s: "{{" not in s and "\ue000" not in s and "\ue001" not in s)
names = values.filter(lambda s: s != "")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    form=st.lists(st.tuples(names, values), min_size=1, max_size=4),
    params=st.lists(st.tuples(names, values), max_size=3),
    header=values.map(str.strip).filter(lambda s: s and "\n" not in s and "\r" not in s),
)
def test_export_then_import_gives_the_same_request(
    form: list[tuple[str, str]], params: list[tuple[str, str]], header: str
) -> None:
    request = Request(
        name="Round trip",
        id="round-trip",
        method="POST",
        url=MESSAGES,
        params=params,
        headers=[("X-Value", header)],
        form=form,
    )
    text = to_curl(request, LIVE, {})
    assert TOKEN not in text
    imported, _warnings = parse_curl(text)
    assert (imported.method, imported.url) == ("POST", MESSAGES)
    assert imported.form == form
    assert imported.params == params
    assert imported.headers == [("X-Value", header)]
    assert imported.auth.mode == "profile"


def run_top_level(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    return cli.main(["export", *args])


def test_cli_exports_with_profile_and_vars(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "c.yaml"
    file.write_text(
        "name: C\nvariables: {to: '+15558675310'}\nrequests:\n  - name: Send\n    method: POST\n"
        f"    url: {MESSAGES}\n    form: {{To: '{{{{to}}}}', Body: '{{{{body}}}}'}}\n"
    )
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", ACCOUNT)
    monkeypatch.setenv("TWILIO_API_KEY", KEY)
    monkeypatch.setenv("TWILIO_API_SECRET", TOKEN)
    monkeypatch.setenv("TWILIO_REGION", "au1")
    assert run_top_level(monkeypatch, "curl", f"{file}#send", "--profile", "env", "--var", "body=Hi & bye") == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out == (
        'curl -X POST "https://api.sydney.au1.twilio.com/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/Messages.json" \\\n'
        "  --data-urlencode To=+15558675310 \\\n"
        "  --data-urlencode 'Body=Hi & bye' \\\n"
        '  -u "$TWILIO_API_KEY:$TWILIO_API_SECRET"\n'
    )
    assert TOKEN not in out
    assert run_top_level(monkeypatch, "curl", f"{file}#nope") == 2
    assert "has no request 'nope'" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------------
# The exported command, run by the real curl against the sandbox, gets what twibench gets
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def sandbox(home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Profile]]:
    embedded = pytest.importorskip("twibench.sandbox.embedded", reason="the sandbox module is not there yet")
    from twibench import profiles

    monkeypatch.setenv("TWIBENCH_SANDBOX_DETERMINISTIC", "1")
    base = embedded.ensure_running(deterministic=True)
    try:
        yield base, profiles.load_profiles().get("sandbox")
    finally:
        embedded.stop()


def sandbox_requests() -> list[tuple[Request, int]]:
    from twibench.sandbox import credentials

    message = f"/2010-04-01/Accounts/{{{{account_sid}}}}/Messages/{credentials.DELETABLE_MESSAGE_SID}.json"
    return [
        (send_sms('It\'s $5 & "fine"\nreally — ok'), 201),
        (
            Request(
                name="Bad To",
                id="bad",
                method="POST",
                url=MESSAGES,
                form=[("To", "+15005550001"), ("From", "{{from}}"), ("Body", "x")],
            ),
            400,
        ),
        (Request(name="List", id="list", url=MESSAGES, params=[("To", "+15558675310"), ("PageSize", "2")]), 200),
        (Request(name="Missing", id="missing", url=MESSAGES.replace(".json", "/SM" + "0" * 32 + ".json")), 404),
        (Request(name="Delete", id="delete", method="DELETE", url=message), 204),
        (Request(name="No auth", id="noauth", url=MESSAGES, auth=Auth(mode="none")), 401),
    ]


@pytest.mark.skipif(shutil.which("curl") is None, reason="the curl program is not installed")
@pytest.mark.parametrize(("request_", "expected"), sandbox_requests(), ids=lambda v: getattr(v, "id", str(v)))
def test_exported_curl_gets_the_same_status_as_twibench(
    sandbox: tuple[str, Profile], request_: Request, expected: int
) -> None:
    from twibench import client
    from twibench.sandbox import credentials

    base, profile = sandbox
    values = client.values_for(profile, {"to": "+15558675310"})
    command = to_curl(request_, profile, values).replace("https://api.twilio.com", base)
    assert credentials.AUTH_TOKEN not in command
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TWILIO_ACCOUNT_SID": credentials.ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": credentials.AUTH_TOKEN,
    }
    result = subprocess.run(
        ["bash", "-c", command + " -sS -o /dev/null -w '%{http_code}'"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    exchange = client.send_once(request_, profile, values)
    assert exchange.response is not None
    assert int(result.stdout) == exchange.response.status == expected
