"""How long redaction takes on large bodies (history redacts every body it writes).

    .venv/bin/python -m bench.redaction

Builds a Twilio-like Messages list JSON of 5 MB and 20 MB (and the same data as CSV and XML for the
20 MB case) and times `Redactor.body` with the sandbox profile's credentials known.
"""

from __future__ import annotations

import inspect
import json
import time

from twibench.redact import Redactor
from twibench.sandbox import credentials as cred
from twibench.sandbox.representation import render


def messages(megabytes: int) -> dict[str, object]:
    """A Messages list page of about `megabytes` MB of JSON."""
    records: list[dict[str, object]] = []
    size = 0
    while size < megabytes * 1024 * 1024:
        sid = f"SM{len(records):032x}"
        record: dict[str, object] = {
            "sid": sid,
            "account_sid": cred.ACCOUNT_SID,
            "body": f"Hello there, this is message number {len(records)} with some text",
            "status": "delivered",
            "uri": f"/2010-04-01/Accounts/{cred.ACCOUNT_SID}/Messages/{sid}.json",
            "price": "-0.0075",
            "to": "+15005550006",
        }
        records.append(record)
        size += len(json.dumps(record)) + 2
    return {"messages": records, "page": 0}


def timed(body: bytes, content_type: str) -> float:
    """Milliseconds one `Redactor.body` call takes (best of 3)."""
    best = float("inf")
    for _ in range(3):
        redactor = Redactor([(cred.ACCOUNT_SID, cred.AUTH_TOKEN)])
        start = time.perf_counter()
        if "content_type" in inspect.signature(redactor.body).parameters:
            redactor.body(body, content_type)
        else:  # before content types were passed
            redactor.body(body)
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main() -> None:
    """Print one line per body."""
    for megabytes in (5, 20):
        payload = messages(megabytes)
        for fmt in ("json", "xml", "csv") if megabytes == 20 else ("json",):
            body = render(payload, fmt, "Message", "messages")  # type: ignore[arg-type]
            print(f"{fmt:4} {len(body) / 1024 / 1024:5.1f} MB: {timed(body, 'text/' + fmt):7.0f} ms")


if __name__ == "__main__":
    main()
