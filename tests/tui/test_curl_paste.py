"""Pasting a curl command into the URL field: the whole command (every line) becomes the open request."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import TabbedContent

from tests.tui.conftest import SIZE, FakeTwilio, build_app, settle
from tests.tui.helpers import click, current, dialog, open_request, run_command
from tests.tui.notifications import Notes
from twibench.collection import load_collection
from twibench.tui.app import TwibenchApp
from twibench.tui.dialogs.prompts import Choice
from twibench.tui.dialogs.save_to_collection import SaveToCollection
from twibench.tui.widgets.url_bar import MethodSelect, UrlInput

# As Twilio's docs print it ("Send an SMS message"), line continuations and all.
TWILIO_DOCS_CURL = """\
curl -X POST "https://api.twilio.com/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/Messages.json" \\
--data-urlencode "Body=Hi there, \\$5 off & free shipping" \\
--data-urlencode "From=+15557122661" \\
--data-urlencode "To=+15558675310" \\
-u $TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN
"""

LITERAL_SECRET = "5f4dcc3b5aa765d61d8327deb882cf99"
LITERAL_SID = "AC" + "fe" * 16
WITH_LITERAL_SECRET = (
    f"curl 'https://api.twilio.com/2010-04-01/Accounts/{LITERAL_SID}/Calls.json?Status=busy&PageSize=5' "
    f"-u {LITERAL_SID}:{LITERAL_SECRET} -L"
)


async def paste(app: TwibenchApp, text: str) -> None:
    """Paste as a terminal does (bracketed paste): the app forwards the event to the focused widget."""
    app.post_message(events.Paste(text))


async def test_a_multi_line_curl_from_twilios_docs_becomes_the_open_request(
    collections: Path, twilio: FakeTwilio
) -> None:
    app = build_app(collections, twilio)
    notes = Notes()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await pilot.pause()
        entry = await open_request(pilot, app, "Accounts", "fetch")
        await pilot.press("ctrl+l")
        url = app.screen.query_one(UrlInput)
        # A terminal may send the line breaks as CR: the whole command must arrive anyway.
        await paste(app, TWILIO_DOCS_CURL.replace("\n", "\r"))
        await settle(pilot, lambda: url.value == "/2010-04-01/Accounts/{{account_sid}}/Messages.json")
        request = entry.request
        assert request.method == "POST"
        assert request.form == [
            ("Body", "Hi there, $5 off & free shipping"),
            ("From", "+15557122661"),
            ("To", "+15558675310"),
        ]
        assert request.auth.mode == "profile"  # -u with the standard variables means "the profile"
        assert (request.name, request.id) == ("Fetch your account", "fetch")  # the same entry of the file
        assert entry.modified and entry.saved is not None and entry.saved.method == "GET"
        await settle(pilot, lambda: app.screen.query_one(MethodSelect).value == "POST")
        tabs = app.screen.query_one("#request-tabs", TabbedContent)
        await settle(pilot, lambda: str(tabs.get_tab("tab-body").label) == "Form (3)")
        assert app.screen.focused is url
        await settle(pilot, lambda: bool(notes.seen))
        assert notes.last().severity == "information"
        sends = "now sends POST /2010-04-01/Accounts/{{account_sid}}/Messages.json with 3 form fields"
        assert sends in notes.texts[-1]

        await pilot.press("ctrl+s")  # the edit is saved like any other
        await settle(pilot, lambda: not entry.modified)
        saved = next(r for r in load_collection(collections / "accounts.yaml").requests if r.id == "fetch")
        assert saved.method == "POST" and saved.form == request.form


async def test_a_literal_secret_is_dropped_with_a_warning_and_shown_nowhere(
    collections: Path, twilio: FakeTwilio
) -> None:
    app = build_app(collections, twilio)
    notes = Notes()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await pilot.pause()
        entry = await open_request(pilot, app, "Accounts", "list")
        await pilot.press("ctrl+l")
        url = app.screen.query_one(UrlInput)
        await paste(app, WITH_LITERAL_SECRET)
        await settle(pilot, lambda: url.value == "/2010-04-01/Accounts/{{account_sid}}/Calls.json")
        request = entry.request
        assert request.params == [("Status", "busy"), ("PageSize", "5")]
        assert request.follow_redirects is True
        assert request.auth.mode == "profile"
        await settle(pilot, lambda: bool(notes.seen))
        warning = notes.last()
        assert warning.severity == "warning"
        assert "the literal secret given with -u for ACfe…fefe was not written" in warning.message
        assert all(LITERAL_SECRET not in text for text in notes.texts)
        assert LITERAL_SECRET not in repr(entry.request)
        await pilot.pause()
        assert LITERAL_SECRET not in app.export_screenshot()
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: not entry.modified)
        assert LITERAL_SECRET not in (collections / "accounts.yaml").read_text()


async def test_a_broken_curl_command_changes_nothing(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    notes = Notes()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await pilot.pause()
        entry = await open_request(pilot, app, "Messages", "send-sms")
        await pilot.press("ctrl+l")
        url = app.screen.query_one(UrlInput)
        before = url.value
        await paste(app, "curl -X POST 'https://api.twilio.com/2010-04-01/Accounts.json \\\n  --data-urlencode To=+1")
        await settle(pilot, lambda: any(n.severity == "error" for n in notes.seen))
        error = notes.last()
        assert error.message == (
            "The pasted curl command was not used: the command has an unterminated single quote (')."
        )
        assert "\n" not in error.message
        await paste(app, "curl --frobnicate https://api.twilio.com/2010-04-01/Accounts.json")
        await settle(pilot, lambda: len([n for n in notes.seen if n.severity == "error"]) == 2)
        assert "unknown curl option --frobnicate" in notes.last().message
        assert entry.draft is None and not entry.modified
        assert url.value == before


async def test_other_pastes_are_typed_once(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Accounts", "fetch")
        await pilot.press("ctrl+l")
        url = app.screen.query_one(UrlInput)
        await paste(app, "?x=curl\nsecond line")  # not a curl command: Input keeps the first line, once
        await settle(pilot, lambda: url.value.endswith("?x=curl"))
        assert url.value == "/2010-04-01/Accounts/{{account_sid}}.json?x=curl"


async def test_a_new_request_takes_the_operations_name(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Messages", "send-sms")
        await pilot.press("ctrl+n")
        await dialog(pilot, app, SaveToCollection)
        await pilot.press("enter")  # no name given: the pasted operation names it
        await settle(pilot, lambda: current(app).is_new)
        entry = current(app)
        await pilot.press("ctrl+l")
        await paste(app, TWILIO_DOCS_CURL)
        await settle(pilot, lambda: entry.request.method == "POST")
        assert (entry.request.name, entry.request.id) == ("Create message", "create-message")


async def test_revert_request_undoes_a_paste(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        entry = await open_request(pilot, app, "Accounts", "fetch")
        await pilot.press("ctrl+l")
        await paste(app, TWILIO_DOCS_CURL)
        await settle(pilot, lambda: entry.request.method == "POST")
        await run_command(pilot, app, "Revert request…")
        await settle(pilot, lambda: isinstance(app.screen, Choice))
        await click(pilot, "#choice-revert")
        await settle(pilot, lambda: not entry.modified)
        assert entry.draft is None and entry.request.method == "GET"
        url = app.screen.query_one(UrlInput)
        await settle(pilot, lambda: url.value == "/2010-04-01/Accounts/{{account_sid}}.json")
