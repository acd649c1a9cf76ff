"""Multi-step actions that ask the user something: saving (with on-disk conflicts), managing requests and
collection files, profiles, saving a response body, and quitting with unsaved edits.

Each flow runs as a worker on the main screen (group "dialog"), so it can await a dialog's answer;
a TwibenchError raised here reaches the screen's single worker handler and is shown as a notification.
"""

from __future__ import annotations

from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from twibench import paths, profiles
from twibench.errors import FileErrors, TwibenchError
from twibench.profiles import Profile
from twibench.tui.dialogs.profile_editor import ProfileEditor
from twibench.tui.dialogs.prompts import Choice, TextPrompt
from twibench.workbench.workspace import CollectionEntry, RequestEntry

if TYPE_CHECKING:
    from twibench.tui.screens.main import MainScreen


def _run(screen: MainScreen, flow: Coroutine[Any, Any, None]) -> None:
    screen.run_worker(flow, group="dialog", exit_on_error=False)


def _one_line(exc: TwibenchError) -> str:
    if isinstance(exc, FileErrors) and exc.errors:
        return str(exc.errors[0])
    return str(exc)


# --- saving ---------------------------------------------------------------------------------------


def save(screen: MainScreen, entry: RequestEntry) -> None:
    """ctrl+s: write the request into its file, asking first if the file changed on disk."""
    _run(screen, _save(screen, entry))


