"""Fetch all pages in the TUI: `}` (or the palette) follows the shown list's next pages off the UI thread,
with a running count; escape keeps what was fetched; each page is recorded; the host guard applies."""

from __future__ import annotations

import asyncio
import inspect
import json
from pathlib import Path
from typing import Any

import httpx
from textual.pilot import Pilot

from tests.tui.conftest import LIVE_TOKEN, SIZE, FakeTwilio, build_app, settle, status_text
from tests.tui.helpers import open_request, run_command
from tests.tui.notifications import Notes
from twibench import paths
from twibench.history import open_history
from twibench.tui.app import TwibenchApp
from twibench.tui.widgets.body import BodyViewer

LIST = "/2010-04-01/Accounts.json"


def account(n: int) -> dict[str, Any]:
    return {"sid": f"AC{n:032x}", "friendly_name": f"account {n}", "auth_token": LIVE_TOKEN}


class AsyncTwilio(FakeTwilio):
    """The fake Twilio, whose handlers may also be coroutines (a page held back until released)."""

    async def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer, awaiting a coroutine handler."""
        await request.aread()
        self.seen.append(request)
        answer = self.routes[(request.method, request.url.path)]
        result: Any = answer(request) if callable(answer) else answer
        return await result if inspect.isawaitable(result) else result


class Pages:
    """Three pages of two accounts; page 3 can be held back until the test releases it."""

    def __init__(self, twilio: FakeTwilio, *, hold_last: bool = False, next_host: str = "") -> None:
        self.release = asyncio.Event()
        self.hold_last = hold_last
        self.next_host = next_host
        twilio.add("GET", LIST, self.answer)  # type: ignore[arg-type]

    def page(self, number: int) -> dict[str, Any]:
        last = number == 2
        link = None if last else f"{self.next_host}{LIST}?PageSize=2&Page={number + 1}&PageToken=PA{number + 1}"
        return {
            "accounts": [account(2 * number), account(2 * number + 1)],
            "page": number,
            "page_size": 2,
            "uri": f"{LIST}?PageSize=2&Page={number}",
            "next_page_uri": link,
        }

    async def answer(self, request: httpx.Request) -> httpx.Response:
        number = int(request.url.params.get("Page", "0"))
        if number == 2 and self.hold_last:
            await self.release.wait()
        return httpx.Response(200, json=self.page(number))


async def send_list(pilot: Pilot[Any], app: TwibenchApp) -> None:
    await open_request(pilot, app, "Accounts", "list")
    await pilot.press("ctrl+j")
    await settle(pilot, lambda: app.session.last_exchange is not None and status_text(app)[:3].isdigit())
    app.screen.query_one(BodyViewer).focus()
    await pilot.pause()


def shown_accounts(app: TwibenchApp) -> list[str]:
    exchange = app.session.last_exchange
    assert exchange is not None and exchange.response is not None
    return [a["sid"] for a in json.loads(exchange.response.body)["accounts"]]


async def test_curly_bracket_fetches_every_page_and_shows_them_merged(collections: Path) -> None:
    twilio = AsyncTwilio()
    Pages(twilio)
    app = build_app(collections, twilio)
    notes = Notes()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await pilot.pause()
        await send_list(pilot, app)
        assert len(shown_accounts(app)) == 2
        await pilot.press("right_curly_bracket")
        await settle(pilot, lambda: any("3 pages · 6 records" in text for text in notes.texts))
        assert shown_accounts(app) == [f"AC{n:032x}" for n in range(6)]
        exchange = app.session.last_exchange
        assert exchange is not None and exchange.response is not None
        merged = json.loads(exchange.response.body)
        assert merged["next_page_uri"] is None and merged["uri"].endswith("Page=0")  # page 1's envelope
        assert LIVE_TOKEN.encode() not in exchange.response.body  # records masked, like the CLI's
        await app.session.history.drain()
        with open_history(paths.history_db()) as store:
            pages = [e.url.partition("?")[2] for e in reversed(store.list())]
        # page 1 once (sent with ctrl+j), then each next page
        assert pages == ["PageSize=20", "PageSize=2&Page=1&PageToken=PA1", "PageSize=2&Page=2&PageToken=PA2"]


async def test_escape_stops_the_walk_and_keeps_what_was_fetched(collections: Path) -> None:
    twilio = AsyncTwilio()
    held = Pages(twilio, hold_last=True)
    app = build_app(collections, twilio)
    notes = Notes()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await pilot.pause()
        await send_list(pilot, app)
        await run_command(pilot, app, "Fetch all pages")
        await settle(pilot, lambda: "page 2 · 4 records" in status_text(app))  # the running count
        await pilot.press("escape")
        await settle(pilot, lambda: any("cancelled" in text for text in notes.texts))
        assert "2 pages · 4 records · cancelled" in notes.texts[-1]
        assert len(shown_accounts(app)) == 4
        held.release.set()


async def test_a_next_page_on_another_host_is_refused_by_the_guard(collections: Path) -> None:
    twilio = AsyncTwilio()
    Pages(twilio, next_host="https://evil.example.com")
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await send_list(pilot, app)
        await pilot.press("right_curly_bracket")
        await settle(pilot, lambda: status_text(app).startswith("Not sent"))
        assert "evil.example.com" in status_text(app)
        assert all(request.url.host != "evil.example.com" for request in twilio.seen)


async def test_a_response_that_is_not_a_list_says_so(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    notes = Notes()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Accounts", "fetch")
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: status_text(app)[:3].isdigit())
        app.screen.query_one(BodyViewer).focus()
        await pilot.press("right_curly_bracket")
        await settle(pilot, lambda: any("Fetch all pages" in text for text in notes.texts))
        assert len(twilio.seen) == 1
