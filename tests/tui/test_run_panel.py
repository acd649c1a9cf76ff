"""Collection runs in the TUI (ctrl+r): rows per request against the deterministic sandbox, escape
stops, a live profile asks first, refusals are explained, runs are recorded in history with their id,
and the Variables view (f3) shows captures with secrets masked and takes edits."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList, Static

from tests.tui.conftest import (
    LIVE_SID,
    SHIPPED,
    SIZE,
    FakeTwilio,
    build_app,
    live_profiles,
    sandbox_app,
    settle,
)
from tests.tui.helpers import click, current, dialog, open_request, run_command
from twibench import paths
from twibench.history import open_history
from twibench.redact import MASK
from twibench.settings import Settings
from twibench.tui.app import TwibenchApp, make_app
from twibench.tui.dialogs.prompts import Choice, TextPrompt
from twibench.tui.dialogs.variables import VariablesScreen
from twibench.tui.widgets.history_list import HistoryList
from twibench.tui.widgets.response_view import ResponseView
from twibench.tui.widgets.run_panel import RunPanel
from twibench.tui.widgets.side_panel import SidePanel

ACCOUNT = f"/2010-04-01/Accounts/{LIVE_SID}.json"
ACCOUNTS = "/2010-04-01/Accounts.json"


def panel(app: TwibenchApp) -> RunPanel:
    return app.screen.query_one(RunPanel)


async def run_and_wait(pilot: Pilot[Any], app: TwibenchApp, *, rounds: int = 3000) -> RunPanel:
    """ctrl+r and wait until the run has ended (finished, stopped or refused)."""
    await pilot.press("ctrl+r")
    await settle(
        pilot, lambda: bool(app.screen.query(RunPanel)) and panel(app).state not in ("idle", "running"), rounds=rounds
    )
    return panel(app)


async def test_ctrl_r_runs_the_messages_collection_against_the_sandbox(sandbox: Path) -> None:
    app = sandbox_app([SHIPPED / "messages.yaml"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Messages", "list")
        result = await run_and_wait(pilot, app)
        assert result.header.splitlines() == ["Messages · profile sandbox", "finished · 6 passed · 6 of 6 requests"]
        rows = [row.splitlines()[0] for row in result.rows]
        assert rows == [
            "✓ PASS  1/6 Send an SMS",
            "✓ PASS  2/6 Send an MMS with two images",
            "✓ PASS  3/6 List messages sent to a number",
            "✓ PASS  4/6 Fetch a message",
            "✓ PASS  5/6 Redact a message body",
            "✓ PASS  6/6 Delete a message",
        ]
        assert result.rows[0].splitlines()[1].strip() == "201 CREATED · — ms"
        assert result.rows[5].splitlines()[1].strip() == "204 NO CONTENT · — ms"
        assert app.screen.query_one("#history-slot").display  # the panel opened on a narrow terminal too
        # The run's exchanges are in history under its id; captures are shared with single sends.
        await app.session.history.drain()
        with open_history(paths.history_db()) as store:
            recorded = store.list(filter=f"run:{result.run_id}")
        assert len(recorded) >= 6  # polling the fetch records every attempt
        assert {e.run_id for e in recorded} == {result.run_id}
        assert recorded[-1].name == "Send an SMS"
        assert app.session.captured["message_sid"].startswith("SM")
        # A row shows its exchange in the response area, marked as a run result.
        options = result.query_one(OptionList)
        options.focus()
        options.highlighted = 0
        await pilot.press("enter")
        response = app.screen.query_one(ResponseView)
        await settle(pilot, lambda: response.banner is not None)
        assert response.banner == "Run result · 1/6 Send an SMS · PASS · profile sandbox · read-only"


async def _hang(request: httpx.Request) -> httpx.Response:
    await asyncio.Event().wait()  # an answer that never comes
    raise AssertionError("unreachable")


async def test_escape_stops_a_run(collections: Path) -> None:
    app = make_app(
        [collections],
        transport=httpx.MockTransport(_hang),
        profiles=live_profiles(),
        settings=Settings(),
        show_timings=False,
        prewarm=False,
        cursor_blink=False,
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Accounts", "fetch")
        await pilot.press("ctrl+r")
        await settle(pilot, lambda: isinstance(app.screen, Choice))
        await click(pilot, "#choice-run")
        await settle(pilot, lambda: panel(app).state == "running" and len(panel(app).rows) == 1)
        assert panel(app).rows[0].startswith("… RUN   1/2 Fetch your account")
        hint = app.screen.query_one("#run-hint", Static)
        assert "escape: stop" in str(hint.render())
        await pilot.press("escape")
        await settle(pilot, lambda: panel(app).state == "stopped")
        await pilot.pause()
        assert "escape" not in str(hint.render()) and "ctrl+r: run again" in str(hint.render())  # once it ended
        assert panel(app).header.splitlines()[1].startswith("stopped · 0 passed · 0 of 2 requests")
        assert panel(app).rows == []


async def test_a_live_profile_asks_before_anything_is_sent(collections: Path, twilio: FakeTwilio) -> None:
    twilio.json("GET", ACCOUNT, 200, {"sid": LIVE_SID})
    twilio.json("GET", ACCOUNTS, 200, {"accounts": []})
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Accounts", "fetch")
        await pilot.press("ctrl+r")
        choice = await dialog(pilot, app, Choice)
        assert "LIVE profile 'live'" in choice.choice_title
        assert "2 request(s)" in choice.message
        await pilot.press("escape")
        await settle(pilot, lambda: not isinstance(app.screen, Choice))
        await pilot.pause()
        assert twilio.seen == []
        await run_command(pilot, app, "Run collection: Accounts")
        await settle(pilot, lambda: isinstance(app.screen, Choice))
        await click(pilot, "#choice-run")
        await settle(pilot, lambda: panel(app).state == "passed")
        assert [r.url.path for r in twilio.seen] == [ACCOUNT, ACCOUNTS]
        assert panel(app).header.splitlines()[0] == "Accounts · profile live (LIVE)"


async def test_a_run_started_from_the_history_shows_its_tab_and_takes_the_focus(
    collections: Path, twilio: FakeTwilio
) -> None:
    twilio.json("GET", ACCOUNT, 200, {"sid": LIVE_SID})
    twilio.json("GET", ACCOUNTS, 200, {"accounts": []})
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Accounts", "fetch")
        await pilot.press("f2")
        await settle(pilot, lambda: isinstance(app.screen.focused, HistoryList))
        await pilot.press("ctrl+r")
        await settle(pilot, lambda: isinstance(app.screen, Choice))
        await click(pilot, "#choice-run")
        await settle(pilot, lambda: panel(app).state == "passed")
        await pilot.pause()
        assert app.screen.query_one(SidePanel).tab == "run"
        results = panel(app).query_one(OptionList)
        await settle(pilot, lambda: app.screen.focused is results)  # focused once the results are drawn
        await pilot.press("down", "enter")  # the second result
        response = app.screen.query_one(ResponseView)
        await settle(pilot, lambda: (response.banner or "").startswith("Run result · 2/2 List accounts · PASS"))


async def test_a_sandbox_only_collection_refuses_a_live_profile(collections: Path, twilio: FakeTwilio) -> None:
    (collections / "tour.yaml").write_text(
        "name: Tour\nsandbox_only: true\nrequests:\n  - name: Fetch\n    id: fetch\n"
        "    url: /2010-04-01/Accounts/{{account_sid}}.json\n"
    )
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Tour", "fetch")
        result = await run_and_wait(pilot, app)
        assert result.state == "aborted"
        assert "collection 'Tour' is sandbox_only; it refuses the live profile 'live'" in result.header
        assert not isinstance(app.screen, Choice)  # refused before asking
        assert twilio.seen == []


async def test_a_run_that_cannot_start_names_the_unknown_variable(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Messages", "fetch")  # needs {{message_sid}}, which nothing captures
        result = await run_and_wait(pilot, app)
        assert result.state == "aborted"
        assert "messages.yaml" in result.header
        assert "unknown variable 'message_sid'" in result.header
        assert twilio.seen == []


async def test_variables_view_masks_a_captured_secret_and_takes_edits(sandbox: Path) -> None:
    app = sandbox_app([SHIPPED / "api-keys.yaml"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "API keys", "create")
        result = await run_and_wait(pilot, app)
        assert result.rows[0].startswith("✓ PASS  1/")
        secret = app.session.captured["key_secret"]
        assert "key_secret" in app.session.captured_secrets
        await pilot.press("f3")
        await settle(pilot, lambda: isinstance(app.screen, VariablesScreen))
        view = app.screen
        assert isinstance(view, VariablesScreen)
        shown = {e.name: (e.shown, e.source, e.origin) for e in view.entries}
        assert shown["key_secret"] == (MASK, "captured", "api-keys.yaml#create")
        assert shown["key_sid"][1:] == ("captured", "api-keys.yaml#create")
        assert shown["account_sid"][1:] == ("profile", "sandbox")
        assert secret not in app.export_screenshot()
        # Edit a value: it overrides the capture for the rest of the session.
        table = view.query_one(DataTable)
        table.move_cursor(row=[e.name for e in view.entries].index("key_sid"))
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, TextPrompt))
        await pilot.press("ctrl+u", *"SK_edited", "enter")
        await settle(pilot, lambda: isinstance(app.screen, VariablesScreen))
        edited = {e.name: (e.shown, e.source) for e in view.entries}
        assert edited["key_sid"] == ("SK_edited", "override")
        await pilot.press("escape")
        await settle(pilot, lambda: not isinstance(app.screen, VariablesScreen))
        assert app.session.values(current(app))["key_sid"] == "SK_edited"
        # The captured secret never reached the history in clear.
        await app.session.history.drain()
        with open_history(paths.history_db()) as store:
            for listed in store.list(filter=f"run:{result.run_id}"):
                full = store.get(listed.id)
                assert full is not None
                assert secret.encode() not in (full.response_body or b"") + (full.request_body or b"")
