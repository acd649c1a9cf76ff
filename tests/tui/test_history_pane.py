"""The history pane: every send is recorded, the filter narrows the list, an entry opens read-only and
marked, re-send/edit/save/delete/clear act on it, and the list reads its entries a page at a time."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select

from tests.tui.conftest import (
    KEY_SID,
    LIVE_SID,
    SIZE,
    FakeTwilio,
    build_app,
    settle,
    status_text,
    twilio_error,
)
from tests.tui.helpers import click, current, open_request, run_command
from twibench import paths
from twibench.collection import load_collection
from twibench.exchange import Exchange, Response, SentRequest
from twibench.history import HistoryStore, open_history
from twibench.redact import Redactor
from twibench.tui.app import TwibenchApp
from twibench.tui.dialogs.prompts import Choice
from twibench.tui.dialogs.save_to_collection import SaveToCollection
from twibench.tui.widgets.body import BodyViewer
from twibench.tui.widgets.history_list import HistoryList
from twibench.tui.widgets.history_pane import HistoryPane
from twibench.tui.widgets.response_view import ResponseView
from twibench.tui.widgets.url_bar import UrlInput

MESSAGES = f"/2010-04-01/Accounts/{LIVE_SID}/Messages.json"
ACCOUNT = f"/2010-04-01/Accounts/{LIVE_SID}.json"
CREATED = {"sid": "SM" + "1" * 32, "status": "queued"}


def stored() -> HistoryStore:
    """The history file the app writes (TWIBENCH_HOME of the test), opened beside the app's connection."""
    return open_history(paths.history_db())


def history_list(app: TwibenchApp) -> HistoryList:
    return app.screen.query_one(HistoryList)


def pane(app: TwibenchApp) -> HistoryPane:
    return app.screen.query_one(HistoryPane)


def auth_user(request: httpx.Request) -> str:
    """The username of a request's Basic Authorization header."""
    encoded = request.headers["authorization"].removeprefix("Basic ")
    return base64.b64decode(encoded).decode().partition(":")[0]


def banner(app: TwibenchApp) -> str | None:
    return app.screen.query_one(ResponseView).banner


async def send(pilot: Pilot[Any], app: TwibenchApp, collection: str, request_id: str) -> None:
    """Open a request, send it, and wait until its exchange is written to history."""
    await open_request(pilot, app, collection, request_id)
    before = app.session.last_exchange
    await pilot.press("ctrl+j")
    await settle(pilot, lambda: app.session.last_exchange is not before and status_text(app)[:3].isdigit())
    await app.session.history.drain()


async def open_history_pane(pilot: Pilot[Any], app: TwibenchApp, rows: int) -> HistoryList:
    """f2, and wait until the list holds `rows` entries and has the focus."""
    await pilot.press("f2")
    listing = history_list(app)
    await settle(pilot, lambda: len(listing.entries) == rows and app.screen.focused is listing)
    return listing


@pytest.fixture
def answers(twilio: FakeTwilio) -> FakeTwilio:
    """A 201 for sending a message, a 404 with a Twilio error for the account."""
    twilio.json("POST", MESSAGES, 201, CREATED, headers={"Twilio-Request-Id": "RQ" + "a" * 32})
    twilio.json("GET", ACCOUNT, 404, twilio_error(20404, "The requested resource was not found", 404))
    return twilio


async def test_every_send_is_recorded_once_with_its_collection(collections: Path, answers: FakeTwilio) -> None:
    app = build_app(collections, answers)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await send(pilot, app, "Messages", "send-sms")
        await send(pilot, app, "Accounts", "fetch")
        with stored() as store:
            entries = store.list()
        assert [(e.method, e.status, e.name, e.profile) for e in entries] == [
            ("GET", 404, "Fetch your account", "live"),
            ("POST", 201, "Send an SMS", "live"),
        ]
        assert entries[1].collection_file == str(collections / "messages.yaml")
        listing = await open_history_pane(pilot, app, 2)
        assert [e.id for e in listing.entries] == [e.id for e in entries]
        assert pane(app).count_text == "2 entries"


