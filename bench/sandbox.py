"""Sandbox figures: requests per second (create, fetch) and what starting the in-process sandbox costs.

Run: .venv/bin/python bench/sandbox.py [--requests N] [--concurrency C]

- Throughput is measured with one concurrent `httpx.AsyncClient` against a `twibench sandbox` running in
  another process (as a user's `twibench send` would meet it), then against one in this process.
- Start-up cost is measured in fresh subprocesses: `ensure_running()` from a cold interpreter (imports
  included), the same with the modules already imported (pre-warmed), a repeat call once running, and the
  reuse of a running `twibench sandbox` (address file + probe).

Each figure is printed; nothing is asserted. Targets: ≥ 1,000 fetches/s; a call once pre-warmed ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from twibench.sandbox import credentials as cred  # noqa: E402

AUTH = (cred.ACCOUNT_SID, cred.AUTH_TOKEN)
ACCOUNT = f"/2010-04-01/Accounts/{cred.ACCOUNT_SID}"
FORM = {"To": "+15558675310", "From": cred.PHONE_NUMBER, "Body": "bench"}
CLI = "import sys; from twibench.sandbox.cli import main; sys.exit(main(sys.argv[1:]))"

START_PROBE = """
import json, sys, time
t0 = time.perf_counter()
if {prewarm}:
    import starlette.applications, uvicorn, twibench.sandbox.app, twibench.sandbox.server  # the pre-warm step
t1 = time.perf_counter()
from twibench.sandbox import embedded
url = embedded.ensure_running()
t2 = time.perf_counter()
embedded.ensure_running()
t3 = time.perf_counter()
print(json.dumps({{"prewarm_ms": (t1 - t0) * 1000, "start_ms": (t2 - t1) * 1000, "again_ms": (t3 - t2) * 1000}}))
"""


@dataclass
class Figure:
    """One measured operation."""

    per_second: float
    server_cpu_us: float | None
    """CPU the server process spent per request (None when the server shares this process)."""
    client_cpu_us: float
    """CPU this process spent per request (client, plus the server when it runs in-process)."""


async def throughput(url: str, requests: int, concurrency: int, server_pid: int | None) -> dict[str, Figure]:
    """Creates and fetches per second with `concurrency` requests in flight on one AsyncClient."""
    import psutil

    server = psutil.Process(server_pid) if server_pid is not None else None
    me = psutil.Process()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, auth=AUTH, limits=limits, timeout=60) as client:
        warm = await client.post(f"{ACCOUNT}/Messages.json", data=FORM)
        uri = warm.json()["uri"]

        async def run(make: Callable[[], Awaitable[httpx.Response]]) -> Figure:
            counter = iter(range(requests))

            async def worker() -> None:
                for _ in counter:
                    response = await make()
                    if response.status_code >= 300:
                        raise RuntimeError(f"{response.status_code}: {response.text}")

            cpu_before = sum(server.cpu_times()[:2]) if server else 0.0
            own_before = sum(me.cpu_times()[:2])
            start = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            elapsed = time.perf_counter() - start
            cpu = (sum(server.cpu_times()[:2]) - cpu_before) / requests * 1e6 if server else None
            own = (sum(me.cpu_times()[:2]) - own_before) / requests * 1e6
            return Figure(requests / elapsed, cpu, own)

        return {
            "create": await run(lambda: client.post(f"{ACCOUNT}/Messages.json", data=FORM)),
            "fetch": await run(lambda: client.get(uri)),
        }


def report(figures: dict[str, Figure]) -> None:
    for name, figure in figures.items():
        line = f"  {name + ':':8}{figure.per_second:6.0f} requests/s"
        if name == "fetch":
            line += " (target ≥ 1,000)"
        if figure.server_cpu_us is not None:
            capacity = 1e6 / figure.server_cpu_us if figure.server_cpu_us else float("inf")
            line += f"; server CPU {figure.server_cpu_us:4.0f} µs/request (≈ {capacity:,.0f}/s per core)"
        print(line + f"; this process {figure.client_cpu_us:4.0f} µs/request")


def cli_sandbox(home: Path) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "TWIBENCH_HOME": str(home)}
    process = subprocess.Popen(
        [sys.executable, "-c", CLI, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    assert process.stdout is not None
    url = process.stdout.readline().split(": ", 1)[1].strip()
    for _ in range(4):
        process.stdout.readline()
    return process, url


def start_costs(home: Path, prewarm: bool) -> dict[str, float]:
    code = START_PROBE.format(prewarm=prewarm)
    env = {**os.environ, "TWIBENCH_HOME": str(home), "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    data: dict[str, float] = json.loads(result.stdout)
    return data


def median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument(
        "--concurrency", type=int, default=4, help="requests in flight (httpx's pool slows past a handful)"
    )
    parser.add_argument("--runs", type=int, default=5, help="subprocess start-up samples (median shown)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        process, url = cli_sandbox(home / "cli")
        try:
            figures = asyncio.run(throughput(url, args.requests, args.concurrency, process.pid))
            print(f"out-of-process sandbox ({args.concurrency} in flight, {args.requests} requests each):")
            report(figures)
            reuse = [start_costs(home / "cli", prewarm=False) for _ in range(args.runs)]
            print(
                "  ensure_running() reusing it from a fresh process: "
                f"{median([r['start_ms'] for r in reuse]):.1f} ms (imports + address file + probe)"
            )
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)

        os.environ["TWIBENCH_HOME"] = str(home / "inproc")
        from twibench.sandbox import embedded

        inproc = embedded.ensure_running()
        figures = asyncio.run(throughput(inproc, args.requests, args.concurrency, None))
        embedded.stop()
        print("in-process sandbox (server thread shares this interpreter with the client):")
        report(figures)

        cold = [start_costs(home / f"cold{i}", prewarm=False) for i in range(args.runs)]
        warm = [start_costs(home / f"warm{i}", prewarm=True) for i in range(args.runs)]
        print(f"ensure_running() in a fresh subprocess, new data dir (median of {args.runs}):")
        print(f"  first call, cold, imports included:   {median([c['start_ms'] for c in cold]):6.1f} ms")
        print(f"    of which Starlette/uvicorn imports:  {median([w['prewarm_ms'] for w in warm]):6.1f} ms")
        print(f"    start once those are imported:       {median([w['start_ms'] for w in warm]):6.1f} ms")
        again = median([c["again_ms"] for c in cold]) * 1000
        print(f"  call once pre-warmed (running):       {again:6.1f} µs   (target ≤ 50 ms)")


if __name__ == "__main__":
    main()
