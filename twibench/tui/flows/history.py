"""What can be done with a history entry besides looking at it: re-send, open in the editor, save into a
collection, compare with another response, delete; and clearing the whole history. Entries are read with
their bodies in a thread."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from twibench import paths
from twibench.errors import TwibenchError
from twibench.redact import holds_mask
from twibench.tui.flows.outcome import Note, Outcome
from twibench.workbench.replay import loaded, replay_entry

if TYPE_CHECKING:
    from textual.app import App

    from twibench.exchange import Exchange
    from twibench.history import Entry
    from twibench.tui.widgets.history_list import EntryAction
    from twibench.workbench.session import Session


async def act(app: App[Any], session: Session, action: EntryAction, entry_id: int, base: int | None = None) -> Outcome:
    """Do what the history list asked for (`show` only displays an entry: the screen does it); `diff`
    compares with entry `base`, or with the previous response of the same request when it is None."""
    if action == "show":
        return Outcome()
    if action == "diff":
        return await diff(app, session, entry_id, base)
    if action in ("resend", "resend_original"):
        return await _resend(session, entry_id, original=action == "resend_original")
    if action == "edit":
        return await _edit(session, entry_id)
    if action == "save":
        return await _save(app, session, entry_id)
    if action == "delete":
        return await _delete(session, entry_id)
    return await _clear(app, session)


async def _full(session: Session, entry_id: int) -> Entry:
    """The entry with its bodies (read in a thread)."""
    entry = await asyncio.to_thread(session.history.get, entry_id)
    if entry is None:
        raise TwibenchError(f"history entry {entry_id} is gone (deleted or pruned)")
    return entry


async def _resend(session: Session, entry_id: int, *, original: bool) -> Outcome:
    entry = await _full(session, entry_id)
    profile = session.profiles.get(entry.profile) if original else session.profile
    replay = replay_entry(session.workspace, entry)
    request = replay.request
    outcome = Outcome(send=(replay, profile))
    if holds_mask(request.body, request.headers):
        text = "The recorded request held masked secrets; they are sent masked."
        outcome.notes.append(Note(text, severity="warning"))
    return outcome


async def _edit(session: Session, entry_id: int) -> Outcome:
    entry = await _full(session, entry_id)
    request = entry.to_request()
    workspace = session.workspace
    owner = loaded(workspace, entry.collection_file) or workspace.scratch
    added = workspace.add(owner, request)
    where = f"'{owner.name}' (ctrl+s writes it to {owner.path.name})" if not owner.scratch else "'Opened links'"
    return Outcome(added=added, notes=[Note(f"History entry {entry.id} is now a new unsaved request in {where}.")])


async def _save(app: App[Any], session: Session, entry_id: int) -> Outcome:
    from twibench.tui.flows.keep import save_opened

    entry = await _full(session, entry_id)
    preferred = loaded(session.workspace, entry.collection_file)
    return await save_opened(app, session, entry.to_request(), preferred=preferred)


async def _delete(session: Session, entry_id: int) -> Outcome:
    deleted = await asyncio.to_thread(session.history.delete, entry_id)
    notes = [Note(f"Deleted history entry {entry_id}.")] if deleted else []
    return Outcome(history_removed=entry_id, notes=notes)


async def _clear(app: App[Any], session: Session) -> Outcome:
    from twibench.history import parse_filter
    from twibench.tui.dialogs.prompts import Choice

    log = session.history
    await log.drain()
    total = await asyncio.to_thread(log.count, parse_filter(None))
    what = "the one recorded exchange" if total == 1 else f"all {total:,} recorded exchanges"
    answer = await app.push_screen_wait(
        Choice(
            "Clear the whole history?",
            f"This deletes {what} from {log.path or paths.history_db()}, the filter aside, including "
            "those recorded by twibench send and run. It cannot be undone.",
            [("Clear history", "clear", "error")],
        )
    )
    if answer != "clear":
        return Outcome()
    await log.drain()
    removed = await asyncio.to_thread(log.clear)
    return Outcome(history_cleared=True, notes=[Note(f"Cleared the history ({removed:,} entries).")])


NO_PREVIOUS = (
    "No earlier response of this request is in the history. To compare any two entries, press m on one "
    "and d on the other."
)


async def diff(app: App[Any], session: Session, entry_id: int, base: int | None = None) -> Outcome:
    """Compare entry `entry_id` with entry `base` (the older one first), or with the previous response
    of the same request, in the comparison dialog."""
    new = await _full(session, entry_id)
    if new.status is None:
        raise TwibenchError(f"history entry {entry_id} has no response to compare ({new.error_kind})")
    if base is not None:
        old = await _full(session, base)
        if old.status is None:
            raise TwibenchError(f"history entry {base} has no response to compare ({old.error_kind})")
        if old.id > new.id:
            old, new = new, old
        return _show_diff(app, session, old, new)
    from twibench.workbench.response_diff import RequestKey, previous_response

    store = await asyncio.to_thread(session.history.store)
    previous = await asyncio.to_thread(previous_response, store, RequestKey.of_entry(new), before=new.id)
    if previous is None:
        return Outcome(notes=[Note(NO_PREVIOUS, title="Nothing to compare", severity="warning")])
    return _show_diff(app, session, previous, new)


async def diff_exchange(app: App[Any], session: Session, exchange: Exchange) -> Outcome:
    """Compare a response shown live (or a run result) with the previous response of its request."""
    from twibench.workbench.response_diff import RequestKey, previous_response

    if exchange.response is None:
        raise TwibenchError("this request has no response to compare (it failed before an answer came)")
    await session.history.drain()  # the answer itself is recorded by now, and skipped by its id
    store = await asyncio.to_thread(session.history.store)
    key = RequestKey.of_exchange(exchange)
    previous = await asyncio.to_thread(previous_response, store, key, skip_uid=exchange.id)
    if previous is None:
        return Outcome(notes=[Note(NO_PREVIOUS, title="Nothing to compare", severity="warning")])
    return _show_diff(app, session, previous, exchange)


def _show_diff(app: App[Any], session: Session, old: Entry, new: Entry | Exchange) -> Outcome:
    from twibench.tui.dialogs.diff import DiffScreen
    from twibench.workbench.response_diff import compare

    comparison = compare(old, new, session.redactor(), show_times=bool(getattr(app, "show_timings", True)))
    app.push_screen(DiffScreen(comparison))
    return Outcome()
