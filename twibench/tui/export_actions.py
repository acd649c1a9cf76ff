"""Export the open request as curl, twilio-cli or Python: copy it, show it, or save it to a file.

The palette offers each format three ways, because copying goes through the terminal (OSC 52) and many
terminals drop that silently: "Copy as …" (clipboard), "Show as …" (a dialog with the text, to select
and copy by hand) and "Save as … to file…" (written atomically). Snippets are built with the active
profile (its host and credential variables) and the session's values, exactly what a send would use;
they read credentials from environment variables and never hold a secret (captured secrets become
environment references too). A request twilio-cli cannot express says why instead of exporting.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import SystemCommand

from twibench.errors import TwibenchError
from twibench.workbench import api_reference

if TYPE_CHECKING:
    from twibench.collection import Request
    from twibench.profiles import Profile
    from twibench.tui.screens.main import MainScreen
    from twibench.workbench.workspace import RequestEntry


@dataclass(frozen=True)
class SnippetFormat:
    """One export format.

    Attributes:
        key: the format's id (`curl`, `twilio-cli`, `python`), as `twibench export` names it.
        label: how commands and messages name it.
        suffix: the file name suffix suggested when saving.
        language: the TextArea grammar that highlights it (used when installed).
        needs_spec: True when building it looks the operation up in Twilio's specs.
    """

    key: str
    label: str
    suffix: str
    language: str
    needs_spec: bool


FORMATS = (
    SnippetFormat("curl", "curl", ".sh", "bash", needs_spec=False),
    SnippetFormat("twilio-cli", "twilio-cli", ".sh", "bash", needs_spec=True),
    SnippetFormat("python", "Python", ".py", "python", needs_spec=True),
)


class NoEquivalentError(TwibenchError):
    """twilio-cli has no command for the request."""


def snippet(fmt: SnippetFormat, request: Request, profile: Profile, values: dict[str, str], secrets: set[str]) -> str:
    """The request in `fmt` (blocking when the specs are not read yet), ending with a newline.

    Raises:
        UnknownVariableError: a variable has no value.
        ExportError: the snippet would reveal a secret.
        NoEquivalentError: twilio-cli has no command for the request (the message says why).
    """
    from twibench import exporters

    if fmt.key == "curl":
        text = exporters.to_curl(request, profile, values, secret_names=secrets)
    elif fmt.key == "python":
        text = exporters.to_python(request, profile, values, secret_names=secrets)
    else:
        command = exporters.to_twilio_cli(request, profile, values, secret_names=secrets)
        if command is None:
            from twibench.exporters.twilio_cli import missing_reason

            reason = missing_reason(request) or "twilio-cli has no command for it"
            raise NoEquivalentError(f"'{request.name}' has no twilio-cli equivalent: {reason}; use curl instead")
        text = command
    return text if text.endswith("\n") else text + "\n"


async def build(screen: MainScreen, fmt: SnippetFormat) -> tuple[RequestEntry, str]:
    """The open request in `fmt`, built from a copy of it in a thread (the first twilio-cli/Python export
    reads Twilio's specs).

    Raises:
        TwibenchError: no request is open, or the snippet cannot be made (see `snippet`).
    """
    entry = screen.current
    if entry is None:
        raise TwibenchError("choose a request in the tree first")
    session = screen.session
    request = copy.deepcopy(entry.request)
    if fmt.needs_spec and not api_reference.is_loaded():
        await asyncio.to_thread(api_reference.load)  # reads the specs once
    text = await asyncio.to_thread(
        snippet, fmt, request, session.profile, dict(session.values(entry)), set(session.captured_secrets)
    )
    return entry, text


def _run(screen: MainScreen, flow: Coroutine[Any, Any, None]) -> None:
    screen.run_worker(_reported(screen, flow), group="export", exit_on_error=False)


async def _reported(screen: MainScreen, flow: Coroutine[Any, Any, None]) -> None:
    """Run an export flow; a reason not to export becomes one notification."""
    try:
        await flow
    except NoEquivalentError as exc:
        screen.notify(str(exc), severity="warning", title="No twilio-cli command", timeout=10, markup=False)
    except TwibenchError as exc:
        screen.notify(f"Not exported: {exc}.", severity="error", title="Not exported", timeout=10, markup=False)


def copy_snippet(screen: MainScreen, fmt: SnippetFormat) -> None:
    """Copy the open request as `fmt` through the terminal's clipboard (OSC 52)."""
    _run(screen, _copy(screen, fmt))


async def _copy(screen: MainScreen, fmt: SnippetFormat) -> None:
    entry, text = await build(screen, fmt)
    screen.app.copy_to_clipboard(text)
    screen.notify(
        f"Copied '{entry.request.name}' as {fmt.label} through the terminal (OSC 52). Nothing to paste? "
        f"Your terminal ignores OSC 52: use 'Show as {fmt.label}' and select the text.",
        title="Copied",
        markup=False,
    )


def show_snippet(screen: MainScreen, fmt: SnippetFormat) -> None:
    """Show the open request as `fmt` in a dialog (to select by hand, copy or save)."""
    _run(screen, _show(screen, fmt))


async def _show(screen: MainScreen, fmt: SnippetFormat) -> None:
    from twibench.tui.dialogs.snippet import SnippetScreen

    entry, text = await build(screen, fmt)
    title = f"{entry.owner.name} › {entry.request.name} as {fmt.label}"
    note = "Credentials come from environment variables; the snippet holds no secret."
    answer = await screen.app.push_screen_wait(SnippetScreen(title, text, language=fmt.language, note=note))
    if answer == "save":
        await _save_text(screen, fmt, entry, text)


def save_snippet(screen: MainScreen, fmt: SnippetFormat) -> None:
    """Ask for a file name and write the open request as `fmt` there."""
    _run(screen, _save(screen, fmt))


async def _save(screen: MainScreen, fmt: SnippetFormat) -> None:
    entry, text = await build(screen, fmt)
    await _save_text(screen, fmt, entry, text)


async def _save_text(screen: MainScreen, fmt: SnippetFormat, entry: RequestEntry, text: str) -> None:
    from twibench.atomic import write_atomic
    from twibench.tui.dialogs.prompts import Choice, TextPrompt

    suggestion = Path.cwd() / f"{entry.request.id}{fmt.suffix}"
    answer = await screen.app.push_screen_wait(
        TextPrompt(f"Save as {fmt.label} to file", value=str(suggestion), note="It holds no secret.", confirm="Save")
    )
    if not answer or not answer.strip():
        return
    target = Path(answer.strip()).expanduser()
    if target.is_dir():
        raise TwibenchError(f"{target} is a folder; give a file name")
    if target.exists():
        question = f"Replace {target} with the {fmt.label} snippet?"
        choice = await screen.app.push_screen_wait(
            Choice(f"{target.name} exists", question, [("Replace", "replace", "warning")])
        )
        if choice != "replace":
            return
    try:
        write_atomic(target, text)
    except OSError as exc:
        raise TwibenchError(f"{target} could not be written ({exc.strerror or exc})") from None
    screen.notify(f"Saved '{entry.request.name}' as {fmt.label} to {target}.", title="Saved", markup=False)


def export_commands(screen: MainScreen) -> Iterator[SystemCommand]:
    """The palette's export commands: Copy as / Show as / Save as … to file, for each format."""
    for fmt in FORMATS:
        yield SystemCommand(
            f"Copy as {fmt.label}",
            "Copy the open request through the terminal (OSC 52); no secret in it",
            partial(copy_snippet, screen, fmt),
        )
        yield SystemCommand(
            f"Show as {fmt.label}",
            "Show the open request as a snippet to select, copy or save",
            partial(show_snippet, screen, fmt),
        )
        yield SystemCommand(
            f"Save as {fmt.label} to file…",
            f"Write the open request as a {fmt.label} snippet ({fmt.suffix})",
            partial(save_snippet, screen, fmt),
        )
