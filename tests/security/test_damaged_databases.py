"""A history or sandbox SQLite file with garbage over its pages: named with its cure, never a traceback.

`send` and `run` still send (history is a record, not a precondition); `history clear` and
`sandbox --reset` recover by moving the damaged file aside, kept under a dated name.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.security.cli_run import SEND_SMS, damage, one_sentence, run_cli
from twibench.dbfiles import is_damaged, move_aside


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with a real history and sandbox state: three messages sent through the CLI."""
    home = tmp_path_factory.mktemp("pristine")
    (home / "sms.yaml").write_text(SEND_SMS)
    for _ in range(3):
        assert run_cli(home, "send", "sms.yaml#send-sms").returncode == 0
    return home


@pytest.fixture
def home(pristine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home"
    shutil.copytree(pristine, folder)
    monkeypatch.setenv("TWIBENCH_HOME", str(folder))
    return folder


def test_history_list_names_the_damaged_file_and_the_cure(home: Path) -> None:
    db = home / "history.sqlite3"
    damage(db)
    result = run_cli(home, "history", "list")
    assert result.returncode == 2
    line = one_sentence(result.stderr)
    assert line == (
        f"twibench: {db} is damaged (database disk image is malformed); run `twibench history clear` "
        "to move it aside and start a new history"
    )


def test_send_still_sends_and_warns_that_history_was_not_written(home: Path) -> None:
    damage(home / "history.sqlite3")
    result = run_cli(home, "send", "sms.yaml#send-sms")
    assert result.returncode == 0
    assert result.stdout.startswith("201 CREATED")
    line = one_sentence(result.stderr)
    assert line.startswith("twibench: warning: the exchange was not recorded in history: ")
    assert str(home / "history.sqlite3") in line and "history clear" in line


def test_run_still_runs_and_warns_once(home: Path) -> None:
    damage(home / "history.sqlite3")
    result = run_cli(home, "run", "sms.yaml", "--repeat", "3")
    assert result.returncode == 0, result.stderr
    line = one_sentence(result.stderr)
    assert "history recording stopped for this run" in line and "history clear" in line


def test_history_clear_without_a_terminal_or_yes_changes_nothing(home: Path) -> None:
    db = home / "history.sqlite3"
    damage(db)
    before = db.read_bytes()
    result = run_cli(home, "history", "clear")
    assert result.returncode == 2
    assert "pass --yes" in one_sentence(result.stderr)
    assert db.read_bytes() == before
    assert not list(home.glob("history.sqlite3.corrupt-*"))


def test_history_clear_moves_the_damaged_file_aside_and_a_new_history_starts(home: Path) -> None:
    db = home / "history.sqlite3"
    damage(db)
    damaged = db.read_bytes()
    result = run_cli(home, "history", "clear", "--yes")
    assert result.returncode == 0, result.stderr
    (kept,) = home.glob("history.sqlite3.corrupt-*")
    assert kept.read_bytes() == damaged
    assert result.stdout.strip() == (f"moved the damaged history {db} to {kept}; the next request starts a new history")
    assert run_cli(home, "send", "sms.yaml#send-sms").stderr == ""
    listed = run_cli(home, "history", "list")
    assert listed.returncode == 0 and len(listed.stdout.strip().splitlines()) == 2


def test_send_on_a_damaged_sandbox_state_names_the_file_and_the_cure(home: Path) -> None:
    db = home / "sandbox.sqlite3"
    damage(db)
    result = run_cli(home, "send", "sms.yaml#send-sms", "--no-history")
    assert result.returncode == 2
    assert one_sentence(result.stderr) == (
        f"twibench: the sandbox state {db} is damaged (database disk image is malformed); run "
        "`twibench sandbox --reset` to move it aside and start with a fresh sandbox"
    )


def test_sandbox_without_reset_refuses_a_damaged_state(home: Path) -> None:
    damage(home / "sandbox.sqlite3")
    result = run_cli(home, "sandbox", "--port", "0")
    assert result.returncode == 2
    assert "sandbox --reset" in one_sentence(result.stderr)


def test_sandbox_reset_moves_a_damaged_state_aside_and_serves(home: Path) -> None:
    db = home / "sandbox.sqlite3"
    damage(db)
    damaged = db.read_bytes()
    env = {"TWIBENCH_HOME": str(home)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "twibench", "sandbox", "--reset", "--port", "0"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
        cwd=home,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()  # printed once the sandbox is up
        assert first.startswith("Base URL: http://127.0.0.1:")
        sent = run_cli(home, "send", "sms.yaml#send-sms", "--no-history")
        assert sent.returncode == 0 and sent.stdout.startswith("201 CREATED")
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    (kept,) = home.glob("sandbox.sqlite3.corrupt-*")
    assert kept.read_bytes() == damaged
    assert f"Moved the damaged sandbox state {db} to {kept}; starting with a fresh sandbox." in err
    assert "Traceback" not in err


def test_move_aside_keeps_the_side_files_and_never_overwrites(tmp_path: Path) -> None:
    from datetime import datetime

    db = tmp_path / "x.sqlite3"
    when = datetime(2024, 6, 1, 12, 0, 0)
    for round_ in (1, 2):
        db.write_text(f"db {round_}")
        (tmp_path / "x.sqlite3-wal").write_text(f"wal {round_}")
        move_aside(db, when)
    first = tmp_path / "x.sqlite3.corrupt-20240601T120000"
    second = tmp_path / "x.sqlite3.corrupt-20240601T120000-2"
    assert first.read_text() == "db 1" and Path(f"{first}-wal").read_text() == "wal 1"
    assert second.read_text() == "db 2" and Path(f"{second}-wal").read_text() == "wal 2"
    assert not db.exists()


def test_only_damage_counts_as_damage(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite3"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    other = sqlite3.connect(db, timeout=0)
    with pytest.raises(sqlite3.OperationalError) as locked:
        other.execute("SELECT * FROM t")
    assert not is_damaged(locked.value)
    holder.close()
    other.close()
    (tmp_path / "b.sqlite3").write_bytes(b"not a database " * 100)
    with pytest.raises(sqlite3.DatabaseError) as not_db:
        sqlite3.connect(tmp_path / "b.sqlite3").execute("SELECT * FROM sqlite_master")
    assert is_damaged(not_db.value)
