"""Replay collections: captures, expectations, polling, retries, and streamed reports (DESIGN §6).

The public surface for the CLI and the TUI:

- `Runner(client, profile, ..., on_event=...)` and `await runner.run(collections, only=...)` → `RunSummary`;
- the events it emits (`RunStarted`, `RequestStarted`, `AttemptFinished`, `RequestFinished`, `RunFinished`);
- `runner.session.entries(collection)` for a Variables view (captured secrets flagged);
- `JUnitReport` / `JsonReport`, streaming writers that follow the events.
"""

from __future__ import annotations

from twibench.runner.capture import Captured
from twibench.runner.engine import RecordHook, Runner, RunOptions, new_run_id
from twibench.runner.events import (
    AttemptFinished,
    Outcome,
    RequestFinished,
    RequestResult,
    RequestStarted,
    RunEvent,
    RunFinished,
    RunStarted,
    RunSummary,
)
from twibench.runner.plan import Plan, RunInputError, Step
from twibench.runner.session import Session, VariableEntry

__all__ = [
    "AttemptFinished",
    "Captured",
    "Outcome",
    "Plan",
    "RecordHook",
    "RequestFinished",
    "RequestResult",
    "RequestStarted",
    "RunEvent",
    "RunFinished",
    "RunInputError",
    "RunOptions",
    "RunStarted",
    "RunSummary",
    "Runner",
    "Session",
    "Step",
    "VariableEntry",
    "new_run_id",
]
