"""Profile secrets from the OS keyring and from a command (`twibench.secret_sources`).

The keyring is the suite's file-backed one (`tests/keyring_backend.py`, installed per test by conftest):
no test reads or writes the user's keyring. Commands are small Python programs run by this interpreter.
"""

from __future__ import annotations

import base64
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

import twibench.cli as top
from tests.keyring_backend import FileKeyring
from tests.loopback import LoopbackServer
from twibench import history, outbound, profiles, secret_sources
from twibench.errors import FileErrors
from twibench.profiles import Profile, ProfileError, ProfileSet, SecretRef
from twibench.sending import PromptedSecrets

AC = "AC0123456789abcdef0123456789abcdef"
SK = "SK0123456789abcdef0123456789abcdef"
TOKEN = "c0ffee00c0ffee00c0ffee00c0ffee00"
PY = sys.executable


def keyring_profile(service: str = "twibench", user: str | None = None, kind: str = "auth_token") -> Profile:
    sid = SK if kind == "api_key" else AC
    return Profile("vault", kind, AC, sid, SecretRef(keyring=service, keyring_user=user))  # type: ignore[arg-type]


def command_profile(*argv: str) -> Profile:
    return Profile("op", "auth_token", AC, AC, SecretRef(command=tuple(argv)))


def printer(text: str, counter: Path | None = None, status: int = 0) -> tuple[str, ...]:
    """A command printing `text` (and counting its runs in `counter`), exiting with `status`."""
    count = f"open({str(counter)!r}, 'a').write('x');" if counter else ""
    return (PY, "-c", f"import sys;{count}sys.stdout.write({text!r});sys.exit({status})")


# --- the profiles file -----------------------------------------------------------------------------


def test_keyring_and_command_references_load_and_save_as_written(home: Path) -> None:
    path = home / "profiles.yaml"
    path.write_text(
        f"profiles:\n"
        f"  kr:\n    account_sid: {AC}\n    auth_token: {{keyring: twibench}}\n"
        f"  kru:\n    account_sid: {AC}\n    api_key: {SK}\n    api_secret: {{keyring: work, username: me}}\n"
        f"  cmd:\n    account_sid: {AC}\n    auth_token: {{command: [op, read, 'op://vault/twilio/token']}}\n"
    )
    loaded = profiles.load_profiles(environ={})
    assert loaded.get("kr").secret == SecretRef(keyring="twibench")
    assert loaded.get("kru").secret == SecretRef(keyring="work", keyring_user="me")
    assert loaded.get("cmd").secret == SecretRef(command=("op", "read", "op://vault/twilio/token"))
    assert loaded.warnings == [], "a reference is not a literal secret"
    assert loaded.get("kr").secret.describe() == "keyring twibench"
    assert loaded.get("cmd").secret.describe() == "command op"
    profiles.save_profiles(loaded)
    import yaml

    written = yaml.safe_load(path.read_text())["profiles"]
    assert written["kr"]["auth_token"] == {"keyring": "twibench"}
    assert written["kru"]["api_secret"] == {"keyring": "work", "username": "me"}
    assert written["cmd"]["auth_token"] == {"command": ["op", "read", "op://vault/twilio/token"]}
    again = profiles.load_profiles(environ={})
    for name in ("kr", "kru", "cmd"):
        assert again.get(name).secret == loaded.get(name).secret


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("{command: op read}", "auth_token.command: expected a list of text: [PROGRAM, ARG…]"),
        ("{command: []}", "auth_token.command: expected a list"),
        ("{command: [pass, show, 12]}", "quote numbers and yes/no"),
        ("{keyring: ''}", "auth_token.keyring: expected the keyring service name"),
        ("{keyring: s, user: x}", "unknown key 'user' beside keyring"),
        ("{vault: x}", "{keyring: SERVICE} or {command: [PROGRAM, ARG…]}"),
    ],
)
def test_a_bad_secret_source_is_a_located_error(home: Path, value: str, message: str) -> None:
    (home / "profiles.yaml").write_text(f"profiles:\n  p:\n    account_sid: {AC}\n    auth_token: {value}\n")
    with pytest.raises(FileErrors) as caught:
        profiles.load_profiles(environ={})
    first = str(caught.value.errors[0])
    assert "profiles.yaml:4:" in first and "profile 'p'" in first and message in first


# --- the keyring -----------------------------------------------------------------------------------


