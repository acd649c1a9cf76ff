"""Sending: the status line with the documented meaning, Twilio errors, transport errors, cancel,
unknown variables, the redacted request, prompted secrets — and focus never moves."""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path

import httpx
import pytest
from textual.widgets import Input, Static

from tests.tui.conftest import (
    LIVE_SID,
    LIVE_TOKEN,
    SIZE,
    FakeTwilio,
    build_app,
    live_profiles,
    settle,
    status_text,
    twilio_error,
)
from twibench import status
from twibench.tui.app import TwibenchApp
from twibench.tui.dialogs.prompts import SecretPrompt
from twibench.tui.widgets.body import BodyViewer
from twibench.tui.widgets.status_line import StatusLine
from twibench.tui.widgets.url_bar import UrlInput

ACCOUNT = f"/2010-04-01/Accounts/{LIVE_SID}.json"
MESSAGES = f"/2010-04-01/Accounts/{LIVE_SID}/Messages.json"
MESSAGE = {
    "sid": "SM" + "1" * 32,
    "status": "queued",
    "uri": f"/2010-04-01/Accounts/{LIVE_SID}/Messages/SM{'1' * 32}.json",
}


def idle(app: TwibenchApp) -> bool:
    return not status_text(app).startswith(("Sending", "No response yet"))


async def test_send_shows_201_with_its_documented_meaning_and_the_request_id(
    collections: Path, twilio: FakeTwilio
) -> None:
    twilio.json("POST", MESSAGES, 201, MESSAGE, headers={"Twilio-Request-Id": "RQ" + "a" * 32})
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "down")  # Messages › Send an SMS
        url = app.screen.query_one(UrlInput)
        await settle(pilot, lambda: url.value.endswith("/Messages.json"))
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: idle(app))
        text = status_text(app)
        assert text.startswith(status.status_line(201))
        assert "201 CREATED — success: a new resource was created" in text
        assert "Twilio-Request-Id RQ" + "a" * 32 in text
        assert "— ms" in text
        assert app.screen.query_one(StatusLine).has_class("-success")
        sent = twilio.seen[-1]
        assert sent.method == "POST"
        assert dict(httpx.QueryParams(sent.content.decode())) == {
            "To": "+15558675310",
            "From": "+15005550006",
            "Body": "Hello from twibench",
        }
        viewer = app.screen.query_one(BodyViewer)
        await settle(pilot, lambda: viewer.line_count > 1)
        assert any('"status": "queued"' in line for line in viewer.lines)


@pytest.mark.parametrize(
    ("code", "css"),
    [(200, "-success"), (204, "-success"), (302, "-redirect"), (404, "-client_error"), (503, "-server_error")],
)
async def test_each_status_gets_its_meaning_and_colour(
    collections: Path, twilio: FakeTwilio, code: int, css: str
) -> None:
    twilio.add("GET", ACCOUNT, httpx.Response(code, headers={"Location": "/elsewhere"} if code == 302 else None))
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await settle(pilot, lambda: idle(app))
        assert status_text(app).startswith(status.status_line(code))
        assert app.screen.query_one(StatusLine).has_class(css)


async def test_a_twilio_error_body_is_decoded_with_its_more_info_link(collections: Path, twilio: FakeTwilio) -> None:
    body = twilio_error(21211, "The 'To' number 123 is not a valid phone number.", 400)
    twilio.json("POST", MESSAGES, 400, body)
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.workbench.go_to(next(e for e in app.session.workspace.entries() if e.request.id == "send-sms"))
        url = app.screen.query_one(UrlInput)
        await settle(pilot, lambda: url.value.endswith("/Messages.json"))
        await pilot.press("alt+enter")
        await settle(pilot, lambda: idle(app))
        lines = status_text(app).splitlines()
        assert lines[0] == status.status_line(400)
        assert lines[1] == (
            "Twilio error 21211 — Invalid 'To' phone number: The 'To' number 123 is not a valid phone number."
        )
        assert lines[2] == "More info: https://www.twilio.com/docs/errors/21211"
        size = len(json.dumps(body, separators=(",", ":")))  # httpx's compact JSON
        assert lines[3] == f"Send an SMS · sent --:--:--  ·  — ms  ·  {size} B"  # whose answer, then time and size
        assert app.screen.query_one(StatusLine).has_class("-client_error")


async def test_a_transport_error_is_one_clear_line(collections: Path) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    twilio = FakeTwilio()
    twilio.add("GET", ACCOUNT, refuse)
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: idle(app))
        assert status_text(app).startswith(
            "No response (refused) — api.twilio.com refused the connection (is the server running?)"
        )
        assert app.screen.query_one(StatusLine).has_class("-failed")


