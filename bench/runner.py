"""Runner figures: per-request overhead of `twibench run` vs a bare httpx loop, and RSS over a long run.

All loops hit the same keep-alive server in another process (bench/loopback_server.py), alternating
rounds so machine noise hits them alike, and the best round of each is compared. "run" is the Runner as
`twibench run` drives it: the console printer (to /dev/null), expect + capture on every request; "run +
reports" adds the streamed JUnit and JSON reports. To show where the time goes, the same run also goes
through `Client.send` alone (the shared sending path every command uses) and through the Runner with an
instant in-memory client (the runner's own work per request: checks, captures, events, console). Memory:
the process's RSS after 1,000 and after 10,000 requests of a run with both reports.
Prints figures (and ratios against the floor measured in the same run); asserts nothing.
Run: .venv/bin/python bench/runner.py
"""

from __future__ import annotations

import os
import sys

# Run as a script, this folder comes first on sys.path, where any bench script named like a stdlib module
# would shadow it: import from the repository root instead (os is preloaded).
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # noqa: PTH100, PTH120

import asyncio  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import httpx  # noqa: E402
import psutil  # noqa: E402

from bench.loopback_server import loopback_server  # noqa: E402
from twibench.client import Client, values_for  # noqa: E402
from twibench.collection import Collection, Request, parse_collection  # noqa: E402
from twibench.exchange import Exchange, Response, SentRequest, Timings  # noqa: E402
from twibench.profiles import Profile, SecretRef  # noqa: E402
from twibench.redact import Redactor  # noqa: E402
from twibench.runner import RequestFinished, RunEvent, Runner, RunOptions  # noqa: E402
from twibench.runner.console import Console  # noqa: E402
from twibench.runner.reports import JsonReport, JUnitReport, Report  # noqa: E402

AC = "AC0123456789abcdef0123456789abcdef"
TOKEN = "0123456789abcdef0123456789abcdef"
PATH = f"/2010-04-01/Accounts/{AC}/Messages/SM00000000000000000000000000000000.json"
COLLECTION = """
name: Bench
requests:
  - name: Fetch a message
    id: fetch
    url: /2010-04-01/Accounts/{{account_sid}}/Messages/SM00000000000000000000000000000000.json
    capture: {message_sid: $.sid}
    expect: {status: 200, json: {$.status: queued}}
"""


def collection() -> Collection:
    return parse_collection(COLLECTION, Path("bench.yaml"))


def profile(base: str) -> Profile:
    return Profile("bench", "auth_token", AC, AC, SecretRef(literal=TOKEN), base_url=base)


async def bare_loop(base: str, n: int) -> float:
    """The floor: the same GET with basic auth, body read, status checked."""
    async with httpx.AsyncClient(auth=(AC, TOKEN)) as client:
        await client.get(base + PATH)
        start = time.perf_counter()
        for _ in range(n):
            response = await client.get(base + PATH)
            assert response.status_code == 200 and response.content
        return (time.perf_counter() - start) / n * 1e6


async def send_loop(base: str, n: int) -> float:
    """The shared sending path alone: `Client.send` of the same fetch, no runner around it."""
    target = profile(base)
    request = Request(name="f", id="f", url=collection().requests[0].url)
    values = values_for(target)
    client = Client()
    await client.send(request, target, values)
    start = time.perf_counter()
    for _ in range(n):
        exchange = await client.send(request, target, values)
        assert exchange.ok
    elapsed = time.perf_counter() - start
    await client.aclose()
    return elapsed / n * 1e6


BODY = b'{"sid": "SM00000000000000000000000000000000", "status": "queued", "body": "Your total is $5"}'


class InstantClient(Client):
    """Answers at once from memory, so a run measures the runner's own work."""

    async def send(self, request: Request, *args: object, **kwargs: object) -> Exchange:
        response = Response(200, "OK", [("Content-Type", "application/json")], BODY)
        return Exchange(request=SentRequest("GET", "http://127.0.0.1/x", "/x"), response=response, timings=Timings(1.0))


