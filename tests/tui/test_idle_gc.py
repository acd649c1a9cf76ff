"""`twibench.tui.idle_gc`: the cyclic garbage of a burst of keys is collected once the keys pause (one
collection on its way per widget, none while the collector is off), and the tree filter asks for it."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.tui.conftest import SIZE, FakeTwilio, settle
from tests.tui.test_tree_scale import shipped_app, tree_of
from twibench.tui import idle_gc


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def _dead_in_the_oldest_generation() -> weakref.ref[_Cycle]:
    """A reference cycle that reached the oldest generation alive, then died: only a full collection frees it
    (as the lines a repaint drops: alive on screen across the young collections, garbage at the next key)."""
    dead = _Cycle()
    gc.collect(1)  # the young generations' survivors, `dead` with them, move to the oldest
    return weakref.ref(dead)


@pytest.fixture
def no_full_collection_but_ours(collector: None) -> Iterator[None]:
    """Python's own full collections off (a third threshold it never reaches), so only `idle_gc` runs one."""
    thresholds = gc.get_threshold()
    gc.enable()
    gc.set_threshold(thresholds[0], thresholds[1], 1_000_000)
    yield
    gc.set_threshold(*thresholds)


class _Owner:
    """Stands in for a widget: records the timers asked for."""

    def __init__(self) -> None:
        self.timers: list[tuple[float, Callable[[], None]]] = []

    def set_timer(self, delay: float, callback: Callable[[], None], *, name: str) -> None:
        self.timers.append((delay, callback))


def test_one_collection_is_on_its_way_however_many_keys_come_before_it(no_full_collection_but_ours: None) -> None:
    owner: Any = _Owner()
    for _ in range(5):  # keys faster than SETTLE do not put the collection off
        idle_gc.collect_when_idle(owner)
    assert [delay for delay, _ in owner.timers] == [idle_gc.SETTLE]
    ref = _dead_in_the_oldest_generation()
    assert ref() is not None
    owner.timers[0][1]()
    assert ref() is None
    idle_gc.collect_when_idle(owner)  # the next key after it ran asks for the next one
    assert len(owner.timers) == 2


def test_a_collection_runs_only_when_something_reached_the_oldest_generation(
    no_full_collection_but_ours: None,
) -> None:
    gc.collect()
    assert gc.get_count()[2] == 0
    assert not idle_gc.collect_if_due()  # nothing new there to walk
    ref = _dead_in_the_oldest_generation()
    assert gc.get_count()[2] > 0
    assert idle_gc.collect_if_due()
    assert ref() is None
    assert gc.get_count()[2] == 0  # Python's count toward its own full collection starts over


def test_nothing_runs_while_the_collector_is_off(no_full_collection_but_ours: None) -> None:
    ref = _dead_in_the_oldest_generation()
    gc.disable()  # as `startup.pause_collector` until the first frame
    assert not idle_gc.collect_if_due()
    assert ref() is not None
    gc.enable()
    assert idle_gc.collect_if_due()


async def test_the_garbage_filter_keys_leave_in_the_oldest_generation_is_collected_once_they_pause(
    twilio: FakeTwilio, no_full_collection_but_ours: None
) -> None:
    app = shipped_app(twilio)
    async with app.run_test(size=SIZE) as pilot:
        tree = tree_of(app)
        await pilot.press("slash")  # collects, then freezes what is alive (`startup.long_lived`)
        ref = _dead_in_the_oldest_generation()
        await pilot.press(*"message")
        assert tree.filter_query == "message"
        await settle(pilot, lambda: ref() is None)  # Python's own full collections are off: the filter's did it
