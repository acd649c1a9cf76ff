"""`run()` pauses the cyclic garbage collector until the first frame, then freezes what it built, and lets
the frame writer thread in sooner until then; importing the TUI has no such side effect."""

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
switch = {"before_import": sys.getswitchinterval()}
import twibench.tui
from twibench.tui import app as app_module
seen["after_import"] = gc.isenabled()

class Probe(app_module.TwibenchApp):
    # Textual runs each class's handler along the MRO (this one, then TwibenchApp's): no super() calls.
    def on_mount(self) -> None:
        seen["on_mount"] = gc.isenabled()
        switch["on_mount"] = sys.getswitchinterval()

    def on_ready(self) -> None:
        self.call_later(self.after_ready)  # once TwibenchApp.on_ready, called next, has run

    def after_ready(self) -> None:
        seen["after_first_frame"] = gc.isenabled()
        seen["frozen"] = gc.get_freeze_count() > 10_000
        switch["after_first_frame"] = sys.getswitchinterval()

    def run(self, *args, **kwargs):  # run() as the CLI calls it, headless
        async def main() -> None:
            async with self.run_test(size=(120, 35)) as pilot:
                await pilot.pause()
        asyncio.run(main())
        return 0

build = app_module.make_app

def make_probe(*args, **kwargs):
    app = build(*args, **{**kwargs, "prewarm": False})
    app.__class__ = Probe
    seen["before_run"] = gc.isenabled()
    return app

app_module.make_app = make_probe
seen["code"] = app_module.run([Path(sys.argv[1])], None)
seen["after_run"] = gc.isenabled()
switch["after_run"] = sys.getswitchinterval()
seen["switch"] = switch
print(json.dumps(seen))
"""


def test_the_collector_waits_for_the_first_frame_of_run(home: Path) -> None:
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
        "after_import": True,  # importing the TUI leaves the collector alone
        "before_run": False,  # run() paused it before building the app
        "on_mount": False,
        "after_first_frame": True,
        "frozen": True,
        "code": 0,
        "after_run": True,
        "switch": {  # the frame writer gets the GIL sooner from run() to the first frame
            "before_import": 0.005,
            "on_mount": 0.0005,
            "after_first_frame": 0.005,
            "after_run": 0.005,
        },
    }
