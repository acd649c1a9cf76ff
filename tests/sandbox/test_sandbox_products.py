"""Products with hand-written behaviour, driven by Twilio's own helper library (twilio-python)."""

from __future__ import annotations

import httpx
import pytest
from conftest import ACCOUNT, MAIN_AUTH, TEST_AUTH, Sandbox
from spec_referee import validate
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio_sdk import sdk_client

from twibench.sandbox import credentials as cred

SID, TOKEN = MAIN_AUTH


@pytest.fixture
def client(sandbox: Sandbox):  # type: ignore[no-untyped-def]
    return sdk_client(sandbox.url, SID, TOKEN)


def checked(sandbox: Sandbox) -> httpx.Client:
    return httpx.Client(base_url=sandbox.url, auth=MAIN_AUTH, event_hooks={"response": [validate]}, timeout=30)


def test_calls_ring_talk_and_complete(sandbox: Sandbox, client) -> None:  # type: ignore[no-untyped-def]
    call = client.calls.create(to="+14155550123", from_=cred.PHONE_NUMBER, twiml="<Response><Say>Hi</Say></Response>")
    assert call.sid.startswith("CA") and call.status == "queued" and call.direction == "outbound-api"
    sandbox.clock.advance(0.6)
    assert client.calls(call.sid).fetch().status == "ringing"
    sandbox.clock.advance(0.6)
    live = client.calls(call.sid).fetch()
    assert live.status == "in-progress" and live.start_time is not None and live.end_time is None
    sandbox.clock.advance(1.0)
    done = client.calls(call.sid).fetch()
    assert done.status == "completed" and done.duration == "1" and done.price == "-0.01300" and done.end_time
    assert call.sid in [c.sid for c in client.calls.list(to="+14155550123")]
    with checked(sandbox) as api:
        assert api.get(f"{ACCOUNT}/Calls/{call.sid}.json").json()["status"] == "completed"
        assert api.get(f"{ACCOUNT}/Calls/{call.sid}/Recordings.json").json()["recordings"] == []


def test_calls_cancel_hang_up_and_magic_numbers(sandbox: Sandbox, client) -> None:  # type: ignore[no-untyped-def]
    queued = client.calls.create(to="+14155550124", from_=cred.PHONE_NUMBER, url="https://example.com/voice")
    assert client.calls(queued.sid).update(status="canceled").status == "canceled"
    talking = client.calls.create(to="+14155550125", from_=cred.PHONE_NUMBER, url="https://example.com/voice")
    sandbox.clock.advance(1.2)
    assert client.calls(talking.sid).update(status="completed").status == "completed"
    for to, code in (("+15005550001", 21217), ("+15005550002", 21214), ("+15005550003", 21215)):
        with pytest.raises(TwilioRestException) as caught:
            client.calls.create(to=to, from_=cred.PHONE_NUMBER, url="https://example.com/voice")
        assert (caught.value.status, caught.value.code) == (400, code)
    with pytest.raises(TwilioRestException) as caught:
        client.calls.create(to="+14155550126", from_="+15005550001", url="https://example.com/voice")
    assert caught.value.code == 21212
    with pytest.raises(TwilioRestException) as caught:
        client.calls.create(to="+14155550126", from_=cred.PHONE_NUMBER)
    assert caught.value.code == 21205
    test_client = sdk_client(sandbox.url, *TEST_AUTH)
    assert test_client.calls.create(to="+14155550127", from_=cred.PHONE_NUMBER, url="https://x.example/v").sid


def test_verify_send_check_limits_and_expiry(sandbox: Sandbox, client) -> None:  # type: ignore[no-untyped-def]
    service = client.verify.v2.services.create(friendly_name="Login", code_length=6)
    assert service.sid.startswith("VA") and service.url.startswith("https://verify.twilio.com/v2/Services/VA")
    sent = client.verify.v2.services(service.sid).verifications.create(to="+14155550199", channel="sms")
    assert sent.status == "pending" and sent.sid.startswith("VE")
    with httpx.Client(base_url=sandbox.url, auth=MAIN_AUTH) as api:
        code = api.get(f"/_sandbox/verify/{service.sid}/+14155550199").json()["code"]
        assert api.get(f"/_sandbox/verify/{service.sid}/+14155550199", auth=None).status_code == 401
    assert len(code) == 6 and code.isdigit()
    checks = client.verify.v2.services(service.sid).verification_checks
    assert checks.create(to="+14155550199", code="000000" if code != "000000" else "1").status == "pending"
    assert checks.create(to="+14155550199", code=code).status == "approved"
    with pytest.raises(TwilioRestException) as caught:
        checks.create(to="+14155550199", code=code)
    assert (caught.value.status, caught.value.code) == (404, 20404)

    custom = client.verify.v2.services(service.sid).verifications.create(
        to="+14155550198", channel="call", custom_code="4242"
    )
    for _ in range(4):  # five sends in all
        client.verify.v2.services(service.sid).verifications.create(to="+14155550198", channel="sms")
    with pytest.raises(TwilioRestException) as caught:
        client.verify.v2.services(service.sid).verifications.create(to="+14155550198", channel="sms")
    assert (caught.value.status, caught.value.code) == (429, 60203)
    for _ in range(5):
        assert checks.create(verification_sid=custom.sid, code="0000").status == "pending"
    with pytest.raises(TwilioRestException) as caught:
        checks.create(verification_sid=custom.sid, code="4242")
    assert (caught.value.status, caught.value.code) == (429, 60202)

    client.verify.v2.services(service.sid).verifications.create(to="+14155550197", channel="email")
    sandbox.clock.advance(601)
    with pytest.raises(TwilioRestException) as caught:
        checks.create(to="+14155550197", code="123456")
    assert caught.value.code == 20404
    with pytest.raises(TwilioRestException) as caught:
        client.verify.v2.services("VA" + "0" * 32).verifications.create(to="+14155550196", channel="sms")
    assert caught.value.status == 404