def test_the_keyring_entry_of_the_sid_is_the_default(test_keyring: FileKeyring) -> None:
    test_keyring.set_password("twibench", AC, TOKEN)
    test_keyring.set_password("twibench", SK, TOKEN[::-1])
    test_keyring.set_password("work", "me", "f" * 32)
    assert profiles.resolve_secret(keyring_profile()) == TOKEN
    assert profiles.resolve_secret(keyring_profile(kind="api_key")) == TOKEN[::-1], "an API Key's user is its SK"
    assert profiles.resolve_secret(keyring_profile("work", "me")) == "f" * 32


def test_a_missing_entry_names_profile_field_service_and_the_fix() -> None:
    with pytest.raises(ProfileError) as caught:
        profiles.resolve_secret(keyring_profile("work"))
    assert str(caught.value) == (
        f"profile 'vault': auth_token is kept in the keyring under service 'work' and user '{AC}', but there is "
        f"no such entry; store it with `twibench profiles add vault --account-sid {AC} --keyring` "
        f"(or `keyring set work {AC}`)"
    )
    assert caught.value.exit_code == 2


def test_no_keyring_backend_is_one_sentence() -> None:
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(ProfileError) as caught:
        profiles.resolve_secret(keyring_profile(kind="api_key"))
    message = str(caught.value)
    assert message.startswith("profile 'vault': api_secret is kept in the keyring under service 'twibench', but ")
    assert "no keyring backend" in message and "{env: NAME}" in message and "\n" not in message


def test_a_keyring_secret_is_read_once_per_session(test_keyring: FileKeyring, monkeypatch: pytest.MonkeyPatch) -> None:
    test_keyring.set_password("twibench", AC, TOKEN)
    reads: list[str] = []
    real = test_keyring.get_password

    def counting(service: str, user: str) -> str | None:
        reads.append(service)
        return real(service, user)

    monkeypatch.setattr(test_keyring, "get_password", counting)
    session = PromptedSecrets()
    assert profiles.resolve_secret(keyring_profile(), session) == TOKEN
    assert profiles.resolve_secret(keyring_profile(), session) == TOKEN
    assert reads == ["twibench"]
    assert (AC, TOKEN) in profiles.known_secrets(ProfileSet({"vault": keyring_profile()}), prompt=session)
    assert PromptedSecrets().typed(keyring_profile()) is None, "no process-wide memory"


# --- a command -------------------------------------------------------------------------------------


def test_a_command_secret_is_trimmed_and_obtained_once_per_session(tmp_path: Path) -> None:
    counter = tmp_path / "runs"
    profile = command_profile(*printer(f"  {TOKEN}\n\n", counter))
    session = PromptedSecrets()
    assert profiles.resolve_secret(profile, session) == TOKEN
    assert profiles.resolve_secret(profile, session) == TOKEN
    assert counter.read_text() == "x", "run once per session"
    other = PromptedSecrets()
    assert profiles.resolve_secret(profile, other) == TOKEN
    assert counter.read_text() == "xx", "each session runs it for itself"
    assert (AC, TOKEN) in profiles.known_secrets(ProfileSet({"op": profile}), prompt=session)
    assert TOKEN in [s.value for s in outbound.secrets_in_play(profile, {}, (), prompt=session)]


def test_masking_and_guarding_never_run_the_command(tmp_path: Path) -> None:
    counter = tmp_path / "runs"
    profile = command_profile(*printer(TOKEN, counter))
    session = PromptedSecrets()
    assert profiles.known_secrets(ProfileSet({"op": profile}), prompt=session) == []
    assert TOKEN not in [s.value for s in outbound.secrets_in_play(profile, {}, (), prompt=session)]
    assert not counter.exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (printer(TOKEN + "-not-echoed", status=3), "failed with exit status 3; run it in a terminal to see why"),
        (printer("   \n"), "printed nothing; make it print the secret on standard output"),
        (printer(f"{TOKEN}\n{TOKEN}"), "printed more than one line"),
        (("/nonexistent/op", "read"), "was not found; install it or fix the command in profiles.yaml"),
        (printer("tiny1"), "at least"),
    ],
)
def test_a_failing_command_is_one_sentence_without_its_output(argv: tuple[str, ...], message: str) -> None:
    with pytest.raises(ProfileError) as caught:
        profiles.resolve_secret(command_profile(*argv), PromptedSecrets())
    text = str(caught.value)
    assert text.startswith("profile 'op': ") and message in text
    assert TOKEN not in text and "tiny1" not in text
    assert "\n" not in text


