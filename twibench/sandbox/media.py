"""Media of a message: list, fetch, delete, and the content itself.

`GET …/Media/{Sid}` without `.json` answers 302 to the content, as Twilio does (Twilio redirects to its
CDN; the sandbox to a path it serves itself). The sandbox never downloads the `MediaUrl` a client gave:
every media's content is the same small placeholder PNG, so `content_type` is always `image/png`.
"""

from __future__ import annotations

import sqlite3
import struct
import zlib
from functools import cache
from typing import Any

from twibench.sandbox.call import Call, Reply
from twibench.sandbox.clock import rfc2822
from twibench.sandbox.errors import not_found
from twibench.sandbox.filters import date_condition
from twibench.sandbox.paging import envelope, fetch_page, parse_page, pick_filters

CONTENT_PATH = "/_twibench/media/"
"""Where the sandbox serves media content (no credentials needed, like Twilio's CDN links)."""
CONTENT_TYPE = "image/png"
_DATE_FILTERS = ("DateCreated", "DateCreated<", "DateCreated>")


def media_json(row: sqlite3.Row) -> dict[str, Any]:
    """A Media resource as Twilio renders it."""
    base = f"/2010-04-01/Accounts/{row['account_sid']}/Messages/{row['message_sid']}/Media/{row['sid']}"
    return {
        "account_sid": row["account_sid"],
        "content_type": row["content_type"],
        "date_created": rfc2822(row["created"]),
        "date_updated": rfc2822(row["created"]),
        "parent_sid": row["message_sid"],
        "sid": row["sid"],
        "uri": f"{base}.json",
    }


def _message_exists(call: Call) -> None:
    row: sqlite3.Row | None = call.ctx.store.conn.execute(
        "SELECT 1 FROM messages WHERE sid = ? AND account_sid = ?", (call.args["message"], call.args["account"])
    ).fetchone()
    if row is None:
        raise not_found(call.path)


def _load(conn: sqlite3.Connection, call: Call) -> sqlite3.Row:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM media WHERE sid = ? AND message_sid = ? AND account_sid = ?",
        (call.args["sid"], call.args["message"], call.args["account"]),
    ).fetchone()
    if row is None:
        raise not_found(call.path)
    return row


def list_media(call: Call) -> Reply:
    """GET …/Messages/{MessageSid}/Media.json, oldest first (filters DateCreated, DateCreated<, >)."""
    _message_exists(call)
    request = parse_page(call.params)
    filters = pick_filters(call.params, _DATE_FILTERS)
    where = "message_sid = ? AND account_sid = ?"
    args: list[object] = [call.args["message"], call.args["account"]]
    for name, value in filters:
        condition, values = date_condition("created", name.removeprefix("DateCreated"), value, name)
        where += f" AND {condition}"
        args.extend(values)
    rows, more = fetch_page(call.ctx.store.conn, "media", where, args, request, order="asc")
    records = [media_json(row) for row in rows]
    path = f"/2010-04-01/Accounts/{call.args['account']}/Messages/{call.args['message']}/Media.json"
    body = envelope(path, filters, request, "media_list", records, rows, more)
    return Reply(payload=body, element="Media", records_key="media_list")


def fetch(call: Call) -> Reply:
    """GET …/Media/{Sid}.json; without a suffix, 302 to the content."""
    row = _load(call.ctx.store.conn, call)
    if call.fmt == "xml":
        return Reply(status=302, headers={"Location": f"{call.origin}{CONTENT_PATH}{row['sid']}"})
    return Reply(payload=media_json(row), element="Media", cacheable=True)


def delete(call: Call) -> Reply:
    """DELETE …/Media/{Sid}.json → 204."""
    with call.ctx.store.write() as conn:
        _load(conn, call)
        conn.execute("DELETE FROM media WHERE sid = ?", (call.args["sid"],))
    return Reply(status=204)


def content(conn: sqlite3.Connection, sid: str) -> bytes | None:
    """The content behind a media SID, or None when there is no such media."""
    row = conn.execute("SELECT 1 FROM media WHERE sid = ?", (sid,)).fetchone()
    return placeholder_png() if row is not None else None


@cache
def placeholder_png() -> bytes:
    """A real 48×48 PNG: a white speech bubble on Twilio red, built once with zlib."""
    size = 48
    red, white = b"\xf2\x2f\x46", b"\xff\xff\xff"
    rows = []
    for y in range(size):
        pixels = bytearray()
        for x in range(size):
            inside = (10 <= x < 38 and 12 <= y < 30) or (14 <= x < 20 and 30 <= y < 36 - (x - 14))
            pixels += white if inside else red
        rows.append(b"\x00" + bytes(pixels))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )
