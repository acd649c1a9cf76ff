"""Benchmark: a large Twilio message-list page fetched over loopback and shown in the body viewer.

For 1, 5 and 20 MB pages served by a local HTTP server (a thread; never the internet) a headless Textual
app fetches the page with httpx and loads it into `BodyViewer`, measuring:

- first paint: send -> the first body line drawn by `render_line`;
- longest UI stall: the worst lateness of a 10 ms asyncio ticker on the app's loop, from send until the
  body is fully formatted (this is what a user feels as a frozen screen);
- page scroll: a `pagedown` key event (posted as a terminal driver posts it) -> every row of the new
  page drawn, worst of 12 at uncached places far apart in the body, with the process CPU time it took
  (wall time on a busy machine also measures other processes);
- RSS growth over the baseline, divided by the body size: steady (formatted, collected, the body still
  held as the app would hold its Exchange) and peak (sampled by the ticker while formatting). The
  baseline is taken after a warm-up request and body went through the same path, so one-time costs
  (the HTTP client, modules imported on first use, the worker thread and its malloc arena, styles) are
  not charged to the body. The first body of a size still grows the allocator's arenas once (a few MB,
  whatever the size), and the same request is then shown again to check that RSS does not keep growing.

Each size runs in a fresh interpreter so one size's freed memory cannot flatter the next; with
`--repeat N` each figure is the best of N such runs. The machine's load average is printed alongside.

    .venv/bin/python bench/tui_large_response.py [--sizes 1,5,20] [--repeat N] [--strict] [--verbose]

`--strict` exits 1 when a figure misses its goal.
"""

from __future__ import annotations

import os
import sys

# Run as a script, this folder comes first on sys.path, where any bench script named like a stdlib module
# would shadow it: import from the repository root instead (os is preloaded).
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # noqa: PTH100, PTH120

import argparse  # noqa: E402
import asyncio  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import subprocess  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from dataclasses import asdict, dataclass  # noqa: E402
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer  # noqa: E402
from pathlib import Path  # noqa: E402

ACCOUNT = "AC" + "0123456789abcdef" * 2
PAGE_PATH = f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
MB = 1_000_000
SCREEN = (120, 40)


@dataclass
class Figures:
    """One size's measurements (seconds, bytes)."""

    size_mb: int
    body_bytes: int
    lines: int
    first_paint_s: float
    formatted_s: float
    longest_stall_s: float
    page_scroll_s: float
    page_scroll_cpu_s: float
    rss_steady_x: float
    rss_peak_x: float
    rss_repeat_x: float
    load_average: float


# ---------------------------------------------------------------------------------------------------
# The page and the server


def message(index: int, rng: random.Random) -> dict[str, object]:
    """One message record shaped like Twilio's (see TWILIO.md), with varied bodies and statuses."""
    sid = f"SM{rng.getrandbits(128):032x}"
    base = f"/2010-04-01/Accounts/{ACCOUNT}/Messages/{sid}"
    status = rng.choice(["delivered", "delivered", "delivered", "sent", "failed", "undelivered", "queued"])
    failed = status in ("failed", "undelivered")
    day = 1 + index % 28
    return {
        "account_sid": ACCOUNT,
        "api_version": "2010-04-01",
        "body": rng.choice(
            [
                f"Your verification code is {rng.randrange(10**6):06d}",
                "Your order has shipped and will arrive on Thursday. Reply STOP to unsubscribe.",
                "Rappel : votre rendez-vous est confirmé pour demain à 10 h.",
                "Hi! 👋 Your table for 2 is ready.",
            ]
        ),
        "date_created": f"Thu, {day:02d} Aug 2023 05:01:45 +0000",
        "date_sent": f"Thu, {day:02d} Aug 2023 05:01:46 +0000",
        "date_updated": f"Thu, {day:02d} Aug 2023 05:01:49 +0000",
        "direction": "outbound-api",
        "error_code": 30008 if failed else None,
        "error_message": "Unknown error" if failed else None,
        "from": "+15017122661",
        "messaging_service_sid": f"MG{rng.getrandbits(128):032x}",
        "num_media": "0",
        "num_segments": str(rng.choice([1, 1, 2])),
        "price": f"-{rng.choice([0.0075, 0.0079, 0.015]):.5f}",
        "price_unit": "USD",
        "sid": sid,
        "status": status,
        "subresource_uris": {"media": f"{base}/Media.json", "feedback": f"{base}/Feedback.json"},
        "to": f"+1555867{index % 10_000:04d}",
        "uri": f"{base}.json",
    }


