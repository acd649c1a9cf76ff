"""Keeping a request that belongs to no file yet: an opened link (ctrl+s) or a history entry (`s`).

The request is first made a template (`twibench.workbench.keeping`: profile values back to `{{variables}}`,
query to Params, paging tokens dropped), then the save dialog asks for its name (prefilled from the method
and the resource, never the tree's cut label) and its collection, or a new collection file in the user's
collections folder. The write goes through the workspace (collection/writer: appending changes no other
byte of the file).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from twibench import paths
from twibench.errors import TwibenchError
from twibench.tui.flows.outcome import Note, Outcome
from twibench.workbench.keeping import keepable, suggested_name

if TYPE_CHECKING:
    from textual.app import App

    from twibench.collection import Request
    from twibench.workbench.session import Session
    from twibench.workbench.workspace import CollectionEntry, RequestEntry

_NOT_A_NAME = ("…", "?", "/", ".json")
"""A name holding any of these is a cut URL (an opened link's tree label), not a name to keep (nor is ctrl+n's
"New request")."""


def prefilled_name(original: str, kept: Request) -> str:
    """The name the dialog offers: the request's own when it reads as a name, else one from method and path."""
    if original.strip() and not original.startswith("New request") and not any(m in original for m in _NOT_A_NAME):
        return original.strip()
    return suggested_name(kept)


async def save_opened(
    app: App[Any],
    session: Session,
    request: Request,
    *,
    preferred: CollectionEntry | None = None,
    replaces: RequestEntry | None = None,
) -> Outcome:
    """Ask where `request` goes and under which name, and write it there.

    Args:
        request: the request as opened (it is not changed; a template copy is saved).
        preferred: the collection chosen at first (the one a history entry was recorded from).
        replaces: the opened link this save turns into a saved request (removed from "Opened links").
    """
    from twibench.tui.dialogs.save_to_collection import SaveToCollection

    workspace = session.workspace
    kept, changes = keepable(request, session.profile)
    note = "Added at the end of the file you choose."
    if changes:
        note += " Made a template: " + "; ".join(changes) + "."
    folder = paths.collections_dir()
    answer = await app.push_screen_wait(
        SaveToCollection(
            workspace.collections,
            prefilled_name(request.name, kept),
            preferred=preferred,
            note=note,
            new_file_folder=folder,
        )
    )
    if answer is None:
        return Outcome()
    kept.name, kept.id = answer.name, ""  # the id comes from the name typed
    try:
        if answer.new_file is not None:
            added = workspace.new_collection(folder, answer.new_file, first=kept).items[0]
        else:
            target = answer.collection
            assert target is not None
            if target.changed_on_disk():
                workspace.reload(target)  # keeps unsaved edits; the new request goes into the file as it is now
            added = workspace.add_saved(target, kept)
    except TwibenchError as exc:
        raise TwibenchError(f"not saved: {exc}") from None
    if replaces is not None:
        workspace.forget(replaces)
    text = f"Saved '{added.request.name}' in {added.owner.path.name}."
    return Outcome(reload_tree=True, go_to=added, notes=[Note(text)])
