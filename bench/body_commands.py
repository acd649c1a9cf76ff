"""Benchmark: the body viewer's commands on a large body — the `f` filter, a search's count, `w` wrap.

A headless bare app holds one BodyViewer with a Twilio message-list page of 5 and 20 MB (the same page
as bench/tui_large_response.py). With a 10 ms ticker on the app's loop it measures:

- filter: a JSONPath pasted into the `f` prompt (it runs at once, no debounce) -> the matches shown (the
  body is parsed in a thread, once per filter), with the UI's longest stall meanwhile, and the RSS the
  parsed copy adds while the prompt is open;
- search count: a needle on every record pasted into the `/` prompt -> "1/N matches" shown;
- wrap: wrap on, then end and pagedown with wrap on (the action until the viewer scrolled; only lines on
  screen are measured, so these should not grow with the body).

Each size runs in a fresh interpreter. Figures are printed; nothing is asserted.

    .venv/bin/python bench/body_commands.py [--sizes 5,20]
"""

from __future__ import annotations

import os
import sys

sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # noqa: PTH100, PTH120

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

from bench.tui_large_response import MB, message_page  # noqa: E402

EXPRESSION = "$.messages[?@.status == 'failed'].sid"


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:  # noqa: PTH123
        return int(statm.read().split()[1]) * resource.getpagesize() / MB


def measure(size_mb: int) -> dict[str, float]:
    """One size, in this process."""
    from textual import events
    from textual.app import App, ComposeResult

    from twibench.tui.widgets.body import BodyViewer

    body = message_page(size_mb * MB)
    figures: dict[str, float] = {"size_mb": size_mb}

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield BodyViewer()

    async def run() -> None:
        app = Bare()
        async with app.run_test(size=(120, 40)) as pilot:
            viewer = app.query_one(BodyViewer)
            viewer.focus()
            viewer.load(body, "application/json")
            await viewer.wait_formatted()
            await pilot.pause()
            stalls: list[float] = []

            async def ticker() -> None:
                while True:
                    start = time.perf_counter()
                    await asyncio.sleep(0.01)
                    stalls.append(time.perf_counter() - start - 0.01)

            async def timed(start_it: Callable[[], object], done: Callable[[], bool]) -> tuple[float, float]:
                await pilot.pause()
                del stalls[:]
                start = time.perf_counter()
                start_it()
                while not done():
                    await asyncio.sleep(0.002)
                took = time.perf_counter() - start
                await pilot.pause()
                return took, max(stalls, default=0.0)

            def paste(text: str) -> Callable[[], object]:
                return lambda: viewer.post_message(events.Paste(text))

            tick = asyncio.create_task(ticker())
            rss = _rss_mb()
            await pilot.press("f")
            took, stall = await timed(paste(EXPRESSION), lambda: viewer.filtered)
            figures["filter_s"], figures["filter_stall_s"] = took, stall
            figures["filter_rss_mb"] = _rss_mb() - rss  # the parsed copy, held while the prompt is open
            figures["filter_matches"] = len(json.loads("\n".join(viewer.lines)))
            await pilot.press("escape", "slash")
            took, stall = await timed(paste("Media.json"), lambda: "/" in (viewer.bottom_row or _Empty()).status)
            figures["count_s"], figures["count_stall_s"] = took, stall
            await pilot.press("escape")
            took, _ = await timed(lambda: viewer.action_wrap(True), lambda: viewer.wrapped)
            figures["wrap_s"] = took
            top = viewer.scroll_offset.y
            took, _ = await timed(viewer.action_cursor_end, lambda: viewer.scroll_offset.y != top)
            figures["wrap_end_s"] = took
            viewer.action_cursor_home()
            took, _ = await timed(viewer.action_page_down, lambda: viewer.cursor_line > 0)
            figures["wrap_pagedown_s"] = took
            tick.cancel()

    asyncio.run(run())
    return figures


class _Empty:
    status = ""


def main() -> int:
    """Run each size in a fresh interpreter and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5,20")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure(args.one)))
        return 0
    print("size   filter (stall, +RSS, matches)            search count (stall)   wrap on   wrap end   wrap pgdn")
    for size in (int(s) for s in args.sizes.split(",")):
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(size)], capture_output=True, text=True, check=True
        )
        f = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"{size:>2} MB  {f['filter_s'] * 1000:>6.0f} ms ({f['filter_stall_s'] * 1000:.0f} ms, "
            f"+{f['filter_rss_mb']:.0f} MB, {f['filter_matches']:.0f})"
            f"{'':>12}{f['count_s'] * 1000:>6.0f} ms ({f['count_stall_s'] * 1000:.0f} ms)"
            f"   {f['wrap_s'] * 1000:>5.0f} ms  {f['wrap_end_s'] * 1000:>6.0f} ms"
            f"  {f['wrap_pagedown_s'] * 1000:>6.0f} ms"
        )
    print(f"load average {os.getloadavg()[0]:.2f}; stall = worst lateness of a 10 ms ticker on the UI loop")
    return 0


if __name__ == "__main__":
    sys.exit(main())
