"""Every page of a Twilio list: follow the next-page link and merge the pages into one document.

Twilio pages lists two ways. The 2010 API puts the records under one key beside page fields and gives
`next_page_uri`, a path on the API host (null on the last page); the newer products put them under
`meta.key` and give `meta.next_page_url`, an absolute URL. Clients GET the link verbatim.

`Pages` keeps the first page's envelope and every page's records as compact JSON text (not Python
objects: 100,000 Twilio messages as dicts would take several hundred MB), so a merged document of any
length costs about its own size; `write` streams it out. The merged document has the first page's shape
with all the records, so a JSONPath like `$.messages[*].sid` works on it unchanged.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from twibench.client import Client
    from twibench.collection import Request
    from twibench.exchange import Exchange
    from twibench.profiles import Profile

PAGE_FIELDS = frozenset(
    {
        "end", "first_page_uri", "next_page_uri", "last_page_uri", "page", "page_size", "previous_page_uri",
        "total", "num_pages", "start", "uri", "meta",
    }
)  # fmt: skip


class NotAListError(ValueError):
    """The document is not a page of a Twilio list (no records key)."""


def records_key(page: Mapping[str, Any]) -> str:
    """The key holding the page's records: `meta.key`, or the one list that is not a page field.

    Raises:
        NotAListError: the document has no single records key.
    """
    meta = page.get("meta")
    if isinstance(meta, Mapping) and isinstance(meta.get("key"), str) and isinstance(page.get(meta["key"]), list):
        return str(meta["key"])
    keys = [k for k, v in page.items() if k not in PAGE_FIELDS and isinstance(v, list)]
    if len(keys) != 1:
        raise NotAListError("the response is not a page of a Twilio list (no single list of records in it)")
    return keys[0]


def next_link(page: Mapping[str, Any]) -> str | None:
    """The next page's link as Twilio gave it — a path (2010's `next_page_uri`) or an absolute URL
    (`meta.next_page_url`) — or None on the last page. A path is joined to the profile's API base, like
    any request path, so the sandbox and every region serve it."""
    meta = page.get("meta")
    link = meta.get("next_page_url") if isinstance(meta, Mapping) else page.get("next_page_uri")
    return link if isinstance(link, str) and link else None


@dataclass
class Pages:
    """Pages merged into one document (see the module docstring).

    Attributes:
        key: the records key (`messages`, `services`…).
        envelope: the first page's document without its records.
        records: every record so far, as compact JSON text.
        pages: how many pages were added.
        limit: keep at most this many records (None: all).
    """

    key: str = ""
    envelope: dict[str, Any] = field(default_factory=dict)
    records: list[str] = field(default_factory=list)
    pages: int = 0
    limit: int | None = None
    mask: Callable[[str], str] | None = None
    """Applied to each record's text as it is kept (the CLI masks secrets: an account list holds tokens)."""

    @property
    def count(self) -> int:
        """How many records are kept."""
        return len(self.records)

    @property
    def full(self) -> bool:
        """True once `limit` records are kept."""
        return self.limit is not None and len(self.records) >= self.limit

    def add(self, page: Mapping[str, Any]) -> list[Any]:
        """Add one page; returns its records that were kept (for a caller that selects page by page).

        Raises:
            NotAListError: the page is not a list page, or its records key differs from the first page's.
        """
        key = records_key(page)
        if self.pages == 0:
            self.key = key
            self.envelope = {k: v for k, v in page.items() if k != key}
        elif key != self.key:
            raise NotAListError(f"page {self.pages + 1} holds '{key}', not '{self.key}' like the first page")
        else:  # the merged document's next link is the last page's: null once every page is in
            if isinstance(self.envelope.get("meta"), dict) and isinstance(page.get("meta"), Mapping):
                self.envelope["meta"] = {**self.envelope["meta"], "next_page_url": page["meta"].get("next_page_url")}
            elif "next_page_uri" in self.envelope:
                self.envelope["next_page_uri"] = page.get("next_page_uri")
        items: list[Any] = list(page[key])
        if self.limit is not None:
            items = items[: max(0, self.limit - len(self.records))]
        texts = (json.dumps(item, ensure_ascii=False, separators=(",", ":")) for item in items)
        self.records.extend(self.mask(t) for t in texts) if self.mask else self.records.extend(texts)
        self.pages += 1
        return items

    def write(self, out: TextIO, indent: int | None = 2) -> None:
        """Write the merged document (the first page's envelope, then every record under its key), one
        record at a time, so writing never holds a second copy of the whole list."""
        head = json.dumps({**self.envelope, self.key: []}, ensure_ascii=False, indent=indent)
        cut = head.rindex("[]")  # the records key is last: its empty list is the last `[]`
        out.write(head[:cut] + "[")
        pad = "\n" + " " * (2 * indent) if indent else ""
        for index, record in enumerate(self.records):
            if indent:
                record = json.dumps(json.loads(record), ensure_ascii=False, indent=indent).replace("\n", pad)
            out.write(("," if index else "") + pad + record)
        closing = "\n" + " " * indent if indent and self.records else ""
        out.write(closing + "]" + head[cut + 2 :] + "\n")

    def document(self) -> dict[str, Any]:
        """The merged document as Python objects (small lists only: it parses every record)."""
        return {**self.envelope, self.key: [json.loads(r) for r in self.records]}


