"""The Key resource (2010-04-01): standard API keys that authenticate as `SK… : secret`.

The secret is generated here, returned once in the create response and then kept only as a hash, so
a key works as a credential at once and stops working the moment it is deleted.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from twibench.sandbox.call import Call, Reply
from twibench.sandbox.clock import rfc2822
from twibench.sandbox.errors import invalid_parameter, not_found
from twibench.sandbox.paging import envelope, fetch_page, parse_page
from twibench.sandbox.sids import secret_hash

MAX_FRIENDLY_NAME = 64


def key_json(row: sqlite3.Row) -> dict[str, Any]:
    """A key without its secret."""
    return {
        "sid": row["sid"],
        "friendly_name": row["friendly_name"] or None,
        "date_created": rfc2822(row["created"]),
        "date_updated": rfc2822(row["updated"]),
    }


def _friendly_name(call: Call) -> str | None:
    name = call.params.get("FriendlyName")
    if name is not None and len(name) > MAX_FRIENDLY_NAME:
        raise invalid_parameter(f"FriendlyName must be at most {MAX_FRIENDLY_NAME} characters")
    return name


def _load(conn: sqlite3.Connection, call: Call) -> sqlite3.Row:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM keys WHERE sid = ? AND account_sid = ?", (call.args["sid"], call.args["account"])
    ).fetchone()
    if row is None:
        raise not_found(call.path)
    return row


def create(call: Call) -> Reply:
    """POST /Keys.json → 201 with the secret (the only time it is shown)."""
    name = _friendly_name(call) or ""
    now = call.now
    with call.ctx.store.write() as conn:
        sid = call.ctx.sids.new(conn, "SK")
        secret = call.ctx.sids.secret(sid)
        conn.execute(
            "INSERT INTO keys (sid, account_sid, friendly_name, secret_hash, created, updated)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (sid, call.args["account"], name, secret_hash(secret), now, now),
        )
        row = _load_sid(conn, sid)
    return Reply(status=201, payload={**key_json(row), "secret": secret}, element="Key")


def _load_sid(conn: sqlite3.Connection, sid: str) -> sqlite3.Row:
    row: sqlite3.Row | None = conn.execute("SELECT * FROM keys WHERE sid = ?", (sid,)).fetchone()
    assert row is not None
    return row


def fetch(call: Call) -> Reply:
    """GET /Keys/{Sid}.json."""
    return Reply(payload=key_json(_load(call.ctx.store.conn, call)), element="Key", cacheable=True)


def update(call: Call) -> Reply:
    """POST /Keys/{Sid}.json: FriendlyName."""
    name = _friendly_name(call)
    with call.ctx.store.write() as conn:
        _load(conn, call)
        if name is not None:
            conn.execute(
                "UPDATE keys SET friendly_name = ?, updated = ? WHERE sid = ?", (name, call.now, call.args["sid"])
            )
        row = _load(conn, call)
    return Reply(payload=key_json(row), element="Key")


def delete(call: Call) -> Reply:
    """DELETE /Keys/{Sid}.json → 204; requests signed with the key are refused from then on."""
    with call.ctx.store.write() as conn:
        _load(conn, call)
        conn.execute("DELETE FROM keys WHERE sid = ?", (call.args["sid"],))
    return Reply(status=204)


def list_keys(call: Call) -> Reply:
    """GET /Keys.json, newest first."""
    request = parse_page(call.params)
    account = call.args["account"]
    rows, more = fetch_page(call.ctx.store.conn, "keys", "account_sid = ?", [account], request)
    records = [key_json(row) for row in rows]
    body = envelope(f"/2010-04-01/Accounts/{account}/Keys.json", [], request, "keys", records, rows, more)
    return Reply(payload=body, element="Key", records_key="keys")
