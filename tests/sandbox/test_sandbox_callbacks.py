"""Signed status callbacks and TwiML fetches from the sandbox, checked with Twilio's own RequestValidator.

A test app on loopback (tests.loopback) records what the sandbox sends and answers TwiML; the sandbox's
movable clock makes each status change happen when the test says, and the webhook worker sends the
jobs that came due (the tests wait for them with a generous hang guard, never a timing assertion).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qsl

import httpx
import pytest
from conftest import ACCOUNT, MAIN_AUTH, TEST_AUTH, Sandbox
from twilio.request_validator import RequestValidator

from tests.loopback import LoopbackServer, Recorded, serve
from twibench.sandbox import credentials as cred
from twibench.sandbox import webhook_policy

VALIDATOR = RequestValidator(cred.AUTH_TOKEN)
XML = [("Content-Type", "text/xml")]
GATHER = (
    b'<?xml version="1.0" encoding="UTF-8"?><Response><Gather action="/gather" numDigits="2">'
    b"<Say>Press two digits</Say></Gather><Say>Nothing pressed</Say></Response>"
)
PAGES: dict[str, tuple[int, list[tuple[str, str]], bytes]] = {
    "/voice": (200, XML, GATHER),
    "/gather": (200, XML, b"<Response><Say>Thanks</Say><Hangup/></Response>"),
    "/unparsable": (200, XML, b"<Response><Say>oops</Response>"),
    "/schema": (200, XML, b"<Response><Dance/></Response>"),
    "/json": (200, [("Content-Type", "application/json")], b"{}"),
    "/fail": (500, [], b"broken"),
}


def answer(request: Recorded) -> tuple[int, list[tuple[str, str]], bytes]:
    return PAGES.get(request.path.split("?")[0], (200, XML, b"<Response/>"))


@pytest.fixture
def app() -> Iterator[LoopbackServer]:
    with serve(answer) as server:
        yield server


def wait_for(condition: Callable[[], bool], what: str) -> None:
    """Hang guard: the worker sends within milliseconds; 20 s means something is wrong."""
    deadline = time.monotonic() + 20
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def form(request: Recorded) -> dict[str, str]:
    return dict(parse_qsl(request.body.decode(), keep_blank_values=True))


def assert_signed(app: LoopbackServer, request: Recorded) -> None:
    """Twilio's own validator accepts the request for the URL the app was asked for."""
    url = app.base_url + request.path
    params = form(request) if request.method == "POST" else {}
    assert VALIDATOR.validate(url, params, request.headers["X-Twilio-Signature"]), request


def on(app: LoopbackServer, path: str) -> list[Recorded]:
    return [r for r in app.requests if r.path.split("?")[0] == path]


def test_a_message_reports_sending_sent_delivered_signed(sandbox: Sandbox, app: LoopbackServer) -> None:
    with sandbox.client() as api:
        sid = api.post(
            f"{ACCOUNT}/Messages.json",
            data={"To": "+15558675310", "From": cred.PHONE_NUMBER, "Body": "hi", "StatusCallback": app.base_url + "/s"},
        ).json()["sid"]
    time.sleep(0.2)
    assert on(app, "/s") == []  # no callback for the initial `queued`
    sandbox.clock.advance(2.0)
    wait_for(lambda: len(on(app, "/s")) == 3, "three status callbacks")
    statuses = [form(r)["MessageStatus"] for r in on(app, "/s")]
    assert statuses == ["sending", "sent", "delivered"]
    for request in on(app, "/s"):
        assert_signed(app, request)
        params = form(request)
        assert params["MessageSid"] == params["SmsSid"] == sid and params["SmsStatus"] == params["MessageStatus"]
        assert params["AccountSid"] == cred.ACCOUNT_SID and params["ApiVersion"] == "2010-04-01"
        assert params["From"] == cred.PHONE_NUMBER and params["To"] == "+15558675310"
        assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"