def merge(pages: Iterable[Mapping[str, Any]], limit: int | None = None) -> Pages:
    """Merge already-read pages (tests, history entries)."""
    merged = Pages(limit=limit)
    for page in pages:
        merged.add(page)
        if merged.full:
            break
    return merged


@dataclass
class Fetched:
    """The outcome of fetching every page.

    Attributes:
        pages: the merged pages.
        last: the last exchange (its status and error say how the walk ended).
        stopped: why the walk ended early, or None when it reached the last page or the limit.
    """

    pages: Pages
    last: Exchange
    stopped: str | None = None


Sender = Callable[["Request"], Awaitable["Exchange"]]
"""Sends one page's request (the caller's path: `Client.send` with its profile, prompt and guard)."""


async def fetch_all(
    client: Client,
    request: Request,
    profile: Profile,
    values: Mapping[str, str],
    *,
    limit: int | None = None,
    max_pages: int = 10_000,
    progress: Callable[[Pages], None] | None = None,
    collection: str | None = None,
    on_page: Callable[[Exchange, dict[str, Any]], None] | None = None,
    mask: Callable[[str], str] | None = None,
) -> Fetched:
    """GET the first page, then each next page, until the last page, `limit` records or an error.

    Every page goes through `client.send` (the host guard, the sandbox's product routing, the deadline
    and the body cap apply to each); pages after the first are plain GETs of the link Twilio gave.
    `on_page` sees each page's exchange and document (to record it, or select in it) before the next.
    """

    async def send(current: Request) -> Exchange:
        return await client.send(current, profile, values, collection=collection)

    first = await send(request)
    merged = Pages(limit=limit, mask=mask)
    return await follow(send, request, first, merged, max_pages=max_pages, progress=progress, on_page=on_page)


async def follow(
    send: Sender,
    request: Request,
    first: Exchange,
    merged: Pages,
    *,
    max_pages: int = 10_000,
    progress: Callable[[Pages], None] | None = None,
    on_page: Callable[[Exchange, dict[str, Any]], None] | None = None,
) -> Fetched:
    """Merge the page `first` answered into `merged`, then send each next page with `send`.

    `merged` is the caller's, so what was merged stays readable if the walk is cancelled. Each next
    page is `request` as a GET of the link verbatim, without its query, form or body.
    """
    exchange = first
    while True:
        response = exchange.response
        if exchange.error is not None or response is None:
            return Fetched(merged, exchange, "the request failed")
        if response.status >= 400:
            return Fetched(merged, exchange, f"page {merged.pages + 1} answered {response.status}")
        if response.truncated:
            return Fetched(merged, exchange, f"page {merged.pages + 1} is larger than the body cap")
        try:
            page = json.loads(response.body)
        except ValueError:
            return Fetched(merged, exchange, f"page {merged.pages + 1} is not JSON")
        if not isinstance(page, dict):
            return Fetched(merged, exchange, f"page {merged.pages + 1} is not a JSON object")
        kept = merged.add(page)
        if on_page is not None:  # the page as merged: only the records kept under the limit
            on_page(exchange, {**page, merged.key: kept})
        if progress is not None:
            progress(merged)
        link = next_link(page)
        if link is None or merged.full:
            return Fetched(merged, exchange)
        if merged.pages >= max_pages:
            return Fetched(merged, exchange, f"stopped after {max_pages} pages")
        # The link is used verbatim (`{{` escaped so it is never read as a variable).
        current = dataclasses.replace(
            request, method="GET", url=link.replace("{{", "{{{{"), params=[], form=None, json=None, body=None
        )
        exchange = await send(current)
