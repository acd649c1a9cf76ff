"""Per-keystroke figures at the scale of the whole API (used by bench/whole_api.py): the tree filter and
the palette's "go to request", through the real widgets of an app driven in-process (headless, 120x35).

Each key is sent as the terminal driver sends it (`driver.send_message(Key)`), then the app runs until
it is quiet (no frame for 60 ms). Two figures per key:
- work: the time the UI thread spends on the key — the tree's filter update (`set_filter`: match,
  rebuild) or the palette's search (`RequestsProvider.scored`: scoring every request, the best hits
  kept) — and in every frame the key caused (`Screen._compositor_refresh`: layout and drawing); its CPU
  time is printed too (on a shared machine the wall time also holds other processes' share);
- latency: from sending the key to the end of its last frame, which also counts waits that are not
  work: Textual's frame timer (60 frames a second: up to 17 ms) and, in the palette, Textual's own
  polling of its providers (a 100 ms `wait_for` on the hit queue, so ~40 ms is the floor there).
The goals (filter 16 ms, palette 50 ms) apply to the work.
The garbage collector is paused until the first frame, as `twibench.tui.app.run` does; `/` builds the
filter's index and freezes it (`twibench.tui.startup.long_lived`), and its own cost is printed; the palette
freezes its request titles the same way when it opens. The filter's keys leave cyclic garbage, collected
50 ms after a key (`twibench.tui.idle_gc`): within the quiet wait, so between keys as when a person types
(~100-200 ms apart); it is not a key's work, and `bench/filter_churn.py` counts where full collections land.
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
from twibench.tui.commands import RequestsProvider
from twibench.tui.startup import pause_collector
from twibench.tui.widgets.collection_tree import CollectionTree

FILTER_QUERY = "list available phone number"
PALETTE_QUERY = "send an sms"
QUIET = 0.06


class Spans:
    """Time spent in wrapped methods (start, end), in order."""

    def __init__(self) -> None:
        self.spans: list[tuple[float, float]] = []
        self.cpu: list[tuple[float, float]] = []
        """(start, CPU seconds of the UI thread) per call: the same work without the other processes' share."""

    def wrap(self, owner: Any, name: str) -> None:
        """Time every call of `owner.name` (an instance attribute shadows the method)."""
        method: Callable[..., Any] = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            start, cpu = time.perf_counter(), time.thread_time()
            try:
                return method(*args, **kwargs)
            finally:
                self.spans.append((start, time.perf_counter()))
                self.cpu.append((start, time.thread_time() - cpu))

        setattr(owner, name, timed)

    def since(self, moment: float) -> list[tuple[float, float]]:
        return [s for s in self.spans if s[0] >= moment]


async def tree_ready(app: Any, pilot: Any) -> tuple[CollectionTree, Spans]:
    """Once the whole API is loaded and the first request shown: the focused tree, and spans of its filter
    keys and of the screen's repaints."""
    workspace = app.session.workspace
    while workspace.pending or app.main_screen is None or app.workbench.current is None:
        await pilot.pause(0.01)
    tree: CollectionTree = app.screen.query_one(CollectionTree)
    tree.focus()
    await pilot.pause(0.3)
    spans = Spans()
    spans.wrap(app.screen, "_compositor_refresh")
    spans.wrap(tree, "set_filter")
    return tree, spans


async def _keystroke(app: App[Any], key: str, spans: Spans) -> tuple[float, float, float]:
    """Send one key; (work, CPU, latency) in seconds once the app is quiet."""
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
    cpu = sum(seconds for start, seconds in spans.cpu if start >= sent)
    return work, cpu, last - sent


def _summary(name: str, figures: list[tuple[float, float, float]], goal_ms: float) -> str:
    work, cpu, latency = ([f[i] * 1000 for f in figures] for i in range(3))
    verdict = "ok" if max(work) <= goal_ms else "over"
    return (
        f"  {name} ({len(work)} keys):\n"
        f"    work median {statistics.median(work):.1f} ms, worst {max(work):.1f} ms (goal <= {goal_ms:.0f} ms: "
        f"{verdict}); its CPU time median {statistics.median(cpu):.1f} ms, worst {max(cpu):.1f} ms\n"
        f"    latency to the last frame median {statistics.median(latency):.1f} ms, worst {max(latency):.1f} ms"
    )


async def keystroke_figures(api: Path) -> str:
    """Open the app on `api` and time the tree filter and the palette, one keystroke at a time."""
    pause_collector()
    app = make_app([api], settings=Settings(), show_timings=False, prewarm=False, cursor_blink=False)
    lines = ["per keystroke on the whole API (in-process, through the widgets):"]
    async with app.run_test(size=(120, 35)) as pilot:
        tree, spans = await tree_ready(app, pilot)
        spans.wrap(tree, "action_filter")  # `/` builds the filter's index, then collects and freezes
        opening = await _keystroke(app, "slash", spans)
        lines.append(f"  opening the filter ('/'): work {opening[0] * 1000:.1f} ms (once per change of the workspace)")
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
        provider = next(p for p in palette._providers if isinstance(p, RequestsProvider))
        spans.wrap(provider, "scored")
        figures = [await _keystroke(app, "space" if k == " " else k, spans) for k in PALETTE_QUERY]
        assert not any(w.is_running for w in palette.workers), "the palette was still searching"
        lines.append(_summary(f"palette go to request ('{PALETTE_QUERY}')", figures, 50))
    return "\n".join(lines)