def test_a_call_fetches_its_twiml_walks_it_and_reports_every_event(sandbox: Sandbox, app: LoopbackServer) -> None:
    with sandbox.client() as api:
        sid = api.post(
            f"{ACCOUNT}/Calls.json",
            data={
                "To": "+15558675310",
                "From": cred.PHONE_NUMBER,
                "Url": app.base_url + "/voice",
                "StatusCallback": app.base_url + "/events",
                "StatusCallbackEvent": ["initiated", "ringing", "answered", "completed"],
            },
        ).json()["sid"]
        pressed = api.post(f"/_sandbox/calls/{sid}/digits", data={"Digits": "42"})
        assert pressed.status_code == 200 and pressed.json()["digits"] == ["42"]
        assert api.get(f"/_sandbox/calls/{sid}/transcript").status_code == 404  # not answered yet
        wait_for(lambda: len(on(app, "/events")) == 1, "the initiated event")
        sandbox.clock.advance(2.0)
        wait_for(lambda: len(on(app, "/events")) == 4, "four call events")
        transcript = api.get(f"/_sandbox/calls/{sid}/transcript").json()
        assert api.post(f"/_sandbox/calls/{sid}/digits", data={"Digits": "1"}).status_code == 409
        assert api.get(f"{ACCOUNT}/Calls/{sid}.json").json()["status"] == "completed"
    events = on(app, "/events")
    assert [form(r)["CallStatus"] for r in events] == ["initiated", "ringing", "in-progress", "completed"]
    assert [form(r)["SequenceNumber"] for r in events] == ["0", "1", "2", "3"]
    assert form(events[-1])["CallDuration"] == "1" and all(form(r)["Timestamp"] for r in events)
    order = [r.path for r in app.requests]
    assert order.index("/voice") > order.index("/events") and order.index("/gather") > order.index("/voice")
    assert app.requests.index(on(app, "/voice")[0]) < app.requests.index(events[2])  # fetched, then answered
    for request in app.requests:
        assert_signed(app, request)
        params = form(request)
        assert params["CallSid"] == sid and params["Direction"] == "outbound-api"
        assert params["AccountSid"] == cred.ACCOUNT_SID
    assert form(on(app, "/gather")[0])["Digits"] == "42"
    assert form(on(app, "/voice")[0])["CallStatus"] == "in-progress"
    assert "caller presses 42; posts Digits to " + app.base_url + "/gather" in "\n".join(transcript["lines"])
    assert "says 'Thanks'" in "\n".join(transcript["lines"]) and transcript["ended"] == "completed"
    assert [f["url"] for f in transcript["fetches"]] == [app.base_url + "/voice", app.base_url + "/gather"]


def _alerts(api: httpx.Client) -> list[dict[str, object]]:
    alerts: list[dict[str, object]] = api.get("/monitor/v1/Alerts").json()["alerts"]
    return alerts


@pytest.mark.parametrize(
    ("path", "code"),
    [("/unparsable", 12100), ("/schema", 12200), ("/json", 12300), ("/fail", 11200)],
)
def test_unusable_twiml_is_an_alert_and_an_application_error(
    start_sandbox: Callable[..., Sandbox], app: LoopbackServer, path: str, code: int
) -> None:
    box = start_sandbox(delivery_seconds=0.0)
    with box.client() as api:
        sid = api.post(
            f"{ACCOUNT}/Calls.json", data={"To": "+15558675310", "From": cred.PHONE_NUMBER, "Url": app.base_url + path}
        ).json()["sid"]
        wait_for(lambda: api.get(f"/_sandbox/calls/{sid}/transcript").status_code == 200, "the walk")
        transcript = api.get(f"/_sandbox/calls/{sid}/transcript").json()
        alerts = _alerts(api)
        assert api.get(f"{ACCOUNT}/Calls/{sid}.json").json()["status"] == "completed"
    assert transcript["error_code"] == code and "application error" in transcript["lines"][-1]
    assert [(a["error_code"], a["resource_sid"], a["request_url"]) for a in alerts] == [
        (str(code), sid, app.base_url + path)
    ]


