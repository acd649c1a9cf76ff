"""Running a whole collection from the TUI (ctrl+r), with the same runner as `twibench run`.

The run is one exclusive worker of group "run": it asks for a prompted secret, plans (every input error
is found before anything is sent), asks before sending to a live profile, then runs. The runner's
events go straight to the run panel; each exchange is recorded in the history with the run's id
through the runner's `record` hook, on the history's writer thread. The run continues the session's
variables, so captures are shared with single sends. Cancelling the worker (escape) stops the run; the
runner then reports it as stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from twibench.errors import FileErrors, TwibenchError
from twibench.sending import refuse_sandbox_only
from twibench.tui.flows.outcome import Note, Outcome
from twibench.workbench.workspace import runnable

if TYPE_CHECKING:
    from textual.app import App

    from twibench.exchange import Exchange
    from twibench.redact import Redactor
    from twibench.runner import RunEvent
    from twibench.workbench.session import Session
    from twibench.workbench.workspace import CollectionEntry

GROUP = "run"


class RunReport(Protocol):
    """Where a run reports as it goes (the run panel)."""

    run_id: str | None

    def start(self, title: str, run_id: str, planned: int) -> None:
        """A new run."""

    def handle(self, event: RunEvent) -> None:
        """One of the runner's events."""

    def not_started(self, title: str, message: str) -> None:
        """The run was refused before anything was sent."""


def _one_line(exc: TwibenchError) -> str:
    if isinstance(exc, FileErrors) and exc.errors:
        first = exc.errors[0]
        more = f" (+{len(exc.errors) - 1} more)" if len(exc.errors) > 1 else ""
        return f"{Path(first.path).name}:{first.line}: {first.message}{more}"
    return str(exc)


async def run_collection(
    app: App[Any], session: Session, owner: CollectionEntry, panel: RunReport, show_panel: Callable[[], object]
) -> Outcome:
    """Prompt, plan, confirm, run; every refusal is shown in the panel and as a notification."""
    from twibench.runner import Runner
    from twibench.tui.dialogs.prompts import Choice, SecretPrompt

    profile = session.profile
    title = f"{owner.name} · profile {profile.name}" + (" (LIVE)" if profile.is_live else "")
    try:
        collection = runnable(owner)
        refuse_sandbox_only(collection, profile)
        if session.secrets.needs_prompt(profile):
            secret = await app.push_screen_wait(SecretPrompt(profile.name, profile.kind_label, profile.masked_sid))
            if not secret:
                raise TwibenchError(f"no secret was entered for profile '{profile.name}'; nothing was sent")
            session.secrets.remember(profile, secret)
        await session.obtain_secret(profile)  # a keyring or command secret, read off the event loop
        shared = session.for_run(profile)

        def on_event(event: RunEvent) -> None:
            if panel.run_id == runner.run_id:
                panel.handle(event)

        def record(exchange: Exchange, _redactor: Redactor, run_id: str, collection_file: Path) -> None:
            # The runner's redactor keeps growing during the run: the writer thread gets one of its own,
            # made now from the session's profiles and secrets.
            session.history.submit(exchange, session.redactor(), run_id=run_id, collection_file=collection_file)

        runner = Runner(
            session.client(),
            profile,
            redactor=session.redactor(),
            on_event=on_event,
            record=record,
            prompt=session.secrets,
            session=shared,
        )
        plan = runner.plan([collection])
    except TwibenchError as exc:
        message = _one_line(exc)
        show_panel()
        panel.not_started(title, message)
        raise TwibenchError(f"the run did not start: {message}") from None
    if profile.is_live:
        answer = await app.push_screen_wait(
            Choice(
                f"Run '{owner.name}' against the LIVE profile '{profile.name}'?",
                f"{plan.total} request(s) go to {profile.describe()}. Twilio may charge for what they do "
                "(messages, numbers, calls).",
                [("Run", "run", "error")],
            )
        )
        if answer != "run":
            return Outcome(notes=[Note("Nothing was sent.", "Run cancelled")])
    show_panel()
    panel.start(title, runner.run_id, plan.total)
    try:
        await runner.run(plan)
    except TwibenchError as exc:
        raise TwibenchError(f"the run stopped: {_one_line(exc)}") from None
    return Outcome()
