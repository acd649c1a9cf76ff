"""Benchmark: a large response through the real app — `make_app` → `Session.send` → the history writer.

`bench/tui_large_response.py` times a bare body viewer in a bare App; this one drives the whole app, as
a user does, with history on: a headless `make_app` on a collection whose one request fetches a 5 or
20 MB Twilio message-list page from a loopback server (a thread; never the internet), with a live
profile pointed at it. It presses ctrl+j and measures:

- first body line: send (ctrl+j) -> the first body row drawn by the body viewer;
- key echo: a character typed into the URL field 0.3 s after send -> the URL field redrawn with it;
- longest stall: the worst lateness of a 10 ms ticker on the app's loop from send until the exchange
  is in history (what the user feels as a frozen screen; the history writer's thread holding the GIL
  shows here);
- recorded: send -> the exchange written to history (the Recorder caps the body before redacting).

Goals (issue 11, with history on): at 20 MB the first body line <= 0.6 s after send, and the key typed
0.3 s after send echoes <= 0.1 s after it was typed. Each size runs in a fresh interpreter; with
`--repeat N` each figure is the best of N runs. The machine's load average is printed alongside.

    .venv/bin/python bench/tui_app_large_response.py [--sizes 5,20] [--repeat N] [--strict]
"""

from __future__ import annotations

import os
import sys

sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # noqa: PTH100, PTH120

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from dataclasses import asdict, dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

from bench.tui_large_response import ACCOUNT, MB, PAGE_PATH, SCREEN, message_page, serve  # noqa: E402

TOKEN = "f00dfacef00dfacef00dfacef00dface"
TYPED_AFTER_S = 0.3


@dataclass
class Figures:
    """One size's measurements (seconds)."""

    size_mb: int
    first_line_s: float
    key_echo_s: float
    longest_stall_s: float
    recorded_s: float
    load_average: float


def measure(size_mb: int) -> Figures:
    """Send one page size through the whole app (history on) and return the figures."""
    from textual import events
    from textual.strip import Strip

    from twibench.profiles import load_profiles
    from twibench.settings import Settings
    from twibench.tui.app import make_app
    from twibench.tui.widgets.body import BodyViewer
    from twibench.tui.widgets.url_bar import UrlInput

    body = message_page(size_mb * MB)
    server = serve(body)
    home = Path(tempfile.mkdtemp(prefix="twibench-bench-"))
    os.environ["TWIBENCH_HOME"] = str(home)
    (home / "profiles.yaml").write_text(
        f"profiles:\n  local:\n    account_sid: {ACCOUNT}\n    auth_token: {TOKEN}\n"
        f"    base_url: http://127.0.0.1:{server.server_address[1]}\n"
    )
    (home / "profiles.yaml").chmod(0o600)
    collection = home / "page.yaml"
    collection.write_text(f"name: Bench\nrequests:\n  - name: Page\n    id: page\n    url: {PAGE_PATH}\n")

    marks: dict[str, float] = {}
    body_render = BodyViewer.render_line
    url_render = UrlInput.render_line

    def timed_body(self: BodyViewer, y: int) -> Strip:
        strip = body_render(self, y)
        if self.line_count and "first_line" not in marks and "sent" in marks:
            marks["first_line"] = time.perf_counter()
        return strip

    def timed_url(self: UrlInput, y: int) -> Strip:
        strip = url_render(self, y)
        if "typed" in marks and "echo" not in marks and self.value.endswith("x"):
            marks["echo"] = time.perf_counter()
        return strip

    BodyViewer.render_line = timed_body  # type: ignore[method-assign]
    UrlInput.render_line = timed_url  # type: ignore[method-assign]
    stalls: list[float] = []

    async def run() -> None:
        app = make_app([collection], "local", profiles=load_profiles(), settings=Settings(), prewarm=False)
        async with app.run_test(size=SCREEN) as pilot:
            target = app.session.workspace.collections[0].items[0]
            app.workbench.go_to(target)
            url = app.screen.query_one(UrlInput)
            for _ in range(500):
                if url.value == target.request.url:
                    break
                await pilot.pause(0.01)
            url.focus()
            await pilot.pause(0.2)
            measuring = True

            async def ticker() -> None:
                while measuring:
                    start = time.perf_counter()
                    await asyncio.sleep(0.01)
                    stalls.append(time.perf_counter() - start - 0.01)

            tick = asyncio.create_task(ticker())
            recorded = asyncio.get_running_loop().create_future()
            app.session.history.listeners.append(lambda entry_id: recorded.done() or recorded.set_result(entry_id))
            marks["sent"] = time.perf_counter()
            app.post_message(events.Key("ctrl+j", None))
            await asyncio.sleep(TYPED_AFTER_S)
            marks["typed"] = time.perf_counter()
            app.post_message(events.Key("x", "x"))
            entry_id = await asyncio.wait_for(recorded, 120)
            marks["recorded"] = time.perf_counter()
            for _ in range(1000):
                if "first_line" in marks and "echo" in marks:
                    break
                await asyncio.sleep(0.01)
            measuring = False
            await tick
            if entry_id is None:
                raise RuntimeError(f"the exchange was not recorded: {app.session.history.problem}")

    asyncio.run(run())
    server.shutdown()
    sent = marks["sent"]
    return Figures(
        size_mb=size_mb,
        first_line_s=marks.get("first_line", float("inf")) - sent,
        key_echo_s=marks.get("echo", float("inf")) - marks["typed"],
        longest_stall_s=max(stalls),
        recorded_s=marks["recorded"] - sent,
        load_average=os.getloadavg()[0],
    )


GOALS = {20: (0.6, 0.1)}


def table(rows: list[Figures]) -> tuple[str, bool]:
    """The figures as a table, and whether every goal was met."""
    lines = ["size   first body line   key echo   longest stall   recorded   load"]
    ok = True
    for r in rows:
        first_goal, echo_goal = GOALS.get(r.size_mb, (None, None))
        miss = (first_goal is not None and r.first_line_s > first_goal) or (
            echo_goal is not None and r.key_echo_s > echo_goal
        )
        ok = ok and not miss
        lines.append(
            f"{r.size_mb:>2} MB   {r.first_line_s * 1000:>11.0f} ms   {r.key_echo_s * 1000:>5.0f} ms"
            f"   {r.longest_stall_s * 1000:>10.0f} ms   {r.recorded_s * 1000:>5.0f} ms   {r.load_average:.2f}"
            + ("   (misses its goal)" if miss else "")
        )
    return "\n".join(lines), ok


def main() -> int:
    """Run each size in a fresh interpreter and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5,20")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--strict", action="store_true")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(asdict(measure(args.one))))
        return 0
    rows: list[Figures] = []
    for size in (int(s) for s in args.sizes.split(",")):
        runs = []
        for _ in range(args.repeat):
            done = subprocess.run(
                [sys.executable, __file__, "--one", str(size)], capture_output=True, text=True, check=True
            )
            runs.append(Figures(**json.loads(done.stdout.strip().splitlines()[-1])))
        rows.append(
            Figures(
                size_mb=size,
                first_line_s=min(r.first_line_s for r in runs),
                key_echo_s=min(r.key_echo_s for r in runs),
                longest_stall_s=min(r.longest_stall_s for r in runs),
                recorded_s=min(r.recorded_s for r in runs),
                load_average=runs[-1].load_average,
            )
        )
    text, ok = table(rows)
    print(text)
    return 0 if ok or not args.strict else 1


if __name__ == "__main__":
    sys.exit(main())
