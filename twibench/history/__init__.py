"""The request history (DESIGN §5): every exchange sent by the TUI, `send`, `run` or a replay, redacted.

One SQLite file (`paths.history_db()`, 0600, WAL) shared by every twibench process. Senders record
through one call — `record_exchange` (or `HistoryStore.record` when they hold a store) — which masks
every known secret before a byte is written. Reading back gives `Entry` objects that turn into the
same Exchange JSON shape as `send --json`.
"""

from __future__ import annotations

import atexit
import sys
import threading
from collections.abc import Iterable
from pathlib import Path

from twibench import paths
from twibench.errors import TwibenchError
from twibench.exchange import Exchange
from twibench.history.entry import Entry, ReplayError
from twibench.history.query import Filter, FilterError, parse_filter
from twibench.history.schema import CURRENT_VERSION, HistoryError
from twibench.history.store import HistoryStore
from twibench.profiles import ProfileSet, SecretPrompt, known_secrets
from twibench.redact import Redactor
from twibench.settings import HistorySettings, load_settings

__all__ = [
    "CURRENT_VERSION",
    "Entry",
    "Filter",
    "FilterError",
    "HistoryError",
    "HistoryStore",
    "ReplayError",
    "open_history",
    "parse_filter",
    "record_exchange",
    "redactor_for",
]

_shared: dict[Path, HistoryStore] = {}
_shared_lock = threading.Lock()
_warned: set[str] = set()


def _warn_once(kind: str, message: str) -> None:
    """Tell the user once per process and kind of problem; a broken history must not drown the output."""
    if kind not in _warned:
        _warned.add(kind)
        print(f"twibench: warning: {message}", file=sys.stderr, flush=True)


def history_settings() -> HistorySettings:
    """`config.yaml`'s history section; its defaults (with a warning) when the file does not load."""
    try:
        return load_settings().history
    except TwibenchError as exc:
        first = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        _warn_once("settings", f"history uses its default limits because the settings file does not load: {first}")
        return HistorySettings()


def open_history(path: Path | None = None, settings: HistorySettings | None = None) -> HistoryStore:
    """Open the user's history (or `path`) with the configured limits; the caller closes it.

    Raises:
        HistoryError: the file is from a newer twibench or is not a history database.
    """
    return HistoryStore.from_settings(path or paths.history_db(), settings or history_settings())


def redactor_for(profile_set: ProfileSet, secrets: Iterable[str] = (), prompt: SecretPrompt | None = None) -> Redactor:
    """The redactor history writes with: every loaded profile's credentials (typed ones too) and captured secrets."""
    return Redactor(known_secrets(profile_set, prompt=prompt), secrets)


def _shared_store() -> HistoryStore:
    """One open store per database path for this process (the TUI and the runner record many times)."""
    path = paths.history_db()
    with _shared_lock:
        store = _shared.get(path)
        if store is None:
            store = open_history(path)
            _shared[path] = store
        return store


def record_exchange(
    exchange: Exchange,
    profile_set: ProfileSet,
    *,
    run_id: str | None = None,
    collection_file: str | Path | None = None,
    secrets: Iterable[str] = (),
    store: HistoryStore | None = None,
    prompt: SecretPrompt | None = None,
) -> int | None:
    """Record `exchange` in the user's history, redacted with every known secret; never raises.

    A history problem (a newer or damaged file, a full disk, a lock held too long) must not turn a
    successful send into a failure, so it becomes one warning on stderr per process and None.

    Args:
        exchange: the raw exchange, as `client.send` returned it.
        profile_set: the loaded profiles; their available secrets are masked.
        run_id: the run that sent it (the runner).
        collection_file: the collection file the request came from.
        secrets: extra values to mask (`capture_secret` values).
        store: an open store to write to (default: the user's history, opened once per process).
        prompt: the session whose typed secrets are masked too.

    Returns:
        The new entry's id, or None when it could not be recorded.
    """
    try:
        store = store or _shared_store()
        return store.record(
            exchange, redactor_for(profile_set, secrets, prompt), run_id=run_id, collection_file=collection_file
        )
    except Exception as exc:  # a broken history must never fail the send that produced the exchange
        _warn_once("record", f"the exchange was not recorded in history: {exc}")
        return None


def close_shared() -> None:
    """Close the stores `record_exchange` opened (at exit, and in tests that move TWIBENCH_HOME)."""
    with _shared_lock:
        stores = list(_shared.values())
        _shared.clear()
    for store in stores:
        store.close()


atexit.register(close_shared)