def test_a_command_that_hangs_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(secret_sources, "COMMAND_TIMEOUT", 0.3)
    hang = command_profile(PY, "-c", "import time; time.sleep(60)")
    with pytest.raises(ProfileError, match=r"profile 'op': the command that gives auth_token \(.*\) did not finish"):
        profiles.resolve_secret(hang, PromptedSecrets())
    session = PromptedSecrets()
    with pytest.raises(ProfileError):
        profiles.resolve_secret(hang, session)
    assert session.typed(hang) is None, "a failure is not kept: the next send tries again"


def test_send_uses_the_command_secret_once_and_masks_it(
    home: Path, loopback: LoopbackServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    counter = tmp_path / "runs"
    argv = ", ".join(repr(arg) for arg in printer(TOKEN, counter))
    (home / "profiles.yaml").write_text(
        f"profiles:\n  op:\n    account_sid: {AC}\n    auth_token: {{command: [{argv}]}}\n"
        f"    base_url: {loopback.base_url}\n"
    )
    (home / "c.yaml").write_text(
        "name: C\nrequests:\n"
        "  - {name: A, id: a, url: '/2010-04-01/Accounts/{{account_sid}}/Echo.json'}\n"
        "  - {name: B, id: b, url: '/2010-04-01/Accounts/{{account_sid}}/Echo.json', headers: {X-Echo: x}}\n"
    )
    argv_run = ["run", str(home / "c.yaml"), "--profile", "op", "--yes", "--report", f"json:{tmp_path}/r.json"]
    assert top.main(argv_run) in (0, 1)
    out = capsys.readouterr()
    assert counter.read_text() == "x", "one run of the command for the whole `run`"
    auth = "Basic " + base64.b64encode(f"{AC}:{TOKEN}".encode()).decode()
    assert [r.headers.get("Authorization") for r in loopback.requests] == [auth, auth]
    report = (tmp_path / "r.json").read_text()
    assert TOKEN not in out.out + out.err + report
    with history.open_history() as store:
        recorded = str(store.get(store.list(limit=1)[0].id).to_json(include_bodies=True))  # type: ignore[union-attr]
    assert TOKEN not in recorded


def test_the_workbench_reads_a_command_secret_off_the_event_loop_once(
    home: Path, loopback: LoopbackServer, tmp_path: Path
) -> None:
    import asyncio
    import threading

    from twibench.workbench.session import Session
    from twibench.workbench.workspace import Workspace

    counter = tmp_path / "runs"
    profile = command_profile(*printer(TOKEN, counter))
    profile.base_url = loopback.base_url
    (home / "c.yaml").write_text("name: C\nrequests:\n  - {name: A, id: a, url: /2010-04-01/Accounts/x.json}\n")
    workspace = Workspace()
    workspace.load([home / "c.yaml"])
    session = Session(workspace, ProfileSet({"op": profile}, default="op"), "op")
    threads: list[str] = []
    real = secret_sources.run_command

    def spy(p: Profile) -> str:
        threads.append(threading.current_thread().name)
        return real(p)

    async def twice() -> None:
        entry = workspace.collections[0].items[0]
        try:
            for _ in range(2):
                await session.send(entry)
        finally:
            await session.aclose()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(secret_sources, "run_command", spy)
        asyncio.run(twice())
    assert counter.read_text() == "x" and len(threads) == 1
    assert threads[0] != threading.main_thread().name, "a slow password manager never blocks the UI"
    assert TOKEN in session.known_secrets()


def test_the_inbox_reads_a_keyring_token_and_masks_it_but_never_runs_a_command(
    test_keyring: FileKeyring, tmp_path: Path
) -> None:
    from twibench.workbench.inbox_service import for_profile

    test_keyring.set_password("twibench", AC, TOKEN)
    from_keyring = keyring_profile()
    service = for_profile(from_keyring, ProfileSet({"vault": from_keyring}))
    assert service.token == TOKEN
    assert (AC, TOKEN) in service._secrets
    counter = tmp_path / "runs"
    from_command = command_profile(*printer(TOKEN, counter))
    assert for_profile(from_command, ProfileSet({"op": from_command})).token is None
    assert not counter.exists()
