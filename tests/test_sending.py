"""The one policy gate (`twibench.sending`): sandbox_only refusals in one wording, prompted secrets kept by
the session that asked (never process-wide), no terminal read below the CLI, live confirmation."""

from __future__ import annotations

import base64
import io
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import twibench.cli as top
from tests.test_runner_faults import AC, TOKEN, FaultServer, Reply
from twibench import client, history, outbound, profiles
from twibench.collection import parse_collection
from twibench.profiles import Profile, ProfileError, ProfileSet, SecretRef
from twibench.sending import PromptedSecrets, SandboxOnlyError, UnconfirmedRunError, confirm_live, refuse_sandbox_only

BASE = f"/2010-04-01/Accounts/{AC}"
TOUR = f"name: Tour\nsandbox_only: true\nrequests:\n  - name: R\n    id: r\n    url: {BASE}.json\n"


def asker() -> Profile:
    return Profile("asker", "auth_token", AC, AC, SecretRef(prompt=True))


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def server() -> Iterator[FaultServer]:
    fault = FaultServer().start()
    fault.script(f"{BASE}.json", Reply(200, {"sid": AC, "echo": "x"}))
    try:
        yield fault
    finally:
        fault.stop()


@pytest.fixture
def live_home(home: Path, server: FaultServer, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Profiles `local` (a LOCAL profile aimed at the fault server) and `asker` (its secret at a prompt)."""
    (home / "profiles.yaml").write_text(
        f"profiles:\n  local:\n    account_sid: {AC}\n    auth_token: {{env: LOCAL_TOKEN}}\n"
        f"    base_url: {server.base_url}\n"
        f"  asker:\n    account_sid: {AC}\n    auth_token: {{prompt: true}}\n    base_url: {server.base_url}\n"
    )
    monkeypatch.setenv("LOCAL_TOKEN", TOKEN)
    (home / "tour.yaml").write_text(TOUR)
    (home / "plain.yaml").write_text(TOUR.replace("sandbox_only: true\n", ""))
    return home


def test_sandbox_only_is_refused_for_live_profiles_only(home: Path) -> None:
    tour = parse_collection(TOUR, Path("tour.yaml"))
    sandbox = profiles.load_profiles().get("sandbox")
    refuse_sandbox_only(tour, sandbox)
    with pytest.raises(SandboxOnlyError) as caught:
        refuse_sandbox_only(tour, asker())
    assert str(caught.value) == (
        "tour.yaml: collection 'Tour' is sandbox_only; it refuses the live profile 'asker'; "
        "switch to the sandbox profile to send it"
    )
    assert caught.value.exit_code == 2


def test_send_run_and_replay_refuse_with_the_one_wording(
    live_home: Path, server: FaultServer, capsys: pytest.CaptureFixture[str]
) -> None:
    wording = "collection 'Tour' is sandbox_only; it refuses the local profile 'local'; switch to the sandbox profile"
    tour = str(live_home / "tour.yaml")
    assert top.main(["send", f"{tour}#r", "--profile", "local", "--no-history"]) == 2
    assert wording in capsys.readouterr().err
    assert top.main(["run", tour, "--profile", "local", "--yes", "--no-history"]) == 2
    assert wording in capsys.readouterr().err
    assert top.main(["send", f"{tour}#r", "--profile", "sandbox"]) in (0, 1)  # recorded with the sandbox
    capsys.readouterr()
    with history.open_history() as store:
        entry_id = store.list(limit=1)[0].id
    assert top.main(["history", "replay", str(entry_id), "--profile", "local"]) == 2
    assert wording in capsys.readouterr().err
    assert server.seen == []


def test_the_workbench_refuses_with_the_same_wording(live_home: Path) -> None:
    from twibench.workbench.session import Session
    from twibench.workbench.workspace import Workspace

    workspace = Workspace()
    workspace.load([live_home / "tour.yaml"])
    session = Session(workspace, profiles.load_profiles(), "local")
    entry = workspace.collections[0].items[0]
    with pytest.raises(SandboxOnlyError, match="collection 'Tour' is sandbox_only; it refuses the local profile"):
        session.check_sendable(entry)


def test_a_prompted_secret_is_asked_once_and_belongs_to_its_session() -> None:
    calls: list[str] = []

    def ask(profile: Profile) -> str:
        calls.append(profile.name)
        return TOKEN

    first = PromptedSecrets(ask)
    assert first.needs_prompt(asker())
    assert profiles.resolve_secret(asker(), first) == TOKEN
    assert profiles.resolve_secret(asker(), first) == TOKEN
    assert calls == ["asker"], "asked once per session"
    assert not first.needs_prompt(asker())
    other = PromptedSecrets()
    assert other.needs_prompt(asker()) and other.typed(asker()) is None, "no process-wide memory"
    with pytest.raises(ProfileError, match="no terminal"):
        profiles.resolve_secret(asker(), other)
    profile_set = ProfileSet(profiles={"asker": asker()})
    assert (AC, TOKEN) in profiles.known_secrets(profile_set, prompt=first)
    assert (AC, TOKEN) not in profiles.known_secrets(profile_set, prompt=other)
    assert TOKEN in [s.value for s in outbound.secrets_in_play(asker(), {}, (), prompt=first)]


def test_an_empty_or_short_typed_secret_is_refused() -> None:
    secrets = PromptedSecrets(lambda _p: "")
    with pytest.raises(ProfileError, match="no secret was entered for profile 'asker'"):
        secrets.ask(asker())
    with pytest.raises(ProfileError):
        secrets.remember(asker(), "short")
    assert secrets.needs_prompt(asker())


def test_prepare_never_reads_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_getpass(prompt: str = "") -> str:
        raise AssertionError("getpass ran below the CLI")

    monkeypatch.setattr("getpass.getpass", no_getpass)
    monkeypatch.setattr(sys, "stdin", FakeTTY(""))
    request = parse_collection(TOUR, Path("t.yaml")).requests[0]
    with pytest.raises(ProfileError, match="asks for its secret at a prompt"):
        client.prepare(request, asker(), {})


def test_send_asks_on_the_terminal_once_and_masks_the_typed_secret_everywhere(
    live_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    asked: list[str] = []

    def typed(prompt: str = "") -> str:
        asked.append(prompt)
        return TOKEN

    monkeypatch.setattr("getpass.getpass", typed)
    monkeypatch.setattr(sys, "stdin", FakeTTY(""))
    assert top.main(["send", f"{live_home / 'plain.yaml'}#r", "--profile", "asker", "--json", "-i"]) == 0
    out = capsys.readouterr().out
    assert len(asked) == 1 and "Auth Token for profile 'asker'" in asked[0]
    token = base64.b64encode(f"{AC}:{TOKEN}".encode()).decode()
    assert TOKEN not in out and token not in out
    with history.open_history() as store:
        entry = store.get(store.list(limit=1)[0].id)
    assert entry is not None
    recorded = str(entry.to_json(include_bodies=True))
    assert TOKEN not in recorded and token not in recorded


def test_a_live_run_is_confirmed_on_a_terminal_or_with_yes() -> None:
    confirm_live("live", 2, True, io.StringIO(""), io.StringIO())
    with pytest.raises(UnconfirmedRunError, match="there is no terminal to ask; pass --yes"):
        confirm_live("live", 2, False, io.StringIO(""), io.StringIO())
    err = io.StringIO()
    with pytest.raises(UnconfirmedRunError, match="not confirmed"):
        confirm_live("live", 2, False, FakeTTY("n\n"), err)
    assert "Send 2 request(s) to the live profile live?" in err.getvalue()
    confirm_live("live", 2, False, FakeTTY("y\n"), io.StringIO())
