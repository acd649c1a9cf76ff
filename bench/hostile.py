"""Hostile-server figures: how far `timeout:` overshoots on a drip-fed answer, and peak RSS on a gzip bomb.

Runs `twibench send` as a subprocess against `tests/security/hostile_server.py` on 127.0.0.1 and prints:
- drip-fed headers and drip-fed body (1 byte/s) with `timeout: 2s`: how long `Client.send` takes (the
  deadline's own overshoot), then the wall time of `twibench send` (which adds Python start-up);
- the 1 GiB gzip bomb (~1 MB on the wire) with default settings, plain and `--json`: wall time and peak
  RSS of the process (`/usr/bin/time -v` when present, else psutil sampling).
Every run is killed after `CAP` seconds, so a client without a deadline shows as `>= CAP`.
Asserts nothing. Run: .venv/bin/python bench/hostile.py
(To measure another checkout, e.g. the code before a fix: `PYTHONPATH=/path/to/checkout python bench/hostile.py`.)
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.security.hostile_server import gzip_bomb, serve

CAP = 30.0
TIMEOUT = 2.0


def _collection(base: str) -> str:
    routes = ("drip-headers", "drip-body", "bomb")
    items = "".join(
        f"  - name: {r}\n    id: {r}\n    url: {base}/{r}\n    auth: none\n    timeout: {TIMEOUT:g}s\n"
        if r.startswith("drip")
        else f"  - name: {r}\n    id: {r}\n    url: {base}/{r}\n    auth: none\n"
        for r in routes
    )
    return f"name: Hostile\nrequests:\n{items}"


def run(home: Path, *args: str) -> tuple[float, int | None, int]:
    """Wall seconds, peak RSS in kB (None when unmeasured) and the exit code (-9 when killed at CAP)."""
    env = {**os.environ, "TWIBENCH_HOME": str(home)}
    cmd = [sys.executable, "-m", "twibench", *args]
    timed = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    if timed:
        cmd = [timed, "-v", *cmd]
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    peak = 0
    try:
        _, err = proc.communicate(timeout=CAP) if timed else (None, b"")
        if not timed:  # pragma: no cover - psutil fallback
            import psutil

            ps = psutil.Process(proc.pid)
            while proc.poll() is None and time.perf_counter() - start < CAP:
                peak = max(peak, ps.memory_info().rss // 1024)
                time.sleep(0.02)
            proc.kill()
            proc.wait()
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # `time` and the twibench process under it
        _, err = proc.communicate()
        return time.perf_counter() - start, None, -9
    elapsed = time.perf_counter() - start
    found = re.search(rb"Maximum resident set size \(kbytes\): (\d+)", err or b"")
    if found:
        peak = int(found.group(1))
    return elapsed, peak or None, proc.returncode


async def client_seconds(url: str) -> float:
    """Seconds `Client.send` takes on `url` with `timeout: TIMEOUT` (CAP when it never returns)."""
    from twibench.client import Client
    from twibench.collection import Auth, Request
    from twibench.profiles import Profile, SecretRef

    sid = "AC" + "0" * 32
    profile = Profile("bench", "auth_token", sid, sid, SecretRef(literal="x" * 32), base_url="http://127.0.0.1:9")
    request = Request(name="drip", id="drip", url=url, auth=Auth(mode="none"), timeout=TIMEOUT)
    client = Client()
    start = time.perf_counter()
    try:
        await asyncio.wait_for(client.send(request, profile, {}), CAP)
    except TimeoutError:
        return CAP
    finally:
        await client.aclose()
    return time.perf_counter() - start


def main() -> None:
    gzip_bomb()  # build (or load) the cached bomb before timing anything
    with tempfile.TemporaryDirectory() as tmp, serve() as server:
        home = Path(tmp)
        collection = home / "hostile.yaml"
        collection.write_text(_collection(server.url))
        print(f"hostile server {server.url}; runs capped at {CAP:.0f} s")
        for route in ("drip-headers", "drip-body"):
            elapsed = asyncio.run(client_seconds(f"{server.url}/{route}"))
            shown = f">= {CAP:.0f}" if elapsed >= CAP else f"{elapsed:.3f}"
            print(f"{route:<14} Client.send, timeout {TIMEOUT:g}s: {shown} s, overshoot {elapsed - TIMEOUT:+.3f} s")
        for route in ("drip-headers", "drip-body"):
            elapsed, _, code = run(home, "send", f"{collection}#{route}")
            shown = f">= {CAP:.0f}" if code == -9 else f"{elapsed:.2f}"
            print(
                f"{route:<14} timeout {TIMEOUT:g}s: wall {shown} s, overshoot {elapsed - TIMEOUT:+.2f} s, exit {code}"
            )
        for extra in ((), ("--json",)):
            elapsed, peak, code = run(home, "send", f"{collection}#bomb", *extra)
            rss = f"{peak / 1024:.0f} MB" if peak else "n/a"
            label = "bomb " + (" ".join(extra) or "(plain)")
            print(f"{label:<14} wall {elapsed:.2f} s, peak RSS {rss}, exit {code}")


if __name__ == "__main__":
    main()
