"""The replay engine: send each planned request, retry and poll it, check it, capture from it, report it.

`Runner` is UI-free and reusable: the CLI drives it with a console printer and report writers, the TUI
with a callback that posts messages. It goes through the one sending path (`Client.send`), records
through the one history call (the `record` seam), and is cancellable with ordinary asyncio
cancellation. Time is injected (`sleep`, `clock`, `rand`) so tests can check backoff and polling
exactly without waiting.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from twibench import outbound, profiles, variables
from twibench.client import Client
from twibench.collection import Collection, Request
from twibench.errors import TwibenchError
from twibench.exchange import Exchange, SentRequest, TransportError
from twibench.profiles import Profile, SecretPrompt
from twibench.redact import Redactor
from twibench.runner import retry
from twibench.runner.capture import Captured, capture_values
from twibench.runner.checks import ABSENT, EXISTS, Condition, check_exchange, condition_holds, status_word
from twibench.runner.data import DataRow, DataSet
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
from twibench.runner.expressions import Body, describe_value
from twibench.runner.paging import Paged, merged_document, walk
from twibench.runner.plan import Plan, Step, make_plan
from twibench.runner.session import Session
from twibench.secret_fields import is_secret_field

__all__ = ["DEFAULT_POLL_EVERY", "DEFAULT_POLL_TIMEOUT", "RecordHook", "RunOptions", "Runner", "new_run_id"]

DEFAULT_POLL_EVERY = 1.0
DEFAULT_POLL_TIMEOUT = 30.0
RecordHook = Callable[[Exchange, Redactor, str, Path], None]
"""The history seam: record(exchange, redactor, run_id, collection_file) for every exchange sent.

Called once per attempt (retries and polls included: history shows what went over the wire), after the
request's captured secrets were added to the redactor, so history never holds them in clear."""
EventHandler = Callable[[RunEvent], None]


def new_run_id() -> str:
    """A run id that sorts by time and is unique enough to group one run's history rows."""
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(3)


@dataclass(frozen=True)
class RunOptions:
    """How a run proceeds.

    Attributes:
        bail: stop after the first request that does not pass.
        repeat: run the selection this many times.
        delay: seconds to wait between two requests.
    """

    bail: bool = False
    repeat: int = 1
    delay: float = 0.0


def _ignore(event: RunEvent) -> None:
    """The default event handler."""


