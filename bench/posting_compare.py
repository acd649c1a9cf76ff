"""Benchmark: twibench against Posting 2.11.1 on the same large response, both in a real pseudo-terminal.

Issue 11 asks that at 5 MB the first body line and the echo of a key typed 0.3 s after send are each
<= 0.03x Posting 2.11.1's, measured in the same run. Both programs run as a user runs them: a child
process on a pty (120x35, byte-compiled), its output fed to a VT emulator (pyte) so the figures are
what the terminal shows, not what a widget believes it drew. Nothing is instrumented inside either app.

One loopback server (a thread; never the internet) serves a Twilio message-list page of N MB whose
first field is a marker. For each app:

1. start it and wait until its URL field shows the page's URL (twibench: a collection with that one
   request and a local profile, history on; Posting: a collection with that one request, opened);
2. send (ctrl+j in both), and 0.3 s later type `Q` at the end of the URL field;
3. first body line = send -> the marker is on screen; key echo = `Q` typed -> `.jsonQ` on screen.

With `--install`, Posting is installed once into a venv under ~/.cache/twibench-bench (this needs the
package index; `tree-sitter==0.25.2` because 0.26.1 segfaults under Textual 6.1); without it and without
`--posting`, the script says how and stops (so `make bench` never downloads anything).

    .venv/bin/python bench/posting_compare.py [--install | --posting PATH] [--sizes 5] [--repeat 3]
"""

from __future__ import annotations

import os
import sys

sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # noqa: PTH100, PTH120

import argparse  # noqa: E402
import json  # noqa: E402
import pty  # noqa: E402
import select  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402
import struct  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import termios  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from fcntl import ioctl  # noqa: E402
from pathlib import Path  # noqa: E402

import pyte  # noqa: E402

from bench.tui_large_response import ACCOUNT, MB, PAGE_PATH, message_page, serve  # noqa: E402

COLUMNS, ROWS = 120, 35
MARKER = "BENCHFIRSTBODYLINE"
TYPED = "Q"
TYPED_AFTER_S = 0.3
POSTING_VERSION = "2.11.1"
TOKEN = "f00dfacef00dfacef00dfacef00dface"


@dataclass
class Figures:
    """One app's figures for one run (seconds)."""

    first_line_s: float
    key_echo_s: float


class Terminal:
    """A child process on a pty, its output kept on a pyte screen; `wait_for` polls what is shown."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path) -> None:
        self.screen = pyte.Screen(COLUMNS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: exec the app on the pty
            os.chdir(cwd)
            os.execvpe(argv[0], argv, env)  # noqa: S606 (argv is ours: the app under test, no shell)
        ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        os.kill(self.pid, signal.SIGWINCH)

    def text(self) -> str:
        """The screen as shown now, one line per row."""
        return "\n".join(self.screen.display)

    def pump(self, until: float) -> None:
        """Feed the emulator with whatever the app writes until the monotonic time `until`."""
        while (left := until - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                return
            try:
                data = os.read(self.fd, 1 << 16)
            except OSError:  # the child exited
                return
            if not data:
                return
            self.stream.feed(data)

    def wait_for(self, shown: Callable[[str], bool], timeout: float, what: str) -> float:
        """The monotonic time at which `shown(screen text)` first held; SystemExit after `timeout`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if shown(self.text()):
                return time.monotonic()
            self.pump(min(deadline, time.monotonic() + 0.005))
        raise SystemExit(f"timed out after {timeout:.0f} s waiting for {what}; the screen:\n{self.text()}")

    def type(self, keys: bytes) -> None:
        """Write keys as the terminal would."""
        os.write(self.fd, keys)

    def close(self) -> None:
        """Stop the child (SIGTERM, then SIGKILL) and reap it."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline:
                if os.waitpid(self.pid, os.WNOHANG)[0]:
                    os.close(self.fd)
                    return
                self.pump(time.monotonic() + 0.05)
        os.close(self.fd)


def one_send(term: Terminal, timeout: float) -> Figures:
    """Send, type a key 0.3 s later, and time the marker and the key's echo on screen."""
    term.type(b"\n")  # ctrl+j: send, in both apps
    sent = time.monotonic()
    typed_at: float | None = None
    first_line = echo = None
    deadline = sent + timeout
    while (first_line is None or echo is None) and time.monotonic() < deadline:
        now = time.monotonic()
        if typed_at is None and now >= sent + TYPED_AFTER_S:
            term.type(TYPED.encode())
            typed_at = time.monotonic()
        shown = term.text()
        if first_line is None and MARKER in shown:
            first_line = now - sent
        if echo is None and typed_at is not None and f".json{TYPED}" in shown:
            echo = now - typed_at
        wake = sent + TYPED_AFTER_S if typed_at is None else deadline
        term.pump(min(wake, now + 0.005))
    if first_line is None or echo is None:
        raise SystemExit(f"timed out after {timeout:.0f} s (first line {first_line}, echo {echo}):\n{term.text()}")
    return Figures(first_line, echo)