def test_failing_callbacks_are_alerts_and_honour_the_fragment_overrides(
    start_sandbox: Callable[..., Sandbox], app: LoopbackServer
) -> None:
    box = start_sandbox(delivery_seconds=0.0)
    with box.client() as api:
        for url in (app.base_url + "/fail#rc=2&rp=5xx", "http://127.0.0.1:1/down", "https://example.com/status"):
            api.post(
                f"{ACCOUNT}/Messages.json",
                data={"To": "+15558675310", "From": cred.PHONE_NUMBER, "Body": "x", "StatusCallback": url},
            )
        wait_for(lambda: len(_alerts(api)) == 9, "nine alerts (three statuses × three URLs)")
        alerts = _alerts(api)
    codes = sorted({(a["request_url"], a["error_code"]) for a in alerts})  # type: ignore[type-var]
    assert codes == [
        ("http://127.0.0.1:1/down", "11205"), (app.base_url + "/fail", "11200"), ("https://example.com/status", "11205")
    ]  # fmt: skip
    assert len(on(app, "/fail")) == 9  # three statuses, each tried 1 + 2 times; the fragment never sent
    for request in on(app, "/fail"):
        assert_signed(app, request)  # signed over the URL without the fragment
    refused = next(a for a in alerts if a["request_url"] == "https://example.com/status")
    assert "sandbox.webhook_hosts" in str(refused["alert_text"])


def test_the_host_rule_and_the_overrides() -> None:
    assert webhook_policy.refusal("http://localhost:3000/s", ()) is None
    assert webhook_policy.refusal("http://[::1]:3000/s", ()) is None
    assert webhook_policy.refusal("http://app.localhost/s", ()) is None
    assert "add 'app.example'" in str(webhook_policy.refusal("https://app.example/s", ()))
    assert webhook_policy.refusal("https://app.example/s", ("app.example",)) is None
    assert webhook_policy.refusal("https://app.example/s", ("app.example:443",)) is None
    assert webhook_policy.refusal("https://app.example:8443/s", ("app.example:443",)) is not None
    assert webhook_policy.refusal("ftp://app.example/s", ("app.example",)) is not None
    url, overrides = webhook_policy.split("https://a.example/s?x=1#ct=200&rt=20000&tt=900&rc=9&rp=4xx,rt")
    assert url == "https://a.example/s?x=1"
    assert (overrides.connect, overrides.read, overrides.total, overrides.retries) == (0.2, 15.0, 0.9, 5)
    assert overrides.retry_on("4xx") and overrides.retry_on("rt") and not overrides.retry_on("ct")
    assert webhook_policy.split("http://a/s")[1] == webhook_policy.Overrides()


def test_a_messaging_services_callback_and_the_test_credentials(
    start_sandbox: Callable[..., Sandbox], app: LoopbackServer
) -> None:
    box = start_sandbox(delivery_seconds=0.0)
    with box.client() as api:
        settings = {"FriendlyName": "s", "StatusCallback": app.base_url + "/svc"}
        service = api.post("/messaging/v1/Services", data=settings)
        service_sid = service.json()["sid"]
        number = api.get(f"{ACCOUNT}/IncomingPhoneNumbers.json").json()["incoming_phone_numbers"][0]["sid"]
        api.post(f"/messaging/v1/Services/{service_sid}/PhoneNumbers", data={"PhoneNumberSid": number})
        api.post(
            f"{ACCOUNT}/Messages.json", data={"To": "+15558675310", "MessagingServiceSid": service_sid, "Body": "x"}
        )
    with box.client(auth=TEST_AUTH) as test_api:
        created = test_api.post(
            f"/2010-04-01/Accounts/{cred.TEST_ACCOUNT_SID}/Messages.json",
            data={"To": "+15558675310", "From": cred.PHONE_NUMBER, "Body": "x", "StatusCallback": app.base_url + "/t"},
        )
        assert created.status_code == 201
    wait_for(lambda: len(on(app, "/svc")) == 3, "the service's callbacks")
    assert all(form(r)["MessagingServiceSid"] == service_sid for r in on(app, "/svc"))
    time.sleep(0.2)
    assert on(app, "/t") == []  # Twilio's test credentials never trigger callbacks


def test_a_bad_status_callback_is_21609(sandbox: Sandbox) -> None:
    with httpx.Client(base_url=sandbox.url, auth=MAIN_AUTH) as api:
        answer = api.post(
            f"{ACCOUNT}/Messages.json",
            data={"To": "+15558675310", "From": cred.PHONE_NUMBER, "Body": "x", "StatusCallback": "ftp://x/y"},
        )
    assert answer.status_code == 400 and answer.json()["code"] == 21609


