"""Comparing responses in the TUI: `d` on a history row (with the previous response of the same request,
or with the row marked by `m`), and the palette's "Diff with previous response" for the shown response."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from textual.pilot import Pilot

from tests.tui.conftest import LIVE_SID, LIVE_TOKEN, SIZE, FakeTwilio, build_app, settle, status_text
from tests.tui.helpers import dialog, open_request, run_command
from tests.tui.notifications import Notes
from twibench.tui.app import TwibenchApp
from twibench.tui.dialogs.diff import DiffScreen
from twibench.tui.widgets.history_list import HistoryList

ACCOUNT = f"/2010-04-01/Accounts/{LIVE_SID}.json"
MESSAGES = f"/2010-04-01/Accounts/{LIVE_SID}/Messages.json"


def changing_account(twilio: FakeTwilio) -> FakeTwilio:
    """The account answers `active`, then `suspended`; its body holds the Auth Token (masked everywhere)."""
    states = iter(["active", "suspended", "closed", "closed"])

    def answer(request: httpx.Request) -> httpx.Response:
        status = next(states)
        body = {"sid": LIVE_SID, "status": status, "auth_token": LIVE_TOKEN, "date_updated": f"{status} time"}
        return httpx.Response(200, json=body, headers={"Twilio-Request-Id": "RQ" + status[0] * 32})

    twilio.add("GET", ACCOUNT, answer)
    twilio.json("POST", MESSAGES, 201, {"sid": "SM" + "1" * 32, "status": "queued"})
    return twilio


async def send(pilot: Pilot[Any], app: TwibenchApp, collection: str, request_id: str) -> None:
    """Open a request, send it, and wait until it is recorded."""
    await open_request(pilot, app, collection, request_id)
    before = app.session.last_exchange
    await pilot.press("ctrl+j")
    await settle(pilot, lambda: app.session.last_exchange is not before and status_text(app)[:3].isdigit())
    await app.session.history.drain()


async def history_rows(pilot: Pilot[Any], app: TwibenchApp, rows: int) -> HistoryList:
    await pilot.press("f2")
    listing = app.screen.query_one(HistoryList)
    await settle(pilot, lambda: len(listing.entries) == rows and app.screen.focused is listing)
    return listing


async def test_d_compares_a_history_row_with_the_previous_response_of_its_request(
    collections: Path, twilio: FakeTwilio
) -> None:
    app = build_app(collections, changing_account(twilio))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await send(pilot, app, "Accounts", "fetch")
        await send(pilot, app, "Messages", "send-sms")  # another request in between
        await send(pilot, app, "Accounts", "fetch")
        listing = await history_rows(pilot, app, 3)
        first, _sms, second = reversed(listing.entries)
        await pilot.press("d")
        screen = await dialog(pilot, app, DiffScreen)
        assert screen.comparison.labels[0].startswith(f"history {first.id} · GET ")
        assert screen.comparison.labels[1].startswith(f"history {second.id} · GET ")
        rows = screen.rows_text
        assert '~ $.status: "active" → "suspended"' in rows
        assert '~ $.date_updated: "active time" → "suspended time"  (volatile)' in rows  # dimmed, still there
        assert "Twilio-Request-Id" in rows
        assert LIVE_TOKEN not in rows  # history is masked, and so is the comparison
        await pilot.press("v")
        assert "(volatile)" not in screen.rows_text and "$.status" in screen.rows_text
        assert "headers:" not in screen.rows_text  # every header change was volatile: the section goes too
        await pilot.press("escape")
        await settle(pilot, lambda: not isinstance(app.screen, DiffScreen))


async def test_m_marks_a_row_and_d_compares_another_row_with_it(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, changing_account(twilio))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await send(pilot, app, "Messages", "send-sms")
        await send(pilot, app, "Accounts", "fetch")
        listing = await history_rows(pilot, app, 2)
        newest, oldest = listing.entries
        await pilot.press("m")  # mark the account fetch (the newest row)
        assert listing.marked == newest.id
        await pilot.press("down")
        await pilot.press("d")  # on the message: compared with the marked row, the older one first
        screen = await dialog(pilot, app, DiffScreen)
        assert screen.comparison.labels[0].startswith(f"history {oldest.id} · POST ")
        assert screen.comparison.labels[1].startswith(f"history {newest.id} · GET ")
        assert "~ status: 201 → 200" in screen.rows_text
        assert '+ $.auth_token: "' in screen.rows_text and LIVE_TOKEN not in screen.rows_text


async def test_d_without_an_earlier_response_says_how_to_compare_any_two(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, changing_account(twilio))
    notes = Notes()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await pilot.pause()
        await send(pilot, app, "Accounts", "fetch")
        await history_rows(pilot, app, 1)
        await pilot.press("d")
        await settle(pilot, lambda: any("press m on one" in text for text in notes.texts))
        assert not isinstance(app.screen, DiffScreen)


async def test_the_palette_compares_the_live_response_with_the_previous_one(
    collections: Path, twilio: FakeTwilio
) -> None:
    app = build_app(collections, changing_account(twilio))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await send(pilot, app, "Accounts", "fetch")
        await send(pilot, app, "Accounts", "fetch")
        await run_command(pilot, app, "Diff with previous response")
        screen = await dialog(pilot, app, DiffScreen)
        assert screen.comparison.labels[1].startswith("this response · GET ")
        assert '~ $.status: "active" → "suspended"' in screen.rows_text
        assert LIVE_TOKEN not in screen.rows_text  # the live answer is masked before it is compared


async def test_a_long_comparison_scrolls_inside_the_dialog_at_80x24(collections: Path, twilio: FakeTwilio) -> None:
    from textual.containers import VerticalScroll
    from textual.widgets import Static

    from twibench.diff import Change, Diff
    from twibench.workbench.response_diff import Comparison

    diff = Diff(status=(200, 200), body=[Change("changed", f"$.items[{n}]", n, n + 1) for n in range(60)])
    app = build_app(collections, twilio)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(DiffScreen(Comparison(diff, ("history 1 · GET /a · 200", "history 2 · GET /a · 200"))))
        screen = await dialog(pilot, app, DiffScreen)
        await pilot.pause()
        body = screen.query_one("#diff-body", VerticalScroll)
        note = screen.query_one("#diff-note", Static)
        assert body.max_scroll_y > 0  # the rows scroll…
        assert note.region.bottom <= 24 and note.region.height > 0  # …and the note under them stays on screen
        await pilot.press("end")
        await settle(pilot, lambda: body.scroll_y == body.max_scroll_y)
