"""Fetch all pages in the TUI (UI-free): from a list response shown, follow its next-page links.

The response on screen is page 1 (already sent and recorded), so the walk starts from it and sends only
the next pages — each through the session's one sending path (`session.send_page`: the sandbox-only
rule, the prompted secret, the host guard in `client.prepare`), each recorded in history like
`send --all-pages` records them. The merged document keeps the first page's envelope with every
record (masked like the CLI's), so `$.messages[*].sid` works on it; `pages.Pages` holds the records as
compact text, so a long walk costs about the merged document's size.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from twibench.errors import TwibenchError
from twibench.exchange import Exchange
from twibench.pages import NotAListError, Pages, follow, next_link, records_key

if TYPE_CHECKING:
    from collections.abc import Callable

    from twibench.collection import Request
    from twibench.profiles import Profile
    from twibench.workbench.session import Session
    from twibench.workbench.workspace import RequestEntry

__all__ = ["PageWalk", "first_page", "progress_text"]


def first_page(exchange: Exchange | None) -> dict[str, object]:
    """The shown response as the first page of a list with a next page.

    Raises:
        TwibenchError: no response, not a JSON list page, or the last page already.
    """
    response = exchange.response if exchange is not None else None
    if exchange is None or response is None or response.status >= 400:
        raise TwibenchError("Fetch all pages needs a list response on screen; send a list request first")
    try:
        page = json.loads(response.body)
        if not isinstance(page, dict):
            raise NotAListError("not an object")
        records_key(page)
    except (ValueError, NotAListError):
        raise TwibenchError("the response is not a page of a Twilio list, so there are no pages to fetch") from None
    if next_link(page) is None:
        raise TwibenchError("the response is the only (or the last) page of its list: there is nothing more to fetch")
    return page


def progress_text(pages: Pages) -> str:
    """`page 4 · 1,200 records`."""
    return f"page {pages.pages} · {pages.count:,} record{'s' * (pages.count != 1)}"


@dataclass
class PageWalk:
    """One walk through a list's pages; `merged` stays readable while it runs and after a cancel.

    Attributes:
        first: the response the walk started from (page 1).
        entry: the request it came from (its headers and auth are sent with every page).
        profile: the profile every page is sent with.
    """

    first: Exchange
    entry: RequestEntry
    profile: Profile
    merged: Pages = field(default_factory=Pages)
    last: Exchange | None = None
    stopped: str | None = None

    async def run(self, session: Session, progress: Callable[[Pages], None] | None = None) -> Exchange:
        """Follow every next page (policy and guard as for a send), recording each page; returns the
        merged answer (see `answer`).

        Raises:
            TwibenchError: refused before sending (sandbox-only collection, unknown variable, guard…).
        """
        first_page(self.first)
        session.check_sendable(self.entry, self.profile)
        redactor = session.redactor()
        self.merged = Pages(mask=redactor.text)
        first_id = self.first.id

        def on_page(exchange: Exchange, _page: dict[str, object]) -> None:
            self.last = exchange
            if exchange.id != first_id:
                session.record(self.entry, exchange)

        async def send(request: Request) -> Exchange:
            exchange = await session.send_page(self.entry, request, self.profile)
            self.last = exchange
            if exchange.response is None or exchange.response.status >= 400:
                session.record(self.entry, exchange)  # a failed page is recorded too (on_page does not see it)
            return exchange

        fetched = await follow(send, self.entry.request, self.first, self.merged, progress=progress, on_page=on_page)
        self.last, self.stopped = fetched.last, fetched.stopped
        return self.answer()

    def answer(self) -> Exchange:
        """The merged document (the pages merged so far, after a cancel) as one exchange: page 1's request,
        status and headers with the merged body. How the walk ended is in `summary`."""
        response = self.first.response
        assert response is not None  # page 1 had one (`first_page`)
        if self.merged.pages == 0:
            return self.first
        out = io.StringIO()
        self.merged.write(out, indent=None)
        headers = [(k, v) for k, v in response.headers if k.lower() not in ("content-length", "content-encoding")]
        merged = replace(response, body=out.getvalue().encode("utf-8"), headers=headers, truncated=False)
        return replace(self.first, response=merged)

    def summary(self, *, cancelled: bool = False) -> str:
        """`12 pages · 3,400 records`, and why it stopped (cancelled, a failed page)."""
        text = f"{self.merged.pages:,} page{'s' * (self.merged.pages != 1)} · {self.merged.count:,} records"
        if cancelled:
            return text + " · cancelled: the pages fetched so far are shown"
        if self.stopped:
            return text + f" · stopped: {self.stopped}"
        return text
