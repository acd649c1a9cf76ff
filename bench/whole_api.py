"""The whole API at full speed: every bundled spec imported (1,447 requests, ~180 files), then timed.

Figures (issue 15), each with its floor measured in the same run:
- TUI first paint on the import vs a bare Textual app (header, tree, footer) and vs twibench on the
  shipped collections (fresh process in a pty each, alternated; see bench/tui_startup.py);
- `twibench check` on the folder (loading + every rule, in-process) vs the bare libyaml `safe_load`
  of the same files;
- per keystroke, in-process through the real widgets (a Pilot-driven app on the import, 120x35): the
  tree filter (`/` then a query typed key by key; from the key press until the tree is rebuilt, the
  cursor moved and the screen idle — Pilot's own round trip included, so an upper bound) and the
  palette's "go to request" (from the key press until the search worker has put every hit in the list).
  The filter's own work (match + tree rebuild + rendering the visible lines) is printed beside it.
Prints its figures; asserts nothing. Run: .venv/bin/python bench/whole_api.py [RUNS]
"""

from __future__ import annotations

import os
import sys

sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # noqa: PTH100, PTH120

import asyncio  # noqa: E402
import compileall  # noqa: E402
import gzip  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import yaml  # noqa: E402

from bench.tui_keystrokes import keystroke_figures  # noqa: E402
from bench.tui_startup import BARE, ROOT, TWIBENCH, first_frame  # noqa: E402
from twibench.collection import load_paths  # noqa: E402
from twibench.importers.openapi import SpecError, import_openapi  # noqa: E402

SPECS = ROOT / "twibench" / "data" / "twilio-oai"


def import_everything(folder: Path) -> int:
    """Import every bundled spec into `folder`; returns the number of requests written."""
    total = 0
    for packed in sorted(SPECS.glob("*.json.gz")):
        spec = folder.parent / "specs" / packed.name.removesuffix(".gz")
        spec.parent.mkdir(exist_ok=True)
        spec.write_bytes(gzip.decompress(packed.read_bytes()))
        try:
            total += import_openapi(spec, folder / spec.stem).operations
        except SpecError:
            continue
    return total


def median_ms(action: object, runs: int) -> float:
    """Median wall time of `action()` over `runs` calls, in ms."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    """Import, then print the check and first-paint figures."""
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    compileall.compile_dir(ROOT / "twibench", quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        api = Path(tmp) / "api"
        requests = import_everything(api)
        files = sorted(api.rglob("*.yaml"))
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

        def floor() -> None:
            for path in files:
                yaml.load(path.read_bytes(), Loader=loader)  # noqa: S506 - the C *safe* loader

        def check() -> None:
            result = load_paths([api])
            assert not result.errors, result.errors[:3]

        check()
        floor_ms, check_ms = median_ms(floor, runs), median_ms(check, runs)
        print(f"import: {requests} requests in {len(files)} files")
        print(f"check: {check_ms:.0f} ms vs libyaml safe_load floor {floor_ms:.0f} ms = "
              f"{check_ms / floor_ms:.2f}x (goal <= 2x)")  # fmt: skip
        os.environ["TWIBENCH_HOME"] = str(Path(tmp) / "home")  # the in-process app's profiles and history
        print(asyncio.run(keystroke_figures(api)))
        env = {**os.environ, "TWIBENCH_HOME": str(Path(tmp) / "home"), "TERM": "xterm-256color"}
        env.pop("TEXTUAL", None)
        shipped = {**env, "BENCH_COLLECTIONS": str(ROOT / "collections")}
        whole = {**env, "BENCH_COLLECTIONS": str(api)}
        for code, environ in ((BARE, env), (TWIBENCH, shipped), (TWIBENCH, whole)):
            first_frame(code, environ)  # warm caches
        bare, ours, big = [], [], []
        for _ in range(runs):
            bare.append(first_frame(BARE, env)[0])
            ours.append(first_frame(TWIBENCH, shipped)[0])
            big.append(first_frame(TWIBENCH, whole)[0])
        b, o, w = (statistics.median(x) * 1000 for x in (bare, ours, big))
        print(f"first paint, median of {runs} (load average {os.getloadavg()[0]:.1f}):")
        print(f"  bare Textual app {b:.0f} ms · shipped collections {o:.0f} ms ({o / b:.2f}x, goal <= 1.15x)")
        print(f"  whole API {w:.0f} ms: {w / b:.2f}x the bare app (goal <= 1.3x), {w / o:.2f}x shipped (goal <= 1.15x)")


if __name__ == "__main__":
    main()
