"""When a failed attempt is sent again (`retry: {on: [429, 503, transport], max: 3}`) and how long to wait.

Waits grow exponentially with jitter, so several runners hitting a busy account do not retry in step,
and never undercut a `Retry-After` the server sent. The rule that matters most is about safety: a
request that creates something (POST, PATCH) is sent again only when the answer proves the server did
not act on it — a 429 or 503, or a connection that never opened. After a read timeout or a reset the
server may already have sent the SMS; sending it again could send it twice, so the runner reports the
failure instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from twibench.collection.model import Retry
from twibench.exchange import Exchange
from twibench.runner.checks import status_matches

__all__ = ["RetryDecision", "RetryPolicy", "decide", "parse_retry_after"]

DEFAULT_ON: tuple[int | str, ...] = (429, 503, "transport")
DEFAULT_MAX = 3
BASE_DELAY = 0.5
"""Seconds before the first retry (before jitter); doubles with each retry."""
MAX_DELAY = 20.0
"""The longest backoff the runner computes on its own."""
MAX_RETRY_AFTER = 120.0
"""A server asking for a longer pause than this ends the retries: a run should not hang silently."""
UNSAFE_METHODS = frozenset({"POST", "PATCH"})
NOT_PROCESSED_STATUSES = frozenset({429, 503})
NOT_SENT_KINDS = frozenset({"refused", "dns", "connect", "tls"})
"""Transport failures that happen before a byte of the request leaves (the connection never opened)."""


@dataclass(frozen=True)
class RetryPolicy:
    """A request's `retry` block with its defaults filled in."""

    on: tuple[int | str, ...] = DEFAULT_ON
    max: int = DEFAULT_MAX

    @classmethod
    def from_request(cls, retry: Retry | None) -> RetryPolicy | None:
        """The policy of a request, or None when it has no `retry` (failures are then final)."""
        if retry is None:
            return None
        on = retry.on if retry.on is not None else DEFAULT_ON
        return cls(on=tuple(on), max=retry.max if retry.max is not None else DEFAULT_MAX)

    def triggered_by(self, exchange: Exchange) -> bool:
        """True when this failure is one the policy names."""
        if exchange.response is None:
            return "transport" in self.on
        statuses = [item for item in self.on if item != "transport"]
        return status_matches(statuses, exchange.response.status)


@dataclass(frozen=True)
class RetryDecision:
    """Whether to send again, after how many seconds, and why (or why not) in words."""

    retry: bool
    wait: float = 0.0
    note: str | None = None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` header (delta-seconds or an HTTP date), or None if unusable."""
    if value is None:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


def _unsafe_note(method: str, exchange: Exchange) -> str | None:
    """Why a non-idempotent request must not be sent again, or None when the answer proves it is safe."""
    if method.upper() not in UNSAFE_METHODS:
        return None
    if exchange.response is not None:
        if exchange.response.status in NOT_PROCESSED_STATUSES:
            return None
        return f"not retried: a {method} answered {exchange.response.status} may have been processed"
    kind = exchange.error.kind if exchange.error else "error"
    if kind in NOT_SENT_KINDS:
        return None
    return f"not retried: a {method} may have reached the server before the connection failed ({kind})"


def decide(
    policy: RetryPolicy | None, method: str, exchange: Exchange, retries_done: int, rand: Callable[[], float]
) -> RetryDecision:
    """Decide about one failed attempt.

    Args:
        policy: the request's retry policy (None: never retry).
        method: the HTTP method (POST and PATCH are retried only when provably not processed).
        exchange: the attempt that just finished.
        retries_done: how many retries were already made for this request.
        rand: a uniform [0, 1) source for the jitter (injected so tests are exact).
    """
    if policy is None or not policy.triggered_by(exchange):
        return RetryDecision(False)
    if retries_done >= policy.max:
        return RetryDecision(False, note=f"gave up after {policy.max} retr{'y' if policy.max == 1 else 'ies'}")
    unsafe = _unsafe_note(method, exchange)
    if unsafe is not None:
        return RetryDecision(False, note=unsafe)
    backoff = min(MAX_DELAY, BASE_DELAY * 2**retries_done) * (0.5 + rand() / 2)
    header = exchange.response.header("retry-after") if exchange.response is not None else None
    asked = parse_retry_after(header)
    if asked is not None and asked > MAX_RETRY_AFTER:
        return RetryDecision(
            False,
            note=f"not retried: Retry-After asks for {asked:.0f}s, more than the {MAX_RETRY_AFTER:.0f}s a run waits",
        )
    return RetryDecision(True, wait=max(backoff, asked or 0.0))
