"""Memory of `--all-pages`: 100,000 messages over 100 pages, merged and written, through `fetch_all`.

The pages come from an in-memory transport (Twilio-shaped 2010 message pages, 1,000 records each, about
1 KB per record), so the figure is the client's own cost: `Client.send` per page (guard, deadline, body
cap), parsing, keeping the records as compact JSON, and streaming the merged document to /dev/null.
Goal (issue 15): 100,000 items stay under 200 MB RSS. Prints its figures; asserts nothing.
`--run` measures a collection run instead: one request with `paginate: {limit: 100000}` whose captures
(`$.messages[-1].sid`, a filter) look into the merged document — and, for comparison, the same merged
document parsed whole (what capturing on a plain `json.loads` of it would hold).
Run: .venv/bin/python bench/pages.py [--run]
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from pathlib import Path

import httpx
import psutil

from twibench.client import Client
from twibench.collection import Request
from twibench.pages import fetch_all
from twibench.profiles import Profile, SecretRef

PAGES, PER_PAGE = 100, 1_000
ACCOUNT = "AC" + "1" * 32
BASE = f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json"


def page(number: int) -> bytes:
    """One Twilio-shaped page of messages."""
    records = [
        {
            "sid": f"SM{number:016x}{i:016x}", "account_sid": ACCOUNT, "api_version": "2010-04-01",
            "body": "Your twibench total is $5. Reply STOP to opt out.", "to": "+15558675310",
            "from": "+15005550006", "status": "delivered", "direction": "outbound-api",
            "date_created": "Sat, 01 Jun 2024 12:00:00 +0000", "date_sent": "Sat, 01 Jun 2024 12:00:01 +0000",
            "date_updated": "Sat, 01 Jun 2024 12:00:02 +0000", "num_segments": "1", "num_media": "0",
            "price": "-0.00790", "price_unit": "USD", "error_code": None, "error_message": None,
            "messaging_service_sid": None,
            "uri": f"/2010-04-01/Accounts/{ACCOUNT}/Messages/SM{number:016x}{i:016x}.json",
            "subresource_uris": {"media": f"/2010-04-01/Accounts/{ACCOUNT}/Messages/SM{i:032x}/Media.json"},
        }
        for i in range(PER_PAGE)
    ]  # fmt: skip
    nxt = f"{BASE}?PageSize={PER_PAGE}&Page={number + 1}&PageToken=PA{number}" if number + 1 < PAGES else None
    doc = {"messages": records, "page": number, "page_size": PER_PAGE, "next_page_uri": nxt, "uri": BASE}
    return json.dumps(doc).encode()


def handler(request: httpx.Request) -> httpx.Response:
    """Serve page N of the list."""
    number = int(request.url.params.get("Page", "0"))
    return httpx.Response(200, content=page(number), headers={"Content-Type": "application/json"})


async def main() -> None:
    """Fetch every page, write the merged document, print RSS and time."""
    process = psutil.Process()
    before = process.memory_info().rss / 2**20
    profile = Profile(name="live", kind="auth_token", account_sid=ACCOUNT, username=ACCOUNT,
                      secret=SecretRef(literal="f" * 32))  # fmt: skip
    client = Client(transport=httpx.MockTransport(handler))
    request = Request(name="list", id="list", url=BASE, params=[("PageSize", str(PER_PAGE))])
    peak = 0.0

    def progress(_pages: object) -> None:
        nonlocal peak
        peak = max(peak, process.memory_info().rss / 2**20)

    start = time.perf_counter()
    fetched = await fetch_all(client, request, profile, {}, progress=progress)
    with Path(os.devnull).open("w") as sink:
        fetched.pages.write(sink)
    peak = max(peak, process.memory_info().rss / 2**20)
    await client.aclose()
    elapsed = time.perf_counter() - start
    print(f"all pages: {fetched.pages.count:,} records in {fetched.pages.pages} pages, {elapsed:.1f} s; "
          f"RSS {before:.0f} MB before, peak {peak:.0f} MB (goal < 200 MB)")  # fmt: skip


async def run_paged() -> None:
    """A run with `paginate:` and two captures over 100,000 records; then the document parsed whole."""
    import textwrap

    from twibench.collection import parse_collection
    from twibench.runner import RequestFinished, Runner

    process = psutil.Process()
    before = process.memory_info().rss / 2**20
    profile = Profile(name="live", kind="auth_token", account_sid=ACCOUNT, username=ACCOUNT,
                      secret=SecretRef(literal="f" * 32))  # fmt: skip
    collection = parse_collection(
        textwrap.dedent(f"""
            name: Paged
            requests:
              - name: Every message
                url: {BASE}
                params: {{PageSize: "{PER_PAGE}"}}
                paginate: {{limit: {PAGES * PER_PAGE}}}
                capture: {{last: "$.messages[-1].sid", big: "$.messages[?@.status == 'failed'].sid"}}
        """),
        Path("paged.yaml"),
    )
    client = Client(transport=httpx.MockTransport(handler))
    peak = 0.0
    captured: list[str] = []

    def on_event(event: object) -> None:
        nonlocal peak
        peak = max(peak, process.memory_info().rss / 2**20)
        if isinstance(event, RequestFinished):
            captured.extend(f"{c.name}={c.value}" for c in event.result.captured)
            captured.extend(event.result.reasons)

    start = time.perf_counter()
    # Sampled at every page (the record hook) and every event.
    await Runner(client, profile, on_event=on_event, record=lambda *_: on_event(None)).run([collection])
    peak = max(peak, process.memory_info().rss / 2**20)
    await client.aclose()
    elapsed = time.perf_counter() - start
    print(f"paginated run: {elapsed:.1f} s; RSS {before:.0f} MB before, peak {peak:.0f} MB (goal < 200 MB); "
          f"{'; '.join(captured)}")  # fmt: skip
    fetched = await fetch_all(Client(transport=httpx.MockTransport(handler)), Request(
        name="list", id="list", url=BASE, params=[("PageSize", str(PER_PAGE))]), profile, {})  # fmt: skip
    document = fetched.pages.document()
    print(f"for comparison, the merged document parsed whole: peak {process.memory_info().rss / 2**20:.0f} MB "
          f"({len(document['messages']):,} records as objects)")  # fmt: skip


if __name__ == "__main__":
    import sys

    asyncio.run(run_paged() if "--run" in sys.argv else main())
