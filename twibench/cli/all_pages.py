"""`twibench send … --all-pages [--limit N]`: every page of a list, merged, with progress on stderr.

Each page is sent like any request (guard, deadline, body cap) and recorded in history; stdout gets one
merged document — the first page's envelope with every page's records — or, with `--select`, what the
expression matches (record paths such as `$.messages[*].sid` match across all pages; envelope fields
are read from the first page). Exit 0 when the walk reached the last page or the limit, 1 when a page
answered ≥ 400, 3 when a page could not be fetched.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable
from typing import Any, TextIO

from twibench.client import Client
from twibench.collection import Collection, Request
from twibench.exchange import Exchange
from twibench.pages import Pages, fetch_all, records_key
from twibench.profiles import Profile
from twibench.redact import Redactor


def run(
    request: Request,
    collection: Collection,
    profile: Profile,
    values: dict[str, str],
    redactor: Redactor,
    *,
    limit: int | None,
    select: str | None,
    record: Callable[[Exchange], None] | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Fetch every page and print the merged document (or the selection); returns the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    matches: list[str] = []
    path = None
    if select is not None:
        from twibench import selection

        path = selection.compile_path(select)

    seen = 0

    def on_page(exchange: Exchange, page: dict[str, Any]) -> None:
        nonlocal seen
        if record is not None:
            record(exchange)
        if path is not None:
            from twibench import selection

            # The first page whole (its envelope); later pages only add records under the same key.
            scope = page if seen == 0 else {records_key(page): page[records_key(page)]}
            masked = json.loads(redactor.text(json.dumps(scope, ensure_ascii=False)))
            matches.extend(selection.format_value(m.value) for m in selection.select(path, masked).matches)
        seen += 1

    def progress(pages: Pages) -> None:
        if err.isatty():
            err.write(f"\rpage {pages.pages} · {pages.count:,} records")
            err.flush()

    async def go() -> tuple[Pages, Exchange, str | None]:
        client = Client()
        try:
            fetched = await fetch_all(
                client, request, profile, values, limit=limit, progress=progress,
                collection=collection.name, on_page=on_page, mask=redactor.text,
            )  # fmt: skip
        finally:
            await client.aclose()
        return fetched.pages, fetched.last, fetched.stopped

    pages, last, stopped = asyncio.run(go())
    if err.isatty():
        err.write("\n")
    err.write(f"{pages.pages} page(s), {pages.count:,} record(s)" + (f"; stopped: {stopped}" if stopped else "") + "\n")
    if path is not None:
        from twibench.selection import visible

        for line in matches:
            out.write((visible(line) if out.isatty() else line) + "\n")
    elif pages.pages:
        pages.write(out)
    if last.error is not None or last.response is None:
        return 3
    return 1 if last.response.status >= 400 else 0