def twibench_run(url_base: str, home: Path, timeout: float) -> Figures:
    """twibench as a user starts it: a collection with the page request, a local profile, history on."""
    (home / "profiles.yaml").write_text(
        f"profiles:\n  local:\n    account_sid: {ACCOUNT}\n    auth_token: {TOKEN}\n    base_url: {url_base}\n"
    )
    (home / "profiles.yaml").chmod(0o600)
    (home / "page.yaml").write_text(f"name: Bench\nrequests:\n  - name: Page\n    id: page\n    url: {PAGE_PATH}\n")
    env = {**os.environ, "TWIBENCH_HOME": str(home), "TERM": "xterm-256color", "COLUMNS": "", "LINES": ""}
    argv = [sys.executable, "-m", "twibench", "--profile", "local", str(home / "page.yaml")]
    term = Terminal(argv, env, home)
    try:
        term.wait_for(lambda s: "Messages.json" in s, timeout, "twibench's URL field")
        term.type(b"\x0c")  # ctrl+l: the URL field, cursor at the end (where `Q` goes)
        term.pump(time.monotonic() + 1.0)
        return one_send(term, timeout)
    finally:
        term.close()


def posting_run(posting: str, url: str, home: Path, timeout: float) -> Figures:
    """Posting 2.11.1 on a collection holding the same request, opened from its tree."""
    collection = home / "posting"
    collection.mkdir(exist_ok=True)
    (collection / "page.posting.yaml").write_text(f"name: page\nmethod: GET\nurl: {url}\n")
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "COLUMNS": "",
        "LINES": "",
    }
    term = Terminal([posting, "--collection", str(collection)], env, home)
    try:
        term.wait_for(lambda s: "Enter a URL" in s, timeout, "Posting's URL field")
        term.type(url.encode())  # Posting starts on its URL field: type the request's URL there
        term.wait_for(lambda s: ".json" in s, timeout, "the URL typed into Posting")
        term.pump(time.monotonic() + 1.0)
        return one_send(term, timeout)
    finally:
        term.close()


def ensure_posting(given: str | None, install: bool) -> str | None:
    """The path of a Posting 2.11.1 executable: the one given, or the cache venv's (installed with `install`)."""
    if given:
        return given
    venv = Path.home() / ".cache" / "twibench-bench" / f"posting-{POSTING_VERSION}"
    exe = venv / "bin" / "posting"
    if not exe.exists() and not install:
        print(f"Posting {POSTING_VERSION} is not installed: run with --install (once) or --posting PATH; skipped")
        return None
    if not exe.exists():
        print(f"installing Posting {POSTING_VERSION} into {venv} (once) ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, f"posting=={POSTING_VERSION}", "tree-sitter==0.25.2"], check=True)
        subprocess.run([str(venv / "bin" / "python"), "-m", "compileall", "-q", str(venv / "lib")], check=False)
    return str(exe)


def marked_page(size_mb: int) -> bytes:
    """A Twilio message-list page of about `size_mb` MB whose first field is the marker."""
    page = message_page(size_mb * MB)
    return b'{"bench": "' + MARKER.encode() + b'", ' + page[1:]


def main() -> int:
    """Measure both apps, alternating, and print each figure with the ratio twibench / Posting."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="5", help="comma-separated page sizes in MB (default 5)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per app and size; medians are printed")
    parser.add_argument("--posting", help="a Posting 2.11.1 executable (default: the cache venv's)")
    parser.add_argument("--install", action="store_true", help="install Posting into the cache venv if missing")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for any one step")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a ratio misses 0.03")
    args = parser.parse_args()
    posting = ensure_posting(args.posting, args.install)
    if posting is None:
        return 0
    subprocess.run([sys.executable, "-m", "compileall", "-q", "twibench"], check=False)
    missed = False
    results: list[dict[str, object]] = []
    for size in (int(s) for s in args.sizes.split(",")):
        server = serve(marked_page(size))
        base = f"http://127.0.0.1:{server.server_address[1]}"
        ours: list[Figures] = []
        theirs: list[Figures] = []
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory(prefix="twibench-bench-") as tmp:
                ours.append(twibench_run(base, Path(tmp), args.timeout))
            with tempfile.TemporaryDirectory(prefix="posting-bench-") as tmp:
                theirs.append(posting_run(posting, base + PAGE_PATH, Path(tmp), args.timeout))
        server.shutdown()
        row: dict[str, object] = {"size_mb": size, "runs": args.repeat, "load_average": os.getloadavg()[0]}
        for name in ("first_line_s", "key_echo_s"):
            mine = statistics.median(getattr(f, name) for f in ours)
            peer = statistics.median(getattr(f, name) for f in theirs)
            ratio = mine / peer
            missed |= ratio > 0.03
            row[name] = {"twibench": round(mine, 4), "posting": round(peer, 4), "ratio": round(ratio, 4)}
            print(
                f"{size:>3} MB  {name:<13} twibench {mine * 1000:8.1f} ms   Posting {POSTING_VERSION} "
                f"{peer * 1000:8.1f} ms   ratio {ratio:.3f} (goal <= 0.03)"
            )
        results.append(row)
    print(json.dumps(results))
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    raise SystemExit(main())
