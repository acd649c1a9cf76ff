"""Every shipped collection replays green against the sandbox, each alone, on a fresh machine.

"Fresh" means a new process and an empty TWIBENCH_HOME: no profiles file (so the built-in sandbox
profile is the default and starts an embedded sandbox), no sandbox state, no history. The collections
run in parallel subprocesses, each with its own home, plus one run of all of them together.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COLLECTIONS = sorted((ROOT / "collections").glob("*.yaml"))


def fresh_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "TWIBENCH_"))}
    env.update({"TWIBENCH_HOME": str(home), "NO_COLOR": "1"})
    return env


def test_each_shipped_collection_passes_alone_and_all_together(tmp_path: Path) -> None:
    assert {p.name for p in COLLECTIONS} >= {"messages.yaml", "api-keys.yaml", "status-codes-tour.yaml"}
    runs = {p.name: [str(p)] for p in COLLECTIONS} | {"all": [str(p) for p in COLLECTIONS]}
    processes = {}
    for name, files in runs.items():
        home = tmp_path / name
        home.mkdir()
        report = home / "junit.xml"
        processes[name] = subprocess.Popen(
            [sys.executable, "-m", "twibench", "run", *files, "--report", f"junit:{report}"],
            cwd=ROOT,
            env=fresh_env(home),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    outcomes = {name: (p.wait(120), *p.communicate()) for name, p in processes.items()}
    failed = {name: out + err for name, (code, out, err) in outcomes.items() if code != 0}
    assert failed == {}, "\n\n".join(f"== {name}\n{text}" for name, text in failed.items())
    total = 0
    for name, (_, out, _) in outcomes.items():
        lines = out.splitlines()
        passes = [line for line in lines if line.startswith("PASS ")]
        assert passes and not [line for line in lines if line.startswith(("FAIL ", "SKIP "))], out
        noun = "request" if len(passes) == 1 else "requests"
        assert lines[-1].startswith(f"{len(passes)} passed · {len(passes)} {noun} in "), out
        assert (tmp_path / name / "junit.xml").exists()
        total += len(passes) if name != "all" else 0
    assert outcomes["all"][1].count("\nPASS ") == total
