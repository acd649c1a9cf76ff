"""Opening the user's history with the limits of `config.yaml` (a settings file that does not load warns)."""

from __future__ import annotations

import sys
from pathlib import Path

from twibench import paths
from twibench.errors import TwibenchError
from twibench.history.store import HistoryStore
from twibench.settings import HistorySettings, load_settings


def _warn(message: str) -> None:
    print(f"twibench: warning: {message}", file=sys.stderr, flush=True)


def history_settings() -> HistorySettings:
    """`config.yaml`'s history section; its defaults (with a warning) when the file does not load."""
    try:
        return load_settings().history
    except TwibenchError as exc:
        first = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        _warn(f"history uses its default limits because the settings file does not load: {first}")
        return HistorySettings()


def open_history(path: Path | None = None, settings: HistorySettings | None = None) -> HistoryStore:
    """Open the user's history (or `path`) with the configured limits; the caller closes it.

    Raises:
        HistoryError: the file is from a newer twibench or is not a history database.
    """
    return HistoryStore.from_settings(path or paths.history_db(), settings or history_settings())
