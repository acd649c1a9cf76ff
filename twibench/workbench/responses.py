"""Each request's last response in this session, so switching requests shows that request's answer.

The response area used to keep whatever was sent last, whichever request was open: after selecting
another request the old answer stayed on screen with nothing saying whose it was. The session now keeps,
per request entry, the last exchange it got, what the request looked like when it was sent (to say
"edited since") and when; the TUI shows it, or "not sent yet", and names the request above it.
"""

from __future__ import annotations

import copy
import time
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from twibench.collection import Request
    from twibench.exchange import Exchange
    from twibench.workbench.workspace import RequestEntry


class LastResponse(NamedTuple):
    """One request's last answer: the exchange, the request as it was sent, and when (epoch seconds).

    A named tuple, not a frozen dataclass: built before the first frame, and ~5x cheaper to create
    (ARCHITECTURE).
    """

    exchange: Exchange
    sent: Request
    at: float

    def __repr__(self) -> str:
        return f"LastResponse(exchange={self.exchange!r}, at={self.at!r})"  # the request is long, and known

    def edited_since(self, entry: RequestEntry) -> bool:
        """True when the request was edited after this answer came (the answer may not match it any more)."""
        return entry.request != self.sent

    def title(self, entry: RequestEntry, *, show_times: bool = True) -> str:
        """`Send an SMS · sent 12:00:03 · edited since`: whose answer this is (the response area's title)."""
        when = time.strftime("%H:%M:%S", time.localtime(self.at)) if show_times else "--:--:--"
        stale = " · edited since" if self.edited_since(entry) else ""
        return f"{entry.request.name} · sent {when}{stale}"


class ResponseMemory:
    """The last response of every request sent this session, by request entry (identity, not equality).

    State, not a value: a plain class, compared by identity.
    """

    def __init__(self) -> None:
        self._by_entry: dict[RequestEntry, LastResponse] = {}
        """RequestEntry compares by identity (`eq=False`), so two requests alike are still two keys."""

    def remember(self, entry: RequestEntry, exchange: Exchange) -> LastResponse:
        """Keep `exchange` as `entry`'s last answer, with a copy of the request as it was sent."""
        last = LastResponse(exchange, copy.deepcopy(entry.request), time.time())
        self._by_entry[entry] = last
        return last

    def get(self, entry: RequestEntry) -> LastResponse | None:
        """`entry`'s last answer this session, or None when it was not sent yet."""
        return self._by_entry.get(entry)

    def forget(self, entry: RequestEntry) -> None:
        """Drop a deleted request's answer."""
        self._by_entry.pop(entry, None)
