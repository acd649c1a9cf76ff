"""Start-up: Python's cyclic garbage collector waits until the first frame is on screen.

Importing Textual and building the first screen allocate a few hundred thousand objects, and nearly all
of them live as long as the app. The collector still walks them every few hundred allocations (its
older generations over and over), which cost about 30 ms of the ~260 ms to the first frame measured by
`bench/tui_startup.py`. So `twibench.cli.tui.open_tui` pauses the collector before it imports
Textual (`twibench.tui.app.run` again, for callers that import the app themselves), and the app resumes it once
the first frame is painted (`TwibenchApp.on_ready`), after moving everything alive at that point to the
permanent generation (`gc.freeze()`), so later collections skip Textual's start-up objects too.
Reference counting frees memory as usual in the meantime; only reference cycles wait.

Textual writes each frame to the terminal from a writer thread, which needs the GIL for that; the main
thread, busy building the app, gave it up only every 5 ms (Python's switch interval), so the first frame
reached the terminal 2-6 ms after it was ready. Until the first frame the interval is 0.5 ms
(`quicken_handoff`); it matters only when another thread is waiting, which at start-up is the writer.
"""

from __future__ import annotations

import gc
import sys
from typing import TypeVar

__all__ = [
    "HANDOFF_INTERVAL",
    "freeze_loaded",
    "long_lived",
    "pause_collector",
    "quicken_handoff",
    "restore_handoff",
    "resume_collector",
]

T = TypeVar("T")

HANDOFF_INTERVAL = 0.0005
"""Seconds before the main thread hands the GIL to a waiting thread (the frame writer), until the first frame."""


class _State:
    paused = False
    """True while the collector is off because of `pause_collector` (not because someone else turned it off)."""
    interval: float | None = None
    """The switch interval `quicken_handoff` replaced (None when it is not in effect)."""


def pause_collector() -> None:
    """Turn the cyclic collector off until `resume_collector` (nothing to do when it is off already)."""
    if gc.isenabled():
        gc.disable()
        _State.paused = True


def resume_collector() -> None:
    """Freeze what start-up built and turn the collector back on; later calls do nothing."""
    if _State.paused:
        _State.paused = False
        gc.freeze()
        gc.enable()


def freeze_loaded() -> None:
    """Move what is alive now to the permanent generation, as `resume_collector` did at the first frame.

    For collections loaded after the first frame (a large folder, `Workspace.defer`) and the tab sets
    mounted meanwhile: left in the collector's generations, they made each full collection walk tens of
    thousands of long-lived objects (50-65 ms hitches while typing in the tree filter or the palette,
    measured by bench/whole_api.py).
    """
    gc.freeze()


def long_lived(value: T) -> T:
    """Collect, then move what is alive (`value` included) to the permanent generation; returns `value`.

    For structures built on a user's action that then live as long as the workspace, such as the tree
    filter's index (1,447 requests' search texts on the whole API). Built after the first frame, they and
    what the tab sets and the palette made since stayed in the collector's generations, so a full
    collection walked ~50,000 objects (9-20 ms) in the middle of a keystroke of the filter (worst key 20.9
    ms, goal 16; bench/whole_api.py). The collection first frees the garbage of the moment, so freezing
    keeps nothing that was already unreachable.
    """
    gc.collect()
    gc.freeze()
    return value


def quicken_handoff() -> None:
    """Until `restore_handoff`: a waiting thread gets the GIL after `HANDOFF_INTERVAL` instead of 5 ms."""
    if _State.interval is None:
        _State.interval = sys.getswitchinterval()
        sys.setswitchinterval(HANDOFF_INTERVAL)


def restore_handoff() -> None:
    """Put back the switch interval `quicken_handoff` replaced; later calls do nothing."""
    if _State.interval is not None:
        sys.setswitchinterval(_State.interval)
        _State.interval = None
