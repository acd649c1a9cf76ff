"""Collection loading: 1,000 requests across 20 files through `load_paths`, against the bare parser.

The target is well under 200 ms for the whole folder (DESIGN §10: figures are printed, never asserted).
The floor is PyYAML's libyaml safe loader on the same text, with no positions and no checks; the ratio
shows what located errors and validation cost on top of parsing.
Run: .venv/bin/python bench/collections.py
"""

from __future__ import annotations

import os
import sys

# Run as a script, this file's folder is sys.path[0], and this file would shadow the standard library's
# `collections` for every later import. Drop the folder before anything imports `collections`.
_HERE = os.path.dirname(os.path.abspath(__file__))  # noqa: PTH100, PTH120 (pathlib imports collections)
sys.path[:] = [entry for entry in sys.path if os.path.abspath(entry or ".") != _HERE]  # noqa: PTH100
sys.path.insert(0, os.path.dirname(_HERE))  # noqa: PTH120 (the repository, for `twibench`)

import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

import yaml  # noqa: E402

from twibench.collection import load_paths  # noqa: E402
from twibench.collection_io import dump_collection  # noqa: E402

FILES = 20
PER_FILE = 50
RUNS = 9

REQUEST = """\
  - name: Send an SMS {n}
    id: send-sms-{n}
    method: POST
    url: /2010-04-01/Accounts/{{{{account_sid}}}}/Messages.json
    form:
      To: "{{{{to}}}}"
      From: "+15005550006"
      Body: "Your total is $5 (message {n})"
      MediaUrl: [https://example.com/a.png, https://example.com/b.png]
    headers: {{Accept: application/json}}
    capture: {{message_sid: $.sid}}
    expect: {{status: 201, json: {{$.status: queued}}}}
  - name: Fetch message {n}
    id: fetch-{n}
    url: /2010-04-01/Accounts/{{{{account_sid}}}}/Messages/{{{{message_sid}}}}.json
    params: {{PageSize: 20}}
    timeout: 500ms
    poll: {{until: {{$.status: delivered}}, every: 1s, timeout: 20s}}
"""


def write_folder(root: Path) -> None:
    """20 collection files of 50 requests each, shaped like the shipped Messages collection."""
    for f in range(FILES):
        body = "".join(REQUEST.format(n=f * PER_FILE + i) for i in range(0, PER_FILE, 2))
        text = f"name: Collection {f}\nvariables:\n  to: '+15558675310'\nrequests:\n{body}"
        (root / f"sub{f % 4}").mkdir(exist_ok=True)
        (root / f"sub{f % 4}" / f"collection-{f:02d}.yaml").write_text(text)


def median_ms(action: Callable[[], object], runs: int = RUNS) -> float:
    """Median wall time of `action` in milliseconds (one warm-up run first)."""
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    """Print the load time of the folder, the bare-parser floor, and the writer's time for the same data."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_folder(root)
        result = load_paths([root])
        requests = sum(len(c.requests) for c in result.collections)
        assert not result.errors, result.errors[:3]
        files = sorted(root.rglob("*.yaml"))
        texts = [p.read_text() for p in files]
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

        load = median_ms(lambda: load_paths([root]))
        floor = median_ms(lambda: [yaml.load(t, Loader=loader) for t in texts])  # noqa: S506 (the safe loader)
        dump = median_ms(lambda: [dump_collection(c) for c in result.collections])

    print(f"load_paths: {requests} requests in {len(files)} files: {load:.1f} ms (median of {RUNS})")
    print(f"  per request: {load / requests * 1000:.0f} µs; target: well under 200 ms")
    print(f"  floor (libyaml safe_load, no positions or checks): {floor:.1f} ms; ratio {load / floor:.2f}x")
    print(f"dump_collection: the same {requests} requests: {dump:.1f} ms")


if __name__ == "__main__":
    main()