def message_page(target_bytes: int) -> bytes:
    """A compact list page (as Twilio sends it) of about `target_bytes`."""
    rng = random.Random(2010)
    records: list[dict[str, object]] = []
    size = 0
    while size < target_bytes:
        record = message(len(records), rng)
        records.append(record)
        size += len(json.dumps(record)) + 2
    page_uri = f"{PAGE_PATH}?PageSize={len(records)}"
    envelope = {
        "end": len(records) - 1,
        "first_page_uri": f"{page_uri}&Page=0",
        "messages": records,
        "next_page_uri": f"{page_uri}&Page=1&PageToken=PASM{rng.getrandbits(128):032x}",
        "page": 0,
        "page_size": len(records),
        "previous_page_uri": None,
        "start": 0,
        "uri": f"{page_uri}&Page=0",
    }
    return json.dumps(envelope).encode()


def serve(body: bytes) -> ThreadingHTTPServer:
    """Serve `body` as JSON at PAGE_PATH (and a small page elsewhere) on a loopback port, from a thread."""
    small = message_page(2_000)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            answer = body if self.path == PAGE_PATH else small
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# ---------------------------------------------------------------------------------------------------
# One size, in this process


def measure(size_mb: int, verbose: bool = False) -> Figures:
    """Fetch and show one page size in a headless app; return the figures."""
    import httpx
    import psutil
    from textual import events
    from textual.app import App, ComposeResult
    from textual.strip import Strip

    from twibench.tui.widgets.body import SYNC_LIMIT, BodyViewer

    body = message_page(size_mb * MB)
    server = serve(body)
    url = f"http://127.0.0.1:{server.server_address[1]}{PAGE_PATH}"
    process = psutil.Process()

    class TimedViewer(BodyViewer):
        """Records when body rows are drawn."""

        def __init__(self) -> None:
            super().__init__()
            self.first_paint: float | None = None
            self.last_draw = 0.0
            self.drawn_rows: set[int] = set()

        def render_line(self, y: int) -> Strip:
            strip = super().render_line(y)
            if self.line_count:
                now = time.perf_counter()
                if self.first_paint is None:
                    self.first_paint = now
                self.last_draw = now
                self.drawn_rows.add(self.scroll_offset.y + y)
            return strip

    class BenchApp(App[None]):
        def compose(self) -> ComposeResult:
            yield TimedViewer()

    figures: dict[str, float] = {}
    stalls: list[tuple[float, float]] = []  # (lateness, when)
    pauses: list[tuple[float, float, int]] = []  # garbage collections: (duration, when, generation)

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            pauses.append((time.perf_counter(), 0.0, info["generation"]))
        else:
            began, _, generation = pauses[-1]
            pauses[-1] = (time.perf_counter() - began, began, generation)

    async def run() -> None:
        app = BenchApp()
        async with app.run_test(size=SCREEN) as pilot:
            viewer = app.query_one(TimedViewer)
            viewer.focus()
            # Warm up what every later response reuses, as the app does: one client per profile (its
            # SSL context costs ~30 ms of CPU) that has sent a request, the viewer's styles, and the
            # formatting thread with its malloc arena (a first body just over SYNC_LIMIT).
            client = httpx.AsyncClient()
            await client.get(url.replace(PAGE_PATH, "/warm-up"))
            viewer.load(message_page(SYNC_LIMIT + 50_000), "application/json")
            await viewer.wait_formatted()
            await pilot.pause()
            viewer.clear()
            await pilot.pause()
            viewer.first_paint = None
            gc.collect()
            baseline = peak = process.memory_info().rss
            measuring = True

            async def ticker() -> None:
                nonlocal peak
                while measuring:
                    start = time.perf_counter()
                    await asyncio.sleep(0.01)
                    stalls.append((time.perf_counter() - start - 0.01, start))
                    peak = max(peak, process.memory_info().rss)

            tick = asyncio.create_task(ticker())
            await asyncio.sleep(0.05)
            gc.callbacks.append(on_gc)
            sent = time.perf_counter()
            del stalls[:]
            response = await client.get(url)
            viewer.load(response.content, response.headers.get("content-type"))
            await viewer.wait_formatted()
            formatted = time.perf_counter()
            await asyncio.sleep(0.05)
            measuring = False
            await tick
            gc.callbacks.remove(on_gc)
            figures["longest_stall_s"] = max(late for late, _ in stalls)
            figures["formatted_s"] = formatted - sent
            figures["first_paint_s"] = (viewer.first_paint or formatted) - sent
            if verbose:
                worst = sorted(stalls, reverse=True)[:5]
                print(f"{size_mb} MB: worst stalls (ms @ s after send):", file=sys.stderr)
                print("  ", [(round(late * 1000, 1), round(when - sent, 3)) for late, when in worst], file=sys.stderr)
                long_gcs = [(round(d * 1000, 1), round(when - sent, 3), g) for d, when, g in pauses if d > 0.005]
                print("   GC pauses > 5 ms (ms @ s, generation):", long_gcs, file=sys.stderr)

            # One page down at uncached places spread over the body: the key event is posted as a
            # terminal driver posts it (Pilot.press would add its own waits for the process to go idle)
            # and the clock stops when the last row of the new page is drawn.
            scroll = scroll_cpu = 0.0
            height = viewer.scrollable_content_region.height
            for fraction in (0.1, 0.3, 0.5, 0.7):
                viewer.move_cursor(int(viewer.line_count * fraction), center=True)
                await pilot.pause()
                for _ in range(3):
                    top = viewer.scroll_offset.y + height
                    viewer.drawn_rows.clear()
                    start, start_cpu = time.perf_counter(), time.process_time()
                    app.post_message(events.Key("pagedown", None))
                    for _ in range(100_000):
                        if set(range(top, top + height)) <= viewer.drawn_rows:
                            break
                        await asyncio.sleep(0)
                    else:
                        raise RuntimeError("the new page was never drawn")
                    scroll = max(scroll, viewer.last_draw - start)
                    scroll_cpu = max(scroll_cpu, time.process_time() - start_cpu)
                    await pilot.pause()
            figures["page_scroll_s"] = scroll
            figures["page_scroll_cpu_s"] = scroll_cpu
            figures["load_average"] = os.getloadavg()[0]

            gc.collect()
            await asyncio.sleep(0.3)
            steady = process.memory_info().rss
            figures["rss_steady_x"] = (steady - baseline) / len(body)
            figures["rss_peak_x"] = (max(peak, steady) - baseline) / len(body)
            figures["lines"] = viewer.line_count

            # The same request again after clear(): RSS must not keep growing (nothing of the first body
            # is kept; the process reuses what it grew to).
            del response  # held until here, as the app holds the Exchange
            viewer.clear()
            await pilot.pause()
            gc.collect()
            before = process.memory_info().rss
            response = await client.get(url)
            viewer.load(response.content, response.headers.get("content-type"))
            await viewer.wait_formatted()
            await pilot.pause()
            gc.collect()
            await asyncio.sleep(0.3)
            figures["rss_repeat_x"] = (process.memory_info().rss - before) / len(body)
            del response
            await client.aclose()

    asyncio.run(run())
    server.shutdown()
    return Figures(
        size_mb=size_mb,
        body_bytes=len(body),
        lines=int(figures["lines"]),
        first_paint_s=figures["first_paint_s"],
        formatted_s=figures["formatted_s"],
        longest_stall_s=figures["longest_stall_s"],
        page_scroll_s=figures["page_scroll_s"],
        page_scroll_cpu_s=figures["page_scroll_cpu_s"],
        load_average=figures["load_average"],
        rss_steady_x=figures["rss_steady_x"],
        rss_peak_x=figures["rss_peak_x"],
        rss_repeat_x=figures["rss_repeat_x"],
    )


