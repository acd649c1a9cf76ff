"""The run panel: a collection run as it happens, one row per request execution.

The screen hands the runner's events down (`handle`); each finished request becomes a row with PASS or
FAIL, its status code and short meaning, its time, and why it failed. The header says which collection
and profile, how far the run is, and how it ended (finished, stopped, aborted). Choosing a row posts
`ResultChosen` so the screen can show that exchange in the response area.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.worker import WorkerState

from twibench import textsafe

if TYPE_CHECKING:
    from twibench.runner import RequestResult, RunEvent, RunSummary, Step
    from twibench.tui.flows.outcome import Outcome
    from twibench.workbench.session import Session
    from twibench.workbench.workspace import CollectionEntry

OUTCOME_WORDS = {
    "passed": ("✓ PASS", "bold green"),
    "failed": ("✗ FAIL", "bold red"),
    "error": ("✗ FAIL", "bold red"),
    "skipped": ("– SKIP", "bold yellow"),
}
HEADER_CLASSES = ("-idle", "-running", "-passed", "-failed", "-stopped")


def _seconds(seconds: float, show: bool) -> str:
    if not show:
        return "— ms"
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def result_text(result: RequestResult, *, show_timings: bool = True) -> Text:
    """One finished request: outcome and name, then status, meaning and time, then the reasons."""
    from twibench import status

    step = result.step
    word, style = OUTCOME_WORDS[result.outcome]
    text = Text(no_wrap=False)
    text.append(f"{word}  ", style=style)
    text.append(f"{step.index}/{step.total} ", style="dim")
    text.append(step.request.name, style="bold")
    text.append("\n        ")
    exchange = result.exchange
    if exchange is None:
        text.append("not sent ", style="yellow")
    elif exchange.response is None:
        kind = exchange.error.kind if exchange.error else "error"
        text.append(f"no response ({kind}) ", style="red")
    else:
        code = exchange.response.status
        meaning = status.meaning(code)
        colour = {"success": "green", "redirect": "magenta", "client_error": "yellow", "info": "cyan"}
        text.append(f"{code} {meaning.name} ", style=colour.get(status.status_class(code), "red"))
    text.append(f"· {_seconds(result.elapsed_s, show_timings)}", style="dim")
    if result.attempts > 1:
        text.append(f" · {result.attempts} attempts", style="dim")
    for reason in result.reasons:
        text.append("\n        ")
        text.append(textsafe.line(reason), style="red" if result.outcome in ("failed", "error") else "yellow")
    return text


def result_banner(result: RequestResult, run_id: str | None, *, show_timings: bool) -> Text:
    """The line above a run result's exchange in the response area: it is a run result, read-only."""
    step = result.step
    word = {"passed": "PASS", "failed": "FAIL", "error": "FAIL", "skipped": "SKIP"}[result.outcome]
    banner = Text()
    banner.append("Run result", style="bold reverse")
    banner.append(f" · {step.index}/{step.total} {step.request.name} · ")
    banner.append(word, style="bold green" if result.passed else "bold red")
    banner.append(f" · profile {result.exchange.profile if result.exchange else ''}")
    if show_timings:  # a run id starts with its time: hidden with the times
        banner.append(f" · run {run_id}")
    banner.append(" · read-only", style="bold")
    return banner


def running_text(step: Step, note: str = "") -> Text:
    """The row of the request being sent now."""
    text = Text()
    text.append("… RUN   ", style="bold cyan")
    text.append(f"{step.index}/{step.total} ", style="dim")
    text.append(step.request.name, style="bold")
    text.append("\n        ")
    text.append(note or "sending…", style="dim")
    return text


def summary_text(summary: RunSummary, *, show_timings: bool = True) -> str:
    """`6 passed, 1 failed, 2 skipped · 9 requests in 3.2 s` (the time left out when hidden)."""
    parts = [f"{summary.passed} passed"]
    failed = summary.failed + summary.errors
    if failed:
        parts.append(f"{failed} failed")
    if summary.skipped:
        parts.append(f"{summary.skipped} skipped")
    noun = "request" if summary.executed == 1 else "requests"
    text = ", ".join(parts) + f" · {summary.executed} of {summary.planned} {noun}"
    if show_timings:
        text += f" in {summary.elapsed_s:.1f} s"
    return text


