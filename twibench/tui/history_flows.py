"""The history in the main screen: the side panel, showing an entry read-only, and what can be done with it.

`attach` mounts the side panel (History and Run tabs) into the screen's side slot after the first
frame and follows the history's writes. Showing an entry reads it with its bodies in a thread worker
and puts it in the response area under a banner that says it is history; `leave` goes back to the live
answer (a send, or opening a request in the tree, calls it). Re-send, open in the editor, save into a
collection, delete and clear run as workers on the screen (group "dialog"), like `twibench.tui.flows`.
"""

from __future__ import annotations

from collections.abc import Coroutine, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import SystemCommand

from twibench import paths
from twibench.errors import TwibenchError
from twibench.redact import MASK, Redactor
from twibench.tui.widgets.response_view import ResponseView
from twibench.workbench.history_log import banner_text

if TYPE_CHECKING:
    from twibench.history import Entry
    from twibench.tui.screens.main import MainScreen
    from twibench.tui.widgets.history_pane import HistoryPane
    from twibench.tui.widgets.side_panel import SidePanel
    from twibench.workbench.workspace import CollectionEntry, RequestEntry

SLOT = "#history-slot"


class StoredRedactor(Redactor):
    """Masks again what was recorded, keeping the recorded Authorization (`Basic AC01…cdef:••••`) as it is.

    A stored Authorization value is already masked; the usual header rule would decode it as base64,
    fail, and drop the masked SID the user may want to see.
    """

    def header(self, name: str, value: str) -> str:
        """Mask known secrets in the stored value as plain text."""
        return self.text(value)


# --- the side panel ---------------------------------------------------------------------------------


def attach(screen: MainScreen) -> SidePanel:
    """Mount the side panel into the slot (once) and add new history entries to it as they are written."""
    from twibench.tui.widgets.side_panel import SidePanel

    found = side(screen)
    if found is not None:
        return found
    panel = SidePanel(screen.session.history, show_timings=screen.show_timings, id="side-panel")
    screen.query_one(SLOT).mount(panel)

    def recorded(entry_id: int | None) -> None:
        if panel.is_attached:
            panel.history.recorded(entry_id)

    screen.session.history.listeners.append(recorded)
    return panel


def side(screen: MainScreen) -> SidePanel | None:
    """The side panel, once mounted."""
    from twibench.tui.widgets.side_panel import SidePanel

    found = screen.query(SidePanel)
    return found.first() if found else None


def pane(screen: MainScreen) -> HistoryPane | None:
    """The history pane, once mounted."""
    panel = side(screen)
    return panel.history if panel is not None else None


def is_open(screen: MainScreen) -> bool:
    """True when the side slot is on screen (a wide terminal, or opened with f2 or by a run)."""
    return screen.query_one(SLOT).display


def open_side(screen: MainScreen, tab: str) -> SidePanel:
    """Show the side slot (also on a narrow terminal) with the `history` or `run` tab."""
    panel = attach(screen)
    slot = screen.query_one(SLOT)
    slot.remove_class("-hidden")
    slot.add_class("-shown")
    panel.show_tab(tab)
    return panel


def toggle(screen: MainScreen) -> None:
    """f2: open the history and put the cursor in it; from inside the history, close it."""
    panel = attach(screen)
    focused = screen.focused
    inside = focused is not None and panel in focused.ancestors_with_self
    if is_open(screen) and inside and panel.tab == "history":
        slot = screen.query_one(SLOT)
        slot.remove_class("-shown")
        slot.add_class("-hidden")
        screen.query_one("CollectionTree").focus()
        leave(screen)
        return
    open_side(screen, "history")
    screen.call_after_refresh(panel.history.focus_list)


# --- showing an entry, and going back to live ------------------------------------------------------


def show_entry(screen: MainScreen, entry_id: int) -> None:
    """Read an entry with its bodies (thread worker) and show it read-only in the response area."""
    log = screen.session.history

    def load() -> None:
        entry = log.get(entry_id)
        screen.app.call_from_thread(_display, screen, entry_id, entry)

    screen.run_worker(load, group="history-entry", thread=True, exclusive=True, exit_on_error=False)


