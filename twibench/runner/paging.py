"""`paginate: {limit: N}` in a run: follow a list's next pages, then capture and check the merged document.

The first page is the request's final exchange (after its retries and polling); each next page is a
GET of the link Twilio gave, sent through the runner's own path (guard, prompt, retry policy) and
recorded like any attempt. `pages.Pages` keeps every record as compact JSON text, and the merged
document the expressions look into reads a record only when an expression visits it (`LazyRecords`):
a run over 100,000 records holds about their text, never 100,000 parsed objects. A JSONPath such as
`$.messages[-1].sid` or `$.messages[?@.status == 'failed']` therefore sees every page, in order.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, overload

from twibench.collection import Request
from twibench.exchange import Exchange
from twibench.pages import NotAListError, Pages, follow

__all__ = ["LazyRecords", "Paged", "merged_document", "walk"]


class LazyRecords(Sequence[Any]):
    """Records kept as JSON text, parsed one at a time when an expression reads them (never cached)."""

    def __init__(self, texts: list[str]) -> None:
        self._texts = texts

    def __len__(self) -> int:
        return len(self._texts)

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [json.loads(text) for text in self._texts[index]]
        return json.loads(self._texts[index])


def merged_document(pages: Pages) -> dict[str, Any]:
    """The first page's envelope with every record under its key (lazily parsed)."""
    return {**pages.envelope, pages.key: LazyRecords(pages.records)}


@dataclass
class Paged:
    """How a paginated request ended.

    Attributes:
        last: the last page's exchange (a failed page's, when one failed): the request's result.
        pages: the merged pages.
        problem: why the walk did not reach the last page or the limit, or None.
    """

    last: Exchange
    pages: Pages
    problem: str | None = None

    @property
    def note(self) -> str:
        """`3 pages, 250 records`."""
        return f"{self.pages.pages} page{'s' * (self.pages.pages != 1)}, {self.pages.count:,} records"


async def walk(
    first: Exchange,
    request: Request,
    limit: int,
    send: Callable[[Request], Awaitable[Exchange]],
    record: Callable[[Exchange], None],
) -> Paged:
    """Merge `first` and every next page up to `limit` records; each page is passed to `record`."""
    merged = Pages(limit=limit)
    recorded: set[str] = set()
    latest = first

    async def send_page(page_request: Request) -> Exchange:
        nonlocal latest
        latest = await send(page_request)
        return latest

    def on_page(exchange: Exchange, _page: dict[str, Any]) -> None:
        record(exchange)
        recorded.add(exchange.id)

    try:
        fetched = await follow(send_page, request, first, merged, on_page=on_page)
    except NotAListError as exc:
        if latest.id not in recorded:
            record(latest)
        return Paged(latest, merged, f"paginate: {exc}")
    if fetched.last.id not in recorded:
        record(fetched.last)  # a failed page: on_page never saw it
    problem = f"paginate: stopped after {merged.pages} page(s): {fetched.stopped}" if fetched.stopped else None
    return Paged(fetched.last, merged, problem)