async def _save(screen: MainScreen, entry: RequestEntry) -> None:
    workspace = screen.session.workspace
    if entry.owner.scratch:
        target = await _pick_collection(screen, f"Save '{entry.request.name}' into which collection?")
        if target is None:
            return
        moved = workspace.move(entry, target)
        screen.reload_tree()
        screen.go_to(moved)
        screen.notify(f"Saved '{moved.request.name}' into {target.path.name}.")
        return
    if not entry.modified:
        screen.notify(f"'{entry.request.name}' has no unsaved edits.")
        return
    owner = entry.owner
    if owner.changed_on_disk():
        choice = await screen.app.push_screen_wait(
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
            return
        if choice == "reload":
            try:
                workspace.reload(owner)
            except TwibenchError as exc:
                raise TwibenchError(f"{owner.path.name} could not be reloaded: {_one_line(exc)}") from None
            screen.reload_tree()
            if screen.current is not None:
                await screen.open_entry(screen.current)
            screen.notify(f"Reloaded {owner.path.name}; your edits are kept — ctrl+s saves them.")
            return
        if choice == "save_as":
            await _save_as(screen, entry)
            return
    _write(screen, entry)


def _write(screen: MainScreen, entry: RequestEntry) -> None:
    dropped = entry.disabled_count()
    try:
        screen.session.workspace.save(entry)
    except TwibenchError as exc:
        raise TwibenchError(f"not saved: {_one_line(exc)}") from None
    screen.query_one("CollectionTree").refresh_all()  # type: ignore[attr-defined]
    note = f" ({dropped} disabled row(s) were left out)" if dropped else ""
    screen.notify(f"Saved '{entry.request.name}' to {entry.owner.path.name}{note}.")


async def _save_as(screen: MainScreen, entry: RequestEntry) -> None:
    owner = entry.owner
    suggestion = owner.path.with_name(f"{owner.path.stem}-mine{owner.path.suffix}")
    answer = await screen.app.push_screen_wait(
        TextPrompt("Save as a new collection file", value=str(suggestion), confirm="Save")
    )
    if not answer:
        return
    saved = screen.session.workspace.save_as(entry, Path(answer).expanduser())
    screen.reload_tree()
    screen.go_to(saved)
    screen.notify(f"Saved a new collection file: {saved.owner.path}.")


async def _pick_collection(screen: MainScreen, title: str) -> CollectionEntry | None:
    collections = screen.session.workspace.collections
    if not collections:
        raise TwibenchError("no collection is open; create one first (New collection file)")
    choices = [(c.name, str(i), "default") for i, c in enumerate(collections[:6])]
    answer = await screen.app.push_screen_wait(Choice(title, "The request is added at the end of the file.", choices))
    return None if answer is None else collections[int(answer)]


# --- requests and collection files ----------------------------------------------------------------


def duplicate(screen: MainScreen) -> None:
    """Copy the open request (with its edits) just below it."""
    if screen.current is None:
        return
    copied = screen.session.workspace.duplicate(screen.current)
    screen.add_entry(copied)
    screen.notify(f"Duplicated as '{copied.request.name}' (unsaved; ctrl+s writes it).")


def rename(screen: MainScreen) -> None:
    """Ask for a new name for the open request."""
    if screen.current is not None:
        _run(screen, _rename(screen, screen.current))


async def _rename(screen: MainScreen, entry: RequestEntry) -> None:
    name = await screen.app.push_screen_wait(
        TextPrompt(f"Rename '{entry.request.name}'", value=entry.request.name, confirm="Rename")
    )
    if name is None or name.strip() == entry.request.name:
        return
    screen.session.workspace.rename(entry, name)
    screen.entry_changed(entry)
    await screen.open_entry(entry)
    screen.notify(f"Renamed to '{entry.request.name}' (ctrl+s saves it; its id stays '{entry.request.id}').")


def delete(screen: MainScreen) -> None:
    """Delete the open request, from its file too, after asking."""
    if screen.current is not None:
        _run(screen, _delete(screen, screen.current))


async def _delete(screen: MainScreen, entry: RequestEntry) -> None:
    where = "the tree" if entry.is_new or entry.owner.scratch else entry.owner.path.name
    answer = await screen.app.push_screen_wait(
        Choice(f"Delete '{entry.request.name}'?", f"It is removed from {where}.", [("Delete", "delete", "error")])
    )
    if answer != "delete":
        return
    try:
        screen.session.workspace.delete(entry)
    except TwibenchError as exc:
        raise TwibenchError(f"not deleted: {_one_line(exc)}") from None
    screen.query_one("CollectionTree").remove_entry(entry)  # type: ignore[attr-defined]
    if screen.current is entry:
        screen.current = None
        following = next(iter(entry.owner.items), None) or screen.session.workspace.first()
        if following is not None:
            screen.go_to(following)
    screen.notify(f"Deleted '{entry.request.name}'.")


def revert(screen: MainScreen) -> None:
    """Drop the open request's unsaved edits (after asking), back to what its file holds."""
    if screen.current is not None:
        _run(screen, _revert(screen, screen.current))


async def _revert(screen: MainScreen, entry: RequestEntry) -> None:
    if entry.saved is None:
        raise TwibenchError(f"'{entry.request.name}' is not in a file yet; delete it instead")
    if not entry.modified:
        screen.notify(f"'{entry.request.name}' has no unsaved edits.")
        return
    answer = await screen.app.push_screen_wait(
        Choice(
            f"Revert '{entry.request.name}'?",
            f"Your unsaved edits are dropped; the request is shown as {entry.owner.path.name} holds it.",
            [("Revert", "revert", "warning")],
        )
    )
    if answer != "revert":
        return
    entry.draft, entry.rows = None, {}
    entry.body_text = entry.body_error = None
    screen.entry_changed(entry)
    if screen.current is entry:
        await screen.open_entry(entry)
    screen.notify(f"Reverted '{entry.request.name}' to its saved version.")


def new_collection(screen: MainScreen, folder: Path) -> None:
    """Ask for a name and create a collection file in `folder`."""
    _run(screen, _new_collection(screen, folder))


async def _new_collection(screen: MainScreen, folder: Path) -> None:
    name = await screen.app.push_screen_wait(
        TextPrompt("New collection file", placeholder="Call logs", note=f"Created in {folder}", confirm="Create")
    )
    if not name:
        return
    entry = screen.session.workspace.new_collection(folder, name)
    screen.reload_tree()
    screen.go_to(entry.items[0])
    screen.notify(f"Created {entry.path}.")


# --- profiles -------------------------------------------------------------------------------------


def edit_profile(screen: MainScreen, profile: Profile | None) -> None:
    """Open the profile dialog (add when `profile` is None); save to profiles.yaml (0600)."""
    _run(screen, _edit_profile(screen, profile))


async def _edit_profile(screen: MainScreen, editing: Profile | None) -> None:
    session = screen.session
    result = await screen.app.push_screen_wait(ProfileEditor(session.profiles, editing))
    if result is None:
        return
    profile_set = session.profiles
    if editing is not None and editing.name != result.name:
        profile_set.profiles.pop(editing.name, None)
        if profile_set.default == editing.name:
            profile_set.default = result.name
    profile_set.profiles[result.name] = result
    written = profiles.save_profiles(profile_set)
    screen.switch_profile(result.name)
    screen.show_profiles()
    screen.notify(f"Saved profile '{result.name}' to {written} (mode 0600).")


# --- responses ------------------------------------------------------------------------------------


def save_body(screen: MainScreen) -> None:
    """Write the last response body to a file (secrets masked)."""
    _run(screen, _save_body(screen))


async def _save_body(screen: MainScreen) -> None:
    exchange = screen.session.last_exchange
    if exchange is None or exchange.response is None:
        raise TwibenchError("there is no response body to save yet; send a request first")
    content_type = (exchange.response.content_type or "").lower()
    suffix = ".json" if "json" in content_type else ".xml" if "xml" in content_type else ".txt"
    suggestion = Path.cwd() / f"{exchange.request_id or 'response'}{suffix}"
    answer = await screen.app.push_screen_wait(
        TextPrompt("Save the response body to", value=str(suggestion), note="Secrets are masked.", confirm="Save")
    )
    if not answer:
        return
    target = Path(answer).expanduser()
    if target.is_dir():
        raise TwibenchError(f"{target} is a folder; give a file name")
    target.write_bytes(screen.session.redactor().body(exchange.response.body))
    screen.notify(f"Saved {len(exchange.response.body)} bytes to {target}.")


def user_folder() -> Path:
    """Where new collection files go when no folder was opened."""
    return paths.collections_dir()


# --- quitting -------------------------------------------------------------------------------------


def quit_app(screen: MainScreen) -> None:
    """ctrl+q: quit, asking first when requests have unsaved edits."""
    unsaved = screen.session.workspace.unsaved()
    if not unsaved:
        screen.app.exit()
        return
    _run(screen, _quit(screen, unsaved))


async def _quit(screen: MainScreen, unsaved: list[RequestEntry]) -> None:
    names = ", ".join(f"'{e.request.name}'" for e in unsaved[:5]) + (" …" if len(unsaved) > 5 else "")
    answer = await screen.app.push_screen_wait(
        Choice(
            "1 request has unsaved edits" if len(unsaved) == 1 else f"{len(unsaved)} requests have unsaved edits",
            f"Unsaved: {names}.",
            [("Save all and quit", "save", "primary"), ("Quit without saving", "discard", "error")],
        )
    )
    if answer == "discard":
        screen.app.exit()
    elif answer == "save":
        for entry in unsaved:
            if entry.owner.changed_on_disk():
                screen.go_to(entry)
                raise TwibenchError(
                    f"{entry.owner.path.name} changed on disk; save '{entry.request.name}' with ctrl+s to choose"
                )
            _write(screen, entry)
        screen.app.exit()