async def test_escape_cancels_the_request_in_flight(collections: Path) -> None:
    never = asyncio.Event()

    async def hang(request: httpx.Request) -> httpx.Response:
        await never.wait()
        return httpx.Response(200)

    app = build_app(collections, FakeTwilio())
    app.session.transport = httpx.MockTransport(hang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: status_text(app).startswith("Sending"))
        assert app.screen.query_one("#spinner").display  # created by the first send
        await pilot.press("escape")
        await settle(pilot, lambda: status_text(app).startswith("Cancelled"))
        assert not app.screen.query_one("#spinner").display
        assert status_text(app) == "Cancelled — the request was abandoned; no answer was read."


async def test_an_unknown_variable_is_reported_before_sending(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        fetch = next(
            e for e in app.session.workspace.entries() if e.request.id == "fetch" and e.owner.name == "Messages"
        )
        app.workbench.go_to(fetch)
        url = app.screen.query_one(UrlInput)
        await settle(pilot, lambda: "message_sid" in url.value)
        preview = str(app.screen.query_one("#url-preview").render())
        assert preview.endswith("unknown: message_sid")
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: idle(app))
        assert status_text(app).startswith("Not sent — unknown variable 'message_sid' in url")
        assert twilio.seen == []


async def test_sending_never_moves_focus(collections: Path, twilio: FakeTwilio) -> None:
    twilio.json("GET", ACCOUNT, 200, {"sid": LIVE_SID})
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+l")
        url = app.screen.query_one(UrlInput)
        assert app.screen.focused is url
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: idle(app))
        await pilot.pause()
        assert app.screen.focused is url
        await pilot.press("escape")  # nothing in flight: leaves the field for the tree
        assert app.screen.focused is app.screen.query_one("#tree")
        await pilot.press("f5")
        await settle(pilot, lambda: len(twilio.seen) == 2 and idle(app))
        assert app.screen.focused is app.screen.query_one("#tree")


async def test_the_request_tab_shows_what_was_sent_with_secrets_masked(collections: Path, twilio: FakeTwilio) -> None:
    twilio.json("GET", ACCOUNT, 200, {"sid": LIVE_SID, "auth_token": LIVE_TOKEN})
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: idle(app))
        sent = twilio.seen[-1]
        expected = base64.b64encode(f"{LIVE_SID}:{LIVE_TOKEN}".encode()).decode()
        assert sent.headers["authorization"] == f"Basic {expected}"
        shown = str(app.screen.query_one("#sent-request", Static).render())
        assert "authorization: basic ac01…cdef:••••" in shown.lower()
        assert LIVE_TOKEN not in shown and expected not in shown
        viewer = app.screen.query_one(BodyViewer)
        await settle(pilot, lambda: viewer.line_count > 1)
        assert not any(LIVE_TOKEN in line for line in viewer.lines)


async def test_a_prompted_secret_is_asked_once_in_a_masked_dialog(collections: Path, twilio: FakeTwilio) -> None:
    twilio.json("GET", ACCOUNT, 200, {"sid": LIVE_SID})
    app = build_app(collections, twilio, profile_set=live_profiles(prompt=True))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: isinstance(app.screen, SecretPrompt))
        field = app.screen.query_one(Input)
        assert field.password
        await pilot.press(*"typed-secret-123", "enter")
        await settle(pilot, lambda: len(twilio.seen) == 1 and idle(app))
        expected = base64.b64encode(f"{LIVE_SID}:typed-secret-123".encode()).decode()
        assert twilio.seen[0].headers["authorization"] == f"Basic {expected}"
        await pilot.press("ctrl+j")  # asked once per session
        await settle(pilot, lambda: len(twilio.seen) == 2)
        assert not isinstance(app.screen, SecretPrompt)


async def test_a_capture_fills_the_variable_of_the_next_request(collections: Path, twilio: FakeTwilio) -> None:
    path = collections / "messages.yaml"
    path.write_text(
        path.read_text().replace(
            "      Body: Hello from twibench\n", "      Body: Hello\n    capture:\n      message_sid: $.sid\n"
        )
    )
    twilio.json("POST", MESSAGES, 201, MESSAGE)
    twilio.json("GET", MESSAGE["uri"], 200, MESSAGE)
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        from tests.tui.helpers import open_request

        await open_request(pilot, app, "Messages", "fetch")
        assert str(app.screen.query_one("#url-preview").render()).endswith("unknown: message_sid")
        await open_request(pilot, app, "Messages", "send-sms")
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: idle(app))
        assert app.session.captured == {"message_sid": MESSAGE["sid"]}
        await open_request(pilot, app, "Messages", "fetch")
        assert "unknown" not in str(app.screen.query_one("#url-preview").render())
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: len(twilio.seen) == 2 and status_text(app).startswith("200"))
        assert twilio.seen[1].url.path == MESSAGE["uri"]