class Runner:
    """Runs collections against one profile; one Runner per run (its session carries captures)."""

    def __init__(
        self,
        client: Client,
        profile: Profile,
        *,
        overrides: Mapping[str, str] | None = None,
        options: RunOptions | None = None,
        redactor: Redactor | None = None,
        on_event: EventHandler | None = None,
        record: RecordHook | None = None,
        prompt: SecretPrompt | None = None,
        session: Session | None = None,
        run_id: str | None = None,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        rand: Callable[[], float] = random.random,
    ) -> None:
        """Set up a run.

        Args:
            client: the shared sending client (one pooled connection per profile).
            profile: the profile every request uses.
            overrides: `--var` values (highest precedence).
            options: bail / repeat / delay.
            redactor: masks secrets in every output; captured secrets are added to it as they come.
            on_event: called synchronously with each event as it happens.
            record: the history seam; None records nothing (`--no-history`).
            prompt: the session that asks for a `{prompt: true}` secret once (`sending.PromptedSecrets`);
                None: such a secret is an error.
            session: a session to continue (the TUI keeps one, so values captured by an earlier run
                fill later runs); a new one by default. It is switched to `profile`.
            run_id: groups this run's history rows; a new one by default.
            sleep: awaited for every wait (backoff, polling, `--delay`).
            clock: monotonic seconds, for poll deadlines and elapsed times.
            rand: uniform [0, 1) for backoff jitter.
        """
        self.client = client
        self.profile = profile
        self.options = options or RunOptions()
        self.session = session if session is not None else Session(profile, overrides)
        self.session.profile = profile
        if session is not None and overrides:
            self.session.overrides.update(overrides)
        self.redactor = redactor if redactor is not None else Redactor()
        self.on_event = on_event or _ignore
        self.record = record
        self.prompt = prompt
        self.run_id = run_id or new_run_id()
        self._sleep = sleep
        self._clock = clock
        self._rand = rand
        self._row_secrets: list[str] = []
        self._row_columns: set[str] = set()
        """Columns of the data file whose values are secrets (the outbound guard keeps them home)."""

    # ----- planning --------------------------------------------------------------------------------

    def plan(
        self, collections: Sequence[Collection], only: Sequence[str] | None = None, data: DataSet | None = None
    ) -> Plan:
        """Select and check the requests (see `make_plan`) and make sure the profile's secret is at hand.

        Call it before the run when you need input errors early (the CLI does, before confirming a live
        run); `run` calls it when given collections.

        Raises:
            RunInputError, FileErrors, ProfileError: bad input (exit code 2); nothing was sent.
        """
        plan = make_plan(
            collections,
            self.profile,
            only=only,
            repeat=self.options.repeat,
            overrides=self.session.overrides,
            captured={name: item.value for name, item in self.session.captured.items()},
            data=data,
        )
        if data is not None:
            for value in data.secret_values:  # a column named like a secret: masked like a captured secret
                self.redactor.add_secret(value)
            self._row_secrets = [name for name in data.columns if is_secret_field(name)]
            self._row_columns = set(data.columns)
        if any(request.auth.mode == "profile" for _, request in plan.selection):
            profiles.resolve_secret(self.profile, self.prompt)
        return plan

    # ----- running ---------------------------------------------------------------------------------

    async def run(self, what: Plan | Sequence[Collection], only: Sequence[str] | None = None) -> RunSummary:
        """Run a plan (or plan and run collections), emitting events as requests finish.

        Returns:
            The summary; its `exit_code` is the `run` command's.

        Raises:
            TwibenchError: bad input found before or during the run (a host the profile refuses, an
                invalid URL); a RunFinished event with `aborted` set is emitted first.
            asyncio.CancelledError: the run was cancelled; RunFinished(cancelled) is emitted first.
        """
        plan = what if isinstance(what, Plan) else self.plan(what, only)
        summary = RunSummary(run_id=self.run_id, profile=self.profile.name, planned=plan.total)
        started = self._clock()
        self.on_event(RunStarted(self.run_id, self.profile.name, plan.total))
        row: DataRow | None = None
        try:
            for step in plan.steps():
                if step.row is not row:  # a new row: its values stand until a request of it captures them
                    row = step.row
                    if row is not None:
                        self.session.forget(row.values)
                if step.index > 1 and self.options.delay > 0:
                    await self._sleep(self.options.delay)
                result = await self._execute(step, plan.names.get(id(step.request), []))
                summary.count(result)
                self.on_event(RequestFinished(result))
                del result
                if self.options.bail and summary.executed > summary.passed:
                    summary.bailed = True
                    break
        except asyncio.CancelledError:
            summary.cancelled = True
            raise
        except TwibenchError as exc:
            summary.aborted = str(exc)
            raise
        finally:
            summary.elapsed_s = self._clock() - started
            self.on_event(RunFinished(summary))
        return summary

    async def _execute(self, step: Step, needed: list[str]) -> RequestResult:
        """Send one request (with its retries and polling), check it, capture from it, record it."""
        request = step.request
        values = self.session.values(step.collection, step.row.values if step.row is not None else None)
        missing = [name for name in needed if name not in values]
        if missing:
            return self._skipped(step, missing[0])
        self.on_event(RequestStarted(step))
        started = self._clock()

        def render(value: Any) -> Any:
            return _render_expected(value, values)

        try:
            exchange, attempts, notes = await self._send(step, values, render)
            paged = await self._paginate(step, values, exchange)
        except variables.UnknownVariableError as exc:
            return self._skipped(step, exc.name)
        except TwibenchError as exc:
            return self._refused(step, exc, started)
        reasons: list[str] = []
        captured: tuple[Captured, ...] = ()
        outcome: Outcome
        if paged is not None:
            exchange = paged.last
        if exchange.error is not None:
            reasons.append(exchange.error.message)
            outcome = "error"
            self._forget_uncaptured(request, [])
        elif paged is not None and paged.problem is not None:
            reasons.append(paged.problem)  # no capture from an incomplete list
            outcome = "failed"
            self._forget_uncaptured(request, [])
        else:
            body = Body(exchange) if paged is None else Body(exchange, merged_document(paged.pages))
            reasons.extend(notes.poll)
            reasons.extend(check_exchange(exchange, request.expect, render, body))
            source = f"{step.collection.path.name}#{request.id}"
            found, capture_reasons = capture_values(body, request.capture, request.capture_secret, source)
            found = [self._promote(item) for item in found]
            for item in found:
                if item.secret:
                    self.redactor.add_secret(item.value)
            self.session.remember(found)
            captured = tuple(found)
            self._forget_uncaptured(request, found)
            reasons.extend(capture_reasons)
            outcome = "failed" if reasons else "passed"
        if outcome != "passed" and notes.retry:
            reasons.append(notes.retry)
        if paged is None:  # a paginated request recorded each page as it came
            self._record(exchange, step)
        return RequestResult(
            step=step,
            outcome=outcome,
            exchange=exchange,
            reasons=tuple(reasons),
            attempts=attempts,
            captured=captured,
            elapsed_s=self._clock() - started,
        )

    async def _paginate(self, step: Step, values: Mapping[str, str], first: Exchange) -> Paged | None:
        """`paginate:`: follow the next pages of a list answered without error (see `runner.paging`)."""
        paginate = step.request.paginate
        response = first.response
        if paginate is None or first.error is not None or response is None or response.status >= 400:
            return None

        async def send(page: Request) -> Exchange:
            exchange, _attempts, _note = await self._send_retrying(dataclasses.replace(step, request=page), values, 0)
            return exchange

        return await walk(first, step.request, paginate.limit, send, lambda page: self._record(page, step))

    def _forget_uncaptured(self, request: Request, found: list[Captured]) -> None:
        """Drop the values this request should have captured but did not.

        A value captured by an earlier repetition (or an earlier run of the session) must not stand in
        for one this execution failed to capture: the requests that need it are skipped instead of
        being sent with a stale SID.
        """
        got = {item.name for item in found}
        self.session.forget(name for name in (*request.capture, *request.capture_secret) if name not in got)

    def _skipped(self, step: Step, name: str) -> RequestResult:
        self._forget_uncaptured(step.request, [])
        why = "because the request that captures it did not succeed"
        if step.row is not None and name in self._row_columns:
            why = f"in row {step.row.index} of the data file"
        reason = f"not sent: {{{{{name}}}}} has no value {why}"
        return RequestResult(step=step, outcome="skipped", exchange=None, reasons=(reason,))

    def _refused(self, step: Step, exc: TwibenchError, started: float) -> RequestResult:
        """A request refused before it was sent (the outbound guard, an invalid URL): an `error` that
        never reached the wire, so the run goes on and exits 2 (bad input) unless worse happened."""
        self._forget_uncaptured(step.request, [])
        kind = "guard" if isinstance(exc, profiles.HostRefusedError) else "input"
        template = step.request.url.strip()
        base = ""
        if template.startswith("/"):
            try:
                base = self.profile.api_base()
            except Exception:  # the base is only for the record; the refusal is what matters
                base = ""
        sent = SentRequest(method=step.request.method, url=base + template, path=template)
        exchange = Exchange(request=sent, profile=self.profile.name, error=TransportError(kind, str(exc)))
        exchange.collection = step.collection.name
        exchange.request_id = step.request.id
        exchange.name = step.request.name
        return RequestResult(
            step=step,
            outcome="error",
            exchange=exchange,
            reasons=(str(exc),),
            elapsed_s=self._clock() - started,
        )

    def _promote(self, item: Captured) -> Captured:
        """A plain capture that holds a known secret is a secret from now on (masked and guarded)."""
        if item.secret:
            return item
        known = [
            s.value for s in outbound.secrets_in_play(self.profile, {}, (), prompt=self.prompt)
        ] + self.session.secret_values
        if any(secret in item.value for secret in known) or self.redactor.text(item.value) != item.value:
            return dataclasses.replace(item, secret=True)
        return item

    def _record(self, exchange: Exchange, step: Step) -> None:
        if self.record is not None:
            self.record(exchange, self.redactor, self.run_id, step.collection.path)

    async def _send(
        self, step: Step, values: Mapping[str, str], render: Callable[[Any], Any]
    ) -> tuple[Exchange, int, _Notes]:
        """Send with retries, and repeat while `poll.until` does not hold; returns the final exchange."""
        poll = step.request.poll
        notes = _Notes()
        attempts = 0
        if poll is None:
            exchange, attempts, notes.retry = await self._send_retrying(step, values, attempts)
            return exchange, attempts, notes
        until = poll.until
        every = poll.every if poll.every is not None else DEFAULT_POLL_EVERY
        timeout = poll.timeout if poll.timeout is not None else DEFAULT_POLL_TIMEOUT
        deadline = self._clock() + timeout
        while True:
            exchange, attempts, notes.retry = await self._send_retrying(step, values, attempts)
            if exchange.error is not None:
                return exchange, attempts, notes
            conditions = condition_holds(until, Body(exchange), render)
            failing = [c for c in conditions if not c.holds]
            if not failing:
                return exchange, attempts, notes
            now = self._clock()
            if now >= deadline:
                notes.poll = [_poll_reason(c, timeout) for c in failing]
                return exchange, attempts, notes
            wait = min(every, deadline - now)
            why = "poll: " + "; ".join(f"{c.expression} is {c.found.describe()}" for c in failing)
            self.on_event(AttemptFinished(step, attempts, exchange, wait, why))
            self._record(exchange, step)
            await self._sleep(wait)

    async def _send_retrying(
        self, step: Step, values: Mapping[str, str], attempts: int
    ) -> tuple[Exchange, int, str | None]:
        """Send once, then again while the retry policy allows; returns (exchange, attempts so far, note)."""
        request = step.request
        policy = retry.RetryPolicy.from_request(request.retry)
        retries = 0
        while True:
            exchange = await self.client.send(
                request,
                self.profile,
                values,
                collection=step.collection.name,
                prompt=self.prompt,
                secret_names=[*self.session.secret_names, *self._row_secrets],
            )
            attempts += 1
            decision = retry.decide(policy, request.method, exchange, retries, self._rand)
            if not decision.retry:
                return exchange, attempts, decision.note
            code, name = status_word(exchange)
            self.on_event(AttemptFinished(step, attempts, exchange, decision.wait, f"retry: {code} {name}"))
            self._record(exchange, step)
            await self._sleep(decision.wait)
            retries += 1


