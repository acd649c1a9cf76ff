"""Per-keystroke figures at the scale of the whole API (used by bench/whole_api.py): the tree filter and
the palette's "go to request", through the real widgets of an app driven in-process (headless, 120x35).

Each key is sent as the terminal driver sends it (`driver.send_message(Key)`), then the app runs until
it is quiet (no frame for 60 ms). Two figures per key:
- work: the time the UI thread spends in the tree's filter update (`set_filter`: match, rebuild) and in
  every frame the key caused (`Screen._compositor_refresh`: layout and drawing) — for the palette only
  the frames, since its search runs as a worker between them;
- latency: from sending the key to the end of its last frame, which also counts the wait for Textual's
  frame timer (60 frames a second: up to 17 ms) and, for the palette, the whole search.
The filter's goal (16 ms) applies to its work; the palette's (50 ms) to its latency, an upper bound.
The garbage collector is paused until the first frame, as `twibench.tui.app.run` does.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App
from textual.command import CommandPalette

from twibench.settings import Settings
from twibench.tui.app import make_app
from twibench.tui.startup import pause_collector
from twibench.tui.widgets.collection_tree import CollectionTree

FILTER_QUERY = "list available phone number"
PALETTE_QUERY = "send an sms"
QUIET = 0.06


class Spans:
    """Time spent in wrapped methods (start, end), in order."""

    def __init__(self) -> None:
        self.spans: list[tuple[float, float]] = []

    def wrap(self, owner: Any, name: str) -> None:
        """Time every call of `owner.name` (an instance attribute shadows the method)."""
        method: Callable[..., Any] = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.spans.append((start, time.perf_counter()))

        setattr(owner, name, timed)

    def since(self, moment: float) -> list[tuple[float, float]]:
        return [s for s in self.spans if s[0] >= moment]


async def _keystroke(app: App[Any], key: str, spans: Spans) -> tuple[float, float]:
    """Send one key; (work, latency) in seconds once the app is quiet."""
    character = " " if key == "space" else key
    event = events.Key(key, character)
    event.set_sender(app)
    sent = time.perf_counter()
    assert app._driver is not None
    app._driver.send_message(event)
    while True:
        await asyncio.sleep(0.002)
        ours = spans.since(sent)
        last = max((end for _, end in ours), default=sent)
        if time.perf_counter() - last > QUIET and ours:
            break
    work = sum(end - start for start, end in ours)
    return work, last - sent


def _summary(name: str, figures: list[tuple[float, float]], goal_ms: float, *, on_latency: bool = False) -> str:
    work = [w * 1000 for w, _ in figures]
    latency = [lat * 1000 for _, lat in figures]
    judged = latency if on_latency else work
    verdict = "ok" if max(judged) <= goal_ms else "over"
    return (
        f"  {name}: work median {statistics.median(work):.1f} ms, worst {max(work):.1f} ms; latency to the "
        f"last frame median {statistics.median(latency):.1f} ms, worst {max(latency):.1f} ms ({len(work)} keys; "
        f"goal <= {goal_ms:.0f} ms on the {'latency' if on_latency else 'work'}: {verdict})"
    )


async def keystroke_figures(api: Path) -> str:
    """Open the app on `api` and time the tree filter and the palette, one keystroke at a time."""
    pause_collector()
    app = make_app([api], settings=Settings(), show_timings=False, prewarm=False, cursor_blink=False)
    lines = ["per keystroke on the whole API (in-process, through the widgets):"]
    async with app.run_test(size=(120, 35)) as pilot:
        workspace = app.session.workspace
        while workspace.pending or app.main_screen is None or app.workbench.current is None:
            await pilot.pause(0.01)
        tree = app.screen.query_one(CollectionTree)
        tree.focus()
        await pilot.pause(0.3)
        spans = Spans()
        spans.wrap(app.screen, "_compositor_refresh")
        spans.wrap(tree, "set_filter")
        await _keystroke(app, "slash", spans)
        figures = [await _keystroke(app, "space" if k == " " else k, spans) for k in FILTER_QUERY]
        assert tree.filter_query == FILTER_QUERY and tree.matches, "the filter did not take the keys"
        lines.append(_summary(f"tree filter ('{FILTER_QUERY}', {tree.matches} matches at the end)", figures, 16))
        await _keystroke(app, "escape", spans)
        await app.workbench.run_action("go_to_palette")
        while not isinstance(app.screen, CommandPalette):
            await pilot.pause(0.01)
        palette = app.screen
        await pilot.pause(0.3)
        spans = Spans()
        spans.wrap(palette, "_compositor_refresh")
        figures = [await _keystroke(app, "space" if k == " " else k, spans) for k in PALETTE_QUERY]
        assert not any(w.is_running for w in palette.workers), "the palette was still searching"
        lines.append(_summary(f"palette go to request ('{PALETTE_QUERY}')", figures, 50, on_latency=True))
    return "\n".join(lines)
