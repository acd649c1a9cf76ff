"""Profiles and variables: adding and editing a credential profile (saved to profiles.yaml, mode 0600), the
Variables view, and saving a response body."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from twibench import profiles
from twibench.errors import TwibenchError
from twibench.tui.flows.outcome import Note, Outcome

if TYPE_CHECKING:
    from textual.app import App

    from twibench.exchange import Exchange
    from twibench.profiles import Profile
    from twibench.workbench.session import Session
    from twibench.workbench.workspace import RequestEntry


async def edit_profile(app: App[Any], session: Session, editing: Profile | None) -> Outcome:
    """Open the profile dialog (add when `editing` is None); save to profiles.yaml (0600)."""
    from twibench.tui.dialogs.profile_editor import ProfileEditor

    result = await app.push_screen_wait(ProfileEditor(session.profiles, editing))
    if result is None:
        return Outcome()
    written = save_edited_profile(session.profiles, editing, result)
    return Outcome(profile=result.name, notes=[Note(f"Saved profile '{result.name}' to {written} (mode 0600).")])


def save_edited_profile(profile_set: profiles.ProfileSet, editing: Profile | None, result: Profile) -> Path:
    """Put the dialog's `result` into the set (replacing `editing`, renamed or not) and save exactly that change.

    The file keeps every other byte: a rename changes the profile's key line (and `default:` when it named
    the old name), an edit the lines of the fields that changed, an added profile is appended.
    """
    _adopt_profiles_added_elsewhere(profile_set, editing)
    renames: dict[str, str] = {}
    if editing is not None and editing.name != result.name:
        profile_set.profiles.pop(editing.name, None)
        renames[result.name] = editing.name
        if profile_set.default == editing.name:
            profile_set.default = result.name
    profile_set.profiles[result.name] = result
    return profiles.save_profiles(profile_set, renames=renames)


def _adopt_profiles_added_elsewhere(profile_set: profiles.ProfileSet, editing: Profile | None) -> None:
    """Take in the profiles another process (`twibench profiles add`) wrote since the app loaded the file.

    The dialog saves the app's set, and a save writes the difference between the file and that set: a
    profile the app never saw would otherwise be deleted from the file. The TUI cannot delete a profile,
    so any name on disk that the set lacks (other than the one being renamed) was added elsewhere.
    """
    path = profile_set.path
    if path is None or not path.exists() or profile_set.broken is not None:
        return
    try:
        on_disk = profiles.load_profiles(path)
    except TwibenchError:
        return  # the save itself says the file does not load now
    for name, profile in on_disk.profiles.items():
        if name not in profile_set.profiles and (editing is None or name != editing.name):
            profile_set.profiles[name] = profile


async def save_body(app: App[Any], session: Session, exchange: Exchange | None) -> Outcome:
    """Write the body of the response on screen (`exchange`) to a file (secrets masked)."""
    from twibench.tui.dialogs.prompts import TextPrompt

    if exchange is None or exchange.response is None:
        raise TwibenchError("there is no response body to save yet; send a request first")
    content_type = (exchange.response.content_type or "").lower()
    suffix = ".json" if "json" in content_type else ".xml" if "xml" in content_type else ".txt"
    suggestion = Path.cwd() / f"{exchange.request_id or 'response'}{suffix}"
    answer = await app.push_screen_wait(
        TextPrompt("Save the response body to", value=str(suggestion), note="Secrets are masked.", confirm="Save")
    )
    if not answer:
        return Outcome()
    target = Path(answer).expanduser()
    if target.is_dir():
        raise TwibenchError(f"{target} is a folder; give a file name")
    from twibench.atomic import write_atomic

    write_atomic(target, session.redactor().body(exchange.response.body, exchange.response.content_type))
    return Outcome(notes=[Note(f"Saved {len(exchange.response.body)} bytes to {target}.")])


async def variables(app: App[Any], session: Session, entry: RequestEntry | None) -> Outcome:
    """Show the variables `entry` sees; edits apply to later sends and runs."""
    from twibench.tui.dialogs.variables import VariablesScreen

    collection = entry.owner.collection if entry is not None else None
    title = f"{entry.owner.name} › {entry.request.name}" if entry is not None else "no request open"
    await app.push_screen_wait(VariablesScreen(session, collection, title))
    return Outcome(preview=True)
