"""What a run reports as it goes: typed events, the result of each request, and the run's summary.

A run streams: each event is handed to the `on_event` callback the moment it happens and the runner
keeps none of them, so a report, a terminal line or a TUI row is produced per request and memory does
not grow with the length of the run. The summary keeps counts (and a few failures for the last line).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from twibench.exchange import Exchange
from twibench.runner.capture import Captured
from twibench.runner.checks import NOT_SENT_KINDS
from twibench.runner.plan import Step

__all__ = [
    "NOT_SENT_KINDS",
    "AttemptFinished",
    "Outcome",
    "RequestFinished",
    "RequestResult",
    "RequestStarted",
    "RunEvent",
    "RunFinished",
    "RunStarted",
    "RunSummary",
]

Outcome = Literal["passed", "failed", "error", "skipped"]
"""`passed`/`failed` by the checks; `error`: a transport failure, or a request refused before it was sent
(bad input: the outbound guard, an invalid URL); `skipped`: not sent (a value is missing)."""
MAX_KEPT_FAILURES = 20


@dataclass(frozen=True)
class RequestResult:
    """How one execution of one request ended.

    Attributes:
        step: which request, which repetition, where in the run.
        outcome: passed, failed, error (transport) or skipped (not sent).
        exchange: the final exchange (after retries and polling); None when skipped.
        reasons: one sentence per failed check (empty when passed).
        attempts: how many times the request was sent (retries and polls included).
        captured: the values captured from the final exchange (secret ones flagged).
        elapsed_s: seconds from the first send to the end of the checks, waits included.
    """

    step: Step
    outcome: Outcome
    exchange: Exchange | None
    reasons: tuple[str, ...] = ()
    attempts: int = 0
    captured: tuple[Captured, ...] = ()
    elapsed_s: float = 0.0

    @property
    def passed(self) -> bool:
        """True when the request passed its checks."""
        return self.outcome == "passed"

    @property
    def refused(self) -> bool:
        """True for an `error` that was refused before sending (bad input), not a transport failure."""
        error = self.exchange.error if self.exchange is not None else None
        return self.outcome == "error" and error is not None and error.kind in NOT_SENT_KINDS


@dataclass
class RunSummary:
    """The counts of a run and how it ended; `exit_code` follows DESIGN §8."""

    run_id: str
    profile: str
    planned: int = 0
    passed: int = 0
    failed: int = 0
    errors: int = 0
    """Requests whose outcome is `error`: transport failures and refused requests (`refused` of them)."""
    refused: int = 0
    skipped: int = 0
    elapsed_s: float = 0.0
    bailed: bool = False
    cancelled: bool = False
    aborted: str | None = None
    failures: list[tuple[str, str]] = field(default_factory=list)
    """(FILE#ID, first reason) of the first few requests that did not pass."""

    @property
    def executed(self) -> int:
        """Requests that finished (in any way)."""
        return self.passed + self.failed + self.errors + self.skipped

    @property
    def transport_failures(self) -> int:
        """Requests that failed on the wire (refused requests never reached it)."""
        return self.errors - self.refused

    @property
    def exit_code(self) -> int:
        """3 if any request had a transport failure, else 2 if any was refused (bad input), else 1 if any
        failed its check (or was skipped), else 0."""
        if self.transport_failures:
            return 3
        if self.refused:
            return 2
        if self.failed or self.skipped:
            return 1
        return 0

    def count(self, result: RequestResult) -> None:
        """Add one finished request."""
        if result.outcome == "passed":
            self.passed += 1
            return
        if result.outcome == "failed":
            self.failed += 1
        elif result.outcome == "error":
            self.errors += 1
            self.refused += result.refused
        else:
            self.skipped += 1
        if len(self.failures) < MAX_KEPT_FAILURES:
            step = result.step
            ref = step.ref + (f" (row {step.row.index})" if step.row is not None else "")
            self.failures.append((ref, result.reasons[0] if result.reasons else result.outcome))

    def line(self) -> str:
        """`12 passed, 1 failed (1 transport failure), 1 refused, 2 skipped · 15 requests in 3.2 s`."""
        parts = [f"{self.passed} passed"]
        transport = self.transport_failures
        failed = self.failed + transport
        if failed:
            extra = f" ({transport} transport failure{'s' if transport != 1 else ''})" if transport else ""
            parts.append(f"{failed} failed{extra}")
        if self.refused:
            parts.append(f"{self.refused} refused")
        if self.skipped:
            parts.append(f"{self.skipped} skipped")
        text = ", ".join(parts)
        noun = "request" if self.executed == 1 else "requests"
        text += f" · {self.executed} {noun} in {self.elapsed_s:.1f} s"
        if self.bailed:
            text += f" · stopped at the first failure (--bail), {self.planned - self.executed} not run"
        if self.cancelled:
            text += f" · cancelled, {self.planned - self.executed} not run"
        if self.aborted:
            text += " · aborted"
        return text


@dataclass(frozen=True)
class RunStarted:
    """The run is about to send its first request."""

    run_id: str
    profile: str
    planned: int


@dataclass(frozen=True)
class RequestStarted:
    """A request is about to be sent for the first time."""

    step: Step


@dataclass(frozen=True)
class AttemptFinished:
    """An attempt that will be followed by another (a retry or the next poll), after `wait_s` seconds.

    Attributes:
        step: the request.
        attempt: 1-based number of the attempt that finished.
        exchange: that attempt's exchange.
        wait_s: seconds until the next attempt.
        why: `retry: 503 SERVICE UNAVAILABLE` or `poll: $.status is 'sending'`.
    """

    step: Step
    attempt: int
    exchange: Exchange
    wait_s: float
    why: str


@dataclass(frozen=True)
class RequestFinished:
    """A request finished: its result (the exchange is not kept by the runner after this event)."""

    result: RequestResult


@dataclass(frozen=True)
class RunFinished:
    """The run ended (completed, bailed, cancelled or aborted by an input error)."""

    summary: RunSummary


RunEvent = RunStarted | RequestStarted | AttemptFinished | RequestFinished | RunFinished