@dataclass
class _Notes:
    """Why a request's attempts ended the way they did, to add to its reasons if it fails."""

    retry: str | None = None
    poll: list[str] = field(default_factory=list)


def _poll_reason(condition: Condition, timeout: float) -> str:
    """`expected $.status == 'delivered' within 20s, last value 'sending'`."""
    within = f"within {timeout:g}s"
    last = condition.found.describe()
    if condition.found.problem is not None:
        last = f"but at the last attempt {condition.found.problem}"
    elif condition.expected == ABSENT:
        last = f"last value {last}"
    else:
        last = f"last value {last}" if condition.found.found else "it matched nothing"
    if condition.expected == EXISTS:
        return f"expected {condition.expression} to exist {within}, {last}"
    if condition.expected == ABSENT:
        return f"expected {condition.expression} to be absent {within}, {last}"
    return f"expected {condition.expression} == {describe_value(condition.expected)} {within}, {last}"


def _render_expected(value: Any, values: Mapping[str, str]) -> Any:
    """Fill `{{name}}` in expected text (recursively in lists and mappings); keywords stay as they are."""
    if isinstance(value, str):
        return variables.render(value, values, "an expected value")
    if isinstance(value, list):
        return [_render_expected(item, values) for item in value]
    if isinstance(value, dict):
        return {key: _render_expected(item, values) for key, item in value.items()}
    return value
