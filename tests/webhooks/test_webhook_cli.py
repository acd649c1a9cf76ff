"""`twibench webhook`, `signature` and `twiml`: what a user types, checked against Twilio's own validator."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from twilio.request_validator import RequestValidator

from tests.loopback import Recorded, serve
from twibench.cli import main
from twibench.profiles import load_profiles, resolve_secret


def sandbox_token() -> str:
    return resolve_secret(load_profiles().get("sandbox"))


def _valid(request: Recorded, base: str) -> bool:
    params = dict(parse_qsl(request.body.decode(), keep_blank_values=True))
    return bool(
        RequestValidator(sandbox_token()).validate(
            base + request.path, params, request.headers.get("X-Twilio-Signature", "")
        )
    )


def _app(request: Recorded) -> tuple[int, list[tuple[str, str]], bytes]:
    xml = [("Content-Type", "text/xml")]
    path, _, query = request.path.partition("?")
    params = dict(parse_qsl(query or request.body.decode(), keep_blank_values=True))
    if path == "/sms":
        return 200, xml, f"<Response><Message>Thanks! You said {params['Body']}</Message></Response>".encode()
    if request.path == "/voice":
        return (
            200,
            xml,
            b'<Response><Gather numDigits="1" action="/menu"><Say>Press 1</Say></Gather><Say>Bye</Say></Response>',
        )
    if request.path == "/menu":
        return 200, xml, f"<Response><Say>You pressed {params['Digits']}</Say><Hangup/></Response>".encode()
    if request.path == "/typo":
        return 200, xml, b"<Response><Mesage>hi</Mesage></Response>"
    if request.path == "/json":
        return 200, [("Content-Type", "application/json")], b"{}"
    return 500, [], b"boom"


@pytest.fixture
def app(home: Path):  # type: ignore[no-untyped-def]
    with serve(_app) as server:
        yield server


def test_sms_sends_what_twilio_sends_signed_and_shows_the_reply(app, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    code = main(["webhook", "sms", f"{app.base_url}/sms", "--from", "+15551230000", "--to", "+15005550006",
                 "--body", "hi", "--media", "https://example.com/a.png"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    request = app.requests[0]
    params = dict(parse_qsl(request.body.decode(), keep_blank_values=True))
    assert params["Body"] == "hi" and params["From"] == "+15551230000" and params["To"] == "+15005550006"
    assert params["SmsStatus"] == "received" and params["ApiVersion"] == "2010-04-01"
    assert params["NumMedia"] == "1" and params["MediaContentType0"] == "image/png"
    assert params["MessageSid"].startswith("MM") and params["MessageSid"] == params["SmsSid"]
    assert params["AccountSid"] == load_profiles().get("sandbox").account_sid
    assert _valid(request, app.base_url)
    assert "valid messaging TwiML" in out
    assert "Twilio replies with 1 SMS: 'Thanks! You said hi'" in out


def test_voice_walks_the_call_through_gather(app, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    code = main(["webhook", "voice", f"{app.base_url}/voice", "--from", "+15551230000", "--to", "+15005550006",
                 "--digits", "1"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    assert [r.path for r in app.requests] == ["/voice", "/menu"]
    assert all(_valid(r, app.base_url) for r in app.requests)
    menu = dict(parse_qsl(app.requests[1].body.decode()))
    assert menu["Digits"] == "1" and menu["CallSid"] == dict(parse_qsl(app.requests[0].body.decode()))["CallSid"]
    assert "says 'You pressed 1'" in out and "hangs up" in out and "call completed" in out


def test_no_digits_times_out_and_goes_on(app, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    assert main(["webhook", "voice", f"{app.base_url}/voice", "--from", "+15551230000", "--to", "+1500"]) == 0
    out = capsys.readouterr().out
    assert "no input after 5 s" in out and "says 'Bye'" in out


@pytest.mark.parametrize(
    ("path", "kind", "words"),
    [
        ("/typo", "sms", "<Mesage> is not a messaging TwiML element"),
        ("/json", "sms", "12300"),
        ("/fail", "voice", "11200"),
    ],
)
def test_a_bad_answer_exits_1_with_twilios_code(app, capsys, path: str, kind: str, words: str) -> None:  # type: ignore[no-untyped-def]
    assert main(["webhook", kind, f"{app.base_url}{path}", "--from", "+15551230000", "--to", "+1500"]) == 1
    assert words in capsys.readouterr().out


def test_an_unreachable_app_exits_3(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["webhook", "sms", "http://127.0.0.1:1/sms", "--from", "+1555", "--to", "+1500"]) == 3
    assert "11205" in capsys.readouterr().out


def test_an_api_key_profile_needs_the_auth_token(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (home / "config").mkdir(exist_ok=True)
    from twibench import paths

    paths.profiles_file().parent.mkdir(parents=True, exist_ok=True)
    paths.profiles_file().write_text(
        "profiles:\n  key:\n    account_sid: AC" + "0" * 32 + "\n    api_key: SK" + "1" * 32
        + "\n    api_secret: {env: KEY_SECRET}\n"
    )  # fmt: skip
    assert main(["signature", "compute", "--url", "https://x.example/", "--profile", "key"]) == 2
    assert "Auth Token, never an API key secret" in capsys.readouterr().err


def test_signature_compute_and_check(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = "https://example.com/status"
    assert main(["signature", "compute", "--url", url, "--param", "MessageStatus=sent"]) == 0
    sig = capsys.readouterr().out.strip()
    assert RequestValidator(sandbox_token()).validate(url, {"MessageStatus": "sent"}, sig)
    assert main(["signature", "check", "--url", url, "--param", "MessageStatus=sent", "--signature", sig]) == 0
    assert "signature valid" in capsys.readouterr().out
    http = url.replace("https", "http")
    assert main(["signature", "check", "--url", http, "--param", "MessageStatus=sent", "--signature", sig]) == 1
    out = capsys.readouterr().out
    assert f"signed string: {http}MessageStatussent" in out and "likely cause:  the scheme" in out
    assert sandbox_token() not in out


def test_twiml_check_files_and_stdin(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good, bad = tmp_path / "good.xml", tmp_path / "bad.xml"
    good.write_text('<Response><Play loopz="2">a.mp3</Play></Response>')
    bad.write_text("<Response>\n  <Dial><Say>x</Say></Dial>\n</Response>")
    assert main(["twiml", "check", str(good)]) == 0
    assert "warning: <Play> has no attribute 'loopz'" in capsys.readouterr().out
    assert main(["twiml", "check", str(good), str(bad)]) == 1
    assert f"{bad}:2:9: error: <Say> is not allowed inside <Dial>" in capsys.readouterr().out
    assert main(["twiml", "check", str(tmp_path)]) == 2
    assert "not a regular file" in capsys.readouterr().err


def _configure_number(**settings: str) -> None:
    import httpx

    from twibench.sandbox import credentials as cred
    from twibench.sandbox import embedded

    account = f"/2010-04-01/Accounts/{cred.ACCOUNT_SID}"
    with httpx.Client(base_url=embedded.ensure_running(), auth=(cred.ACCOUNT_SID, cred.AUTH_TOKEN)) as api:
        answer = api.post(f"{account}/IncomingPhoneNumbers/{cred.PHONE_NUMBER_SID}.json", data=settings)
        assert answer.status_code == 200, answer.text


def test_number_uses_its_configured_sms_url_and_method(app, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    from twibench.sandbox import embedded

    try:
        _configure_number(SmsUrl=f"{app.base_url}/sms", SmsMethod="GET", VoiceUrl=f"{app.base_url}/voice")
        code = main(["webhook", "sms", "--number", "+15005550006", "--from", "+15551230000", "--body", "yo"])
        out = capsys.readouterr().out
        assert code == 0, out
        assert f"+15005550006 sends sms webhooks to GET {app.base_url}/sms" in out
        request = app.requests[-1]
        assert request.method == "GET" and request.path.startswith("/sms?") and "Body=yo" in request.path
        assert "To=%2B15005550006" in request.path
        assert RequestValidator(sandbox_token()).validate(
            app.base_url + request.path, {}, request.headers["X-Twilio-Signature"]
        )
        assert main(["webhook", "voice", "--number", "+15005550006", "--from", "+15551230000"]) == 0
        assert app.requests[-1].method == "POST" and app.requests[-1].path == "/voice"
        _configure_number(VoiceUrl="")
        assert main(["webhook", "voice", "--number", "+15005550006", "--from", "+15551230000"]) == 2
        assert "has no VoiceUrl" in capsys.readouterr().err
        assert main(["webhook", "sms", "--number", "+15005550099", "--from", "+15551230000"]) == 2
        assert "is not a number of profile 'sandbox'" in capsys.readouterr().err
        assert main(["webhook", "sms", f"{app.base_url}/sms", "--number", "+15005550006", "--from", "+1555"]) == 2
    finally:
        embedded.stop()
