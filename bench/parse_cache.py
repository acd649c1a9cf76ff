"""What the parse cache saves: `Workspace.load` of the shipped collections in a fresh interpreter.

Three ways, each timed in its own fresh process (imports are most of the cost, so every run starts
cold), with Python's cyclic collector off as on the TUI's real start path:

- today: no cache, the files are parsed (PyYAML imported and run);
- cold: an empty cache, the files are parsed and 9 entries written (a first start, or after an edit);
- warm: every entry present and unchanged (PyYAML never imported).

Runs alternate so machine noise hits all three alike; medians are printed, with whether `yaml` was
imported. Usage: python bench/parse_cache.py [RUNS]   (default 15)
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import gc, sys, time
gc.disable()
from pathlib import Path
from twibench.collection.parse_cache import ParseCache
from twibench.paths import cache_dir
from twibench.workbench.workspace import Workspace

workspace = Workspace(ParseCache(cache_dir()) if sys.argv[1] != "today" else None)
start = time.perf_counter()
workspace.load([Path(sys.argv[2])])
took = time.perf_counter() - start
assert len(workspace.collections) == 9 and not workspace.broken
print(f"{took!r} {'yaml' in sys.modules}")
"""


def once(mode: str, home: Path) -> tuple[float, bool]:
    """One fresh interpreter's `Workspace.load` in `mode` (today / cold / warm): seconds, yaml imported."""
    if mode == "cold":
        shutil.rmtree(home / "cache", ignore_errors=True)
    env = {**os.environ, "TWIBENCH_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(ROOT / "collections")],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
        timeout=60,
    )
    took, yaml = done.stdout.split()
    return float(took), yaml == "True"


def main() -> None:
    """Alternate the three ways, then print medians (ms)."""
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    results: dict[str, list[tuple[float, bool]]] = {"today": [], "cold": [], "warm": []}
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        once("cold", home)  # warm-up: byte-compiled files, filled page cache
        for _ in range(runs):
            for mode in ("today", "cold", "warm"):  # warm follows cold: the cache it wrote
                results[mode].append(once(mode, home))
    today = statistics.median(t for t, _ in results["today"]) * 1000
    for mode, found in results.items():
        median = statistics.median(t for t, _ in found) * 1000
        yaml = {y for _, y in found}
        print(f"{mode:6} Workspace.load {median:6.2f} ms  ({median - today:+6.2f} vs today)  yaml imported: {yaml}")


if __name__ == "__main__":
    main()
