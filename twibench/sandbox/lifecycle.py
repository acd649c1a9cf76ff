"""How a message moves through its statuses, computed from the clock at read time.

Nothing runs in the background: a row records when delivery starts (`start`) and how long it takes
(`delivery`), and every read derives queued → sending → sent → delivered from the elapsed time. That
keeps several processes sharing one state file consistent without any of them "owning" the messages.
(Status callbacks are the exception that must happen at a moment: they are written as jobs due at each
transition, and the webhook worker sends them; see `outbox` and `dispatcher`.)
"""

from __future__ import annotations

from twibench.sandbox.store import RowLike

RING_SHARE = 0.25  # a call's share of the delivery time spent queued, then ringing (calls, outbox)
"""Of the configured delivery time: queued for the first quarter, ringing until the half, then talking."""


FINISHED = frozenset({"delivered", "undelivered", "failed", "received", "canceled", "read"})
"""Statuses in which a message may be deleted (otherwise 20009)."""
PROGRESSING = frozenset({"queued", "scheduled"})
"""Stored states whose visible status advances with time."""


def transitions(start: float, delivery: float) -> tuple[float, float, float]:
    """When the message becomes sending, sent and delivered."""
    return start + delivery / 3, start + 2 * delivery / 3, start + delivery


def sent_time(start: float, delivery: float) -> float:
    """When `date_sent` is set (the message becomes `sent`)."""
    return transitions(start, delivery)[1]


def status_at(row: RowLike, now: float) -> str:
    """The visible status at `now`."""
    state: str = row["state"]
    if state not in PROGRESSING:
        return state
    start, delivery = row["start"], row["delivery"]
    if now < start:
        return state
    sending, sent, delivered = transitions(start, delivery)
    if now >= delivered:
        return "delivered"
    if now >= sent:
        return "sent"
    return "sending" if now >= sending else "queued"


def date_sent(row: RowLike, now: float) -> float | None:
    """`date_sent`: None until the message has been sent."""
    sent_at: float | None = row["sent_at"]
    return sent_at if sent_at is not None and now >= sent_at else None


def date_updated(row: RowLike, now: float) -> float:
    """The last change visible at `now`: an edit, or the latest status transition."""
    updated: float = row["updated"]
    if row["state"] not in PROGRESSING:
        return updated
    start, delivery = row["start"], row["delivery"]
    passed = [t for t in (start, *transitions(start, delivery)) if t <= now]
    return max([updated, *passed])
