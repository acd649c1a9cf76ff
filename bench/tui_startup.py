"""Time to first frame: twibench on the shipped collections vs a bare Textual app (header, tree, footer).

twibench starts as the `twibench PATH` command does (`twibench.cli.main`: argument parsing, the terminal
check, then `twibench.tui.app.run`). Each run is a fresh Python process in a pseudo-terminal (so Textual
drives a real terminal), timed from just before the process is spawned until the terminal receives the
first frame — detected in the pty output as the word "Collections", which both apps paint in their first
frame (the tree's title / root).
Runs alternate between the apps so that machine noise hits both alike; medians are printed with
their ratio (goal, issue 15: twibench ≤ 1.15× the bare app). twibench builds its request and response tab sets right
after the first frame; the time until they are mounted with the first request shown ("complete") is
reported as well, so the first-frame figure hides nothing.

twibench keeps its parsed collections (`twibench.collection.parse_cache`) and Textual's parsed CSS
(`twibench.tui.css_cache`) in its cache folder, so a start whose files have not changed imports no PyYAML
and parses no CSS: the warm-up run fills both, as any earlier start would (each run ends with SIGTERM,
which the app takes as a quit, so it saves on its way out as after a user's ctrl+q). A third series starts
twibench with an empty cache each time (a fresh TWIBENCH_HOME: the first start after the collections
changed, after an upgrade, or ever) and is printed beside the others; the ratio is the warm start's.

Both apps run from byte-compiled files, as installed packages do (pip compiles on install, and Textual's
files in site-packages are compiled): twibench's own modules are compiled before timing, since with
PYTHONDONTWRITEBYTECODE set (as in some containers) the warm-up runs cannot write them, and every run
would compile twibench from source (~11 ms) — a cost no installed copy pays.

Usage: python bench/tui_startup.py [RUNS]   (default 15 runs of each)
"""

from __future__ import annotations

import compileall
import contextlib
import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLUMNS, ROWS = 120, 35

# The child reports, through BENCH_FD, the wall time (time.time) at which it is complete; the parent ends
# it once it has both painted and reported (an app that exits at once may never flush its first frame).
BARE = """
import os, time
from textual.app import App
from textual.widgets import Footer, Header, Tree

class Bare(App[None]):
    def compose(self):
        yield Header()
        tree = Tree("Collections")
        tree.root.expand()
        yield tree
        yield Footer()

    def on_ready(self) -> None:
        os.write(int(os.environ["BENCH_FD"]), f"{time.time()!r};".encode())

Bare().run()
"""

TWIBENCH = """
import importlib, os, time, types

def timed(app_module):
    class Timed(app_module.TwibenchApp):
        def on_ready(self) -> None:
            self.set_interval(0.002, self.check_complete)

        def check_complete(self) -> None:
            # Complete: both tab sets are mounted and the first request is shown in the editor.
            if not self.complete and self.screen.query("#form-table") and self.screen.query("#body-viewer"):
                os.write(int(os.environ["BENCH_FD"]), f"{time.time()!r};".encode())
                self.complete = True

        complete = False

    build = app_module.make_app

    def timed_app(*args, **kwargs):
        app = build(*args, **{**kwargs, "prewarm": False})
        app.__class__ = Timed
        return app

    app_module.make_app = timed_app

def import_module(name):
    # `open_tui` imports the app module itself (after pausing the collector): patch it once it is loaded.
    module = importlib.import_module(name)
    if name == "twibench.tui.app":
        timed(module)
    return module

from twibench.cli import main, tui  # the `twibench PATH` command's own path: argument parsing, then the TUI

tui.importlib = types.SimpleNamespace(import_module=import_module)
main([os.environ["BENCH_COLLECTIONS"]])
"""


MARK = b"Collections"


def first_frame(code: str, env: dict[str, str]) -> tuple[float, float]:
    """Seconds from spawning `python -c code` in a pty to (its first frame, its own "complete" report)."""
    read_fd, write_fd = os.pipe()
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    env = {**env, "BENCH_FD": str(write_fd)}
    start = time.time()
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        pass_fds=(write_fd,),
        cwd=ROOT,
    )
    os.close(follower)
    os.close(write_fd)
    stamp = b""
    output = b""
    painted: float | None = None
    deadline = time.monotonic() + 60
    try:
        while process.poll() is None and time.monotonic() < deadline:
            ready, _, _ = select.select([leader, read_fd], [], [], 0.1)
            if leader in ready:
                with contextlib.suppress(OSError):  # drain the terminal so the app never blocks
                    output += os.read(leader, 65536)
                if painted is None and MARK in output:
                    painted = time.time()
            if read_fd in ready:
                stamp += os.read(read_fd, 64)
            if painted is not None and stamp.endswith(b";"):
                process.terminate()
        process.wait(timeout=10)
    finally:
        os.close(leader)
        os.close(read_fd)
        if process.poll() is None:
            process.kill()
    if painted is None or not stamp.endswith(b";"):
        raise RuntimeError("the app exited without painting its first frame")
    return painted - start, float(stamp.decode().rstrip(";")) - start


def main() -> None:
    """Alternate the two apps, then print medians and the ratio."""
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    compileall.compile_dir(ROOT / "twibench", quiet=1)  # as installed (see the module docstring)
    with tempfile.TemporaryDirectory() as home:
        env = {
            **os.environ,
            "TWIBENCH_HOME": home,
            "BENCH_COLLECTIONS": str(ROOT / "collections"),
            "TERM": "xterm-256color",
        }
        env.pop("TEXTUAL", None)
        first_frame(BARE, env)  # warm the OS file cache and .pyc files for both
        first_frame(TWIBENCH, env)
        bare: list[tuple[float, float]] = []
        ours: list[tuple[float, float]] = []
        cold: list[tuple[float, float]] = []
        for _ in range(runs):
            bare.append(first_frame(BARE, env))
            ours.append(first_frame(TWIBENCH, env))
            with tempfile.TemporaryDirectory() as empty:  # no parse cache yet
                cold.append(first_frame(TWIBENCH, {**env, "TWIBENCH_HOME": empty}))

    def median_ms(runs: list[tuple[float, float]], index: int) -> float:
        return statistics.median(r[index] for r in runs) * 1000

    bare_ms, ours_ms = median_ms(bare, 0), median_ms(ours, 0)
    print(f"runs per app: {runs} (alternated, fresh process in a pty each); load average {os.getloadavg()[0]:.1f}")
    print(f"bare Textual app (header, tree, footer): median {bare_ms:.0f} ms to first frame")
    print(f"twibench on the shipped collections:      median {ours_ms:.0f} ms to first frame")
    print(f"ratio: {ours_ms / bare_ms:.2f}x (goal <= 1.15x)")
    cold_ms = median_ms(cold, 0)
    cold_ratio = cold_ms / bare_ms
    print(f"twibench, empty parse cache:              median {cold_ms:.0f} ms to first frame ({cold_ratio:.2f}x)")
    print(f"twibench complete (tabs mounted, first request shown): median {median_ms(ours, 1):.0f} ms")


if __name__ == "__main__":
    main()
