"""The sandbox inside another twibench process (the TUI, `send`, `run`): start once, reuse, stop at exit.

`ensure_running()` first looks for a `twibench sandbox` already serving the same data dir (its address
file, see `addr`) and reuses it; otherwise it starts uvicorn on a free loopback port in a daemon thread
and waits until it serves. Starlette and uvicorn are imported only then, so importing this module is
cheap (the `sandbox` profile imports it on every run).
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from twibench.sandbox import addr
from twibench.sandbox.config import deterministic_requested, from_settings

if TYPE_CHECKING:
    from twibench.sandbox.dispatcher import Dispatcher
    from twibench.sandbox.server import BackgroundServer
    from twibench.sandbox.store import Store

__all__ = ["ensure_running", "known_url", "prewarm", "stop"]


@dataclass
class _Instance:
    """A sandbox this process uses: its own (server set) or another process's (pid set)."""

    url: str
    server: BackgroundServer | None = None
    store: Store | None = None
    pid: int | None = None
    dispatcher: Dispatcher | None = None

    def alive(self) -> bool:
        if self.server is not None:
            return self.server.thread.is_alive()
        return addr.pid_alive(self.pid)


_lock = threading.Lock()
_instances: dict[tuple[str, bool], _Instance] = {}
_atexit_registered = False


def ensure_running(*, deterministic: bool = False) -> str:
    """The base URL (`http://127.0.0.1:PORT`) of a sandbox for the current data dir, starting one if needed.

    Thread-safe and idempotent: later calls return the same URL at almost no cost. The environment
    variable TWIBENCH_SANDBOX_DETERMINISTIC=1 also selects deterministic mode.

    Raises:
        FileErrors: config.yaml is invalid.
        RuntimeError: the sandbox could not start.
    """
    from twibench import paths

    mode = deterministic_requested(deterministic)
    db = paths.sandbox_db().resolve()
    key = (str(db), mode)
    with _lock:
        known = _instances.get(key)
        if known is not None and known.alive():
            return known.url
        running = addr.find_running(db, mode)
        if running is not None:
            _instances[key] = _Instance(url=running[0], pid=running[1])
            return running[0]
        instance = _start(mode)
        _instances[key] = instance
        return instance.url


def known_url() -> str | None:
    """The base URL of a sandbox this process already uses, without starting one (for the profile line)."""
    with _lock:
        alive = [instance.url for instance in _instances.values() if instance.alive()]
    return alive[0] if alive else None


def prewarm(*, deterministic: bool = False) -> threading.Thread:
    """Start `ensure_running()` in a background thread and return at once (e.g. after the TUI's first paint).

    A failure is not raised here: the next `ensure_running()` call retries and raises it where it can be
    shown. The returned thread is a daemon; joining it is optional.
    """

    def run() -> None:
        # Reported by the next ensure_running() call instead.
        with contextlib.suppress(Exception):
            ensure_running(deterministic=deterministic)

    thread = threading.Thread(target=run, name="twibench-sandbox-prewarm", daemon=True)
    thread.start()
    return thread


def stop() -> None:
    """Stop every sandbox this process started (reused ones belong to their own process).

    Callbacks already due are sent first (for a moment at most): a `twibench run` that ends right after
    a status change still delivers it. Later ones stay in the state file for the next sandbox.
    """
    with _lock:
        instances = list(_instances.values())
        _instances.clear()
    for instance in instances:
        if instance.dispatcher is not None:
            instance.dispatcher.drain()
            instance.dispatcher.stop()
        if instance.server is not None:
            instance.server.stop()
        if instance.store is not None:
            instance.store.close()


def _start(deterministic: bool) -> _Instance:
    global _atexit_registered
    from twibench import paths
    from twibench.sandbox.app import create_app
    from twibench.sandbox.server import BackgroundServer, bind
    from twibench.sandbox.store import Store

    config = from_settings(deterministic=deterministic, log_errors=False)
    paths.ensure_private_dir(config.db_path.parent)
    _keep_quiet()
    store = Store(config.db_path)
    app = create_app(config, store)
    server = BackgroundServer(app, bind("127.0.0.1", 0))
    try:
        server.start()
    except BaseException:
        server.stop()
        store.close()
        raise
    if not _atexit_registered:
        atexit.register(stop)
        _atexit_registered = True
    return _Instance(url=server.url, server=server, store=store, dispatcher=app.state.sandbox.dispatcher)


def _keep_quiet() -> None:
    """Make sure no uvicorn or asyncio log record falls back to stderr (the TUI owns the terminal).

    A NullHandler only stops the "last resort" stderr output; an application that configured logging
    still receives the records through the root logger.
    """
    for name in ("uvicorn", "asyncio"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())
