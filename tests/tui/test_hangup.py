"""The app leaves with its terminal: a closed window or tmux pane must not leave it spinning a core."""

from __future__ import annotations

import contextlib
import os
import pty
import select
import signal
import sys
import time
from pathlib import Path

from twibench.tui.hangup import terminal_gone

ROOT = Path(__file__).resolve().parents[2]


def test_a_hung_up_terminal_is_seen_as_gone() -> None:
    master, slave = pty.openpty()
    try:
        assert not terminal_gone(slave)
        os.close(master)  # the terminal window closes
        assert terminal_gone(slave)
    finally:
        os.close(slave)


def test_the_app_exits_when_its_terminal_closes_even_without_sighup(tmp_path: Path) -> None:
    """Started through `make run`, SIGHUP may not reach the app: here it ignores SIGHUP, and still leaves."""
    env = {**os.environ, "TWIBENCH_HOME": str(tmp_path), "TERM": "xterm-256color"}
    pid, master = pty.fork()
    if pid == 0:  # the child: the app on the pty, deaf to SIGHUP as a grandchild of make can be
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        os.chdir(ROOT)
        os.execvpe(sys.executable, [sys.executable, "-m", "twibench", "--profile", "sandbox"], env)  # noqa: S606
    seen = b""
    deadline = time.monotonic() + 60  # hang guards, not time limits
    while b"Not sent yet" not in seen and time.monotonic() < deadline:  # drawn once the app is ready
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                seen += os.read(master, 65536)
            except OSError:
                break
    assert b"Not sent yet" in seen, "the app did not get ready"
    while time.monotonic() < deadline and select.select([master], [], [], 1.0)[0]:  # until it draws no more
        seen += os.read(master, 65536)
    os.close(master)  # the terminal goes away
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    raise AssertionError("the app was still running 30 s after its terminal closed")


def test_sigterm_ends_the_app_as_a_quit_does(tmp_path: Path) -> None:
    """`kill PID`: the terminal gets its screen back, the app saves on its way out, and the code is 143."""
    env = {**os.environ, "TWIBENCH_HOME": str(tmp_path), "TERM": "xterm-256color"}
    pid, master = pty.fork()
    if pid == 0:
        os.chdir(ROOT)
        os.execvpe(sys.executable, [sys.executable, "-m", "twibench", "--profile", "sandbox"], env)  # noqa: S606
    seen = b""
    deadline = time.monotonic() + 60  # hang guards, not time limits
    while b"Not sent yet" not in seen and time.monotonic() < deadline:
        if select.select([master], [], [], 0.5)[0]:
            seen += os.read(master, 65536)
    assert b"Not sent yet" in seen, "the app did not get ready"
    os.kill(pid, signal.SIGTERM)
    status = None
    while status is None and time.monotonic() < deadline:
        if select.select([master], [], [], 0.2)[0]:
            with contextlib.suppress(OSError):
                seen += os.read(master, 65536)
        done, code = os.waitpid(pid, os.WNOHANG)
        if done:
            status = code
    os.close(master)
    assert status is not None, "the app was still running after SIGTERM"
    assert os.WIFEXITED(status), "ended by the signal itself, not by a quit"
    assert os.WEXITSTATUS(status) == 143
    assert b"\x1b[?1049l" in seen.split(b"Not sent yet")[-1], "the terminal's own screen is back"
    assert (tmp_path / "cache" / "textual-css.json").is_file(), "the app's way out ran (the CSS cache saved)"
