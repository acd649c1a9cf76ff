"""`twibench history` in subprocesses, as a user runs it: list, show, replay after the server moved, clear."""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TWILIO_ENV
from tests.history_peer import running_peer
from twibench import client, history, profiles
from twibench.collection import Request

AC = "AC0123456789abcdef0123456789abcdef"
TOKEN = "f00dfacef00dfacef00dfacef00dface"


def run_history(
    home: Path, *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `twibench history ARGS…` with TWIBENCH_HOME=home (no Twilio variables, no terminal)."""
    environ = {k: v for k, v in os.environ.items() if k not in TWILIO_ENV}
    environ["TWIBENCH_HOME"] = str(home)
    environ.update(env or {})
    command = [sys.executable, "-m", "twibench", "history", *args]
    return subprocess.run(
        command,
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
        cwd=home,
        check=False,
    )


def write_profiles(home: Path, base_url: str) -> None:
    (home / "profiles.yaml").write_text(
        f"""default: peer
profiles:
  peer:
    account_sid: {AC}
    auth_token: {TOKEN}
    base_url: {base_url}
  other:
    account_sid: {AC}
    auth_token: {TOKEN}
    base_url: {base_url}
"""
    )
    (home / "profiles.yaml").chmod(0o600)


def send_and_record(home: Path, profile_name: str, request: Request, collection: str = "Messages") -> int:
    """Send over loopback in-process and record it, as `twibench send` will."""
    profile_set = profiles.load_profiles()
    profile = profile_set.get(profile_name)
    exchange = client.send_once(request, profile, client.values_for(profile), collection=collection)
    with history.Recorder() as recorder:
        entry_id = recorder.record(exchange, history.redactor_for(profile_set), collection_file=home / "messages.yaml")
    assert entry_id is not None
    return entry_id


SEND = Request(
    name="Send an SMS",
    id="send-sms",
    method="POST",
    url="/2010-04-01/Accounts/{{account_sid}}/Messages.json",
    form=[("To", "+15558675310"), ("Body", "Total is {{{{ $5 }}")],
)
BAD = Request(name="Bad number", id="bad", method="POST", url="/2010-04-01/Accounts/{{account_sid}}/Bad.json")


def test_list_show_and_json_shapes(home: Path) -> None:
    with running_peer() as peer:
        write_profiles(home, peer.base_url)
        empty = run_history(home, "list")
        assert empty.returncode == 0 and empty.stdout.strip() == "no history entries yet"
        first = send_and_record(home, "peer", SEND)
        second = send_and_record(home, "peer", BAD)

    table = run_history(home, "list")
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["ID", "TIME", "PROFILE", "METHOD", "STATUS", "DURATION", "NAME", "/", "PATH"]
    assert lines[1].split()[0] == str(second) and "400" in lines[1] and lines[1].endswith("Bad number")
    assert lines[2].split()[0] == str(first) and "POST" in lines[2] and "201" in lines[2]

    listed = run_history(home, "list", "--json")
    data = json.loads(listed.stdout)
    assert [d["id"] for d in data] == [second, first]
    assert "body" not in data[0]["request"] and "body" not in data[0]["response"]
    assert data[0]["twilio_error"]["code"] == 21211, "decoded at record time, shown without the body"
    assert data[1]["request"]["path"] == f"/2010-04-01/Accounts/{AC}/Messages.json"
    assert data[1]["response"]["size"] > 0 and data[1]["collection"] == "Messages"

    shown = run_history(home, "show", str(first), "--json")
    one = json.loads(shown.stdout)
    assert set(one) == set(data[1]) and one["id"] == first
    assert one["request"]["body"] == "To=%2B15558675310&Body=Total+is+%7B%7B+%245+%7D%7D"
    assert json.loads(one["response"]["body"])["auth_token"] == "••••"
    assert ["authorization", "Basic AC01…cdef:••••"] in [[k.lower(), v] for k, v in one["request"]["headers"]]

    plain = run_history(home, "show", str(second))
    assert plain.returncode == 0, "show reports the record; it is not a failed send"
    assert plain.stdout.startswith(f"history entry {second} · recorded ")
    assert "400 BAD REQUEST — " in plain.stdout and "Twilio error 21211" in plain.stdout

    filtered = run_history(home, "list", "--filter", "status:2xx method:post collection:messages")
    assert [line.split()[0] for line in filtered.stdout.splitlines()[1:]] == [str(first)]


def test_replay_follows_the_profile_to_the_servers_new_port(home: Path) -> None:
    with running_peer() as first_peer:
        write_profiles(home, first_peer.base_url)
        entry_id = send_and_record(home, "peer", SEND)
        original = first_peer.requests[-1]
    with running_peer() as moved:
        assert moved.port != first_peer.port
        write_profiles(home, moved.base_url)  # the sandbox comes back on another port
        result = run_history(home, "replay", str(entry_id))
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("201 CREATED — ")
        got = moved.requests[-1]
        assert (got.method, got.path, got.body) == (original.method, original.path, original.body)
        sent = {k.lower(): v for k, v in got.headers.items()}
        assert sent["authorization"] == "Basic " + base64.b64encode(f"{AC}:{TOKEN}".encode()).decode()
        assert sent["host"] == f"127.0.0.1:{moved.port}"
        before = {k.lower(): v for k, v in original.headers.items()}
        assert {k: v for k, v in sent.items() if k != "host"} == {k: v for k, v in before.items() if k != "host"}

        other = run_history(home, "replay", str(entry_id), "--profile", "other", "--json")
        assert other.returncode == 0, other.stderr
        assert json.loads(other.stdout)["profile"] == "other"

    listed = json.loads(run_history(home, "list", "--json").stdout)
    assert [d["profile"] for d in listed] == ["other", "peer", "peer"]
    assert listed[0]["request"]["url"].startswith(moved.base_url)
    assert listed[0]["request_id"] == "send-sms" and listed[0]["name"] == "Send an SMS"


def test_replay_exit_codes_like_send(home: Path) -> None:
    with running_peer() as peer:
        write_profiles(home, peer.base_url)
        bad = send_and_record(home, "peer", BAD)
        assert run_history(home, "replay", str(bad)).returncode == 1
        port = peer.port
    write_profiles(home, f"http://127.0.0.1:{port}")  # nobody listens there any more
    down = run_history(home, "replay", str(bad))
    assert down.returncode == 3
    assert "refused the connection" in down.stderr


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["show", "999"], "no history entry 999"),
        (["replay", "999"], "no history entry 999"),
        (["list", "--filter", "status:abc"], "status:abc"),
        (["list", "--limit", "-1"], "--limit"),
        (["show", "x"], "invalid int value"),
        (["clear"], "pass --yes"),
    ],
)
def test_bad_input_exits_2_with_one_line(home: Path, args: list[str], phrase: str) -> None:
    result = run_history(home, *args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert phrase in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_clear_needs_yes_without_a_terminal(home: Path) -> None:
    with running_peer() as peer:
        write_profiles(home, peer.base_url)
        send_and_record(home, "peer", SEND)
        send_and_record(home, "peer", SEND)
    refused = run_history(home, "clear")
    assert refused.returncode == 2 and "would delete 2 history entries" in refused.stderr
    assert "no history entries" not in run_history(home, "list").stdout
    cleared = run_history(home, "clear", "--yes")
    assert cleared.returncode == 0 and cleared.stdout.strip() == "cleared 2 history entries"
    assert run_history(home, "list").stdout.strip() == "no history entries yet"


def test_clear_asks_on_a_terminal(home: Path) -> None:
    with running_peer() as peer:
        write_profiles(home, peer.base_url)
        send_and_record(home, "peer", SEND)

    def answer(reply: str) -> subprocess.CompletedProcess[str]:
        """Run `history clear` with a pseudo-terminal as stdin and type `reply`."""
        master, slave = os.openpty()
        try:
            os.write(master, reply.encode() + b"\n")
            environ = {**os.environ, "TWIBENCH_HOME": str(home)}
            return subprocess.run(
                [sys.executable, "-m", "twibench", "history", "clear"],
                stdin=slave, capture_output=True, text=True, env=environ, timeout=60, check=False,
            )  # fmt: skip
        finally:
            os.close(master)
            os.close(slave)

    declined = answer("n")
    assert declined.returncode == 2 and "Delete all 1 history entry" in declined.stderr
    assert "nothing was deleted" in declined.stderr
    accepted = answer("y")
    assert accepted.returncode == 0 and accepted.stdout.strip() == "cleared 1 history entry"


def test_delete_one_entry(home: Path) -> None:
    with running_peer() as peer:
        write_profiles(home, peer.base_url)
        keep = send_and_record(home, "peer", SEND)
        gone = send_and_record(home, "peer", BAD)
    assert run_history(home, "delete", str(gone)).returncode == 0
    assert [d["id"] for d in json.loads(run_history(home, "list", "--json").stdout)] == [keep]


def test_a_newer_database_is_refused_with_one_sentence(home: Path) -> None:
    db = home / "history.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = db.read_bytes()
    result = run_history(home, "list")
    assert result.returncode == 2
    assert result.stderr.startswith(f"twibench: {db} was written by a newer twibench (history schema 99")
    assert db.read_bytes() == before


def test_a_recorder_warns_once_stops_and_never_raises(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = home / "history.sqlite3"
    db.write_bytes(b"this is not a database, it is a text file that someone put here" * 10)
    with running_peer() as peer:
        write_profiles(home, peer.base_url)
        profile_set = profiles.load_profiles()
        profile = profile_set.get("peer")
        warnings: list[str] = []
        with history.Recorder(on_problem=warnings.append) as recorder:
            for _ in range(2):
                exchange = client.send_once(SEND, profile, client.values_for(profile))
                assert recorder.record(exchange, history.redactor_for(profile_set)) is None
    assert len(warnings) == 1 and warnings[0].startswith("the exchange was not recorded in history: ")
    assert "is not a twibench history database" in warnings[0]
    assert recorder.problem == warnings[0]
    assert capsys.readouterr().err == ""