def _display(screen: MainScreen, entry_id: int, entry: Entry | None) -> None:
    history = pane(screen)
    current = history.history_list.current if history is not None else None
    if current is not None and current.id != entry_id:
        return  # the cursor moved on while this one was read
    if entry is None:
        screen.notify(f"History entry {entry_id} is gone (deleted or pruned).", severity="warning")
        return
    session = screen.session
    redactor = StoredRedactor(secrets=session.secret_values())
    screen.query_one(ResponseView).show(
        entry.to_exchange(),
        redactor,
        secrets=session.known_secrets(),
        show_timings=screen.show_timings,
        banner=banner_text(entry, show_times=screen.show_timings),
    )


def leave(screen: MainScreen) -> None:
    """Back to the live answer if a recorded exchange (history or a run result) is shown."""
    response = screen.query_one(ResponseView)
    if response.banner is None:
        return
    session = screen.session
    last = session.last_exchange
    if last is None:
        response.reset()
    else:
        response.show(last, session.redactor(), secrets=session.known_secrets(), show_timings=screen.show_timings)


# --- actions on an entry ----------------------------------------------------------------------------


def _run(screen: MainScreen, flow: Coroutine[Any, Any, None]) -> None:
    screen.run_worker(flow, group="dialog", exit_on_error=False)


def act(screen: MainScreen, action: str, entry: Entry) -> None:
    """Do what the history list asked for (see `HistoryList.ActionRequested`)."""
    if action == "show":
        show_entry(screen, entry.id)
    elif action in ("resend", "resend_original"):
        _run(screen, _resend(screen, entry.id, original=action == "resend_original"))
    elif action == "edit":
        _run(screen, _edit(screen, entry.id))
    elif action == "save":
        _run(screen, _save(screen, entry.id))
    elif action == "delete":
        _run(screen, _delete(screen, entry.id))
    elif action == "clear":
        _run(screen, _clear(screen))


async def _full(screen: MainScreen, entry_id: int) -> Entry:
    """The entry with its bodies (read in a thread)."""
    import asyncio

    entry = await asyncio.to_thread(screen.session.history.get, entry_id)
    if entry is None:
        raise TwibenchError(f"history entry {entry_id} is gone (deleted or pruned)")
    return entry


def _loaded(screen: MainScreen, path: str | None) -> CollectionEntry | None:
    """The loaded collection a recorded request came from, if it is open."""
    if not path:
        return None
    return next((c for c in screen.session.workspace.collections if str(c.path) == path), None)


def replay_entry(screen: MainScreen, entry: Entry) -> RequestEntry:
    """A throw-away request entry for re-sending `entry` (not in the tree; its collection's rules apply).

    Raises:
        ReplayError: the recorded body was truncated or is binary.
    """
    from twibench import collection as model
    from twibench.workbench.workspace import CollectionEntry, RequestEntry

    request = entry.to_request()
    owner = _loaded(screen, entry.collection_file)
    sandbox_only = owner.collection.sandbox_only if owner is not None else False
    if owner is None and entry.collection_file and Path(entry.collection_file).is_file():
        try:
            sandbox_only = model.load_collection(Path(entry.collection_file)).sandbox_only
        except TwibenchError:
            sandbox_only = False  # it no longer loads: nothing says it was sandbox-only
    name = entry.collection or "History"
    path = Path(entry.collection_file) if entry.collection_file else Path("history")
    replay_owner = CollectionEntry(
        model.Collection(name=name, path=path, sandbox_only=sandbox_only), scratch=not entry.collection_file
    )
    return RequestEntry(replay_owner, request)


async def _resend(screen: MainScreen, entry_id: int, *, original: bool) -> None:
    entry = await _full(screen, entry_id)
    profile = screen.session.profiles.get(entry.profile) if original else screen.session.profile
    replay = replay_entry(screen, entry)
    request = replay.request
    if MASK in (request.body or "") or any(MASK in value for _, value in request.headers):
        screen.notify("The recorded request held masked secrets; they are sent masked.", severity="warning")
    screen.send_entry(replay, profile)


