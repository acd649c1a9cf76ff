"""Status-callback latency: from the moment a status changes on the sandbox clock to the app receiving it.

A real-clock sandbox (delivery over 0.3 s) sends signed status callbacks for 60 messages and 20 calls
(every event) to an inbox on loopback; each callback's latency is its arrival time minus the moment
its job came due (the status change), read back from the outbox. Goal (issue 14): ≤ 50 ms on loopback.
Prints its figures; asserts nothing.
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx

from twibench.sandbox import credentials as cred
from twibench.sandbox.app import create_app
from twibench.sandbox.config import SandboxConfig
from twibench.sandbox.server import BackgroundServer, bind
from twibench.webhooks import inbox
from twibench.webhooks.inbox_store import Callback, InboxStore

MESSAGES, CALLS = 60, 20
ACCOUNT = f"/2010-04-01/Accounts/{cred.ACCOUNT_SID}"
EVENTS = ("initiated", "ringing", "answered", "completed")


def main() -> None:
    """Run the measurement and print latency percentiles."""
    with tempfile.TemporaryDirectory() as tmp:
        arrived: dict[tuple[str, str], float] = {}
        verdicts: list[str] = []
        lock = threading.Lock()

        def listener(callback: Callback) -> None:
            now = time.time()
            params = dict(callback.form())
            key = (params.get("MessageSid") or params["CallSid"], params.get("MessageStatus") or params["CallStatus"])
            with lock:
                arrived[key] = now
                verdicts.append(callback.verdict)

        box = inbox.Inbox(
            InboxStore(Path(tmp) / "inbox.sqlite3"), inbox.InboxConfig(token=cred.AUTH_TOKEN, listener=listener)
        )
        box.start()
        db = Path(tmp) / "sandbox.sqlite3"
        server = BackgroundServer(create_app(SandboxConfig(db_path=db, delivery_seconds=0.3)), bind("127.0.0.1", 0))
        server.start()
        expected = MESSAGES * 3 + CALLS * 4
        with httpx.Client(base_url=server.url, auth=(cred.ACCOUNT_SID, cred.AUTH_TOKEN), trust_env=False) as api:
            for _ in range(MESSAGES):
                sms = {"To": "+15558675310", "From": cred.PHONE_NUMBER, "Body": "hi", "StatusCallback": box.url + "/s"}
                api.post(f"{ACCOUNT}/Messages.json", data=sms)
                time.sleep(0.01)
            for _ in range(CALLS):
                call = {
                    "To": "+15558675310", "From": cred.PHONE_NUMBER, "Twiml": "<Response><Say>Hi</Say></Response>",
                    "StatusCallback": box.url + "/call", "StatusCallbackEvent": list(EVENTS),
                }  # fmt: skip
                api.post(f"{ACCOUNT}/Calls.json", data=call)
                time.sleep(0.01)
        deadline = time.monotonic() + 30
        while len(arrived) < expected and time.monotonic() < deadline:
            time.sleep(0.05)
        conn = sqlite3.connect(db)
        names = {"answered": "in-progress"}
        latencies = []
        for sid, event, due in conn.execute(
            "SELECT resource_sid, event, due FROM webhook_jobs WHERE kind != 'call-answer'"
        ):
            seen = arrived.get((sid, names.get(event, event)))
            if seen is not None:
                latencies.append((seen - due) * 1000)
        conn.close()
        server.stop()
        box.stop()
    latencies.sort()
    print(f"callbacks received: {len(arrived)}/{expected}, signatures: {verdicts.count('valid')} valid")
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    print(
        f"latency after the status change: median {statistics.median(latencies):.1f} ms, "
        f"p95 {p95:.1f} ms, max {latencies[-1]:.1f} ms (goal ≤ 50 ms)"
    )


if __name__ == "__main__":
    main()
