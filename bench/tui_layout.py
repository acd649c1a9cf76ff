"""How much of each terminal size the response body gets after a send (issue 12, item 6).

Opens the app as `make run` does (the shipped collections, Messages › Send an SMS selected, the sandbox
profile, deterministic sandbox in a temporary data folder), sends, and prints for each size the body's
visible rows and columns (scrollbars excluded) and whether the history slot is on screen. Goals: at
80×24 at least 8 rows; below 200 columns the history takes no width unless opened.

Usage: python bench/tui_layout.py [WxH ...]   (default 80x24 120x30 120x35 160x45 220x60)
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = ("80x24", "120x30", "120x35", "160x45", "220x60")


async def measure(width: int, height: int) -> str:
    """One fresh app at this size: send, wait for the 201 body, read the body's size."""
    from twibench.profiles import load_profiles
    from twibench.settings import Settings
    from twibench.tui.app import make_app
    from twibench.tui.widgets.body import BodyViewer
    from twibench.tui.widgets.side_slot import SideSlot
    from twibench.tui.widgets.status_line import StatusLine

    app = make_app(None, profiles=load_profiles(), settings=Settings(), show_timings=False, prewarm=False)
    async with app.run_test(size=(width, height)) as pilot:
        for _ in range(500):
            if app.screen.query("#body-viewer") and app.screen.query("#form-table"):
                break
            await pilot.pause(0.02)
        await pilot.press("ctrl+j")
        viewer = app.screen.query_one(BodyViewer)
        for _ in range(1500):
            if app.screen.query_one(StatusLine).plain[:3].isdigit() and viewer.line_count > 10:
                break
            await pilot.pause(0.02)
        await pilot.pause(0.3)
        region = viewer.scrollable_content_region
        side = "history shown" if app.screen.query_one(SideSlot).is_open else "history hidden"
        status = app.screen.query_one(StatusLine).plain.splitlines()[0][:11]
        return f"{width:>4}×{height:<3} body {region.height:>3} rows × {region.width:>3} columns · {side} · {status}"


def main(argv: list[str]) -> int:
    """Print one line per size."""
    os.chdir(ROOT)  # ./collections: what `make run` opens
    with tempfile.TemporaryDirectory() as home:
        os.environ["TWIBENCH_HOME"] = home
        os.environ["TWIBENCH_SANDBOX_DETERMINISTIC"] = "1"
        from twibench.sandbox import embedded

        try:
            for size in argv or SIZES:
                width, height = (int(n) for n in size.lower().split("x"))
                print(asyncio.run(measure(width, height)))
        finally:
            embedded.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
