"""Each request keeps its last response for the session: switching requests shows that request's answer,
or "not sent yet", and the response area's title names the request the answer belongs to."""

from __future__ import annotations

from pathlib import Path

from tests.tui.conftest import LIVE_SID, SIZE, FakeTwilio, build_app, settle, status_text
from tests.tui.helpers import open_request, type_into
from twibench.tui.app import TwibenchApp
from twibench.tui.widgets.body import BodyViewer
from twibench.tui.widgets.response_view import ResponseView
from twibench.tui.widgets.url_bar import UrlInput

ACCOUNT = f"/2010-04-01/Accounts/{LIVE_SID}.json"


def title(app: TwibenchApp) -> str:
    return str(app.screen.query_one(ResponseView).border_title)


def body(app: TwibenchApp) -> str:
    return "\n".join(app.screen.query_one(BodyViewer).lines)


async def test_each_request_shows_its_own_last_response(collections: Path, twilio: FakeTwilio) -> None:
    twilio.json("GET", ACCOUNT, 200, {"sid": LIVE_SID, "friendly_name": "the account"})
    twilio.json("GET", "/2010-04-01/Accounts.json", 200, {"accounts": [], "page_size": 20})
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Accounts", "fetch")
        assert title(app) == "Response · Fetch your account · not sent yet"
        assert status_text(app).startswith("Not sent yet — 'Fetch your account'")
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: status_text(app).startswith("200"))
        await settle(pilot, lambda: "the account" in body(app))
        assert title(app) == "Response · Fetch your account · sent --:--:--"
        assert "Fetch your account · sent --:--:--  ·  — ms" in status_text(app)  # a visible line names it

        await open_request(pilot, app, "Accounts", "list")  # not sent yet: the fetch's answer is not shown
        await settle(pilot, lambda: status_text(app).startswith("Not sent yet — 'List accounts'"))
        assert "the account" not in body(app)
        assert title(app) == "Response · List accounts · not sent yet"
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: '"accounts"' in body(app))

        await open_request(pilot, app, "Accounts", "fetch")  # back: its own answer again
        await settle(pilot, lambda: "the account" in body(app))
        assert status_text(app).startswith("200")
        assert title(app) == "Response · Fetch your account · sent --:--:--"

        await type_into(pilot, app.screen.query_one(UrlInput), "?x=1")  # edited after the answer came
        await open_request(pilot, app, "Accounts", "list")
        await open_request(pilot, app, "Accounts", "fetch")
        assert title(app) == "Response · Fetch your account · sent --:--:-- · edited since"


async def test_an_answer_for_a_request_no_longer_open_does_not_replace_the_open_ones(
    collections: Path, twilio: FakeTwilio
) -> None:
    import asyncio

    import httpx

    release = asyncio.Event()

    async def slow(request: httpx.Request) -> httpx.Response:
        await release.wait()
        return httpx.Response(200, json={"sid": LIVE_SID, "friendly_name": "slow account"})

    async def handle(request: httpx.Request) -> httpx.Response:
        twilio.seen.append(request)
        return await slow(request)

    app = build_app(collections, twilio)
    app.session.transport = httpx.MockTransport(handle)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Accounts", "fetch")
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: len(twilio.seen) == 1)
        await open_request(pilot, app, "Accounts", "list")
        release.set()
        fetch = app.session.workspace.collections[0].items[0]
        await settle(pilot, lambda: app.session.responses.get(fetch) is not None)
        await pilot.pause()
        assert status_text(app).startswith("Not sent yet — 'List accounts'")
        assert "slow account" not in body(app)
        await open_request(pilot, app, "Accounts", "fetch")
        await settle(pilot, lambda: "slow account" in body(app))


async def test_explain_error_and_the_palette_follow_the_response_shown(collections: Path, twilio: FakeTwilio) -> None:
    from tests.tui.conftest import twilio_error
    from tests.tui.notifications import Notes
    from twibench.tui.commands import workbench_commands
    from twibench.tui.dialogs.snippet import SnippetScreen

    twilio.json("GET", ACCOUNT, 404, twilio_error(20404, "The requested resource was not found", 404))
    app, notes = build_app(collections, twilio), Notes()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Accounts", "fetch")
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: status_text(app).startswith("404"))
        titles = [title for title, _, _ in workbench_commands(app.workbench.palette_state())]
        assert "Explain Twilio error 20404" in titles

        await open_request(pilot, app, "Accounts", "list")  # its own state: not sent yet, nothing to explain
        await settle(pilot, lambda: status_text(app).startswith("Not sent yet"))
        titles = [title for title, _, _ in workbench_commands(app.workbench.palette_state())]
        assert not any(t.startswith("Explain Twilio error") for t in titles)
        await pilot.press("ctrl+e")
        await settle(pilot, lambda: any("no Twilio error to explain" in t for t in notes.texts))
        assert not isinstance(app.screen, SnippetScreen)

        await open_request(pilot, app, "Accounts", "fetch")  # back to the 404: ctrl+e explains it
        await settle(pilot, lambda: status_text(app).startswith("404"))
        await pilot.press("ctrl+e")
        await settle(pilot, lambda: isinstance(app.screen, SnippetScreen))
