"""Time in the sandbox: the real clock, or a fixed one so deterministic runs render identically.

Twilio writes every date as RFC 2822 in GMT (`Thu, 24 Aug 2023 05:01:45 +0000`); the sandbox stores
epoch seconds and formats them only when a resource is rendered.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from email.utils import format_datetime
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


def rfc2822(epoch: float | None) -> str | None:
    """Twilio's date format (`Thu, 24 Aug 2023 05:01:45 +0000`); None stays None."""
    if epoch is None:
        return None
    return format_datetime(datetime.fromtimestamp(int(epoch), tz=UTC))
