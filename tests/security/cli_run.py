"""Running the CLI as a user does (a subprocess with its own TWIBENCH_HOME), and damaging SQLite files."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import TWILIO_ENV

SEND_SMS = """\
name: Messages
requests:
  - name: Send an SMS
    id: send-sms
    method: POST
    url: /2010-04-01/Accounts/{{account_sid}}/Messages.json
    form: {To: "+15558675310", From: "+15005550006", Body: "hello"}
"""


def run_cli(
    home: Path,
    *args: str,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """`python -m twibench ARGS` in `home` (also its TWIBENCH_HOME), stdin from `stdin` or /dev/null."""
    environ = {k: v for k, v in os.environ.items() if k not in TWILIO_ENV and k != "TWIBENCH_DEBUG"}
    environ["TWIBENCH_HOME"] = str(home)
    environ["TWIBENCH_SANDBOX_DETERMINISTIC"] = "1"
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "twibench", *args],
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        env=environ,
        timeout=timeout,
        cwd=home,
        check=False,
    )


def damage(db: Path) -> None:
    """Fold the WAL into `db`, then write garbage over every page but the first (the header stays valid)."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    conn.close()
    size = db.stat().st_size
    assert size >= 3 * page_size, "the database is too small to damage meaningfully"
    with db.open("r+b") as handle:
        for offset in range(page_size, size, page_size):
            handle.seek(offset)
            handle.write(b"\xa5" * page_size)


def one_sentence(stderr: str) -> str:
    """The single stderr line, checked to be free of a traceback or an 'unexpected error'."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and "unexpected error" not in stderr, stderr
    return lines[0]
