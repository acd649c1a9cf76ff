"""Twilio's list envelope: PageSize/Page/PageToken in, `{records, page fields, page URIs}` out.

Page tokens name the `seq` of the record at the page edge (`PA<seq>`: records after it, `PB<seq>`:
records before it), so following `next_page_uri` verbatim reaches every record exactly once even while
other clients add or delete records in between. Every page URI is relative and echoes the filters.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlencode

from twibench.sandbox.call import Params
from twibench.sandbox.errors import invalid_parameter

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000
Order = Literal["asc", "desc"]

_WHOLE = re.compile(r"-?[0-9]{1,12}")
_DIGITS = re.compile(r"[0-9]{1,17}")  # a PageToken's seq always fits SQLite's 64-bit integers


@dataclass(frozen=True)
class PageRequest:
    """What page the client asked for."""

    size: int
    page: int
    token: str | None = None

    @property
    def direction(self) -> str | None:
        """`after` (PA…), `before` (PB…) or None (plain offset paging)."""
        if self.token is None:
            return None
        return "after" if self.token.startswith("PA") else "before"

    @property
    def anchor(self) -> int:
        """The seq named by the token."""
        return int(self.token[2:]) if self.token else 0


def parse_page(params: Params) -> PageRequest:
    """Read PageSize (1–1000, default 50), Page (≥ 0) and PageToken.

    Raises:
        ApiError: 400 for values Twilio would refuse.
    """
    size = _integer(params.get("PageSize"), "PageSize", DEFAULT_PAGE_SIZE)
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise invalid_parameter(f"PageSize must be between 1 and {MAX_PAGE_SIZE}, got {size}")
    page = _integer(params.get("Page"), "Page", 0)
    if page < 0:
        raise invalid_parameter(f"Page must be 0 or more, got {page}")
    token = params.get("PageToken") or None
    if token is not None and not (token[:2] in ("PA", "PB") and _DIGITS.fullmatch(token[2:]) and len(token) < 20):
        raise invalid_parameter(f"Invalid PageToken '{token[:40]}': use the page URIs the API returns")
    return PageRequest(size, page, token)


def _integer(raw: str | None, name: str, default: int) -> int:
    if raw is None or raw.strip() == "":
        return default
    text = raw.strip()
    if not _WHOLE.fullmatch(text):  # ASCII digits only: str.isdigit() also says yes to "²" and "١٢"
        raise invalid_parameter(f"{name} must be a whole number, got '{raw[:40]}'")
    return int(text)


def fetch_page(
    conn: sqlite3.Connection,
    table: str,
    where: str,
    args: Sequence[Any],
    request: PageRequest,
    order: Order = "desc",
) -> tuple[list[sqlite3.Row], bool]:
    """Rows of one page, and whether another page follows.

    Args:
        conn: the state connection.
        table: the table (a fixed name from the code, never user input).
        where: the filter condition with `?` placeholders (a fixed expression from the code).
        args: the placeholder values.
        request: the page asked for.
        order: `desc` lists newest first (Twilio's order for messages and keys).
    """
    forward, backward = ("<", ">") if order == "desc" else (">", "<")
    sort, reverse = ("DESC", "ASC") if order == "desc" else ("ASC", "DESC")
    base = f"SELECT * FROM {table} WHERE {where}"  # noqa: S608 (fixed SQL fragments, values bound)
    if request.direction == "before":
        sql = f"{base} AND seq {backward} ? ORDER BY seq {reverse} LIMIT ?"
        rows = conn.execute(sql, [*args, request.anchor, request.size]).fetchall()[::-1]
        if not rows:
            return rows, False
        more = f"SELECT 1 FROM {table} WHERE {where} AND seq {forward} ? LIMIT 1"  # noqa: S608
        return rows, conn.execute(more, [*args, rows[-1]["seq"]]).fetchone() is not None
    if request.direction == "after":
        sql = f"{base} AND seq {forward} ? ORDER BY seq {sort} LIMIT ?"
        rows = conn.execute(sql, [*args, request.anchor, request.size + 1]).fetchall()
    else:
        sql = f"{base} ORDER BY seq {sort} LIMIT ? OFFSET ?"
        rows = conn.execute(sql, [*args, request.size + 1, request.page * request.size]).fetchall()
    return rows[: request.size], len(rows) > request.size


def envelope(
    path: str,
    filters: list[tuple[str, str]],
    request: PageRequest,
    records_key: str,
    records: list[dict[str, Any]],
    rows: list[sqlite3.Row],
    has_next: bool,
) -> dict[str, Any]:
    """The list body: the records under their one key, then Twilio's page fields."""

    def page_uri(page: int, token: str | None) -> str:
        query: list[tuple[str, str]] = [*filters, ("PageSize", str(request.size)), ("Page", str(page))]
        if token:
            query.append(("PageToken", token))
        return f"{path}?{urlencode(query)}"

    start = request.page * request.size
    next_uri = page_uri(request.page + 1, f"PA{rows[-1]['seq']}") if has_next and rows else None
    previous_uri = None
    if request.page > 0:
        previous_uri = page_uri(request.page - 1, f"PB{rows[0]['seq']}" if rows else None)
    return {
        records_key: records,
        "end": start + len(records) - 1 if records else start,
        "first_page_uri": page_uri(0, None),
        "next_page_uri": next_uri,
        "page": request.page,
        "page_size": request.size,
        "previous_page_uri": previous_uri,
        "start": start,
        "uri": page_uri(request.page, request.token),
    }


def pick_filters(params: Params, names: Sequence[str]) -> list[tuple[str, str]]:
    """The known filter parameters present, in a fixed order (so page URIs are stable)."""
    return [(name, value) for name in names if (value := params.get(name)) is not None and value != ""]
