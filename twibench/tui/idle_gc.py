"""The cyclic garbage of a burst of keys is collected when the keys pause, not in the middle of one.

Textual leaves reference cycles behind on every frame (Textual 8.2): the compositor's `Strip.divide`
caches a list holding the strip itself, so every line drawn is a cycle (with the strips derived from it
and their seven caches each); a cleared `LRUCache` keeps the ring of its entries (the tree's line cache,
with the lines it drew); `Tree._build` makes a recursive closure. Each key of the tree filter repaints
the tree: ~1,700 objects of cyclic garbage a key on the whole API (bench/whole_api.py). Alive while on
screen, they outlive the young collections and die in the oldest generation. Python 3.11 runs a full
collection once the middle generation was collected more than ten times and more objects reached the
oldest one since its last full collection than a quarter of those it kept; with nearly everything
frozen (`startup`), that came every ~25 keys, and it walked ~15,000 objects (12,000 of them this
garbage) in 5-7 ms inside a keystroke: the filter's worst key was 9.7-20.6 ms (goal 16).

Freezing is no cure here: the lines on screen are cycles that become garbage at the next repaint, and a
frozen cycle is never collected (a collection and a freeze at each pause kept ~170,000 objects more
after 540 keys, bench/filter_churn.py; this keeps none). So `collect_when_idle(widget)`, called on each
filter key, runs a full collection `SETTLE` seconds later (the key's frame is on screen by then; later
keys do not put it off, so keys held down still get one every `SETTLE`), if anything reached the oldest
generation since the last one. It walks only what was made since the filter opened (`long_lived` froze
the rest): ~3,000 live objects and the garbage of the last few keys, 1-3 ms between keys. And it starts
the collector's counts over, so no full collection is due during the next keys.
"""

from __future__ import annotations

import gc
import weakref
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

__all__ = ["SETTLE", "collect_if_due", "collect_when_idle"]

SETTLE = 0.05
"""Seconds from a key until its garbage is collected: after the key's frame (Textual draws at most 60 a
second), and short enough that typed keys (~100-200 ms apart) come between collections, not during one."""

_armed: weakref.WeakSet[MessagePump] = weakref.WeakSet()
"""The widgets with a collection on its way (one each, however many keys come before it)."""


def collect_when_idle(owner: MessagePump) -> None:
    """Collect `SETTLE` seconds from now on `owner`'s timer, unless a collection is on its way already."""
    if owner in _armed:
        return
    _armed.add(owner)

    def collect() -> None:
        _armed.discard(owner)
        collect_if_due()

    owner.set_timer(SETTLE, collect, name="idle collection")


def collect_if_due() -> bool:
    """Run a full collection if objects reached the oldest generation since the last one; True if it ran.

    Nothing while the collector is off (`startup.pause_collector`, or whoever turned it off), and nothing
    when no young collection promoted anything since the last full one (there is nothing new to walk).
    """
    if not gc.isenabled() or gc.get_count()[2] == 0:
        return False
    gc.collect()
    return True
