"""Snapshots of the main screen states (deterministic: fake Twilio, timings shown as "— ms", no clock,
no ports, steady cursors). Update with `pytest tests/tui/test_snapshots.py --snapshot-update`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tests.tui.conftest import (
    LIVE_SID,
    SIZE,
    FakeTwilio,
    build_app,
    first_screen_ready,
    settle,
    status_text,
    twilio_error,
)
from tests.tui.helpers import click, open_request
from twibench.tui.widgets.body import BodyViewer

MESSAGES = f"/2010-04-01/Accounts/{LIVE_SID}/Messages.json"
SM = "SM" + "0123456789abcdef" * 2
CREATED = {
    "account_sid": LIVE_SID,
    "api_version": "2010-04-01",
    "body": "Hello from twibench",
    "date_created": "Thu, 24 Aug 2023 05:01:45 +0000",
    "date_sent": None,
    "direction": "outbound-api",
    "error_code": None,
    "from": "+15005550006",
    "num_media": "0",
    "num_segments": "1",
    "price": None,
    "sid": SM,
    "status": "queued",
    "to": "+15558675310",
    "uri": f"/2010-04-01/Accounts/{LIVE_SID}/Messages/{SM}.json",
}
REQUEST_ID = {"Twilio-Request-Id": "RQ" + "5" * 32}


def test_first_screen(snap_compare: Any, collections: Path, twilio: FakeTwilio) -> None:
    assert snap_compare(build_app(collections, twilio), terminal_size=SIZE, run_before=first_screen_ready)


def test_after_a_201(snap_compare: Any, collections: Path, twilio: FakeTwilio) -> None:
    twilio.json("POST", MESSAGES, 201, CREATED, headers=REQUEST_ID)
    app = build_app(collections, twilio)

    async def send(pilot: Pilot[Any]) -> None:
        await first_screen_ready(pilot)
        await open_request(pilot, app, "Messages", "send-sms")
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: status_text(app).startswith("201"))
        viewer = app.screen.query_one(BodyViewer)
        await settle(pilot, lambda: viewer.line_count > 3)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=send)


def test_after_a_twilio_400(snap_compare: Any, collections: Path, twilio: FakeTwilio) -> None:
    body = twilio_error(21211, "The 'To' number +1555 is not a valid phone number.", 400)
    twilio.json("POST", MESSAGES, 400, body, headers=REQUEST_ID)
    app = build_app(collections, twilio)

    async def send(pilot: Pilot[Any]) -> None:
        await first_screen_ready(pilot)
        await open_request(pilot, app, "Messages", "send-sms")
        await pilot.press("f5")
        await settle(pilot, lambda: status_text(app).startswith("400"))
        viewer = app.screen.query_one(BodyViewer)
        await settle(pilot, lambda: viewer.line_count > 3)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=send)


def test_profile_dialog(snap_compare: Any, collections: Path, twilio: FakeTwilio) -> None:
    async def open_dialog(pilot: Pilot[Any]) -> None:
        await first_screen_ready(pilot)
        await click(pilot, "#profile-edit")
        await settle(pilot, lambda: type(pilot.app.screen).__name__ == "ProfileEditor")
        await settle(pilot, lambda: getattr(pilot.app.focused, "id", None) == "p-name")
        await pilot.press(*"work")
        await pilot.pause()

    assert snap_compare(build_app(collections, twilio), terminal_size=SIZE, run_before=open_dialog)


def test_help_for_the_url(snap_compare: Any, collections: Path, twilio: FakeTwilio) -> None:
    async def open_help(pilot: Pilot[Any]) -> None:
        await first_screen_ready(pilot)
        await pilot.press("ctrl+l", "f1")
        await settle(pilot, lambda: type(pilot.app.screen).__name__ == "HelpScreen")
        await pilot.pause()

    assert snap_compare(build_app(collections, twilio), terminal_size=SIZE, run_before=open_help)