async def test_a_narrow_terminal_reads_no_history_until_f2_shows_it(collections: Path, answers: FakeTwilio) -> None:
    app = build_app(collections, answers)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#history-slot").display is False  # 120 columns: hidden until f2
        await settle(pilot, lambda: bool(app.screen.query(HistoryPane)))  # mounted (hidden) after the first frame
        assert not pane(app).active
        await pilot.press("f2")
        await settle(pilot, lambda: pane(app).active and app.screen.query_one("#history-slot").display)


async def test_a_wide_terminal_shows_the_history_beside_the_response(collections: Path, answers: FakeTwilio) -> None:
    app = build_app(collections, answers)
    async with app.run_test(size=(210, 40)) as pilot:  # from 200 columns it shows by itself
        await pilot.pause()
        await settle(pilot, lambda: bool(app.screen.query(HistoryPane)) and pane(app).active)
        await send(pilot, app, "Messages", "send-sms")
        await settle(pilot, lambda: len(history_list(app).entries) == 1)
        assert app.screen.focused is not history_list(app)  # a send never moves the focus


async def test_filter_tokens_narrow_the_list_and_a_bad_token_is_explained(
    collections: Path, answers: FakeTwilio
) -> None:
    app = build_app(collections, answers)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await send(pilot, app, "Messages", "send-sms")
        await send(pilot, app, "Accounts", "fetch")
        await send(pilot, app, "Accounts", "list")  # no route: 404 too
        listing = await open_history_pane(pilot, app, 3)
        field = app.screen.query_one("#history-filter", Input)
        await pilot.press("slash")  # from the list to the filter
        await settle(pilot, lambda: app.screen.focused is field)
        field.value = "status:4xx"
        await settle(pilot, lambda: [e.status for e in listing.entries] == [404, 404])
        assert pane(app).count_text == "2 entries match"
        field.value = "method:POST"
        await settle(pilot, lambda: [e.name for e in listing.entries] == ["Send an SMS"])
        field.value = "status:4xx list"  # a word and a token
        await settle(pilot, lambda: [e.name for e in listing.entries] == ["List accounts"])
        field.value = "status:abc"
        error = app.screen.query_one("#history-filter-error")
        await settle(pilot, lambda: error.display)
        assert "status:abc" in str(error.render())
        assert [e.name for e in listing.entries] == ["List accounts"]  # the last good result stays
        field.value = ""
        await settle(pilot, lambda: len(listing.entries) == 3 and not error.display)


async def test_an_entry_opens_read_only_and_marked_and_the_tree_goes_back_to_live(
    collections: Path, answers: FakeTwilio
) -> None:
    app = build_app(collections, answers)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await send(pilot, app, "Messages", "send-sms")
        await send(pilot, app, "Accounts", "fetch")
        listing = await open_history_pane(pilot, app, 2)
        older = listing.entries[1]
        await pilot.press("down")
        await settle(pilot, lambda: banner(app) is not None)
        assert banner(app) == f"History · entry {older.id} · recorded --:--:-- · profile live · read-only"
        assert status_text(app).startswith("201 CREATED")  # the recorded answer, with its meaning
        sent = app.screen.query_one("#sent-request").render()
        assert f"Basic {LIVE_SID[:4]}…{LIVE_SID[-4:]}:••••" in str(sent)  # as recorded: masked
        await pilot.press("up")  # the newer one: a decoded Twilio error
        await settle(pilot, lambda: "entry 2 " in (banner(app) or ""))
        assert "Twilio error 20404" in status_text(app)
        await open_request(pilot, app, "Messages", "send-sms")  # choosing a request: live again
        assert banner(app) is None
        assert status_text(app).startswith("201")  # that request's own last answer (the 404 was the fetch's)


