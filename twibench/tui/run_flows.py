"""Running a whole collection from the TUI (ctrl+r), with the same runner as `twibench run`.

The run is one exclusive worker of group "run" on the main screen: it asks for a prompted secret,
plans (every input error is found before anything is sent), asks before sending to a live profile,
then runs. The runner's events go straight to the run panel; each exchange is recorded in the history
with the run's id through the runner's `record` hook, on the history's writer thread. Captures are
shared with single sends (the session's one `variables`). `escape` cancels the worker; the runner then
reports the run as stopped.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import SystemCommand
from textual.worker import WorkerState

from twibench import profiles
from twibench.errors import FileErrors, TwibenchError
from twibench.tui import history_flows
from twibench.tui.widgets.response_view import ResponseView

if TYPE_CHECKING:
    from twibench.collection import Collection
    from twibench.exchange import Exchange
    from twibench.profiles import Profile
    from twibench.redact import Redactor
    from twibench.runner import RequestResult, RunEvent
    from twibench.tui.screens.main import MainScreen
    from twibench.tui.widgets.run_panel import RunPanel
    from twibench.workbench.workspace import CollectionEntry

GROUP = "run"


def target(screen: MainScreen) -> CollectionEntry | None:
    """The collection to run: the one under the tree cursor, else the open request's."""
    owner = screen.query_one("CollectionTree").current_collection  # type: ignore[attr-defined]
    if owner is None and screen.current is not None:
        owner = screen.current.owner
    return owner  # type: ignore[no-any-return]


def runnable(owner: CollectionEntry) -> Collection:
    """The collection as the tree shows it: unsaved edits and new requests included, in tree order.

    Raises:
        TwibenchError: a request's JSON body does not parse.
    """
    broken = next((item for item in owner.items if item.body_error), None)
    if broken is not None:
        raise TwibenchError(f"the JSON body of '{broken.request.name}' is not valid; fix it before running")
    collection = copy.copy(owner.collection)
    collection.requests = [item.request for item in owner.items]
    return collection


def start(screen: MainScreen) -> None:
    """ctrl+r: run the selected collection in the exclusive "run" worker."""
    owner = target(screen)
    if owner is None:
        screen.notify("Choose a request of the collection to run in the tree first.")
        return
    if owner.scratch:
        screen.notify("Opened links are not a collection file; save a request into a collection to run it.")
        return
    screen.run_worker(_run(screen, owner), name="run", group=GROUP, exclusive=True, exit_on_error=False)


def running(screen: MainScreen) -> bool:
    """True while a run (or its start: prompts, confirmation) is going on."""
    return any(w.group == GROUP and w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in screen.workers)


def stop(screen: MainScreen) -> bool:
    """escape: stop the run; False when there is none."""
    stopped = False
    for worker in screen.workers:
        if worker.group == GROUP and worker.state in (WorkerState.PENDING, WorkerState.RUNNING):
            worker.cancel()
            stopped = True
    return stopped


def _one_line(exc: TwibenchError) -> str:
    if isinstance(exc, FileErrors) and exc.errors:
        first = exc.errors[0]
        more = f" (+{len(exc.errors) - 1} more)" if len(exc.errors) > 1 else ""
        return f"{Path(first.path).name}:{first.line}: {first.message}{more}"
    return str(exc)


def _no_terminal(profile: Profile) -> str:
    """The runner's prompt: the TUI asks in a modal before the run, never on the terminal under it."""
    raise TwibenchError(f"profile '{profile.name}' needs its secret; run again to be asked for it")


