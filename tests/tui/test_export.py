"""Export the open request from the palette: copy, show or save it as curl, twilio-cli or Python — no secret."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, TextArea

from tests.tui.conftest import LIVE_SID, LIVE_TOKEN, SIZE, FakeTwilio, build_app, settle
from tests.tui.helpers import click, open_request, run_command, table_row, type_into
from tests.tui.notifications import Notes
from twibench.runner import Captured
from twibench.tui.dialogs.prompts import TextPrompt
from twibench.tui.dialogs.snippet import SnippetScreen

CURL = """\
curl -X POST "https://api.twilio.com/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/Messages.json" \\
  --data-urlencode To=+15558675310 \\
  --data-urlencode From=+15005550006 \\
  --data-urlencode 'Body=Hello from twibench' \\
  -u "$TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN"
"""


async def test_show_as_curl_reads_the_token_from_the_environment(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)  # the active profile holds a literal Auth Token
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Messages", "send-sms")
        await run_command(pilot, app, "Show as curl")
        await settle(pilot, lambda: isinstance(app.screen, SnippetScreen))
        text = app.screen.query_one("#snippet-text", TextArea)
        assert text.read_only
        assert text.text == CURL
        assert "$TWILIO_AUTH_TOKEN" in text.text
        assert LIVE_TOKEN not in text.text and LIVE_SID not in text.text
        assert LIVE_TOKEN not in app.export_screenshot()
        await click(pilot, "#snippet-copy")
        assert app.clipboard == CURL
        await pilot.press("escape")
        await settle(pilot, lambda: not isinstance(app.screen, SnippetScreen))


async def test_copy_as_python_and_twilio_cli(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    notes = Notes()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Messages", "send-sms")
        await run_command(pilot, app, "Copy as Python")
        await settle(pilot, lambda: "client.messages.create(" in app.clipboard)
        assert "os.environ['TWILIO_AUTH_TOKEN']" in app.clipboard and LIVE_TOKEN not in app.clipboard
        await settle(pilot, lambda: bool(notes.seen))
        assert "Copied 'Send an SMS' as Python" in notes.last().message
        await run_command(pilot, app, "Copy as twilio-cli")
        await settle(pilot, lambda: app.clipboard.startswith("twilio api:core:messages:create"))
        assert "--body 'Hello from twibench'" in app.clipboard


async def test_twilio_cli_says_why_it_has_no_command(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    notes = Notes()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Messages", "send-sms")
        await pilot.press("ctrl+l", "ctrl+u", *"/2010-04-01/Nothing.json")
        await run_command(pilot, app, "Show as twilio-cli")
        await settle(pilot, lambda: bool(notes.seen))
        assert notes.last().title == "No twilio-cli command"
        assert notes.last().message == (
            "'Send an SMS' has no twilio-cli equivalent: POST /2010-04-01/Nothing.json is not an operation of "
            "Twilio's bundled API specs; use curl instead"
        )
        assert not isinstance(app.screen, SnippetScreen)


async def test_save_as_curl_to_file(collections: Path, twilio: FakeTwilio, tmp_path: Path) -> None:
    app = build_app(collections, twilio)
    target = tmp_path / "out" / "send.sh"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Messages", "send-sms")
        await run_command(pilot, app, "Save as curl to file…")
        await settle(pilot, lambda: isinstance(app.screen, TextPrompt))
        field = app.screen.query_one("#prompt-input", Input)
        assert field.value.endswith("send-sms.sh")
        field.value = str(target)
        await pilot.press("enter")
        await settle(pilot, lambda: target.exists())
        assert target.read_text() == CURL


async def test_a_captured_secret_becomes_an_environment_reference(
    collections: Path, twilio: FakeTwilio, tmp_path: Path
) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Messages", "send-sms")
        app.session.variables.remember([Captured("key_secret", "captured-secret-value-123", True, "test")])
        body = table_row(app, "form-table", "Body").query_one(".kv-value", Input)
        await type_into(pilot, body, " {{key_secret}}")
        await run_command(pilot, app, "Show as Python")
        await settle(pilot, lambda: isinstance(app.screen, SnippetScreen))
        snippet = app.screen.query_one(TextArea).text
        assert "os.environ['KEY_SECRET']" in snippet and "captured-secret-value-123" not in snippet
        await click(pilot, "#snippet-save")  # the dialog's button asks for a file too
        await settle(pilot, lambda: isinstance(app.screen, TextPrompt))
        target = tmp_path / "send.py"
        app.screen.query_one("#prompt-input", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot, lambda: target.exists())
        assert target.read_text() == snippet


async def test_an_unknown_variable_is_named_and_nothing_is_copied(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    notes = Notes()
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Messages", "fetch")  # needs {{message_sid}}, which nothing defines
        await run_command(pilot, app, "Copy as curl")
        await settle(pilot, lambda: bool(notes.seen))
        assert notes.last().severity == "error"
        assert notes.last().message.startswith("Not exported: ")
        assert "message_sid" in notes.last().message
        assert app.clipboard == ""
