"""`twibench history diff A B`: two recorded responses compared (see `twibench.diff`).

Exit 0 when they are the same apart from volatile fields (dates, request ids, page tokens), 1 when they
differ, 2 when an entry does not exist. Colour only on a terminal (and not with NO_COLOR); control
characters from the bodies are always shown as visible symbols.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, TextIO

from twibench.diff import diff_exchanges, format_diff
from twibench.errors import TwibenchError

if TYPE_CHECKING:
    from twibench.history import Entry, HistoryStore


class HistoryDiffError(TwibenchError):
    """An entry to compare does not exist or has no response."""


def _label(entry: Entry) -> str:
    status = str(entry.status) if entry.status is not None else (entry.error_kind or "no response")
    return f"history {entry.id} · {entry.method} {entry.path} · {status} · recorded {entry.time}"


def _entry(store: HistoryStore, entry_id: int) -> Entry:
    entry = store.get(entry_id)
    if entry is None:
        raise HistoryDiffError(f"no history entry {entry_id}; `twibench history list` shows the ids")
    if entry.status is None:
        raise HistoryDiffError(f"history entry {entry_id} has no response to compare ({entry.error_kind})")
    return entry


def _masked(entry: Entry) -> Entry:
    """Mask the profiles' secrets once more (what is stored is already redacted; a safety net)."""
    from twibench import profiles
    from twibench.redact import Redactor

    try:
        pairs = profiles.known_secrets(profiles.load_profiles())
    except TwibenchError:
        return entry
    redactor = Redactor(pairs)
    entry.response_body = redactor.body(entry.response_body or b"")
    entry.response_headers = list(redactor.headers(entry.response_headers or []))
    return entry


def history_diff(store: HistoryStore, old_id: int, new_id: int, out: TextIO | None = None) -> int:
    """Print the diff of two history entries' responses; 0 when the same (ignoring volatile fields), else 1."""
    out = out or sys.stdout
    old, new = _masked(_entry(store, old_id)), _masked(_entry(store, new_id))
    labels = (_label(old), _label(new))
    diff = diff_exchanges(old.to_exchange(), new.to_exchange(), labels)
    colour = out.isatty() and not os.environ.get("NO_COLOR")
    for line in format_diff(diff, labels, colour=colour):
        out.write(line + "\n")
    out.flush()
    return 0 if diff.same() else 1