async def _run(screen: MainScreen, owner: CollectionEntry) -> None:
    """Prompt, plan, confirm, run; every refusal is shown in the panel and as a notification."""
    from twibench.runner import Runner
    from twibench.tui.dialogs.prompts import Choice, SecretPrompt

    session = screen.session
    profile = session.profile
    title = f"{owner.name} · profile {profile.name}" + (" (LIVE)" if profile.is_live else "")
    panel = history_flows.attach(screen).run_panel
    try:
        collection = runnable(owner)
        if collection.sandbox_only and profile.is_live:
            raise TwibenchError(
                f"'{collection.name}' is sandbox_only: it refuses the live profile '{profile.name}'; "
                "switch to the sandbox profile to run it"
            )
        if profiles.needs_prompt(profile):
            secret = await screen.app.push_screen_wait(
                SecretPrompt(profile.name, profile.kind_label, profile.masked_sid)
            )
            if not secret:
                raise TwibenchError(f"no secret was entered for profile '{profile.name}'; nothing was sent")
            profiles.remember_prompted_secret(profile, secret)
        shared = session.for_run(profile)
        redactor = session.redactor()

        def on_event(event: RunEvent) -> None:
            if panel.run_id == runner.run_id:
                panel.handle(event)

        def record(exchange: Exchange, _redactor: Redactor, run_id: str, collection_file: Path) -> None:
            # The runner's redactor keeps growing during the run; record_exchange builds its own on the
            # writer thread from the profiles and these secrets, taken now.
            session.history.submit(
                exchange,
                session.profiles,
                secrets=session.secret_values(),
                run_id=run_id,
                collection_file=collection_file,
            )

        runner = Runner(
            session.client(),
            profile,
            redactor=redactor,
            on_event=on_event,
            record=record,
            prompt=_no_terminal,
            session=shared,
        )
        plan = runner.plan([collection])
    except TwibenchError as exc:
        message = _one_line(exc)
        history_flows.open_side(screen, "run")
        panel.not_started(title, message)
        raise TwibenchError(f"the run did not start: {message}") from None
    if profile.is_live:
        answer = await screen.app.push_screen_wait(
            Choice(
                f"Run '{owner.name}' against the LIVE profile '{profile.name}'?",
                f"{plan.total} request(s) go to {profile.describe()}. Twilio may charge for what they do "
                "(messages, numbers, calls).",
                [("Run", "run", "error")],
            )
        )
        if answer != "run":
            screen.notify("Nothing was sent.", title="Run cancelled")
            return
    history_flows.open_side(screen, "run")
    panel.start(title, runner.run_id, plan.total)
    try:
        await runner.run(plan)
    except TwibenchError as exc:
        raise TwibenchError(f"the run stopped: {_one_line(exc)}") from None
    finally:
        screen.refresh_preview()


def show_result(screen: MainScreen, panel: RunPanel, result: RequestResult) -> None:
    """Show a run result's exchange in the response area, marked as a run result."""
    exchange = result.exchange
    step = result.step
    if exchange is None:
        screen.notify(result.reasons[0] if result.reasons else "This request was not sent.", title="Not sent")
        return
    word = {"passed": "PASS", "failed": "FAIL", "error": "FAIL", "skipped": "SKIP"}[result.outcome]
    banner = Text()
    banner.append("Run result", style="bold reverse")
    banner.append(f" · {step.index}/{step.total} {step.request.name} · ")
    banner.append(word, style="bold green" if result.passed else "bold red")
    banner.append(f" · profile {exchange.profile}")
    if screen.show_timings:  # a run id starts with its time: hidden with the times
        banner.append(f" · run {panel.run_id}")
    banner.append(" · read-only", style="bold")
    session = screen.session
    screen.query_one(ResponseView).show(
        exchange,
        session.redactor(),
        secrets=[*session.known_secrets(), *session.secret_values()],
        show_timings=screen.show_timings,
        banner=banner,
    )


def commands(screen: MainScreen) -> Iterator[SystemCommand]:
    """Palette commands for runs and variables."""
    owner = target(screen)
    if owner is not None and not owner.scratch:
        yield SystemCommand(
            f"Run collection: {owner.name}",
            "Run every request of it in order, with its checks (ctrl+r)",
            screen.action_run_collection,
        )
    if running(screen):
        yield SystemCommand("Stop the run", "Stop the collection run (escape)", partial(stop, screen))
    yield SystemCommand(
        "Variables", "See and edit the variables and captured values of this session (f3)", screen.action_variables
    )
