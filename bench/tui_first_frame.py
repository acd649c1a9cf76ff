"""Where the first frame's work goes, in-process (headless, 120x35, the shipped collections, collector off).

A finder of hot spots beside bench/tui_startup.py (which times the real thing in a pty): for each of RUNS
fresh apps it records, up to the end of the first screen refresh,
- the widgets (nodes) on the screen;
- each widget class's `render_lines` time in the first compositor update (the tree, the containers...);
- the CSS parsed: each source (app.tcss, a widget's DEFAULT_CSS) and its time, and how many style applies;
- the time from `run_test` to the first frame.
Medians are printed. The first app of the process pays one-off costs (imports, caches) and is left out.

Usage: python bench/tui_first_frame.py [RUNS]   (default 11)
"""

from __future__ import annotations

import asyncio
import gc
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.css.stylesheet import Stylesheet
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

ROOT = Path(__file__).resolve().parent.parent


class Recorder:
    """Timings of one app, up to the end of its first screen refresh."""

    def __init__(self) -> None:
        self.drawn = False
        self.render: dict[str, float] = defaultdict(float)
        self.parse: dict[str, float] = defaultdict(float)
        self.applies = 0
        self.nodes = 0
        self.first_frame = 0.0


def patch(current: Callable[[], Recorder]) -> None:
    """Wrap the Textual methods the figures come from (each records into the current app's Recorder)."""
    render_lines = Widget.render_lines

    def timed_render(self: Widget, crop: Region) -> list[Strip]:
        start = time.perf_counter()
        lines = render_lines(self, crop)
        if not current().drawn:
            current().render[type(self).__name__] += time.perf_counter() - start
        return lines

    parse_rules = Stylesheet._parse_rules

    def timed_parse(self: Stylesheet, css: str, read_from: tuple[str, str], *args: Any, **kwargs: Any) -> Any:
        known = len(self._parse_cache)
        start = time.perf_counter()
        rules = parse_rules(self, css, read_from, *args, **kwargs)
        if len(self._parse_cache) > known and not current().drawn:
            name = read_from[1].removesuffix(".DEFAULT_CSS") if read_from[1] else Path(read_from[0]).name
            current().parse[name] += time.perf_counter() - start
        return rules

    apply = Stylesheet.apply

    def counted_apply(self: Stylesheet, node: Any, *args: Any, **kwargs: Any) -> None:
        if not current().drawn and isinstance(node, Widget):
            current().applies += 1
        apply(self, node, *args, **kwargs)

    Widget.render_lines = timed_render  # type: ignore[method-assign]
    Stylesheet._parse_rules = timed_parse  # type: ignore[method-assign]
    Stylesheet.apply = counted_apply  # type: ignore[method-assign]


async def one_app(recorder: Recorder) -> None:
    """Start the app as `twibench` does (shipped collections) and stop after its first frame."""
    from twibench.tui.app import make_app
    from twibench.tui.screens.main import MainScreen

    app = make_app(None, prewarm=False, show_timings=False)
    draw = MainScreen._compositor_refresh
    start = time.perf_counter()

    def drawing(self: MainScreen) -> None:
        draw(self)
        if not recorder.drawn:
            recorder.first_frame = time.perf_counter() - start
            recorder.nodes = len(list(self.walk_children(with_self=True)))
            recorder.drawn = True

    setattr(MainScreen, "_compositor_refresh", drawing)  # noqa: B010 (the screen's, for this app only)
    try:
        async with app.run_test(size=(120, 35)) as pilot:
            while not recorder.drawn:
                await pilot.pause(0.001)
    finally:
        setattr(MainScreen, "_compositor_refresh", draw)  # noqa: B010


def main() -> None:
    """Run the apps, print the medians."""
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 11
    os.environ["TWIBENCH_HOME"] = tempfile.mkdtemp()
    sys.path.insert(0, str(ROOT))
    recorders: list[Recorder] = []
    patch(lambda: recorders[-1])
    gc.disable()  # as twibench.tui.app.run until the first frame
    for _ in range(runs + 1):
        recorders.append(Recorder())
        asyncio.run(one_app(recorders[-1]))
        gc.collect()
    kept = recorders[1:]

    def median(values: list[float]) -> float:
        return statistics.median(values) * 1000

    print(f"apps: {len(kept)} (after one warm-up); nodes in the first frame: {kept[0].nodes}")
    print(f"run_test to first frame: median {median([r.first_frame for r in kept]):.1f} ms")
    print(f"style applies to widgets before it: {statistics.median(r.applies for r in kept):.0f}")
    renders = {name for r in kept for name in r.render}
    total = median([sum(r.render.values()) for r in kept])
    print(f"render_lines in the first frame: {total:.2f} ms")
    for name in sorted(renders, key=lambda n: -median([r.render.get(n, 0.0) for r in kept])):
        print(f"  {name:24} {median([r.render.get(name, 0.0) for r in kept]):6.2f} ms")
    sources = {name for r in kept for name in r.parse}
    print(f"CSS parsed before it: {median([sum(r.parse.values()) for r in kept]):.2f} ms")
    for name in sorted(sources, key=lambda n: -median([r.parse.get(n, 0.0) for r in kept])):
        print(f"  {name:24} {median([r.parse.get(name, 0.0) for r in kept]):6.2f} ms")


if __name__ == "__main__":
    main()
