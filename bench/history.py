"""History figures with 100,000 stored exchanges: open + newest page, text filters, insert latency, size.

Goals (DESIGN §5, issue 5): open the store and list the newest 200 in ≤ 30 ms; a text filter in
≤ 150 ms; an insert (with retention pruning the oldest) p95 ≤ 5 ms. Prints figures; asserts nothing.
Run: .venv/bin/python bench/history.py [--entries N] [--keep DIR]
"""

from __future__ import annotations

import os
import sys

# Run as a script, this folder comes first on sys.path, where any bench script named like a stdlib module
# would shadow it (it happened once): import from the repository root instead (os is preloaded).
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # noqa: PTH100, PTH120

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

from twibench.exchange import Exchange, Response, SentRequest, Timings  # noqa: E402
from twibench.history import HistoryStore  # noqa: E402
from twibench.redact import Redactor  # noqa: E402

AC = "AC0123456789abcdef0123456789abcdef"
TOKEN = "0123456789abcdef0123456789abcdef"
WORDS = [
    "order", "shipped", "delivered", "tomorrow", "reminder", "appointment", "code", "verify", "total",
    "receipt", "balance", "account", "welcome", "thanks", "confirm", "cancel", "reschedule", "pickup",
    "ready", "invoice", "due", "payment", "overdue", "survey", "rating",
]  # fmt: skip
COLLECTIONS = [("Messages", "messages"), ("Calls", "calls"), ("Keys", "api-keys"), ("Numbers", "numbers")]


def message_json(rng: random.Random, sid: str, body: str) -> dict[str, object]:
    """A Twilio Message resource as the API returns it (about 1.3 KB)."""
    return {
        "account_sid": AC,
        "api_version": "2010-04-01",
        "body": body,
        "date_created": "Thu, 24 Aug 2023 05:01:45 +0000",
        "date_sent": "Thu, 24 Aug 2023 05:01:45 +0000",
        "date_updated": "Thu, 24 Aug 2023 05:01:45 +0000",
        "direction": "outbound-api",
        "error_code": None,
        "error_message": None,
        "from": "+15017122661",
        "num_media": "0",
        "num_segments": str(1 + len(body) // 160),
        "price": f"-0.00{rng.randint(10, 99)}",
        "price_unit": "USD",
        "messaging_service_sid": "MG" + f"{rng.getrandbits(128):032x}",
        "sid": sid,
        "status": rng.choice(["queued", "sent", "delivered", "failed"]),
        "subresource_uris": {"media": f"/2010-04-01/Accounts/{AC}/Messages/{sid}/Media.json"},
        "to": f"+1555{rng.randint(1000000, 9999999)}",
        "uri": f"/2010-04-01/Accounts/{AC}/Messages/{sid}.json",
    }


def make_exchange(rng: random.Random, i: int) -> Exchange:
    """One of a realistic mix: sends (201), lists (200, a few KB), fetches, 400/404 errors, a few failures."""
    sid = "SM" + f"{rng.getrandbits(128):032x}"
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 25))) + f" #{i}"
    collection, _ = rng.choice(COLLECTIONS)
    kind = rng.random()
    base = f"/2010-04-01/Accounts/{AC}/Messages"
    request_body = b""
    if kind < 0.35:
        method, path, status, name = "POST", base + ".json", 201, "Send an SMS"
        request_body = f"To=%2B1555{rng.randint(1000000, 9999999)}&From=%2B15017122661&Body={text}".encode()
        payload: object = message_json(rng, sid, text)
    elif kind < 0.7:
        method, path, status, name = "GET", base + ".json?PageSize=3", 200, "List messages"
        payload = {
            "messages": [message_json(rng, "SM" + f"{rng.getrandbits(128):032x}", text) for _ in range(3)],
            "page": 0,
            "page_size": 3,
            "uri": base + ".json?PageSize=3&Page=0",
            "next_page_uri": base + ".json?PageSize=3&Page=1",
        }
    elif kind < 0.85:
        method, path, status, name = "GET", f"{base}/{sid}.json", 200, "Fetch a message"
        payload = message_json(rng, sid, text)
    elif kind < 0.95:
        method, path, status, name = "POST", base + ".json", 400, "Bad number"
        request_body = b"To=123&Body=x"
        payload = {
            "code": 21211,
            "message": "The 'To' number 123 is not a valid phone number.",
            "more_info": "https://www.twilio.com/docs/errors/21211",
            "status": 400,
        }
    else:
        method, path, status, name = "GET", f"{base}/{sid}.json", 404, "Fetch a message"
        payload = {"code": 20404, "message": f"The requested resource {path} was not found", "status": 404}
    sent = SentRequest(
        method=method,
        url="http://127.0.0.1:4010" + path,
        path=path,
        headers=[
            ("Host", "127.0.0.1:4010"),
            ("Accept", "*/*"),
            ("User-Agent", "twibench/0.1.0"),
            ("Authorization", "Basic QUMwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZjowMTIzNDU2Nzg5YWJjZGVm"),
        ],
        body=request_body,
    )
    body = json.dumps(payload, indent=2).encode()
    response = Response(
        status=status,
        reason="OK",
        headers=[
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
            ("Twilio-Request-Id", "RQ" + f"{rng.getrandbits(128):032x}"),
        ],
        body=body,
    )
    return Exchange(
        request=sent,
        response=response,
        timings=Timings(total_ms=rng.uniform(3, 300), phases={"connect": 0.4, "wait": 2.0}),
        profile=rng.choice(["sandbox", "sandbox", "sandbox", "live", "ireland-key"]),
        collection=collection,
        request_id=name.lower().replace(" ", "-"),
        name=name,
    )


