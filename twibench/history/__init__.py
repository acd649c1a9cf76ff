"""The request history (DESIGN §5): every exchange sent by the TUI, `send`, `run` or a replay, redacted.

One SQLite file (`paths.history_db()`, 0600, WAL) shared by every twibench process. Senders record
through one `Recorder` (`history/recorder.py`), which masks every known secret before a byte is
written and never fails the send. Reading back gives `Entry` objects that turn into the same Exchange
JSON shape as `send --json`.
"""

from __future__ import annotations

from collections.abc import Iterable

from twibench.history.entry import Entry, ReplayError
from twibench.history.opener import history_settings, open_history
from twibench.history.query import Filter, FilterError, parse_filter
from twibench.history.recorder import Recorder
from twibench.history.schema import CURRENT_VERSION, HistoryError
from twibench.history.store import HistoryStore
from twibench.profiles import ProfileSet, SecretPrompt, known_secrets
from twibench.redact import Redactor

__all__ = [
    "CURRENT_VERSION",
    "Entry",
    "Filter",
    "FilterError",
    "HistoryError",
    "HistoryStore",
    "Recorder",
    "ReplayError",
    "history_settings",
    "open_history",
    "parse_filter",
    "redactor_for",
]


def redactor_for(profile_set: ProfileSet, secrets: Iterable[str] = (), prompt: SecretPrompt | None = None) -> Redactor:
    """The redactor history writes with: every loaded profile's credentials (typed ones too) and captured secrets."""
    return Redactor(known_secrets(profile_set, prompt=prompt), secrets)
