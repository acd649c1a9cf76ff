"""The body viewer's `f` filter: a JSONPath typed on the bottom row, the matches shown live in place.

Each keystroke restarts a short timer (`DEBOUNCE`); when it fires, a thread worker parses the shown body
(once per filter, since the parsed body is kept while the prompt is open) and applies the expression
(`twibench.workbench.body_filter`, which counts every match but shows a bounded number and stops as soon
as a newer keystroke cancels it). So a 20 MB body never freezes the screen: the UI thread only swaps in
the finished document. `escape` goes back to the whole body. python-jsonpath is imported by the first
filter, not when the app starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.worker import get_current_worker

from twibench.tui.widgets.body.search import edit_line

if TYPE_CHECKING:
    from textual.timer import Timer
    from textual.worker import Worker

    from twibench.tui.widgets.body.host import FilterHost
    from twibench.workbench.body_document import BodyDocument
    from twibench.workbench.body_filter import FilterResult

__all__ = ["DEBOUNCE", "FilterController", "FilterDone"]

DEBOUNCE = 0.15
"""Seconds without a keystroke before the filter runs."""


class FilterDone(Message, bubble=False):
    """From the filter's thread to the viewer: what an expression gave."""

    def __init__(self, result: FilterResult, run: int) -> None:
        super().__init__()
        self.result = result
        self.run = run


class FilterController:
    """The filter's prompt and status (the viewer draws them) and the worker that runs it."""

    def __init__(self, viewer: FilterHost) -> None:
        self.viewer = viewer
        self.prompt: str | None = None
        self.whole: BodyDocument | None = None  # the whole body while the matches are shown
        self.expression = ""
        self.status = ""
        self.failed = False
        self._run = 0
        self._timer: Timer | None = None
        self._worker: Worker[None] | None = None  # the latest run (exclusive: older ones are cancelled)
        self._parsed: tuple[BodyDocument, Any] | None = None
        self._busy = False  # a filter is running for the latest expression

    def start(self) -> None:
        """Open the prompt (with the current expression, to edit it), or say why the body cannot be filtered."""
        viewer = self.viewer
        whole = viewer.whole_document
        if whole is None or viewer.formatting:
            viewer.notify("The body is not shown whole yet; filter it once it is.", severity="warning")
            return
        if whole.kind != "json":
            viewer.notify(f"Filtering needs a JSON body; this one is shown as {whole.kind}.", severity="warning")
            return
        self.prompt = self.expression
        self.failed = False

    def key(self, key: str, character: str | None) -> bool:
        """A key while the prompt is open: False for keys it leaves to bindings (arrows, app keys)."""
        change, text = edit_line(self.prompt or "", key, character)
        if change == "close":
            self.close()
        elif change == "submit":
            self.submit()
        elif change == "typed":
            self.prompt = text
            self._restart_timer()
        return change is not None

    def paste(self, text: str) -> None:
        """Pasted text goes into the open prompt, and the filter runs at once."""
        self.prompt = (self.prompt or "") + text
        self.run()
        self.viewer.refresh_search()

    def _restart_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.viewer.set_timer(DEBOUNCE, self.run)

    def run(self) -> None:
        """Apply the prompt's expression now (in a thread); an empty one shows the whole body."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        expression = (self.prompt or "").strip()
        self._run += 1
        self._cancel_worker()
        if not expression:
            self.status, self.failed, self.expression = "", False, ""
            self._show_whole()
            return
        whole = self.viewer.whole_document
        if whole is None:
            return
        self.status = "filtering…"
        self._busy = True
        run = self._run
        self._worker = self.viewer.run_worker(
            lambda: self._compute(expression, whole, run),
            thread=True,
            exclusive=True,
            group="body-filter",
            exit_on_error=False,
            description="filter body",
        )
        self.viewer.refresh()

    def _cancel_worker(self) -> None:
        """Stop the running filter, if any (its result would be dropped anyway: see `done`)."""
        worker, self._worker = self._worker, None
        if worker is not None and not worker.is_finished:
            worker.cancel()

    def _compute(self, expression: str, whole: BodyDocument, run: int) -> None:
        """In the thread: parse the body (once per filter) and apply the expression, unless cancelled."""
        from twibench.selection import SelectError  # python-jsonpath: imported on the first filter only
        from twibench.workbench.body_filter import FilterResult, run_filter

        worker = get_current_worker()
        try:
            parsed = self._parse(whole)
        except SelectError as exc:
            result: FilterResult | None = FilterResult(expression, error=str(exc))
        else:
            result = run_filter(expression, parsed, lambda: worker.is_cancelled)
        if result is not None and not worker.is_cancelled:
            self.viewer.post_message(FilterDone(result, run))

    def _parse(self, whole: BodyDocument) -> Any:
        from twibench.workbench.body_filter import parse_shown

        kept = self._parsed
        if kept is not None and kept[0] is whole:
            return kept[1]
        parsed = parse_shown(whole)
        self._parsed = (whole, parsed)
        return parsed

    def done(self, message: FilterDone) -> None:
        """Show what the latest expression gave (older runs and other bodies' results are dropped)."""
        if message.run != self._run:
            return
        self._busy = False
        result = message.result
        self.failed = result.error is not None
        self.status = result.summary
        if self.failed and self.prompt is None:  # enter came before the error: show it, to be mended
            self.prompt = result.expression
        if self.prompt is None:  # the filter is kept: its parsed copy of the body is no longer needed
            self._parsed = None
        if result.document is not None:
            self.expression = result.expression
            if self.whole is None:
                self.whole = self.viewer.document
            self.viewer.replace_document(result.document)
        self.viewer.refresh_search()

    def submit(self) -> None:
        """enter: keep the filter and close the prompt (a bad expression keeps the prompt open)."""
        if self._timer is not None:
            self.run()
        if self.failed:
            self.viewer.app.bell()
            return
        if not (self.prompt or "").strip():
            self.close()
            return
        self.prompt = None
        if not self._busy:  # nothing running: the parsed copy of the body is no longer needed
            self._parsed = None

    def close(self) -> None:
        """escape: back to the whole body; the parsed copy is dropped."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._run += 1
        self._cancel_worker()
        self.prompt = None
        self.expression = ""
        self.status, self.failed = "", False
        self._parsed, self._busy = None, False
        self._show_whole()

    def _show_whole(self) -> None:
        if self.whole is not None:
            whole, self.whole = self.whole, None
            self.viewer.replace_document(whole)

    def forget(self) -> None:
        """Another body was loaded: nothing of the filter applies to it."""
        self.close()
