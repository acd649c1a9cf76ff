"""The `run` command's terminal output: one line per request, a live progress line on a TTY, a summary.

Each finished request prints one line that reads left to right like the status line of `send`:

    PASS  POST     201 CREATED          38 ms  Send an SMS (send-sms)
    FAIL  GET      404 NOT FOUND         3 ms  Fetch a message (fetch) — expected status 200, got 404 (…)

The status code is its own word so the output can be searched and cut. On a terminal the line being
worked on is redrawn in place (plain ANSI, no Textual) with the attempt, the poll condition and the
elapsed time; elsewhere only the finished lines are printed. Every line goes through the Redactor.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import time
from typing import TextIO

from twibench import textsafe
from twibench.collection import Collection
from twibench.redact import Redactor
from twibench.runner.checks import status_word
from twibench.runner.data import DataRow
from twibench.runner.events import (
    AttemptFinished,
    RequestFinished,
    RequestResult,
    RequestStarted,
    RunEvent,
    RunFinished,
    RunStarted,
)
from twibench.runner.plan import Step

__all__ = ["Console"]

_VERDICT = {"passed": "PASS", "failed": "FAIL", "error": "FAIL", "skipped": "SKIP"}
_COLOUR = {"passed": "32", "failed": "31", "error": "31", "skipped": "33"}
_CLEAR = "\r\x1b[2K"
TICK_SECONDS = 0.25


class Console:
    """Prints a run's events; `live` redraws the current request's line in place (TTY only)."""

    def __init__(
        self, out: TextIO, redactor: Redactor, *, live: bool | None = None, colour: bool | None = None
    ) -> None:
        """Args:
        out: where lines go (stdout).
        redactor: masks secrets, including values captured during the run.
        live: redraw a progress line (default: when `out` is a terminal).
        colour: colour the verdicts (default: on a terminal unless NO_COLOR is set).
        """
        tty = out.isatty()
        self.out = out
        self.redactor = redactor
        self.live = tty if live is None else live
        self.colour = (tty and not os.environ.get("NO_COLOR")) if colour is None else colour
        self._collection: Collection | None = None
        self._row: DataRow | None = None
        self._current: Step | None = None
        self._status = ""
        self._started = 0.0
        self._drawn = False

    # ----- events ----------------------------------------------------------------------------------

    def handle(self, event: RunEvent) -> None:
        """Print what the event means for the user."""
        if isinstance(event, RunStarted):
            noun = "request" if event.planned == 1 else "requests"
            self._print(f"twibench run {event.run_id} · profile {event.profile} · {event.planned} {noun}")
        elif isinstance(event, RequestStarted):
            self._enter_row(event.step.row)
            self._enter_collection(event.step.collection)
            self._current, self._status, self._started = event.step, "", time.monotonic()
            self._redraw()
        elif isinstance(event, AttemptFinished):
            code, name = status_word(event.exchange)
            self._status = f"attempt {event.attempt}: {code} {name} · {event.why} · next in {event.wait_s:.1f}s"
            self._redraw()
        elif isinstance(event, RequestFinished):
            self._enter_row(event.result.step.row)
            self._enter_collection(event.result.step.collection)
            self._current = None
            self._print(self.result_line(event.result))
        elif isinstance(event, RunFinished):
            self._current = None
            summary = event.summary
            self._print(summary.line())
            for ref, reason in summary.failures[:5] if summary.failed + summary.errors + summary.skipped > 1 else []:
                self._print(f"  {ref}: {textsafe.line(self.redactor.text(reason))}")

    def result_line(self, result: RequestResult) -> str:
        """The one line of a finished request (see the module docstring)."""
        step = result.step
        exchange = result.exchange
        verdict = f"{_VERDICT[result.outcome]:<4}"
        if self.colour:
            verdict = f"\x1b[1;{_COLOUR[result.outcome]}m{verdict}\x1b[0m"
        if exchange is None:
            code, meaning, took = "---", "NOT SENT", "-"
        else:
            code, meaning = status_word(exchange)
            took = f"{exchange.timings.total_ms:.0f} ms"
        line = f"{verdict}  {step.request.method:<7} {code:>3} {meaning:<19} {took:>8}  {self._label(step)}"
        if result.attempts > 1:
            line += f" · {result.attempts} attempts"
        if result.reasons:
            line += " — " + "; ".join(textsafe.line(reason) for reason in result.reasons)  # may quote the server
        return self.redactor.text(line)

    def _label(self, step: Step) -> str:
        label = f"{step.request.name} ({step.request.id})"
        label = label + f" #{step.iteration}" if step.iteration > 1 else label
        return label + f" · row {step.row.index}" if step.row is not None else label

    # ----- the live line ---------------------------------------------------------------------------

    async def tick_forever(self) -> None:
        """Redraw the progress line with the elapsed time until cancelled."""
        while True:
            await asyncio.sleep(TICK_SECONDS)
            self._redraw()

    def _enter_row(self, row: DataRow | None) -> None:
        """A data-driven run names each row before its requests (`── row 3 (to=+1555…)`), secrets masked."""
        if row is not self._row:
            self._row = row
            self._collection = None  # each row lists its collections again
            if row is not None:
                self._print("── " + textsafe.line(self.redactor.text(row.label)))

    def _enter_collection(self, collection: Collection) -> None:
        if collection is not self._collection:
            self._collection = collection
            self._print(f"{collection.name} — {collection.path}")

    def _redraw(self) -> None:
        if not self.live or self._current is None:
            return
        step = self._current
        elapsed = time.monotonic() - self._started
        text = f"… [{step.index}/{step.total}] {step.request.method} {step.request.name} · {elapsed:.1f}s"
        if self._status:
            text += " · " + self._status
        width = _width()
        if len(text) > width - 1:
            text = text[: width - 2] + "…"
        self.out.write(_CLEAR + textsafe.line(self.redactor.text(text)))
        self.out.flush()
        self._drawn = True

    def _print(self, line: str) -> None:
        if self._drawn:
            self.out.write(_CLEAR)
            self._drawn = False
        self.out.write(line + "\n")
        self.out.flush()


def _width() -> int:
    """The terminal's width; a pseudo-terminal that reports 0 columns gets a usable default."""
    return shutil.get_terminal_size(fallback=(100, 24)).columns or 100
