"""List pages in each product's own envelope: the 2010 API's page fields, or v1+'s `meta` object.

Paging works over a list's records in creation order; `PageToken` (`PA<seq>`/`PB<seq>`) anchors a page
on a record so following `next_page_url` verbatim reaches every record once even while the list grows.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from twibench.sandbox import paging
from twibench.sandbox.paging import PageRequest

Record = tuple[int, dict[str, Any]]


def slice_page(records: list[Record], request: PageRequest) -> tuple[list[Record], bool]:
    """The records of the page asked for, and whether another page follows."""
    size = request.size
    if request.direction == "after":
        rest = [r for r in records if r[0] > request.anchor]
        return rest[:size], len(rest) > size
    if request.direction == "before":
        prior = [r for r in records if r[0] < request.anchor]
        return prior[-size:], True
    start = request.page * size
    return records[start : start + size], len(records) > start + size


def api_envelope(
    uri: str,
    filters: list[tuple[str, str]],
    request: PageRequest,
    key: str,
    page: list[Record],
    rendered: list[dict[str, Any]],
    has_next: bool,
    properties: dict[str, Any],
) -> dict[str, Any]:
    """The 2010 API's envelope (relative `*_page_uri` fields), limited to the schema's properties."""
    rows = [{"seq": seq} for seq, _ in page]
    body = paging.envelope(uri, filters, request, key, rendered, rows, has_next)  # type: ignore[arg-type]
    return {name: body.get(name) for name in properties}


def meta_envelope(
    url: str,
    filters: list[tuple[str, str]],
    request: PageRequest,
    key: str,
    page: list[Record],
    rendered: list[dict[str, Any]],
    has_next: bool,
) -> dict[str, Any]:
    """The v1+ envelope: records under their key and `meta` with absolute page URLs."""

    def page_url(number: int, token: str | None) -> str:
        query = [*filters, ("PageSize", str(request.size)), ("Page", str(number))]
        if token:
            query.append(("PageToken", token))
        return f"{url}?{urlencode(query)}"

    next_url = page_url(request.page + 1, f"PA{page[-1][0]}") if has_next and page else None
    previous = page_url(request.page - 1, f"PB{page[0][0]}" if page else None) if request.page > 0 else None
    return {
        key: rendered,
        "meta": {
            "page": request.page,
            "page_size": request.size,
            "first_page_url": page_url(0, None),
            "previous_page_url": previous,
            "url": page_url(request.page, request.token),
            "next_page_url": next_url,
            "key": key,
        },
    }
