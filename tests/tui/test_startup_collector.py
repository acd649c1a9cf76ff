"""The collector policy of `twibench.tui.startup`: paused until the first frame, long-lived things frozen."""

from __future__ import annotations

import gc

from twibench.tui import startup


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_long_lived_frees_the_garbage_of_the_moment_then_freezes_what_is_alive(collector: None) -> None:
    kept, dropped = _Cycle(), _Cycle()
    del dropped  # unreachable, but a cycle: only the collector frees it
    assert startup.long_lived(kept) is kept
    assert not any(isinstance(o, _Cycle) for o in gc.get_objects())  # kept is frozen (not listed)
    gc.unfreeze()
    assert [o for o in gc.get_objects() if isinstance(o, _Cycle)] == [kept]  # dropped was freed, not frozen


def test_pause_then_resume_turns_the_collector_back_on_once(collector: None) -> None:
    gc.enable()
    startup.pause_collector()
    assert not gc.isenabled()
    startup.resume_collector()
    assert gc.isenabled()
    gc.disable()
    startup.resume_collector()  # a second call does nothing
    assert not gc.isenabled()
