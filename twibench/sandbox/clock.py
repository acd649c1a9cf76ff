"""Time in the sandbox: the real clock, or a fixed one so deterministic runs render identically.

Twilio writes every date as RFC 2822 in GMT (`Thu, 24 Aug 2023 05:01:45 +0000`); the sandbox stores
epoch seconds and formats them only when a resource is rendered.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol

SEED_EPOCH = datetime(2024, 1, 1, tzinfo=UTC).timestamp()
"""When the seeded resources (account, phone number, welcome message) were "created": a constant, so
their representations — and so their ETags — are the same in every sandbox until they are changed."""

FIXED_EPOCH = datetime(2024, 6, 1, 12, 0, tzinfo=UTC).timestamp()
"""The instant a deterministic sandbox lives in."""


class Clock(Protocol):
    """Where "now" comes from."""

    def now(self) -> float:
        """Seconds since the epoch."""
        ...


class RealClock:
    """Wall-clock time."""

    def now(self) -> float:
        """Seconds since the epoch."""
        return time.time()


class FixedClock:
    """A clock that never moves (deterministic mode: seeded SIDs, fixed dates, instant delivery)."""

    def __init__(self, epoch: float = FIXED_EPOCH) -> None:
        self.epoch = epoch

    def now(self) -> float:
        """Always the same instant."""
        return self.epoch


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def rfc2822(epoch: float | None) -> str | None:
    """Twilio's date format (`Thu, 24 Aug 2023 05:01:45 +0000`); None stays None.

    Formatted by hand rather than with `email.utils.format_datetime`: a message carries three dates and
    this runs on every read, where the stdlib route costs ten times as much.
    """
    if epoch is None:
        return None
    t = time.gmtime(int(epoch))
    return (
        f"{_DAYS[t.tm_wday]}, {t.tm_mday:02d} {_MONTHS[t.tm_mon - 1]} {t.tm_year} "
        f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} +0000"
    )