# ---------------------------------------------------------------------------------------------------
# The table


def goals(size_mb: int) -> dict[str, float | None]:
    """The goals that apply to a size (the 5 MB ones bound smaller bodies too)."""
    return {
        "first_paint_s": 0.5 if size_mb <= 5 else None,
        "longest_stall_s": 0.100 if size_mb <= 5 else 0.150 if size_mb <= 20 else None,
        "page_scroll_s": 0.050,
        "rss_steady_x": 5.0,
        "rss_peak_x": 12.0,
        "rss_repeat_x": 5.0,
    }


def table(rows: list[Figures]) -> tuple[str, bool]:
    """The figures with their goals beside them, and whether every goal was met."""
    columns = [
        ("first paint", "first_paint_s", lambda v: f"{v * 1000:.0f} ms", lambda g: f"≤ {g * 1000:.0f} ms"),
        ("longest stall", "longest_stall_s", lambda v: f"{v * 1000:.1f} ms", lambda g: f"≤ {g * 1000:.0f} ms"),
        ("page scroll (wall)", "page_scroll_s", lambda v: f"{v * 1000:.1f} ms", lambda g: f"≤ {g * 1000:.0f} ms"),
        ("RSS steady", "rss_steady_x", lambda v: f"{v:.2f}x", lambda g: f"≤ {g:.0f}x"),
        ("RSS peak", "rss_peak_x", lambda v: f"{v:.2f}x", lambda g: f"≤ {g:.0f}x"),
        ("RSS growth on reload", "rss_repeat_x", lambda v: f"{v:.2f}x", lambda g: f"≤ {g:.0f}x"),
    ]
    header = ["body", "lines", "formatted"] + [name for name, *_ in columns] + ["scroll CPU", "load avg"]
    out = [header]
    met = True
    for row in rows:
        values = asdict(row)
        cells = [f"{row.body_bytes / MB:.1f} MB", f"{row.lines:,}", f"{row.formatted_s * 1000:.0f} ms"]
        for _, key, show, show_goal in columns:
            goal = goals(row.size_mb)[key]
            value = values[key]
            if goal is None:
                cells.append(f"{show(value)} (no goal)")
                continue
            ok = value <= goal
            met = met and ok
            cells.append(f"{show(value)} ({show_goal(goal)}{'' if ok else ' MISSED'})")
        cells += [f"{row.page_scroll_cpu_s * 1000:.1f} ms", f"{row.load_average:.1f}"]
        out.append(cells)
    widths = [max(len(line[i]) for line in out) for i in range(len(header))]
    text = "\n".join("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip() for line in out)
    return text, met


def run_one(size_mb: int, verbose: bool) -> Figures:
    """Measure one size in a fresh interpreter."""
    command = [sys.executable, str(Path(__file__).resolve()), "--one", str(size_mb)]
    command += ["--verbose"] if verbose else []
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    return Figures(**json.loads(done.stdout.strip().splitlines()[-1]))


def best(runs: list[Figures]) -> Figures:
    """Each figure's best over several runs (as timeit does: slower runs measure other processes)."""
    values = [asdict(run) for run in runs]
    merged = {key: min(value[key] for value in values) for key in values[0]}
    merged["load_average"] = sum(value["load_average"] for value in values) / len(values)
    return Figures(**merged)


def main() -> int:
    """Run each size in fresh interpreters and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,5,20", help="page sizes in MB, comma-separated")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; each figure is the best of them")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: measure one size, print JSON
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    parser.add_argument("--verbose", action="store_true", help="also print the worst stalls and GC pauses")
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(asdict(measure(args.one, args.verbose))))
        return 0
    sizes = [int(part) for part in args.sizes.split(",")]
    rows = [best([run_one(size, args.verbose) for _ in range(args.repeat)]) for size in sizes]
    text, met = table(rows)
    runs = f"best of {args.repeat} runs" if args.repeat > 1 else "one run"
    print(f"BodyViewer with a Twilio message-list page over loopback (headless, 120x40, {runs} per size):")
    print(text)
    print("first paint = send -> first body row drawn; stall = worst lateness of a 10 ms ticker until formatted;")
    print("page scroll = pagedown -> new page drawn (worst of 12; its process CPU time beside);")
    print("RSS = growth over the baseline / body size, the body still held: steady and peak for the first body")
    print("of that size; on reload = the same request shown again after clear(). load avg = the machine's, 1 min.")
    return 1 if args.strict and not met else 0


if __name__ == "__main__":
    sys.exit(main())
