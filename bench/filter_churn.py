"""Hundreds of tree filter keys on the whole API: where the full collections land, and whether memory stays flat.

Every bundled spec is imported (as bench/whole_api.py does), the app is driven in-process (headless,
120x35, through the real widgets: `bench/tui_keystrokes.py`), `/` opens the filter, then a query is typed
key by key and erased with backspace, ROUNDS times (54 keys a round). Printed:
- the full (generation 2) collections: how many started inside a key's work (the filter's update or a
  frame it caused) and how many between keys, with their durations (`gc.callbacks`);
- the objects the collector tracks (its generations plus the frozen ones), counted after a collection,
  and the resident memory, after the first round and after the last: flat when nothing leaks (a cycle
  frozen while alive and dropped later is never freed);
- the work per key (median, worst), as bench/whole_api.py measures it.
Prints its figures; asserts nothing. Run: .venv/bin/python bench/filter_churn.py [ROUNDS]
"""

from __future__ import annotations

import os
import sys

sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # noqa: PTH100, PTH120

import asyncio  # noqa: E402
import compileall  # noqa: E402
import gc  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from bench.tui_keystrokes import FILTER_QUERY, _keystroke, tree_ready  # noqa: E402
from bench.whole_api import ROOT, import_everything  # noqa: E402
from twibench.settings import Settings  # noqa: E402
from twibench.tui.app import make_app  # noqa: E402
from twibench.tui.startup import pause_collector  # noqa: E402


class FullCollections:
    """Every generation-2 collection: (start, seconds), from `gc.callbacks`."""

    def __init__(self) -> None:
        self.runs: list[tuple[float, float]] = []
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.runs.append((self._start, time.perf_counter() - self._start))


def footprint() -> tuple[int, float]:
    """(objects the collector tracks, generations and frozen, after a collection; resident MB)."""
    gc.collect()
    objects = len(gc.get_objects()) + gc.get_freeze_count()
    status = Path("/proc/self/status")
    rss = next((int(line.split()[1]) / 1024 for line in status.read_text().splitlines() if line.startswith("VmRSS")), 0)
    return objects, rss


async def churn(api: Path, rounds: int) -> str:
    """Open the app on `api`, then type and erase the filter query `rounds` times."""
    pause_collector()  # as twibench.tui.app.run: off until the first frame, then frozen and on again
    app = make_app([api], settings=Settings(), show_timings=False, prewarm=False, cursor_blink=False)
    keys = ["space" if k == " " else k for k in FILTER_QUERY] + ["backspace"] * len(FILTER_QUERY)
    async with app.run_test(size=(120, 35)) as pilot:
        _, spans = await tree_ready(app, pilot)
        await _keystroke(app, "slash", spans)
        full = FullCollections()
        gc.callbacks.append(full)
        work: list[float] = []
        marks: list[tuple[int, float]] = []
        started = time.perf_counter()
        for done in range(rounds):
            for key in keys:
                work.append((await _keystroke(app, key, spans))[0])
            if done in (0, rounds - 1):
                gc.callbacks.remove(full)  # the counting collection is not one of the app's
                marks.append(footprint())
                gc.callbacks.append(full)
        gc.callbacks.remove(full)
    ours = [(start, end) for start, end in spans.spans if start >= started]
    inside = [s for start, s in full.runs if any(a <= start <= b for a, b in ours)]
    between = [s for start, s in full.runs if not any(a <= start <= b for a, b in ours)]

    def durations(runs: list[float]) -> str:
        return f" ({min(runs) * 1000:.1f}-{max(runs) * 1000:.1f} ms)" if runs else ""

    (first_objects, first_rss), (last_objects, last_rss) = marks
    return "\n".join(
        [
            f"filter churn on the whole API: {len(work)} keys ('{FILTER_QUERY}' typed then erased, {rounds} times)",
            f"  full collections: {len(inside)} inside a key{durations(inside)}, "
            f"{len(between)} between keys{durations(between)}",
            f"  tracked objects (generations + frozen, after a collection): {first_objects:,} after the first round, "
            f"{last_objects:,} after the last ({last_objects - first_objects:+,})",
            f"  resident memory: {first_rss:.1f} MB after the first round, {last_rss:.1f} MB after the last",
            f"  work per key: median {statistics.median(work) * 1000:.1f} ms, worst {max(work) * 1000:.1f} ms",
        ]
    )


def main() -> None:
    """Import every spec, then churn the filter."""
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    compileall.compile_dir(ROOT / "twibench", quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        api = Path(tmp) / "api"
        import_everything(api)
        os.environ["TWIBENCH_HOME"] = str(Path(tmp) / "home")
        print(asyncio.run(churn(api, rounds)))


if __name__ == "__main__":
    main()
