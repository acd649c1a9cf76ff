"""Managing requests and collection files: save (with on-disk conflicts), rename, delete, revert,
duplicate, new request, new collection file, and quitting with unsaved edits.

A TwibenchError raised here reaches the screen's worker handler and is shown as one notification.

Dialogs are imported when a flow first asks something (never at start-up).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from twibench import paths
from twibench.errors import FileErrors, TwibenchError
from twibench.tui.flows.outcome import Note, Outcome, note

if TYPE_CHECKING:
    from textual.app import App

    from twibench.workbench.session import Session
    from twibench.workbench.workspace import CollectionEntry, RequestEntry, Workspace


def one_line(exc: TwibenchError) -> str:
    """The first located error of a file, else the message."""
    if isinstance(exc, FileErrors) and exc.errors:
        return str(exc.errors[0])
    return str(exc)


# --- saving ---------------------------------------------------------------------------------------


async def save(app: App[Any], session: Session, entry: RequestEntry, current: RequestEntry | None) -> Outcome:
    """ctrl+s: write the request into its file, asking first if the file changed on disk; an opened link
    (in no file yet) asks where it goes and under which name (see `twibench.tui.flows.keep`)."""
    from twibench.tui.dialogs.prompts import Choice

    workspace = session.workspace
    if entry.owner.scratch:
        from twibench.tui.flows.keep import save_opened

        return await save_opened(app, session, entry.request, replaces=entry)
    if not entry.modified:
        return note(f"'{entry.request.name}' has no unsaved edits.")
    owner = entry.owner
    if owner.changed_on_disk():
        choice = await app.push_screen_wait(
            Choice(
                f"{owner.path.name} changed on disk",
                f"Someone changed {owner.path} since it was loaded. Reload it (your unsaved edits are kept on "
                f"top of the new version), overwrite this request in it, or save a new file with your version.",
                [
                    ("Reload", "reload", "primary"),
                    ("Overwrite", "overwrite", "warning"),
                    ("Save as…", "save_as", "default"),
                ],
            )
        )
        if choice is None:
            return Outcome()
        if choice == "reload":
            try:
                workspace.reload(owner)
            except TwibenchError as exc:
                raise TwibenchError(f"{owner.path.name} could not be reloaded: {one_line(exc)}") from None
            text = f"Reloaded {owner.path.name}; your edits are kept — ctrl+s saves them."
            return Outcome(reload_tree=True, reopen=current, notes=[Note(text)])
        if choice == "save_as":
            return await _save_as(app, workspace, entry)
    return Outcome(refresh_tree=True, notes=[write(workspace, entry)])


def write(workspace: Workspace, entry: RequestEntry) -> Note:
    """Save a request into its file (no questions asked); the note says what was written."""
    dropped = entry.disabled_count()
    try:
        workspace.save(entry)
    except TwibenchError as exc:
        raise TwibenchError(f"not saved: {one_line(exc)}") from None
    left_out = f" ({dropped} disabled row(s) were left out)" if dropped else ""
    return Note(f"Saved '{entry.request.name}' to {entry.owner.path.name}{left_out}.")


async def _save_as(app: App[Any], workspace: Workspace, entry: RequestEntry) -> Outcome:
    from twibench.tui.dialogs.prompts import TextPrompt

    owner = entry.owner
    suggestion = owner.path.with_name(f"{owner.path.stem}-mine{owner.path.suffix}")
    answer = await app.push_screen_wait(
        TextPrompt("Save as a new collection file", value=str(suggestion), confirm="Save")
    )
    if not answer:
        return Outcome()
    saved = workspace.save_as(entry, Path(answer).expanduser())
    return Outcome(reload_tree=True, go_to=saved, notes=[Note(f"Saved a new collection file: {saved.owner.path}.")])


# --- requests and collection files ----------------------------------------------------------------


def new_request_home(
    workspace: Workspace, under_cursor: CollectionEntry | None, current: RequestEntry | None
) -> CollectionEntry | None:
    """Where ctrl+n offers to put a new request first: the collection under the cursor, else the open request's,
    else the first one (never "Opened links")."""
    for owner in (under_cursor, current.owner if current is not None else None):
        if owner is not None and not owner.scratch:
            return owner
    return workspace.collections[0] if workspace.collections else None


async def new_request(
    app: App[Any], workspace: Workspace, under_cursor: CollectionEntry | None, current: RequestEntry | None
) -> Outcome:
    """ctrl+n: ask for the new request's name and collection, then add it empty (below the open request when
    it goes into the open request's collection, else at the end: where it is shown is where it is written)."""
    from twibench.tui.dialogs.save_to_collection import SaveToCollection

    home = new_request_home(workspace, under_cursor, current)
    if home is None:
        return note("Open or create a collection first (command palette: New collection file).")
    answer = await app.push_screen_wait(
        SaveToCollection(
            workspace.collections,
            "",
            preferred=home,
            title="New request",
            note="It starts empty: type its URL next, or paste a curl command (which also names it when the "
            "name is left empty). ctrl+s writes it to the file.",
            confirm="Create",
            name_required=False,
        )
    )
    if answer is None or answer.collection is None:
        return Outcome()
    return add_new(workspace, answer.collection, answer.name, current)


def add_new(workspace: Workspace, owner: CollectionEntry, name: str, current: RequestEntry | None) -> Outcome:
    """Add an empty request named `name` to `owner`, below `current` when it is in the same collection."""
    after = current if current is not None and current.owner is owner else None
    entry = workspace.new_request(owner, name, after)
    text = f"New request '{entry.request.name}' in '{owner.name}'; type its URL, ctrl+s writes it to {owner.path.name}."
    return Outcome(added=entry, focus_url=True, notes=[Note(text)])


