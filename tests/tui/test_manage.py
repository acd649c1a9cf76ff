"""Managing requests and collections (ctrl+n and the command palette), profiles, links in responses, help."""

from __future__ import annotations

import stat
from pathlib import Path

import yaml
from textual.widgets import Input, Select

from tests.tui.conftest import LIVE_SID, SIZE, FakeTwilio, build_app, settle, status_text
from tests.tui.helpers import click, current, open_request, run_command, type_into
from twibench.collection import load_collection
from twibench.tui.app import TwibenchApp
from twibench.tui.dialogs.help import HelpScreen
from twibench.tui.dialogs.profile_editor import ProfileEditor
from twibench.tui.dialogs.prompts import Choice, TextPrompt
from twibench.tui.widgets.body import BodyViewer
from twibench.tui.widgets.collection_tree import CollectionTree
from twibench.tui.widgets.url_bar import UrlInput

ACCOUNTS = "/2010-04-01/Accounts.json"


def names(app: TwibenchApp, collection: str) -> list[str]:
    entries = app.session.workspace.entries()
    return [e.request.name for e in entries if e.owner.name == collection]


async def test_duplicate_rename_and_delete_from_the_palette(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    path = collections / "accounts.yaml"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Accounts", "list")
        await run_command(pilot, app, "Duplicate request")
        await settle(pilot, lambda: "List accounts copy" in names(app, "Accounts"))

        await run_command(pilot, app, "Rename request")
        await settle(pilot, lambda: isinstance(app.screen, TextPrompt))
        await pilot.press("ctrl+u", *"All accounts", "enter")
        await settle(pilot, lambda: "All accounts" in names(app, "Accounts"))
        assert names(app, "Accounts") == ["Fetch your account", "List accounts", "All accounts"]
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: "All accounts" in path.read_text())
        assert [(r.id, r.name) for r in load_collection(path).requests] == [
            ("fetch", "Fetch your account"),
            ("list", "List accounts"),
            ("all-accounts", "All accounts"),  # renamed before its first save: the id follows the name
        ]

        await run_command(pilot, app, "Delete request")
        await settle(pilot, lambda: isinstance(app.screen, Choice))
        await click(pilot, "#choice-delete")
        await settle(pilot, lambda: "All accounts" not in path.read_text())
        assert [r.id for r in load_collection(path).requests] == ["fetch", "list"]
        assert names(app, "Accounts") == ["Fetch your account", "List accounts"]