async def runner_only(n: int) -> float:
    redactor = Redactor([(AC, TOKEN)])
    with Path("/dev/null").open("w") as sink:
        console = Console(sink, redactor, live=False, colour=False)
        runner = Runner(
            InstantClient(), profile("http://127.0.0.1:9"), options=RunOptions(repeat=n), redactor=redactor,
            on_event=console.handle,
        )  # fmt: skip
        start = time.perf_counter()
        await runner.run([collection()])
        return (time.perf_counter() - start) / n * 1e6


async def run_loop(base: str, n: int, folder: Path | None, on_request: list[int] | None = None) -> float:
    """`n` executions of the fetch through the Runner; reports into `folder` when given."""
    redactor = Redactor([(AC, TOKEN)])
    with Path("/dev/null").open("w") as sink:
        console = Console(sink, redactor, live=False, colour=False)
        reports: list[Report] = []
        if folder is not None:
            reports = [JUnitReport(folder / "junit.xml", redactor), JsonReport(folder / "run.json", redactor)]
        done = 0

        def on_event(event: RunEvent) -> None:
            nonlocal done
            console.handle(event)
            for report in reports:
                report.handle(event)
            if on_request is not None and isinstance(event, RequestFinished):
                done += 1
                on_request.append(done)

        client = Client()
        warm = Runner(client, profile(base), redactor=redactor)
        await warm.run([collection()])
        runner = Runner(client, profile(base), options=RunOptions(repeat=n), redactor=redactor, on_event=on_event)
        start = time.perf_counter()
        summary = await runner.run([collection()])
        elapsed = time.perf_counter() - start
        await client.aclose()
        for report in reports:
            report.close()
    assert summary.passed == n, summary.line()
    return elapsed / n * 1e6


def bench_overhead(n: int = 500, rounds: int = 9) -> None:
    with loopback_server() as base, tempfile.TemporaryDirectory() as tmp:
        bare, sent, ours, reported, own = [], [], [], [], []
        for _ in range(rounds):
            bare.append(asyncio.run(bare_loop(base, n)))
            sent.append(asyncio.run(send_loop(base, n)))
            ours.append(asyncio.run(run_loop(base, n, None)))
            reported.append(asyncio.run(run_loop(base, n, Path(tmp))))
            own.append(asyncio.run(runner_only(n)))
    # The best round of each: on a shared machine, noise only ever adds time (as timeit reports).
    b, s, o, r, w = min(bare), min(sent), min(ours), min(reported), min(own)
    spread = statistics.median(ours) / statistics.median(bare)
    print(f"run per request        twibench {o:6.0f} µs   bare httpx {b:6.0f} µs   ratio {o / b:4.2f}× (goal ≤ 1.3×)")
    print(f"run + JUnit/JSON       twibench {r:6.0f} µs   bare httpx {b:6.0f} µs   ratio {r / b:4.2f}×")
    print(
        f"  of which             Client.send alone {s:6.0f} µs (ratio {s / b:4.2f}×); the runner's own work {w:4.0f} µs"
    )
    print(f"  (best of {rounds} rounds of {n} requests; the ratio of the medians was {spread:4.2f}×)")


def bench_memory(total: int = 10_000) -> None:
    process = psutil.Process()
    samples: dict[int, float] = {}

    class Sampler(list[int]):
        def append(self, done: int) -> None:
            if done in (1_000, total):
                samples[done] = process.memory_info().rss / 1024 / 1024

    with loopback_server() as base, tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run_loop(base, total, Path(tmp), Sampler()))
        size = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 1024 / 1024
    growth = samples[total] - samples[1_000]
    print(
        f"RSS with both reports  after 1,000: {samples[1_000]:5.1f} MB   after {total:,}: {samples[total]:5.1f} MB"
        f"   growth {growth:+5.1f} MB (goal ≤ 20 MB; reports on disk {size:.1f} MB)"
    )


def main() -> None:
    bench_overhead()
    bench_memory()


if __name__ == "__main__":
    main()