def test_deterministic_sandboxes_send_the_same_callbacks(
    start_sandbox: Callable[..., Sandbox], app: LoopbackServer, tmp_path: Path
) -> None:
    bodies: list[list[bytes]] = []
    for run in range(2):
        box = start_sandbox(db=tmp_path / f"det-{run}.sqlite3", deterministic=True)
        before = len(app.requests)
        with box.client() as api:
            api.post(
                f"{ACCOUNT}/Messages.json",
                data={"To": "+15558675310", "From": cred.PHONE_NUMBER, "Body": "x", "StatusCallback": app.base_url},
            )
        wait_for(lambda before=before: len(app.requests) == before + 3, "three callbacks")  # type: ignore[misc]
        bodies.append([r.body for r in app.requests[before:]])
    assert bodies[0] == bodies[1]
    assert [form(Recorded("POST", "/", {}, b))["MessageStatus"] for b in bodies[0]] == ["sending", "sent", "delivered"]


def slow(request: Recorded) -> tuple[int, list[tuple[str, str]], bytes]:
    time.sleep(0.3)
    return 200, XML, b"<Response/>"


def test_a_process_that_ends_sends_the_callbacks_already_due_first(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    collection = tmp_path / "c.yaml"
    collection.write_text(
        "name: C\nrequests:\n  - name: Send\n    id: send\n    method: POST\n"
        "    url: /2010-04-01/Accounts/{{account_sid}}/Messages.json\n"
        "    form: {To: '+15558675310', From: '+15005550006', Body: hi, StatusCallback: '{{cb}}'}\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "TWIBENCH_"))}
    env.update({"TWIBENCH_HOME": str(tmp_path / "home"), "TWIBENCH_SANDBOX_DETERMINISTIC": "1"})
    with serve(slow) as app:  # each callback takes 0.3 s: the process must wait for them before it exits
        done = subprocess.run(
            [sys.executable, "-m", "twibench", "send", f"{collection}#send", "--var", f"cb={app.base_url}/s"],
            env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert [form(r)["MessageStatus"] for r in on(app, "/s")] == ["sending", "sent", "delivered"]


def test_twiml_is_fetched_from_loopback_only(start_sandbox: Callable[..., Sandbox]) -> None:
    box = start_sandbox(delivery_seconds=0.0)
    with box.client() as api:
        sid = api.post(
            f"{ACCOUNT}/Calls.json",
            data={"To": "+15558675310", "From": cred.PHONE_NUMBER, "Url": "https://app.example/voice"},
        ).json()["sid"]
        wait_for(lambda: api.get(f"/_sandbox/calls/{sid}/transcript").status_code == 200, "the walk")
        transcript = api.get(f"/_sandbox/calls/{sid}/transcript").json()
        [alert] = _alerts(api)
    assert transcript["error_code"] == 11205 and transcript["fetches"][0]["status"] is None
    assert alert["error_code"] == "11205" and "sandbox.webhook_hosts" in str(alert["alert_text"])


def test_inline_twiml_is_walked_without_a_fetch(start_sandbox: Callable[..., Sandbox]) -> None:
    box = start_sandbox(delivery_seconds=0.0)
    twiml = "<Response><Say>Hello there, caller</Say><Pause length='3'/><Say>Bye</Say></Response>"
    with box.client() as api:
        sid = api.post(
            f"{ACCOUNT}/Calls.json", data={"To": "+15558675310", "From": cred.PHONE_NUMBER, "Twiml": twiml}
        ).json()["sid"]
        wait_for(lambda: api.get(f"/_sandbox/calls/{sid}/transcript").status_code == 200, "the walk")
        transcript = api.get(f"/_sandbox/calls/{sid}/transcript").json()
        assert _alerts(api) == []
    assert transcript["lines"] == [
        "0:00 reads the inline Twiml", "0:00 says 'Hello there, caller'", "0:01 pauses 3 s", "0:04 says 'Bye'",
        "0:05 reaches the end of the TwiML and hangs up",
    ]  # fmt: skip
    assert transcript["ended"] == "completed" and transcript["seconds"] == 5.2  # 3 words at 2.5 a second