async def test_resend_records_a_new_entry_and_shows_the_live_answer(collections: Path, answers: FakeTwilio) -> None:
    app = build_app(collections, answers)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await send(pilot, app, "Messages", "send-sms")
        listing = await open_history_pane(pilot, app, 1)
        app.workbench.action_switch_profile("key")  # the current profile is now the API Key one
        await pilot.press("r")
        await settle(pilot, lambda: len(answers.seen) == 2)
        await app.session.history.drain()
        await settle(pilot, lambda: len(listing.entries) == 2)
        assert banner(app) is None
        newest = listing.entries[0]
        assert (newest.profile, newest.method, newest.path) == ("key", "POST", MESSAGES)
        assert [auth_user(r) for r in answers.seen] == [LIVE_SID, KEY_SID]
        assert answers.seen[-1].content == answers.seen[0].content  # the recorded form, as it was
        await pilot.press("down", "R")  # the first entry again, with the profile it was recorded with
        await settle(pilot, lambda: len(answers.seen) == 3)
        assert auth_user(answers.seen[-1]) == LIVE_SID
        await app.session.history.drain()
        await settle(pilot, lambda: len(listing.entries) == 3)
        assert listing.entries[0].profile == "live"
        assert app.session.active == "key"  # re-sending never switches the profile


async def test_open_in_the_editor_makes_a_new_unsaved_request(collections: Path, answers: FakeTwilio) -> None:
    app = build_app(collections, answers)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await send(pilot, app, "Messages", "send-sms")
        await open_history_pane(pilot, app, 1)
        await pilot.press("e")
        await settle(pilot, lambda: app.workbench.current is not None and app.workbench.current.is_new)
        opened = current(app)
        assert opened.owner.name == "Messages"  # the collection it was recorded from
        assert (opened.request.method, opened.request.url) == ("POST", MESSAGES)
        assert "To=%2B15558675310" in (opened.request.body or "")  # the form exactly as it was sent
        await settle(pilot, lambda: app.screen.query_one(UrlInput).value == MESSAGES)


async def test_save_into_a_collection_writes_the_file(collections: Path, answers: FakeTwilio) -> None:
    app = build_app(collections, answers)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await send(pilot, app, "Accounts", "fetch")
        await open_history_pane(pilot, app, 1)
        await pilot.press("s")
        await settle(pilot, lambda: isinstance(app.screen, SaveToCollection))
        dialog = app.screen
        dialog.query_one(Select).value = 1  # Messages (collections load in file order: accounts, messages)
        name = dialog.query_one("#save-name", Input)
        assert name.value == "Fetch your account"
        name.value = "Account from history"
        await pilot.pause()
        name.focus()
        await pilot.press("enter")
        await settle(pilot, lambda: not isinstance(app.screen, SaveToCollection))
        path = collections / "messages.yaml"
        await settle(pilot, lambda: "Account from history" in path.read_text())
        saved = load_collection(path)
        request = next(r for r in saved.requests if r.name == "Account from history")
        assert (request.method, request.url) == ("GET", "/2010-04-01/Accounts/{{account_sid}}.json")  # a template
        assert "# Fixture: saving one request must keep every comment in this file." in path.read_text()


async def test_delete_removes_one_entry(collections: Path, answers: FakeTwilio) -> None:
    app = build_app(collections, answers)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await send(pilot, app, "Messages", "send-sms")
        await send(pilot, app, "Accounts", "fetch")
        listing = await open_history_pane(pilot, app, 2)
        doomed = listing.entries[0].id
        await pilot.press("delete")
        await settle(pilot, lambda: [e.id for e in listing.entries] == [doomed - 1])
        with stored() as store:
            assert store.get(doomed) is None
            assert store.count() == 1


