"""A long run keeps the runner's memory flat: 10,000 requests, reports on, measured in its own process.

The runner is `twibench run` (the real CLI entry point) in a subprocess; the server is the fault
server in this test's process, so the two never share a heap. Inside the subprocess a small driver
watches the lines the command prints and reads the process's own resident size from /proc/self/status
when the 1,000th and the 10,000th request finish. (The kernel's rusage peak is no use here: a child
inherits the peak of the parent it was forked from.) The bound is on memory, never on time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_runner_faults import AC, TOKEN, FaultServer

REQUESTS = 10_000
SAMPLE_AT = 1_000
GROWTH_BOUND_KB = 30 * 1024
COLLECTION = """
name: Long
requests:
  - name: Fetch a message
    id: fetch
    url: /2010-04-01/Accounts/{{account_sid}}/Messages/SM00000000000000000000000000000000.json
    capture: {message_sid: $.sid}
    expect: {status: 200, json: {$.status: delivered}}
"""

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")


@pytest.fixture
def server() -> Iterator[FaultServer]:
    fault = FaultServer(log=False).start()
    try:
        yield fault
    finally:
        fault.stop()


DRIVER = """
import io, json, sys
from pathlib import Path
from twibench.cli import main

def rss_kb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])

class Watch(io.TextIOBase):
    def __init__(self):
        self.passed, self.samples, self.last = 0, {}, ""
    def writable(self):
        return True
    def write(self, text):
        for line in text.splitlines():
            self.last = line or self.last
            if line.startswith("PASS "):
                self.passed += 1
                if self.passed in (%(early)d, %(late)d):
                    self.samples[self.passed] = rss_kb()
        return len(text)

watch = Watch()
sys.stdout = watch
code = main(sys.argv[1:])
print(json.dumps({"code": code, "passed": watch.passed, "samples": watch.samples, "last": watch.last}), file=sys.stderr)
"""


def test_rss_growth_from_1000_to_10000_requests_is_bounded(server: FaultServer, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "profiles.yaml").write_text(
        f"profiles:\n  local:\n    account_sid: {AC}\n    auth_token: {{env: LOCAL_TOKEN}}\n"
        f"    base_url: {server.base_url}\n"
    )
    collection = tmp_path / "long.yaml"
    collection.write_text(COLLECTION)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "TWIBENCH_"))}
    env.update({"TWIBENCH_HOME": str(home), "LOCAL_TOKEN": TOKEN, "NO_COLOR": "1"})
    junit, report = tmp_path / "junit.xml", tmp_path / "run.json"
    command = [sys.executable, "-m", "twibench", "run", str(collection), "--profile", "local", "--yes"]
    command += ["--repeat", str(REQUESTS), "--no-history", "--report", f"junit:{junit}", "--report", f"json:{report}"]
    driver = DRIVER % {"early": SAMPLE_AT, "late": REQUESTS}
    done = subprocess.run(
        [sys.executable, "-c", driver, *command[3:]], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    outcome = json.loads(done.stderr.strip().splitlines()[-1])
    assert outcome["code"] == 0 and outcome["passed"] == REQUESTS, outcome["last"]
    early, late = outcome["samples"][str(SAMPLE_AT)], outcome["samples"][str(REQUESTS)]
    print(f"runner RSS after {SAMPLE_AT} requests: {early / 1024:.1f} MB, after {REQUESTS}: {late / 1024:.1f} MB")
    assert early > 0 and late - early < GROWTH_BOUND_KB
    assert junit.stat().st_size > 0 and report.stat().st_size > REQUESTS * 100
