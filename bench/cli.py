"""CLI figures: `--help` start-up, per-request send overhead vs bare httpx, JSON formatting, loading.

Prints figures (and ratios against a floor measured in the same run); asserts nothing.
Run: .venv/bin/python bench/cli.py
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from bench.loopback_server import loopback_server
from twibench.client import Client, values_for
from twibench.collection import Request
from twibench.profiles import Profile, SecretRef

AC = "AC0123456789abcdef0123456789abcdef"
TOKEN = "0123456789abcdef0123456789abcdef"


def median_run(cmd: list[str], runs: int = 10) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def bench_help() -> None:
    with tempfile.TemporaryDirectory() as home:
        env_cmd = ["env", f"TWIBENCH_HOME={home}"]
        floor = median_run([*env_cmd, sys.executable, "-c", "pass"])
        helped = median_run([*env_cmd, sys.executable, "-m", "twibench", "--help"])
    print(
        f"twibench --help        median of 10: {helped:6.1f} ms   (python -c pass: {floor:5.1f} ms;"
        f" twibench's own cost {helped - floor:5.1f} ms; target < 80 ms)"
    )


async def send_loop(base: str, n: int) -> float:
    profile = Profile("bench", "auth_token", AC, AC, SecretRef(literal=TOKEN), base_url=base)
    request = Request(
        name="send", id="send", method="POST", url="/2010-04-01/Accounts/{{account_sid}}/Messages.json",
        form=[("To", "+15558675310"), ("From", "+15005550006"), ("Body", "Your total is $5")],
    )  # fmt: skip
    values = values_for(profile)
    client = Client()
    await client.send(request, profile, values)
    start = time.perf_counter()
    for _ in range(n):
        exchange = await client.send(request, profile, values)
        assert exchange.ok
    elapsed = time.perf_counter() - start
    await client.aclose()
    return elapsed / n * 1e6


async def bare_loop(base: str, n: int) -> float:
    url = f"{base}/2010-04-01/Accounts/{AC}/Messages.json"
    data = {"To": "+15558675310", "From": "+15005550006", "Body": "Your total is $5"}
    async with httpx.AsyncClient(auth=(AC, TOKEN)) as client:
        await client.post(url, data=data)
        start = time.perf_counter()
        for _ in range(n):
            response = await client.post(url, data=data)
            _ = response.content
        return (time.perf_counter() - start) / n * 1e6


def bench_send(n: int = 1000, rounds: int = 5) -> None:
    with loopback_server() as base:
        ours, bare = [], []
        for _ in range(rounds):  # alternate so machine noise hits both alike
            bare.append(asyncio.run(bare_loop(base, n)))
            ours.append(asyncio.run(send_loop(base, n)))
    o, b = statistics.median(ours), statistics.median(bare)
    print(f"send per request       twibench {o:6.0f} µs   bare httpx {b:6.0f} µs   ratio {o / b:4.2f}× (goal ≤ 1.2×)")


def bench_render() -> None:
    try:
        from bench.render import main as render_main
    except ImportError:
        print("JSON formatting        (bench/render.py not available)")
        return
    render_main()


def bench_loading() -> None:
    try:
        from bench.loading import main as loading_main
    except ImportError:
        print("collection loading     (bench/loading.py not available)")
        return
    loading_main()


def main() -> None:
    bench_help()
    bench_send()
    bench_render()
    bench_loading()


if __name__ == "__main__":
    main()
