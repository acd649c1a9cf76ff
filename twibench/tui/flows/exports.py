"""Export the open request as curl, twilio-cli or Python: copy it, show it, or save it to a file.

The palette offers each format three ways, because copying goes through the terminal (OSC 52) and many
terminals drop that silently: "Copy as …" (clipboard), "Show as …" (a dialog with the text, to select
and copy by hand) and "Save as … to file…" (written atomically). The snippets are built by
`twibench.workbench.snippets`; they never hold a secret.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from twibench.errors import TwibenchError
from twibench.tui.flows.outcome import Note, Outcome
from twibench.workbench.snippets import FORMATS, NoEquivalentError, SnippetFormat, build

if TYPE_CHECKING:
    from textual.app import App

    from twibench.workbench.session import Session
    from twibench.workbench.workspace import RequestEntry

Verb = Literal["copy", "show", "save"]


async def export(app: App[Any], session: Session, entry: RequestEntry | None, key: str, verb: Verb) -> Outcome:
    """Copy, show or save the open request as format `key`; a reason not to export becomes one notification."""
    fmt = next(f for f in FORMATS if f.key == key)
    try:
        if verb == "copy":
            return await _copy(session, entry, fmt)
        if verb == "show":
            return await _show(app, session, entry, fmt)
        built, text = await build(session, entry, fmt)
        return await _save_text(app, fmt, built, text)
    except NoEquivalentError as exc:
        return Outcome(notes=[Note(str(exc), "No twilio-cli command", "warning", 10, markup=False)])
    except TwibenchError as exc:
        return Outcome(notes=[Note(f"Not exported: {exc}.", "Not exported", "error", 10, markup=False)])


async def _copy(session: Session, entry: RequestEntry | None, fmt: SnippetFormat) -> Outcome:
    built, text = await build(session, entry, fmt)
    message = (
        f"Copied '{built.request.name}' as {fmt.label} through the terminal (OSC 52). Nothing to paste? "
        f"Your terminal ignores OSC 52: use 'Show as {fmt.label}' and select the text."
    )
    return Outcome(clipboard=text, notes=[Note(message, "Copied", markup=False)])


async def _show(app: App[Any], session: Session, entry: RequestEntry | None, fmt: SnippetFormat) -> Outcome:
    from twibench.tui.dialogs.snippet import SnippetScreen

    built, text = await build(session, entry, fmt)
    title = f"{built.owner.name} › {built.request.name} as {fmt.label}"
    note = "Credentials come from environment variables; the snippet holds no secret."
    answer = await app.push_screen_wait(SnippetScreen(title, text, language=fmt.language, note=note))
    if answer == "save":
        return await _save_text(app, fmt, built, text)
    return Outcome()


async def _save_text(app: App[Any], fmt: SnippetFormat, entry: RequestEntry, text: str) -> Outcome:
    from twibench.atomic import write_atomic
    from twibench.tui.dialogs.prompts import Choice, TextPrompt

    suggestion = Path.cwd() / f"{entry.request.id}{fmt.suffix}"
    answer = await app.push_screen_wait(
        TextPrompt(f"Save as {fmt.label} to file", value=str(suggestion), note="It holds no secret.", confirm="Save")
    )
    if not answer or not answer.strip():
        return Outcome()
    target = Path(answer.strip()).expanduser()
    if target.is_dir():
        raise TwibenchError(f"{target} is a folder; give a file name")
    if target.exists():
        question = f"Replace {target} with the {fmt.label} snippet?"
        choice = await app.push_screen_wait(
            Choice(f"{target.name} exists", question, [("Replace", "replace", "warning")])
        )
        if choice != "replace":
            return Outcome()
    try:
        write_atomic(target, text)
    except OSError as exc:
        raise TwibenchError(f"{target} could not be written ({exc.strerror or exc})") from None
    message = f"Saved '{entry.request.name}' as {fmt.label} to {target}."
    return Outcome(notes=[Note(message, "Saved", markup=False)])
