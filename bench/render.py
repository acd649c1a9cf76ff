"""Body rendering speed and memory on Twilio-like message pages of 1, 5 and 20 MB.

For each size it prints, as medians of a few runs:
- `render_body` time, against the obvious implementation `json.dumps(json.loads(b), indent=2).splitlines()`
  (same output, checked; with `indent` the stdlib encoder runs in pure Python), and the speed-up;
- `iter_render` time to its first batch of 10,000 lines (what a viewer waits for before showing something);
- the longest the GIL was held without a switch, as seen by a thread ticking every 1 ms while the
  rendering runs in another thread (what the TUI's event loop would feel);
- peak traced memory (tracemalloc, in separate runs because tracing slows Python down) over the body size.

Run: .venv/bin/python bench/render.py
"""

from __future__ import annotations

import gc
import json
import random
import statistics
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from twibench.render import iter_render, render_body

MB = 1_000_000
WORDS = ["Your", "code", "is", "total", "$5", "Olá", "ünïcode", "🎉", '"quoted"', "line\nbreak", "STOP", "reply"]


def message_page(target: int, seed: int = 7) -> bytes:
    """A Messages list page (the 2010-04-01 envelope) whose compact JSON is about `target` bytes."""
    rnd = random.Random(seed)
    account = f"AC{rnd.getrandbits(128):032x}"
    base = f"/2010-04-01/Accounts/{account}/Messages.json?PageSize=1000"
    messages: list[dict[str, Any]] = []
    size = 400
    while size < target:
        sid = f"SM{rnd.getrandbits(128):032x}"
        uri = f"/2010-04-01/Accounts/{account}/Messages/{sid}"
        message = {
            "account_sid": account,
            "api_version": "2010-04-01",
            "body": " ".join(rnd.choice(WORDS) for _ in range(rnd.randrange(3, 40))),
            "date_created": "Thu, 24 Aug 2023 05:01:45 +0000",
            "date_sent": "Thu, 24 Aug 2023 05:01:46 +0000",
            "date_updated": "Thu, 24 Aug 2023 05:01:47 +0000",
            "direction": "outbound-api",
            "error_code": rnd.choice([None, None, None, 30003]),
            "error_message": None,
            "from": "+15017122661",
            "messaging_service_sid": None,
            "num_media": "0",
            "num_segments": str(rnd.randrange(1, 4)),
            "price": f"-0.00{rnd.randrange(500, 999)}",
            "price_unit": "USD",
            "sid": sid,
            "status": rnd.choice(["delivered", "sent", "failed", "undelivered"]),
            "subresource_uris": {"media": f"{uri}/Media.json", "feedback": f"{uri}/Feedback.json"},
            "to": f"+1555{rnd.randrange(10**7):07d}",
            "uri": f"{uri}.json",
        }
        messages.append(message)
        size += len(json.dumps(message, ensure_ascii=False).encode()) + 2
    page = {
        "end": len(messages) - 1,
        "first_page_uri": f"{base}&Page=0",
        "messages": messages,
        "next_page_uri": f"{base}&Page=1&PageToken=PA{messages[-1]['sid']}",
        "page": 0,
        "page_size": len(messages),
        "previous_page_uri": None,
        "start": 0,
        "uri": f"{base}&Page=0",
    }
    return json.dumps(page, ensure_ascii=False).encode()


def baseline(body: bytes) -> list[str]:
    """The obvious implementation: what render_body must beat."""
    return json.dumps(json.loads(body), indent=2, ensure_ascii=False).splitlines()


def ours(body: bytes) -> list[str]:
    return render_body(body, "application/json").lines


def first_batch(body: bytes) -> int:
    stream = iter_render(body, "application/json", batch_lines=10_000)
    lines = len(next(stream).lines)
    stream.close()
    return lines


def timed(fn: Callable[[bytes], object], body: bytes, runs: int) -> float:
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        fn(body)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _run_then_set(fn: Callable[[bytes], object], body: bytes, done: threading.Event) -> None:
    fn(body)
    done.set()


def longest_hold(fn: Callable[[bytes], object], body: bytes, runs: int) -> float:
    """Median over runs of the longest gap between 1 ms ticks of a second thread while `fn` runs."""
    worst_per_run = []
    for _ in range(runs):
        gc.collect()
        done = threading.Event()
        worker = threading.Thread(target=_run_then_set, args=(fn, body, done))
        worst = 0.0
        last = time.perf_counter()
        worker.start()
        while not done.is_set():
            time.sleep(0.001)
            now = time.perf_counter()
            worst = max(worst, now - last)
            last = now
        worker.join()
        worst_per_run.append(worst)
    return statistics.median(worst_per_run)


def peak_memory(fn: Callable[[bytes], object], body: bytes) -> int:
    gc.collect()
    tracemalloc.start()
    result = fn(body)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del result
    return peak


def main() -> None:
    print(f"Python {sys.version.split()[0]}; times are medians; 'hold' = longest GIL hold seen by a 1 ms ticker")
    header = (
        f"{'body':>7} {'lines':>9} | {'baseline':>9} {'render':>8} {'speedup':>7} {'1st batch':>9} | "
        f"{'hold base':>9} {'hold ours':>9} | {'peak base':>10} {'peak ours':>10} {'ours/body':>9}"
    )
    print(header)
    print("-" * len(header))
    for size_mb, runs in ((1, 7), (5, 5), (20, 3)):
        body = message_page(size_mb * MB)
        lines = ours(body)
        if lines != baseline(body):
            raise SystemExit(f"render_body output differs from json.dumps(indent=2) at {size_mb} MB")
        t_base = timed(baseline, body, runs)
        t_ours = timed(ours, body, runs)
        t_first = timed(first_batch, body, runs)
        hold_base = longest_hold(baseline, body, 3)
        hold_ours = longest_hold(ours, body, 3)
        peak_base = peak_memory(baseline, body)
        peak_ours = peak_memory(ours, body)
        print(
            f"{len(body) / MB:5.1f}MB {len(lines):>9,} | {t_base * 1000:7.0f}ms {t_ours * 1000:6.0f}ms "
            f"{t_base / t_ours:6.1f}x {t_first * 1000:7.0f}ms | {hold_base * 1000:7.0f}ms {hold_ours * 1000:7.0f}ms | "
            f"{peak_base / MB:8.0f}MB {peak_ours / MB:8.0f}MB {peak_ours / len(body):8.1f}x"
        )
    print("output identical to json.dumps(indent=2, ensure_ascii=False).splitlines(): yes (checked per size)")


if __name__ == "__main__":
    main()