class ResultList(OptionList):
    """The rows; focusing it puts the highlight on the first row, so enter has something to show."""

    def on_focus(self) -> None:
        """Highlight a row when none is."""
        if self.highlighted is None and self.option_count:
            self.highlighted = 0


def run_hint(state: str) -> str:
    """The keys that work in the panel now: escape while a run is going, ctrl+r to run again once it ended."""
    if state == "running":
        return "enter: show its exchange · escape: stop"
    if state == "idle":
        return "ctrl+r: run the selected collection"
    return "enter: its exchange · ctrl+r: run again"  # fits the panel's narrowest width (44)


class RunPanel(Vertical):
    """The results of the latest collection run."""

    DEFAULT_CSS = """
    RunPanel {
        height: 1fr;
    }
    #run-hint {
        height: 1;
        padding: 0 1;
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    #run-header {
        height: auto;
        padding: 0 1;
        text-style: bold;
    }
    #run-header.-idle {
        color: $text-muted;
        text-style: none;
    }
    #run-header.-running {
        background: $boost;
    }
    #run-header.-passed {
        background: $success-muted;
    }
    #run-header.-failed {
        background: $error-muted;
    }
    #run-header.-stopped {
        background: $warning-muted;
    }
    #run-results {
        height: 1fr;
        border: none;
        scrollbar-size-vertical: 1;
    }
    """

    HELP_TITLE: ClassVar[str] = "Run"

    HELP: ClassVar[str] = (
        "**ctrl+r** runs the collection of the request selected in the tree, in file order, the way "
        "`twibench run` does: values captured by one request (`capture:`) fill the `{{variables}}` of the "
        "next, `expect:` decides PASS or FAIL, `poll:` and `retry:` repeat a request. Each row is one "
        "request: PASS or FAIL, its status code and meaning, its time, and why it failed. **enter** on a "
        "row shows that exchange in the response area. **escape** stops the run. A live profile asks "
        "before the run starts; every exchange is recorded in the history with the run's id (`run:ID`)."
    )

    class ResultChosen(Message):
        """The user chose a row: show this result's exchange."""

        def __init__(self, panel: RunPanel, result: RequestResult) -> None:
            super().__init__()
            self.panel = panel
            self.result = result

        @property
        def control(self) -> RunPanel:
            """The panel."""
            return self.panel

    class Ended(Message):
        """A run ended, or did not start (the session's variables may have changed)."""

        def __init__(self, outcome: Outcome | None) -> None:
            super().__init__()
            self.outcome = outcome

    def __init__(self, *, show_timings: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.show_timings = show_timings
        self.results: list[RequestResult] = []
        """Finished requests, in run order (the row index of each is its index here)."""
        self.run_id: str | None = None
        self.title = ""
        self.state = "idle"
        """idle, running, passed, failed, stopped or aborted."""
        self._running_row = False
        self._header_plain = ""

    def compose(self) -> ComposeResult:
        """Header, rows, hint."""
        yield Static(
            "No run yet. ctrl+r runs the collection of the request selected in the tree.",
            id="run-header",
            classes="-idle",
            markup=False,
        )
        yield ResultList(id="run-results")
        yield Static(run_hint("idle"), id="run-hint", markup=False)

    @property
    def header(self) -> str:
        """The header's text (what a test, or a screen reader, reads)."""
        return self._header_plain

    def _set_header(self, lines: list[str], state: str) -> None:
        self.state = state
        self.query_one("#run-hint", Static).update(run_hint(state))
        self._header_plain = "\n".join(lines)
        widget = self.query_one("#run-header", Static)
        widget.remove_class(*HEADER_CLASSES)
        widget.add_class("-" + (state if state != "aborted" else "failed"))
        widget.update(self._header_plain)

    @property
    def rows(self) -> list[str]:
        """Every row as plain text."""
        options = self.query_one(OptionList)
        return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]

    # --- running -----------------------------------------------------------------------------------

    def run(self, session: Session, owner: CollectionEntry | None, show: Callable[[], object]) -> None:
        """Run `owner` in the exclusive "run" worker (`twibench.tui.flows.run`); `show` brings the panel up."""
        from twibench.tui.flows.run import GROUP, run_collection

        if owner is None:
            self.notify("Choose a request of the collection to run in the tree first.")
            return
        if owner.scratch:
            self.notify("Opened links are not a collection file; save a request into a collection to run it.")
            return
        run = run_collection(self.app, session, owner, self, show)
        self.run_worker(self._run(run), name="run", group=GROUP, exclusive=True, exit_on_error=False)

    async def _run(self, run: Awaitable[Outcome]) -> None:
        outcome = None
        try:
            outcome = await run
        finally:
            self.post_message(self.Ended(outcome))

    @property
    def running(self) -> bool:
        """True while a run (or its start: prompts, confirmation) is going on."""
        return any(w.group == "run" and w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in self.workers)

    def stop(self) -> bool:
        """escape: stop the run; False when there is none."""
        live = (WorkerState.PENDING, WorkerState.RUNNING)
        stopping = [worker for worker in self.workers if worker.group == "run" and worker.state in live]
        for worker in stopping:
            worker.cancel()
        return bool(stopping)

    # --- data (down) -------------------------------------------------------------------------------

    def start(self, title: str, run_id: str, planned: int) -> None:
        """A new run: clear the rows."""
        self.results = []
        self.run_id = run_id
        self.title = title
        self._running_row = False
        self.query_one(OptionList).clear_options()
        self._set_header([title, f"running · 0 of {planned} done"], "running")

    def handle(self, event: RunEvent) -> None:
        """Follow the run: a row per finished request, a note while one is being sent or polled."""
        from twibench.runner import AttemptFinished, RequestFinished, RequestStarted, RunFinished, RunStarted

        options = self.query_one(OptionList)
        if isinstance(event, RunStarted):
            self._set_header([self.title, f"running · 0 of {event.planned} done"], "running")
        elif isinstance(event, RequestStarted):
            self._drop_running_row()
            options.add_option(running_text(event.step))
            self._running_row = True
        elif isinstance(event, AttemptFinished):
            if self._running_row:
                note = f"{event.why} · attempt {event.attempt}, next in {event.wait_s:.1f} s"
                options.replace_option_prompt_at_index(options.option_count - 1, running_text(event.step, note))
        elif isinstance(event, RequestFinished):
            self._drop_running_row()
            self.results.append(event.result)
            options.add_option(result_text(event.result, show_timings=self.show_timings))
            done = len(self.results)
            total = event.result.step.total
            failed = sum(1 for r in self.results if not r.passed)
            self._set_header([self.title, f"running · {done} of {total} done · {failed} not passed"], "running")
        elif isinstance(event, RunFinished):
            self._drop_running_row()
            self.finished(event.summary)

    def finished(self, summary: RunSummary) -> None:
        """The run ended: say how."""
        line = summary_text(summary, show_timings=self.show_timings)
        if summary.cancelled:
            self._set_header([self.title, f"stopped · {line}"], "stopped")
        elif summary.aborted:
            self._set_header([self.title, f"aborted: {summary.aborted}"], "aborted")
        elif summary.exit_code == 0:
            self._set_header([self.title, f"finished · {line}"], "passed")
        else:
            self._set_header([self.title, f"finished · {line}"], "failed")

    def stopped(self) -> None:
        """The run was stopped before the runner could say so (e.g. while it was starting)."""
        if self.state == "running":
            self._drop_running_row()
            self._set_header([self.title, f"stopped · {len(self.results)} done"], "stopped")

    def not_started(self, title: str, message: str) -> None:
        """The run was refused before anything was sent."""
        self.results = []
        self.title = title
        self.query_one(OptionList).clear_options()
        self._set_header([title, f"not started: {message}"], "aborted")

    def _drop_running_row(self) -> None:
        if self._running_row:
            options = self.query_one(OptionList)
            options.remove_option_at_index(options.option_count - 1)
            self._running_row = False

    def focus_results(self) -> None:
        """Put the cursor in the rows at once (`Widget.focus` waits for the next message, and a tab
        switch meanwhile hides the widget holding the focus, which hands it to the tabs)."""
        self.screen.set_focus(self.query_one(ResultList))

    # --- choosing (up) -----------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#run-results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.results):
            self.post_message(self.ResultChosen(self, self.results[event.option_index]))