def test_verify_code_cli(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from twibench.sandbox import cli
    from twibench.sandbox.clock import RealClock

    monkeypatch.setattr(cli, "from_settings", lambda **_: _config(sandbox))
    monkeypatch.setattr(RealClock, "now", lambda self: sandbox.clock.now())  # the CLI reads the same "now"
    client = sdk_client(sandbox.url, SID, TOKEN)
    service = client.verify.v2.services.create(friendly_name="CLI")
    client.verify.v2.services(service.sid).verifications.create(to="+14155550190", channel="sms", custom_code="9876")
    assert cli.main(["verify-code", "--service", service.sid, "--to", "+14155550190"]) == 0
    assert capsys.readouterr().out.strip() == "9876"
    assert cli.main(["verify-code", "--service", service.sid, "--to", "+14155550191"]) == 1


def _config(sandbox: Sandbox):  # type: ignore[no-untyped-def]
    from twibench.sandbox.config import SandboxConfig

    return SandboxConfig(db_path=sandbox.db)


def test_lookup_validates_and_formats(client) -> None:  # type: ignore[no-untyped-def]
    number = client.lookups.v2.phone_numbers("+14155552671").fetch()
    assert number.valid and number.national_format == "(415) 555-2671"
    assert (number.country_code, number.calling_country_code) == ("US", "1")
    magic = client.lookups.v2.phone_numbers("+15005550006").fetch()
    assert magic.valid and magic.phone_number == "+15005550006"
    national = client.lookups.v2.phone_numbers("020 7946 0018").fetch(country_code="GB")
    assert national.phone_number == "+442079460018" and national.country_code == "GB"
    invalid = client.lookups.v2.phone_numbers("+1415").fetch()
    assert invalid.valid is False and invalid.validation_errors == ["TOO_SHORT"]
    with pytest.raises(TwilioRestException) as caught:
        client.lookups.v1.phone_numbers("+1415").fetch()
    assert caught.value.status == 404


def test_messaging_service_picks_its_sender(sandbox: Sandbox, client) -> None:  # type: ignore[no-untyped-def]
    service = client.messaging.v1.services.create(friendly_name="Alerts")
    with pytest.raises(TwilioRestException) as caught:
        client.messages.create(to="+14155550150", messaging_service_sid=service.sid, body="hi")
    assert caught.value.code == 21704
    sender = client.messaging.v1.services(service.sid).phone_numbers.create(phone_number_sid=cred.PHONE_NUMBER_SID)
    assert sender.sid == cred.PHONE_NUMBER_SID and sender.phone_number == cred.PHONE_NUMBER
    message = client.messages.create(to="+14155550150", messaging_service_sid=service.sid, body="hi")
    assert message.from_ == cred.PHONE_NUMBER and message.messaging_service_sid == service.sid
    with pytest.raises(TwilioRestException) as caught:
        client.messages.create(to="+14155550150", messaging_service_sid="MG" + "9" * 32, body="hi")
    assert caught.value.code == 21701


def test_conversations_nest_and_enforce_parents(client) -> None:  # type: ignore[no-untyped-def]
    conversation = client.conversations.v1.conversations.create(friendly_name="Support")
    participant = client.conversations.v1.conversations(conversation.sid).participants.create(identity="alice")
    assert participant.conversation_sid == conversation.sid and participant.identity == "alice"
    message = client.conversations.v1.conversations(conversation.sid).messages.create(author="alice", body="hello")
    assert message.body == "hello" and message.conversation_sid == conversation.sid
    listed = client.conversations.v1.conversations(conversation.sid).participants.list()
    assert [p.sid for p in listed] == [participant.sid]
    with pytest.raises(TwilioRestException) as caught:
        client.conversations.v1.conversations("CH" + "0" * 32).participants.create(identity="bob")
    assert (caught.value.status, caught.value.code) == (404, 20404)
    client.conversations.v1.conversations(conversation.sid).delete()
    with pytest.raises(TwilioRestException):
        client.conversations.v1.conversations(conversation.sid).messages(message.sid).fetch()


def test_subaccounts_own_credentials_and_parent_reach(start_sandbox) -> None:  # type: ignore[no-untyped-def]
    sandbox = start_sandbox()  # its own state: the shared sandbox's account list stays a single account
    client = sdk_client(sandbox.url, SID, TOKEN)
    sub = client.api.v2010.accounts.create(friendly_name="Team A")
    assert sub.sid.startswith("AC") and sub.owner_account_sid == SID and len(sub.auth_token) == 32
    child = sdk_client(sandbox.url, sub.sid, sub.auth_token)
    assert child.api.v2010.accounts(sub.sid).fetch().friendly_name == "Team A"
    child_call = child.calls.create(to="+14155550160", from_=cred.PHONE_NUMBER, url="https://example.com/v")
    as_parent = sdk_client(sandbox.url, SID, TOKEN, account_sid=sub.sid)
    assert as_parent.calls(child_call.sid).fetch().account_sid == sub.sid
    with pytest.raises(TwilioException, match="20404"):
        sdk_client(sandbox.url, sub.sid, sub.auth_token, account_sid=SID).calls.list()
    with pytest.raises(TwilioRestException):
        client.calls(child_call.sid).fetch()  # the parent's own calls do not hold the child's
    assert sub.sid in [a.sid for a in client.api.v2010.accounts.list()]
