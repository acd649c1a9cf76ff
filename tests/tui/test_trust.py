"""The workbench a newcomer trusts (issue 12): the start selection, saving in place, profile labels,
a broken profiles file, and the profile dialog's hints."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Select, Static

from tests.tui.conftest import LIVE_SID, SIZE, FakeTwilio, build_app, live_profiles, settle
from tests.tui.helpers import current, open_request, run_command, table_row, type_into
from tests.tui.notifications import Notes
from twibench.profiles import Profile, SecretRef
from twibench.settings import Settings
from twibench.tui.app import make_app
from twibench.tui.dialogs.profile_editor import ProfileEditor
from twibench.tui.widgets.collection_tree import CollectionTree
from twibench.tui.widgets.url_bar import UrlInput


async def test_start_selects_send_an_sms_as_the_readme_says(
    collections: Path, twilio: FakeTwilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    """README step 1 (`twibench` with no PATH): the tree has focus with Messages › Send an SMS selected (item 13)."""
    monkeypatch.chdir(collections.parent)  # ./collections is what `twibench` opens with no PATH
    app = make_app(
        None,
        transport=twilio.transport(),
        profiles=live_profiles(),
        settings=Settings(),
        show_timings=False,
        prewarm=False,
        cursor_blink=False,
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.workbench.current is not None)
        tree = app.screen.query_one(CollectionTree)
        assert app.screen.focused is tree
        assert (current(app).owner.name, current(app).request.name) == ("Messages", "Send an SMS")
        await settle(pilot, lambda: tree.cursor_node is not None and tree.cursor_node.data is current(app))
        assert app.screen.query_one(UrlInput).value.endswith("/Messages.json")


async def test_ctrl_s_saves_in_place_without_a_dialog(collections: Path, twilio: FakeTwilio) -> None:
    """ctrl+s on a request from a file: no dialog, `Saved …`, and only the edited line changes (item 1)."""
    notes = Notes()
    path = collections / "messages.yaml"
    before = path.read_text()
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await settle(pilot, lambda: app.workbench.current is not None)
        await open_request(pilot, app, "Messages", "send-sms")
        await settle(pilot, lambda: bool(app.screen.query("#form-table .kv-value")))
        value = table_row(app, "form-table", "Body").query_one(".kv-value", Input)
        await type_into(pilot, value, "!")
        await settle(pilot, lambda: current(app).modified)
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: not current(app).modified)
        assert app.screen is app.workbench
        assert any(text.startswith("Saved") for text in notes.texts), notes.texts
    after = path.read_text()
    assert after == before.replace("Body: Hello from twibench\n", "Body: Hello from twibench!\n")


def _local_profiles() -> list[Profile]:
    return [
        Profile(
            name="mock",
            kind="auth_token",
            account_sid=LIVE_SID,
            username=LIVE_SID,
            secret=SecretRef(literal="mock-token-0123456789"),
            base_url="http://127.0.0.1:8787",
        )
    ]


async def test_a_loopback_profile_is_labelled_local(collections: Path, twilio: FakeTwilio) -> None:
    """LOCAL, not LIVE, for a profile whose base URL is loopback, and no LIVE warning on switching (item 4)."""
    profile_set = live_profiles()
    for profile in _local_profiles():
        profile_set.profiles[profile.name] = profile
    notes = Notes()
    app = build_app(collections, twilio, profile_set=profile_set)
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await settle(pilot, lambda: app.workbench.current is not None)
        badge = app.screen.query_one("#profile-badge", Static)
        assert str(badge.render()).strip() == "LIVE"
        app.workbench.action_switch_profile("mock")
        await settle(pilot, lambda: str(badge.render()).strip() == "LOCAL")
        assert badge.has_class("-local") and not badge.has_class("-live")
        assert not any("is LIVE" in text for text in notes.texts)


async def test_a_broken_profiles_file_opens_with_the_sandbox(collections: Path, home: Path) -> None:
    """An unreadable profiles.yaml never stops the app: it opens on the sandbox and shows the error (item 5)."""
    (home / "profiles.yaml").write_text("profiles:\n  work:\n    account_sid: nope\n")
    (home / "profiles.yaml").chmod(0o600)
    notes = Notes()
    app = make_app([collections], settings=Settings(), show_timings=False, prewarm=False, cursor_blink=False)
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await settle(pilot, lambda: app.workbench.current is not None)
        assert app.session.profile.is_sandbox
        await settle(pilot, lambda: any("profiles.yaml:3" in text for text in notes.texts))
        assert any(n.severity == "error" for n in notes.seen)


async def test_the_profile_dialog_takes_a_base_url_and_names_the_api_secret(
    collections: Path, twilio: FakeTwilio
) -> None:
    """+ Profile: a base URL field labelled LOCAL for loopback; the API Key kind hints TWILIO_API_SECRET."""
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.workbench.current is not None)
        await run_command(pilot, app, "Add profile")
        await settle(pilot, lambda: isinstance(app.screen, ProfileEditor))
        dialog = app.screen
        dialog.query_one("#p-kind", Select).value = "api_key"
        await pilot.pause()
        assert dialog.query_one("#p-env", Input).placeholder == "TWILIO_API_SECRET"
        await type_into(pilot, dialog.query_one("#p-base-url", Input), "http://127.0.0.1:8787")
        await pilot.pause()
        host = str(dialog.query_one("#p-host").render())
        assert "127.0.0.1:8787" in host and "LOCAL" in host


async def test_unknown_variable_says_f3_and_a_refused_send_marks_the_old_response_stale(
    collections: Path, twilio: FakeTwilio
) -> None:
    """Items 8 and 10: the fix is said in the TUI's keys; the earlier response is marked stale, not current."""
    from tests.tui.conftest import status_text
    from twibench.tui.widgets.response_view import ResponseView

    twilio.json("GET", f"/2010-04-01/Accounts/{LIVE_SID}.json", 200, {"sid": LIVE_SID})
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.workbench.current is not None)
        await open_request(pilot, app, "Accounts", "fetch")
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: status_text(app).startswith("200"))
        # The same request, now needing {{message_sid}}, which nothing defines: refused, the 200 stays below.
        await type_into(pilot, app.screen.query_one(UrlInput), "?Sid={{message_sid}}")
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: "unknown variable" in status_text(app))
        assert "press f3, then a" in status_text(app) and "--var" not in status_text(app)
        banner = app.screen.query_one(ResponseView).banner or ""
        assert banner.startswith("Stale")