def chunks(rng: random.Random, total: int, size: int) -> Iterator[list[Exchange]]:
    for start in range(0, total, size):
        yield [make_exchange(rng, i) for i in range(start, min(total, start + size))]


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds of each of `runs` calls."""
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(ordered):7.2f} ms · p95 {p95:7.2f} ms · max {ordered[-1]:7.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the database in DIR and keep it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="twibench-bench-history-"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "history.sqlite3"
    redactor = Redactor([(AC, TOKEN)])
    rng = random.Random(5)
    big = {"max_entries": 10 * args.entries, "max_bytes": 1 << 40}
    try:
        with HistoryStore(db, **big) as store:
            existing = store.count()
            if existing < args.entries:
                start = time.perf_counter()
                for batch in chunks(rng, args.entries - existing, 2000):
                    store.record_many(batch, redactor)
                seconds = time.perf_counter() - start
                rate = (args.entries - existing) / seconds
                print(f"bulk load: {args.entries - existing:,} exchanges in {seconds:.1f} s ({rate:,.0f}/s)")
            marker = store.record(make_exchange(rng, -1), redactor)  # a known newest entry for a rare search
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = db.stat().st_size
        entries_now = args.entries + 1
        print(f"entries: {entries_now:,} · database size {size / 1e6:,.1f} MB ({size / entries_now:,.0f} B/entry)")

        def open_and_list() -> None:
            with HistoryStore(db, **big) as fresh:
                assert len(fresh.list(limit=200)) == 200

        print(f"open + list newest 200 (goal ≤ 30 ms):   {summary(timed(open_and_list, 30))}")
        with HistoryStore(db, **big) as store:
            print(f"list newest 200, store open:            {summary(timed(lambda: store.list(limit=200), 30))}")
            offset = entries_now // 2
            deep = timed(lambda: store.list(limit=200, offset=offset), 10)
            print(f"list 200 at offset {offset:,}:           {summary(deep)}")
            last = store.list(limit=200, offset=offset)[-1].id
            keyset = timed(lambda: store.list(limit=200, before=last), 10)
            print(f"list 200 before id {last:,} (keyset):      {summary(keyset)}")
            get_ids = [e.id for e in store.list(limit=50, offset=1000)]
            gets = timed(lambda: [store.get(i) for i in get_ids], 5)
            print(f"get 50 entries with bodies:             {summary(gets)}")
            marker_entry = store.get(marker)
            assert marker_entry is not None and marker_entry.response_body is not None
            rare_sid = json.loads(marker_entry.response_body).get("sid") or "SM"
            queries = {
                "common word 'delivered'": "delivered",
                "rare SID (full)": rare_sid,
                "SID prefix (12 chars)": rare_sid[:12],
                "word found nowhere": "zyzzyva",
                "URL words 'Messages/SM0'": "Messages/SM0",
                "two words 'payment overdue'": "payment overdue",
                "phrase '\"not a valid\"'": '"not a valid"',
                "status:4xx method:POST": "status:4xx method:POST",
                "status:404 profile:live": "status:404 profile:live",
                "collection:calls 'payment'": "collection:calls payment",
            }
            for label, query in queries.items():
                found = len(store.list(limit=200, filter=query))
                samples = timed(lambda q=query: store.list(limit=200, filter=q), 7)
                print(f"filter {label:<30} {summary(samples)} ({found} shown)")
            count_samples = timed(lambda: store.count("status:4xx"), 5)
            print(f"count status:4xx:                       {summary(count_samples)}")
        env = {**os.environ, "TWIBENCH_HOME": str(folder)}
        cli = [sys.executable, "-m", "twibench", "history", "list", "--limit", "200"]
        floor = timed(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), 5)
        whole = timed(lambda: subprocess.run(cli, env=env, capture_output=True, check=True), 5)
        print(
            f"`twibench history list --limit 200`, new process: {summary(whole)} "
            f"(interpreter start alone: median {statistics.median(floor):.1f} ms)"
        )
        # Steady state: the history is full, so every insert also prunes the oldest entry.
        with HistoryStore(db, max_entries=entries_now, max_bytes=1 << 40) as store:
            inserts = timed(lambda: store.record(make_exchange(rng, 0), redactor), 1000)
            print(f"insert at the entry cap, pruning (goal p95 ≤ 5 ms): {summary(inserts)}")
            print(f"entries after the inserts: {store.count():,} (pruned in steps of 50 below the cap)")
        size = db.stat().st_size
        wal = db.with_name(db.name + "-wal")
        wal_size = wal.stat().st_size if wal.exists() else 0
        print(f"database size: {size / 1e6:,.1f} MB (+ WAL {wal_size / 1e6:,.1f} MB after the inserts)")
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