async def _edit(screen: MainScreen, entry_id: int) -> None:
    entry = await _full(screen, entry_id)
    request = entry.to_request()
    workspace = screen.session.workspace
    owner = _loaded(screen, entry.collection_file) or workspace.scratch
    added = workspace.add(owner, request)
    screen.add_entry(added)
    where = f"'{owner.name}' (ctrl+s writes it to {owner.path.name})" if not owner.scratch else "'Opened links'"
    screen.notify(f"History entry {entry.id} is now a new unsaved request in {where}.")


async def _save(screen: MainScreen, entry_id: int) -> None:
    from twibench.tui.dialogs.save_to_collection import SaveToCollection

    entry = await _full(screen, entry_id)
    request = entry.to_request()
    workspace = screen.session.workspace
    if not workspace.collections:
        raise TwibenchError("no collection is open; create one first (palette: New collection file)")
    preferred = _loaded(screen, entry.collection_file)
    answer = await screen.app.push_screen_wait(
        SaveToCollection(workspace.collections, request.name, preferred=preferred)
    )
    if answer is None:
        return
    target, name = answer
    if target.changed_on_disk():
        workspace.reload(target)  # keeps unsaved edits; the new request goes into the file as it is now
    request.name = name
    added = workspace.add(target, request)
    try:
        workspace.save(added)
    except TwibenchError as exc:
        workspace.forget(added)
        raise TwibenchError(f"not saved: {exc}") from None
    screen.reload_tree()
    screen.go_to(added)
    screen.notify(f"Saved history entry {entry.id} as '{added.request.name}' in {target.path.name}.")


async def _delete(screen: MainScreen, entry_id: int) -> None:
    import asyncio

    deleted = await asyncio.to_thread(screen.session.history.delete, entry_id)
    history = pane(screen)
    if history is not None:
        history.removed(entry_id)
    response = screen.query_one(ResponseView)
    if response.banner is not None and f"entry {entry_id} " in response.banner:
        leave(screen)
    if deleted:
        screen.notify(f"Deleted history entry {entry_id}.")


async def _clear(screen: MainScreen) -> None:
    import asyncio

    from twibench.history import parse_filter
    from twibench.tui.dialogs.prompts import Choice

    log = screen.session.history
    await log.drain()
    total = await asyncio.to_thread(log.count, parse_filter(None))
    what = "the one recorded exchange" if total == 1 else f"all {total:,} recorded exchanges"
    answer = await screen.app.push_screen_wait(
        Choice(
            "Clear the whole history?",
            f"This deletes {what} from {log.path or paths.history_db()}, the filter aside, including "
            "those recorded by twibench send and run. It cannot be undone.",
            [("Clear history", "clear", "error")],
        )
    )
    if answer != "clear":
        return
    await log.drain()
    removed = await asyncio.to_thread(log.clear)
    history = pane(screen)
    if history is not None:
        history.reload()
    leave(screen)
    screen.notify(f"Cleared the history ({removed:,} entries).")


# --- the palette -------------------------------------------------------------------------------------


def commands(screen: MainScreen) -> Iterator[SystemCommand]:
    """Palette commands for the history (the entry ones act on the entry under the history cursor)."""
    yield SystemCommand("History", "Show the request history and go to it (f2)", partial(toggle_open, screen))
    history = pane(screen)
    entry = history.history_list.current if history is not None else None
    if entry is None:
        return
    label = f"entry {entry.id} ({entry.method} {entry.label})"
    for action, title, help_text in (
        ("resend", "History: re-send", f"Send {label} again with the current profile"),
        ("resend_original", "History: re-send as recorded", f"Send {label} again with profile '{entry.profile}'"),
        ("edit", "History: open in the editor", f"Open {label} as a new unsaved request"),
        ("save", "History: save into a collection…", f"Save {label} into a collection file"),
        ("delete", "History: delete entry", f"Delete {label} from the history"),
        ("clear", "History: clear all…", "Delete every history entry (asks first)"),
    ):
        yield SystemCommand(title, help_text, partial(act, screen, action, entry))


def toggle_open(screen: MainScreen) -> None:
    """Open the history and focus it (the palette's "History"; never closes it)."""
    panel = open_side(screen, "history")
    screen.call_after_refresh(panel.history.focus_list)