async def test_the_empty_url_placeholder_reads_as_a_hint(collections: Path, twilio: FakeTwilio) -> None:
    """Item 16: the placeholder cannot be mistaken for a URL that is there."""
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: app.workbench.current is not None)
        hint = app.screen.query_one(UrlInput).placeholder
        assert hint.startswith("Type a URL") and "curl" in hint
        assert "/" not in hint and "{{" not in hint  # nothing in it reads as an address already typed


async def test_the_sandbox_profile_line_shows_its_address_once_it_runs(collections: Path, sandbox: Path) -> None:
    """Item 4: nothing else tells the sandbox's port; its profile line does once it is started."""
    from twibench import profiles
    from twibench.sandbox import embedded

    # Timings shown: the non-deterministic mode a user runs (snapshots hide ports along with times).
    profile_set = profiles.load_profiles()
    profile_set.get("sandbox").api_base()  # started before, as by the first send (not on the app's loop)
    app = make_app([collections], profiles=profile_set, settings=Settings(), prewarm=False)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, lambda: app.workbench.current is not None)
        netloc = (embedded.known_url() or "").removeprefix("http://")
        from twibench.tui.widgets.picker import Picker

        shown = app.screen.query_one("#profile-select", Picker)
        await settle(pilot, lambda: f"local sandbox {netloc}" in str(shown.render()))
