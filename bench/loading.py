"""Collection loading: 1,000 requests across 20 files through `load_paths`, against the bare parser.

The target is well under 200 ms for the whole folder (DESIGN §10: figures are printed, never asserted).
The floor is PyYAML's libyaml safe loader on the same text, with no positions and no checks; the ratio
shows what located errors and validation cost on top of parsing.
Run: .venv/bin/python bench/loading.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import statistics
import tempfile
import time
from collections.abc import Callable

import yaml

from twibench.collection import load_paths
from twibench.collection.writer import dump_collection

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