async def test_clear_all_asks_first(collections: Path, answers: FakeTwilio) -> None:
    app = build_app(collections, answers)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await send(pilot, app, "Messages", "send-sms")
        await send(pilot, app, "Accounts", "fetch")
        listing = await open_history_pane(pilot, app, 2)
        await pilot.press("C")
        await settle(pilot, lambda: isinstance(app.screen, Choice))
        await pilot.press("escape")  # changed my mind: nothing is deleted
        await settle(pilot, lambda: not isinstance(app.screen, Choice))
        with stored() as store:
            assert store.count() == 2
        listing.focus()
        await run_command(pilot, app, "History: clear all")
        await settle(pilot, lambda: isinstance(app.screen, Choice))
        await click(pilot, "#choice-clear")
        await settle(pilot, lambda: not listing.entries and pane(app).count_text == "0 entries")
        with stored() as store:
            assert store.count() == 0


def _exchange(index: int) -> Exchange:
    path = f"/2010-04-01/Accounts/{LIVE_SID}/Messages/SM{index:032d}.json"
    return Exchange(
        request=SentRequest(method="GET", url="https://api.twilio.com" + path, path=path),
        response=Response(status=200, reason="OK", body=b"{}"),
        profile="live",
        name=f"Fetch message {index}",
    )


async def test_the_list_reads_a_page_at_a_time(collections: Path, answers: FakeTwilio) -> None:
    with stored() as store:
        store.record_many((_exchange(i) for i in range(1000)), Redactor())
    app = build_app(collections, answers)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = await open_history_pane(pilot, app, 200)
        assert pane(app).count_text == "1,000 entries · 200 loaded"
        assert [e.id for e in listing.entries] == list(range(1000, 800, -1))
        assert listing.entries[0].name == "Fetch message 999"
        await pilot.press("end")  # the cursor near the end of what is loaded: the next page, older ids
        await settle(pilot, lambda: len(listing.entries) == 400)
        assert [e.id for e in listing.entries] == list(range(1000, 600, -1))
        assert pane(app).count_text == "1,000 entries · 400 loaded"
        await pilot.press("home")
        await pilot.pause()
        assert len(listing.entries) == 400  # going back up reads nothing


def test_snapshot_of_the_history_pane(snap_compare: Any, collections: Path, answers: FakeTwilio) -> None:
    """Three sends, f2, and the middle entry (a Twilio 404) opened read-only under its banner."""
    app = build_app(collections, answers)

    async def steps(pilot: Pilot[Any]) -> None:
        await settle(pilot, lambda: bool(app.screen.query("#body-viewer")) and bool(app.screen.query(HistoryPane)))
        await send(pilot, app, "Messages", "send-sms")
        await send(pilot, app, "Accounts", "fetch")
        await send(pilot, app, "Accounts", "list")
        listing = await open_history_pane(pilot, app, 3)
        await pilot.press("down")
        await settle(pilot, lambda: "entry 2 " in (banner(app) or ""))
        viewer = app.screen.query_one(BodyViewer)
        await settle(pilot, lambda: viewer.line_count > 3)
        assert app.screen.focused is listing
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=steps)


WIDE_PROBE = """
import asyncio, json, sys
from pathlib import Path
from twibench.tui.app import TwibenchApp, make_app
from twibench.tui.widgets.history_pane import HistoryPane

seen = {}

class Probe(TwibenchApp):
    def on_ready(self) -> None:
        seen["first_frame"] = "sqlite3" in sys.modules

async def main() -> None:
    app = make_app([Path(sys.argv[1])], prewarm=False)
    app.__class__ = Probe
    async with app.run_test(size=(210, 40)) as pilot:
        for _ in range(6000):  # a hang guard (60 s of 10 ms pauses), not a time limit
            if app.screen.query(HistoryPane) and app.screen.query_one(HistoryPane).count_text:
                break
            await pilot.pause(0.01)
        seen["count"] = app.screen.query_one(HistoryPane).count_text

asyncio.run(main())
print(json.dumps(seen))
"""


def test_a_wide_start_reads_the_history_only_after_the_first_frame(home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "a.yaml").write_text("name: A\nrequests:\n  - name: R\n    id: r\n    url: /2010-04-01/Accounts.json\n")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", WIDE_PROBE, str(folder)],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=120,
        check=True,
    )
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {"first_frame": False, "count": "0 entries"}
