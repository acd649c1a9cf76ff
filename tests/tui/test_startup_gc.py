"""Start-up pauses the cyclic garbage collector until the first frame, then freezes what it built."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import asyncio, gc, json, sys
from pathlib import Path
seen = {"before_import": gc.isenabled()}
from twibench.tui.app import TwibenchApp, make_app
seen["after_import"] = gc.isenabled()

class Probe(TwibenchApp):
    def on_mount(self) -> None:
        super().on_mount()
        seen["on_mount"] = gc.isenabled()

    def on_ready(self) -> None:
        super().on_ready()
        seen["after_first_frame"] = gc.isenabled()
        seen["frozen"] = gc.get_freeze_count() > 10_000

async def main() -> None:
    app = make_app([Path(sys.argv[1])], prewarm=False)
    app.__class__ = Probe
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()

asyncio.run(main())
print(json.dumps(seen))
"""


def test_the_collector_waits_for_the_first_frame(home: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(ROOT / "collections")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {
        "before_import": True,
        "after_import": False,
        "on_mount": False,
        "after_first_frame": True,
        "frozen": True,
    }
