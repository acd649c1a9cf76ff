"""Leave when the terminal goes away (a closed window, a killed tmux pane, a dropped ssh session).

Closing a terminal sends SIGHUP to its foreground process group, but not always to the app: started
through `make run`, the signal reaches make, which dies, and the app is left with a hung-up terminal.
Textual's input thread then reads end-of-file in a loop and spins a core for as long as the process
lives. So the app exits on SIGHUP, and a timer also checks that the terminal is still there: once it
has hung up, asking for its settings fails (isatty turns false).

A SIGTERM (`kill PID`, a service manager stopping the session) ends the app as a quit does, with exit code 143:
Python's default would end the process at once, leaving the terminal in the app's screen and raw mode and
skipping what the app does on the way out (the CSS cache's save, closing connections).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import signal
import sys
from typing import Any

from textual.app import App

CHECK_EVERY_S = 1.0
"""How often the terminal is looked at (one cheap system call)."""


def terminal_gone(fd: int) -> bool:
    """True when `fd` is no longer a working terminal (hung up, or closed)."""
    return not os.isatty(fd)  # isatty asks the terminal for its settings: a hung-up one fails


SIGTERM_CODE = 128 + signal.SIGTERM
"""The exit code after a SIGTERM, as a shell reports a process it ended (DESIGN: 143)."""


def quit_on_sigterm(app: App[Any]) -> None:
    """From now on, SIGTERM makes `app` exit with code 143 (call it once, when running: from `on_mount`)."""
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        handler = functools.partial(app.exit, SIGTERM_CODE, SIGTERM_CODE)
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, handler)


def leave_with_the_terminal(app: App[Any]) -> None:
    """Exit `app` on SIGHUP, and when the terminal on stdin stops answering (call it once, when running)."""
    fd = sys.__stdin__.fileno() if sys.__stdin__ is not None else -1
    if fd < 0 or terminal_gone(fd):
        return  # not on a terminal (a headless run): nothing to watch
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, app.exit)

    def check() -> None:
        if terminal_gone(fd):
            app.exit()

    app.set_interval(CHECK_EVERY_S, check, name="terminal-hangup")
