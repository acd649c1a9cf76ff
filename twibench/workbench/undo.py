"""Undo and redo of a request's edits, per request, for the session (ctrl+z; ctrl+y or ctrl+shift+z).

Textual's Input has no undo, and the TextArea's is per widget and lost when another request is shown.
Here every edit of a request (method, URL, a table row added, deleted, toggled or typed in, the body, a
rename, a paste, a revert) first records the request's editable state — its draft, its table rows and a
body being typed — so the request's own stack steps back through them, whichever request was opened in
between. Typing in one field is one step until another field is edited (no clock is involved).
"""

from __future__ import annotations

import copy
from typing import Any, NamedTuple, Protocol


class Editable(Protocol):
    """What undo reads and restores of a request entry (workspace.Editable; named here, not imported,
    so the workspace can hold an EditHistory without an import circle)."""

    draft: Any
    rows: Any
    body_text: str | None
    body_error: str | None


LIMIT = 200
"""Steps kept per request (the oldest go first)."""


class Snapshot(NamedTuple):
    """A request entry's editable state: the draft (None: as saved), the table rows, the body being typed.

    A named tuple, not a frozen dataclass: built before the first frame, and ~5x cheaper to create (ARCHITECTURE).
    """

    draft: Any
    rows: Any
    body_text: str | None
    body_error: str | None


def snapshot(entry: Editable) -> Snapshot:
    """A deep copy of what an edit can change."""
    return Snapshot(copy.deepcopy(entry.draft), copy.deepcopy(entry.rows), entry.body_text, entry.body_error)


def restore(entry: Editable, state: Snapshot) -> None:
    """Put a snapshot back (copied again, so the stack's copy stays as it was)."""
    entry.draft = copy.deepcopy(state.draft)
    entry.rows = copy.deepcopy(state.rows)
    entry.body_text, entry.body_error = state.body_text, state.body_error


class EditHistory:
    """One request's undo and redo stacks (state, not a value: a plain class, compared by identity)."""

    def __init__(self) -> None:
        self._undo: list[Snapshot] = []
        self._redo: list[Snapshot] = []
        self._field = ""
        """The field the last step is about; typing on in it adds to that step ("" never merges)."""

    def before(self, entry: Editable, what: str = "") -> None:
        """An edit of `what` ("url", "params:text"…; "" for a step of its own) is about to change `entry`."""
        if what and what == self._field:
            return
        self._undo.append(snapshot(entry))
        del self._undo[:-LIMIT]
        self._redo.clear()
        self._field = what

    def undo(self, entry: Editable) -> bool:
        """Step back; False when there is nothing to undo."""
        return self._step(entry, self._undo, self._redo)

    def redo(self, entry: Editable) -> bool:
        """Step forward again; False when there is nothing to redo."""
        return self._step(entry, self._redo, self._undo)

    def _step(self, entry: Editable, source: list[Snapshot], target: list[Snapshot]) -> bool:
        if not source:
            return False
        target.append(snapshot(entry))
        restore(entry, source.pop())
        self._field = ""
        return True
