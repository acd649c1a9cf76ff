"""Inbox throughput: signed callbacks recorded per second, through the real receiver and store.

Four client threads on keep-alive connections POST signed status callbacks to an inbox on loopback
(signature checked, body redacted, row written to SQLite, listener called); the figure is recorded
requests per second. Goal (issue: webhooks lab) ≥ 500/s. Prints its figures; asserts nothing.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from pathlib import Path

import httpx

from twibench.redact import Redactor
from twibench.webhooks import inbox, signature
from twibench.webhooks.inbox_store import Callback, InboxStore

TOKEN = "f" * 32
THREADS = 4
PER_THREAD = 1000


def main() -> None:
    """Run the measurement and print requests/s."""
    with tempfile.TemporaryDirectory() as tmp:
        store = InboxStore(Path(tmp) / "inbox.sqlite3", Redactor([("AC" + "1" * 32, TOKEN)]))
        count = 0
        lock = threading.Lock()

        def listener(_callback: Callback) -> None:
            nonlocal count
            with lock:
                count += 1

        box = inbox.Inbox(store, inbox.InboxConfig(token=TOKEN, listener=listener))
        box.start()
        url = f"{box.url}/status"
        form = [("MessageSid", "SM" + "a" * 32), ("MessageStatus", "delivered"), ("AccountSid", "AC" + "1" * 32)]
        headers = {signature.HEADER: signature.compute(url, form, TOKEN)}

        def client() -> None:
            with httpx.Client() as http:
                for _ in range(PER_THREAD):
                    http.post(url, data=dict(form), headers=headers)

        threads = [threading.Thread(target=client) for _ in range(THREADS)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
        box.stop()
        stored = store.count()
        valid = sum(1 for c in store.since(0, 10) if c.verdict == "valid")
        print(
            f"inbox: {stored} callbacks recorded in {elapsed:.2f} s = {stored / elapsed:,.0f}/s "
            f"({THREADS} keep-alive clients, goal >= 500/s); first 10 valid: {valid}/10; cpus {os.cpu_count()}"
        )


if __name__ == "__main__":
    main()
