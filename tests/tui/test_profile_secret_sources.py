"""The profile dialog and secrets kept outside profiles.yaml: the OS keyring (chosen there) and a command
(kept when the profile is edited, read off the event loop by a run). The keyring is the suite's
file-backed one (tests/conftest.py)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import yaml
from textual.widgets import Input, Select

from tests.keyring_backend import FileKeyring
from tests.tui.conftest import LIVE_SID, LIVE_TOKEN, SIZE, FakeTwilio, build_app, live_profiles, settle
from tests.tui.helpers import click, dialog, open_request, run_command, type_into
from twibench import secret_sources
from twibench.profiles import Profile, SecretRef
from twibench.tui.dialogs.profile_editor import ProfileEditor
from twibench.tui.dialogs.prompts import Choice
from twibench.tui.widgets.run_panel import RunPanel


async def test_the_dialog_stores_a_typed_secret_in_the_keyring(
    collections: Path, twilio: FakeTwilio, home: Path, test_keyring: FileKeyring
) -> None:
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await run_command(pilot, app, "Add profile")
        await settle(pilot, lambda: isinstance(app.screen, ProfileEditor))
        dialog = app.screen
        await type_into(pilot, dialog.query_one("#p-name", Input), "vault")
        await type_into(pilot, dialog.query_one("#p-account", Input), "AC" + "cd" * 16)
        dialog.query_one("#p-source", Select).value = "keyring"
        await pilot.pause()
        assert dialog.query_one("#p-secret", Input).display
        assert not dialog.query_one("#p-literal-warning").display
        await type_into(pilot, dialog.query_one("#p-secret", Input), "typed-into-the-keyring")
        await click(pilot, "#p-save")
        await settle(pilot, lambda: not isinstance(app.screen, ProfileEditor))
        path = home / "profiles.yaml"
        await settle(pilot, lambda: path.exists())
        assert test_keyring.get_password("twibench", "AC" + "cd" * 16) == "typed-into-the-keyring"
        assert "typed-into-the-keyring" not in path.read_text()
        assert yaml.safe_load(path.read_text())["profiles"]["vault"]["auth_token"] == {"keyring": "twibench"}


async def test_editing_a_command_profile_keeps_its_command(collections: Path, twilio: FakeTwilio, home: Path) -> None:
    profile_set = live_profiles()
    command = ("op", "read", "op://vault/twilio/token")
    profile_set.profiles["live"].secret = SecretRef(command=command)
    app = build_app(collections, twilio, profile_set=profile_set)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await run_command(pilot, app, "Edit profile: live")
        await settle(pilot, lambda: isinstance(app.screen, ProfileEditor))
        dialog = app.screen
        assert dialog.query_one("#p-source", Select).value == "kept"
        assert not dialog.query_one("#p-secret", Input).display
        await click(pilot, "#p-save")
        await settle(pilot, lambda: not isinstance(app.screen, ProfileEditor))
        path = home / "profiles.yaml"
        await settle(pilot, lambda: path.exists())
        written = yaml.safe_load(path.read_text())["profiles"]["live"]
        assert written == {"account_sid": LIVE_SID, "auth_token": {"command": list(command)}}


async def test_a_run_reads_a_command_secret_once_off_the_event_loop(
    collections: Path, twilio: FakeTwilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = f"/2010-04-01/Accounts/{LIVE_SID}.json"
    twilio.json("GET", account, 200, {"sid": LIVE_SID})
    twilio.json("GET", "/2010-04-01/Accounts.json", 200, {"accounts": []})
    threads: list[str] = []

    def command_output(profile: Profile) -> str:
        threads.append(threading.current_thread().name)
        return LIVE_TOKEN

    monkeypatch.setattr(secret_sources, "run_command", command_output)
    profile_set = live_profiles()
    profile_set.profiles["live"].secret = SecretRef(command=("op", "read", "op://vault/twilio/token"))
    app = build_app(collections, twilio, profile_set=profile_set)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Accounts", "fetch")
        await pilot.press("ctrl+r")
        await dialog(pilot, app, Choice)
        await click(pilot, "#choice-run")
        await settle(
            pilot, lambda: bool(app.screen.query(RunPanel)) and app.screen.query_one(RunPanel).state == "passed"
        )
        assert len(threads) == 1 and threads[0] != threading.main_thread().name
        assert [r.url.path for r in twilio.seen] == [account, "/2010-04-01/Accounts.json"]
