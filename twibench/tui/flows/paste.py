"""Pasting into the URL field: a whole `https://` URL becomes a path and parameters; a curl command becomes
what the request sends (see `twibench.workbench.curl_paste`). Nothing here touches a widget."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from twibench.errors import TwibenchError
from twibench.tui.flows.outcome import Note, Outcome
from twibench.workbench import curl_paste
from twibench.workbench.paste import split_pasted_url
from twibench.workbench.workspace import Row

if TYPE_CHECKING:
    from twibench.workbench.session import Session
    from twibench.workbench.workspace import RequestEntry


def paste_url(session: Session, entry: RequestEntry | None, text: str) -> Outcome:
    """A pasted `http(s)://` URL: its path goes in the URL (the Account SID as `{{account_sid}}`), its query
    in Params."""
    pasted = split_pasted_url(text, session.profile)
    if entry is None or pasted is None:
        return Outcome()
    entry.edit().url = pasted.url
    if pasted.params:
        entry.set_table("params", [*entry.table("params"), *(Row(k, v) for k, v in pasted.params)])
    outcome = Outcome(reopen=entry, changed=entry, focus_url=True)
    if pasted.note:
        outcome.notes.append(Note(pasted.note))
    return outcome


async def paste_curl(session: Session, entry: RequestEntry | None, text: str) -> Outcome:
    """Turn a pasted curl command into `entry` (or a new request in "Opened links" when none is open)."""
    try:
        pasted = await asyncio.to_thread(curl_paste.read_curl, text)
    except TwibenchError as exc:
        message = f"The pasted curl command was not used: {exc}."
        return Outcome(notes=[Note(message, "Not pasted", "error", markup=False)])
    workspace = session.workspace
    outcome = Outcome(focus_url=True)
    if entry is None:
        entry = outcome.added = workspace.add(workspace.scratch, pasted.request)
    else:
        curl_paste.apply(entry, pasted.request)
        if entry.is_new and entry.request.name.startswith("New request"):
            # A request made for this paste (ctrl+n) takes the operation's name ("Create message").
            draft = entry.edit()
            draft.name = workspace.unique_name(entry.owner, pasted.request.name)
            draft.id = workspace.unique_id(entry.owner, pasted.request.id)
        outcome.reopen = entry
        outcome.changed = entry
    warned = bool(pasted.warnings)
    summary = curl_paste.summary(entry.request, pasted.warnings)
    outcome.notes.append(
        Note(summary, "Pasted curl", "warning" if warned else "information", 12 if warned else 6, False)
    )
    return outcome
