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

import sys

# `python bench/sandbox.py` puts bench/ first on sys.path, where bench/collections.py would shadow the
# standard library's `collections`; drop that entry before importing anything else.
if sys.path and sys.path[0].rstrip("/").endswith("bench"):
    del sys.path[0]

import argparse
import asyncio
import json
import os
import signal
import subprocess
import tempfile
import time
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


async def throughput(url: str, requests: int, concurrency: int) -> tuple[float, float]:
    """Creates per second and fetches per second with `concurrency` requests in flight."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, auth=AUTH, limits=limits, timeout=60) as client:
        warm = await client.post(f"{ACCOUNT}/Messages.json", data=FORM)
        uri = warm.json()["uri"]

        async def run(make: object) -> float:
            counter = iter(range(requests))

            async def worker() -> None:
                for _ in counter:
                    response = await make()  # type: ignore[operator]
                    if response.status_code >= 300:
                        raise RuntimeError(f"{response.status_code}: {response.text}")

            start = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            return requests / (time.perf_counter() - start)

        creates = await run(lambda: client.post(f"{ACCOUNT}/Messages.json", data=FORM))
        fetches = await run(lambda: client.get(uri))
    return creates, fetches


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
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--runs", type=int, default=5, help="subprocess start-up samples (median shown)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        process, url = cli_sandbox(home / "cli")
        try:
            creates, fetches = asyncio.run(throughput(url, args.requests, args.concurrency))
            print(f"out-of-process sandbox ({args.concurrency} in flight, {args.requests} requests each):")
            print(f"  create: {creates:8.0f} requests/s")
            print(f"  fetch:  {fetches:8.0f} requests/s   (target ≥ 1,000)")
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
        creates, fetches = asyncio.run(throughput(inproc, args.requests, args.concurrency))
        embedded.stop()
        print("in-process sandbox (server thread shares this interpreter with the client):")
        print(f"  create: {creates:8.0f} requests/s")
        print(f"  fetch:  {fetches:8.0f} requests/s")

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