async def test_new_collection_file_from_the_palette(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await run_command(pilot, app, "New collection file")
        await settle(pilot, lambda: isinstance(app.screen, TextPrompt))
        await pilot.press(*"Call logs", "enter")
        path = collections / "call-logs.yaml"
        await settle(pilot, lambda: path.exists())
        created = load_collection(path)
        assert created.name == "Call logs"
        assert [r.id for r in created.requests] == ["fetch-account"]
        tree = app.screen.query_one(CollectionTree)
        assert "Call logs" in [str(n.label) for n in tree.root.children]


async def test_go_to_request_is_a_fuzzy_search(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await run_command(pilot, app, "Messages › GET Fetch a message")
        url = app.screen.query_one(UrlInput)
        await settle(pilot, lambda: "message_sid" in url.value)


async def test_the_profile_dialog_writes_0600_and_never_shows_the_secret(
    collections: Path, twilio: FakeTwilio, home: Path
) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await run_command(pilot, app, "Add profile")
        await settle(pilot, lambda: isinstance(app.screen, ProfileEditor))
        dialog = app.screen
        await type_into(pilot, dialog.query_one("#p-name", Input), "work")
        await type_into(pilot, dialog.query_one("#p-account", Input), "AC" + "ab" * 16)
        dialog.query_one("#p-source", Select).value = "literal"
        await pilot.pause()
        secret_field = dialog.query_one("#p-secret", Input)
        assert secret_field.password
        await type_into(pilot, secret_field, "s3cret-typed-here")
        await type_into(pilot, dialog.query_one("#p-region", Input), "ie1")
        await pilot.pause()
        assert "s3cret-typed-here" not in app.export_screenshot()
        assert "api.dublin.ie1.twilio.com" in str(dialog.query_one("#p-host").render())
        await click(pilot, "#p-save")
        await settle(pilot, lambda: not isinstance(app.screen, ProfileEditor))
        path = home / "profiles.yaml"
        await settle(pilot, lambda: path.exists())
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        written = yaml.safe_load(path.read_text())
        assert written["profiles"]["work"] == {
            "account_sid": "AC" + "ab" * 16,
            "auth_token": "s3cret-typed-here",
            "region": "ie1",
        }
        assert app.session.active == "work"
        assert "s3cret-typed-here" not in app.export_screenshot()


async def test_the_profile_dialog_validates_sids(collections: Path, twilio: FakeTwilio, home: Path) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await click(pilot, "#profile-edit")
        await settle(pilot, lambda: isinstance(app.screen, ProfileEditor))
        dialog = app.screen
        await type_into(pilot, dialog.query_one("#p-name", Input), "bad")
        await type_into(pilot, dialog.query_one("#p-account", Input), "AC123")
        dialog.query_one("#p-kind", Select).value = "api_key"
        await pilot.pause()
        await type_into(pilot, dialog.query_one("#p-key", Input), "SKnope")
        await click(pilot, "#p-save")
        await pilot.pause()
        errors = str(dialog.query_one("#p-errors").render())
        assert "Account SID: AC followed by 32 lowercase hex digits." in errors
        assert "API Key SID: SK followed by 32 lowercase hex digits." in errors
        assert isinstance(app.screen, ProfileEditor)
        await pilot.press("escape")
        await settle(pilot, lambda: not isinstance(app.screen, ProfileEditor))
        assert not (home / "profiles.yaml").exists()


async def test_enter_on_a_uri_line_opens_it_as_a_new_request_and_sends_it(
    collections: Path, twilio: FakeTwilio
) -> None:
    account_uri = f"/2010-04-01/Accounts/{LIVE_SID}.json"
    twilio.json("GET", ACCOUNTS, 200, {"accounts": [{"sid": LIVE_SID, "uri": account_uri}], "next_page_uri": None})
    twilio.json("GET", account_uri, 200, {"sid": LIVE_SID, "friendly_name": "Mine", "uri": account_uri})
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Accounts", "list")
        await pilot.press("ctrl+j")
        viewer = app.screen.query_one(BodyViewer)
        await settle(pilot, lambda: any('"uri"' in line for line in viewer.lines))
        viewer.focus()
        line = next(i for i, text in enumerate(viewer.lines) if '"uri"' in text)
        await pilot.press(*["down"] * line)
        await pilot.press("enter")
        await settle(pilot, lambda: len(twilio.seen) == 2 and "200 OK" in status_text(app))
        assert twilio.seen[1].url.path == account_uri
        opened = current(app)
        assert opened.owner.name == "Opened links" and opened.request.url == account_uri
        assert app.screen.query_one(UrlInput).value == account_uri
        assert not opened.modified  # an opened link is not an unsaved edit


async def test_bracket_follows_next_page_uri(collections: Path, twilio: FakeTwilio) -> None:
    next_page = "/2010-04-01/Accounts.json?PageSize=20&Page=1&PageToken=PAabc"
    pages = iter(
        [
            {"accounts": [{"sid": LIVE_SID}], "next_page_uri": next_page},
            {"accounts": [], "next_page_uri": None},
        ]
    )

    import httpx

    twilio.add("GET", ACCOUNTS, lambda request: httpx.Response(200, json=next(pages)))
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Accounts", "list")
        await pilot.press("ctrl+j")
        viewer = app.screen.query_one(BodyViewer)
        await settle(pilot, lambda: viewer.next_page_uri == next_page)
        viewer.focus()
        await pilot.press("right_square_bracket")
        await settle(pilot, lambda: len(twilio.seen) == 2)
        assert str(twilio.seen[1].url).endswith(next_page)


async def test_f1_explains_the_focused_widget_and_its_keys(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await settle(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert help_screen.help_title == "Collections"
        keys = {k.key: k.description for k in help_screen.key_help}
        assert keys["^j / alt+⏎ / f5"] == "Send the open request; the focus stays where it is"
        assert keys["^l"] == "Go to the URL, cursor at the end (nothing selected)"
        assert keys["f1"] == "Explain the focused widget and its keys"
        here = [k.description for k in help_screen.key_help if k.here]
        assert "Cursor Up" in here
        await pilot.press("escape")
        await settle(pilot, lambda: not isinstance(app.screen, HelpScreen))
        await pilot.press("ctrl+l", "f1")
        await settle(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert help_screen.help_title == "URL"
        assert "{{name}}" in help_screen.help_text


async def test_save_response_body_from_the_palette(collections: Path, twilio: FakeTwilio, tmp_path: Path) -> None:
    from tests.tui.conftest import LIVE_TOKEN

    account = f"/2010-04-01/Accounts/{LIVE_SID}.json"
    twilio.json("GET", account, 200, {"sid": LIVE_SID, "auth_token": LIVE_TOKEN})
    app = build_app(collections, twilio)
    target = tmp_path / "account.json"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Accounts", "fetch")
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: status_text(app).startswith("200"))
        await run_command(pilot, app, "Save response body to file")
        await settle(pilot, lambda: isinstance(app.screen, TextPrompt))
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot, lambda: target.exists())
    saved = target.read_text()
    assert LIVE_SID in saved
    assert LIVE_TOKEN not in saved and "••••" in saved


async def test_the_palette_switches_profile_and_offers_the_theme(collections: Path, twilio: FakeTwilio) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await run_command(pilot, app, "Switch profile: key")
        await settle(pilot, lambda: app.session.active == "key")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Theme" in titles  # Textual's own theme picker
        assert "Switch profile: live (LIVE)" in titles