def undo(entry: RequestEntry | None, *, redo: bool = False) -> Outcome:
    """ctrl+z / ctrl+y: step the open request's edits back or forward (its own stack; see workbench.undo)."""
    if entry is None:
        return Outcome()
    if not (entry.history.redo(entry) if redo else entry.history.undo(entry)):
        return note(f"Nothing to {'redo' if redo else 'undo'} in '{entry.request.name}'.")
    return Outcome(changed=entry, reopen=entry)


def duplicate(workspace: Workspace, entry: RequestEntry) -> Outcome:
    """Copy the request (with its edits) just below it."""
    copied = workspace.duplicate(entry)
    text = f"Duplicated as '{copied.request.name}' (unsaved; ctrl+s writes it)."
    return Outcome(added=copied, notes=[Note(text)])


async def rename(app: App[Any], workspace: Workspace, entry: RequestEntry) -> Outcome:
    """Ask for a new name for the request."""
    from twibench.tui.dialogs.prompts import TextPrompt

    name = await app.push_screen_wait(
        TextPrompt(f"Rename '{entry.request.name}'", value=entry.request.name, confirm="Rename")
    )
    if name is None or name.strip() == entry.request.name:
        return Outcome()
    workspace.rename(entry, name)
    if entry.is_new:
        text = f"Renamed to '{entry.request.name}' (id '{entry.request.id}'; ctrl+s saves it)."
    else:
        text = f"Renamed to '{entry.request.name}' (ctrl+s saves it; its id stays '{entry.request.id}')."
    return Outcome(changed=entry, reopen=entry, notes=[Note(text)])


async def delete(app: App[Any], workspace: Workspace, entry: RequestEntry, current: RequestEntry | None) -> Outcome:
    """Delete the request, from its file too, after asking."""
    from twibench.tui.dialogs.prompts import Choice

    where = "the tree" if entry.is_new or entry.owner.scratch else entry.owner.path.name
    answer = await app.push_screen_wait(
        Choice(f"Delete '{entry.request.name}'?", f"It is removed from {where}.", [("Delete", "delete", "error")])
    )
    if answer != "delete":
        return Outcome()
    try:
        workspace.delete(entry)
    except TwibenchError as exc:
        raise TwibenchError(f"not deleted: {one_line(exc)}") from None
    following = None
    if current is entry:
        following = next(iter(entry.owner.items), None) or workspace.first()
    return Outcome(removed=entry, go_to=following, notes=[Note(f"Deleted '{entry.request.name}'.")])


async def revert(app: App[Any], entry: RequestEntry) -> Outcome:
    """Drop the request's unsaved edits (after asking), back to what its file holds."""
    from twibench.tui.dialogs.prompts import Choice

    if entry.saved is None:
        raise TwibenchError(f"'{entry.request.name}' is not in a file yet; delete it instead")
    if not entry.modified:
        return note(f"'{entry.request.name}' has no unsaved edits.")
    answer = await app.push_screen_wait(
        Choice(
            f"Revert '{entry.request.name}'?",
            f"Your unsaved edits are dropped; the request is shown as {entry.owner.path.name} holds it.",
            [("Revert", "revert", "warning")],
        )
    )
    if answer != "revert":
        return Outcome()
    entry.revert()
    text = f"Reverted '{entry.request.name}' to its saved version."
    return Outcome(changed=entry, reopen=entry, notes=[Note(text)])


def new_collection_folder(workspace: Workspace, current: RequestEntry | None) -> Path:
    """Where a new collection file goes: beside the open request's, else the first collection's."""
    if current is not None and not current.owner.scratch:
        return current.owner.path.parent
    if workspace.collections:
        return workspace.collections[0].path.parent
    return paths.collections_dir()


async def new_collection(app: App[Any], workspace: Workspace, folder: Path) -> Outcome:
    """Ask for a name and create a collection file in `folder`."""
    from twibench.tui.dialogs.prompts import TextPrompt

    name = await app.push_screen_wait(
        TextPrompt("New collection file", placeholder="Call logs", note=f"Created in {folder}", confirm="Create")
    )
    if not name:
        return Outcome()
    entry = workspace.new_collection(folder, name)
    return Outcome(reload_tree=True, go_to=entry.items[0], notes=[Note(f"Created {entry.path}.")])


# --- quitting -------------------------------------------------------------------------------------


async def quit_app(app: App[Any], workspace: Workspace) -> Outcome:
    """ctrl+q: quit, asking first when requests have unsaved edits."""
    from twibench.tui.dialogs.prompts import Choice

    unsaved = workspace.unsaved()
    if not unsaved:
        return Outcome(quit=True)
    names = ", ".join(f"'{e.request.name}'" for e in unsaved[:5]) + (" …" if len(unsaved) > 5 else "")
    answer = await app.push_screen_wait(
        Choice(
            "1 request has unsaved edits" if len(unsaved) == 1 else f"{len(unsaved)} requests have unsaved edits",
            f"Unsaved: {names}.",
            [("Save all and quit", "save", "primary"), ("Quit without saving", "discard", "error")],
        )
    )
    if answer == "discard":
        return Outcome(quit=True)
    if answer != "save":
        return Outcome()
    outcome = Outcome(refresh_tree=True)
    for entry in unsaved:
        if entry.owner.changed_on_disk():
            outcome.go_to = entry
            outcome.error = (
                f"{entry.owner.path.name} changed on disk; save '{entry.request.name}' with ctrl+s to choose"
            )
            return outcome
        try:
            outcome.notes.append(write(workspace, entry))
        except TwibenchError as exc:
            outcome.error = str(exc)
            return outcome
    outcome.quit = True
    return outcome
