"""What a flow asks the main screen to show once it is done (no widget is touched by a flow)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from twibench.profiles import Profile
    from twibench.workbench.workspace import RequestEntry

Severity = Literal["information", "warning", "error"]


@dataclass(frozen=True)
class Note:
    """One notification."""

    text: str
    title: str = ""
    severity: Severity = "information"
    timeout: float | None = None
    markup: bool = True


@dataclass
class Outcome:
    """The screen applies these in this order: tree, editor, history, notes, sending, error, quitting.

    Attributes:
        reload_tree: rebuild the tree (files were reloaded, added or changed), keeping the open request.
        refresh_tree: redraw every label (a request was saved: its marker goes).
        removed: a request deleted from the workspace (the open one closes if it was it).
        added: a new request to show in the tree and open.
        reopen: show this request in the editor again if it is the open one (it changed under it).
        changed: a request was edited: its label, tab counts and URL preview follow.
        go_to: select this request in the tree (which opens it).
        profile: the profiles changed; make this one active.
        preview: the variables changed: the URL preview follows.
        history_removed: a history entry deleted (the pane drops it; the response leaves it if shown).
        history_cleared: the history was emptied.
        clipboard: text to copy through the terminal.
        focus_url: put the cursor at the end of the URL.
        notes: notifications, in order.
        send: send this request with this profile.
        error: a one-sentence reason the flow stopped (shown like any error of a worker).
        quit: leave the app.
    """

    reload_tree: bool = False
    refresh_tree: bool = False
    removed: RequestEntry | None = None
    added: RequestEntry | None = None
    reopen: RequestEntry | None = None
    changed: RequestEntry | None = None
    go_to: RequestEntry | None = None
    profile: str | None = None
    preview: bool = False
    history_removed: int | None = None
    history_cleared: bool = False
    clipboard: str | None = None
    focus_url: bool = False
    notes: list[Note] = field(default_factory=list)
    send: tuple[RequestEntry, Profile] | None = None
    error: str | None = None
    quit: bool = False


def note(text: str) -> Outcome:
    """An outcome that only notifies."""
    return Outcome(notes=[Note(text)])
