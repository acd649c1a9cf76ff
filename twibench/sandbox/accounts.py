"""The Account resource: the sandbox account can be fetched, listed and renamed, and creates subaccounts.

A subaccount (`POST /Accounts.json`) gets its own SID and Auth Token, which work at once; the parent's
credentials reach the subaccount's resources (its SID in the URL), never the reverse.

Accounts cannot be deleted (the route answers 405/20004, Twilio's "can't be deleted" example). The
seeded account's dates are constants, so its representation — and its ETag — is the same in every
sandbox until someone renames it.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from twibench.sandbox.call import Call, Reply
from twibench.sandbox.clock import rfc2822
from twibench.sandbox.errors import invalid_parameter, not_found
from twibench.sandbox.paging import envelope, fetch_page, parse_page, pick_filters

API = "/2010-04-01"
SUBRESOURCES = ("messages", "keys", "incoming_phone_numbers")
_SUBRESOURCE_PATHS = {"messages": "Messages", "keys": "Keys", "incoming_phone_numbers": "IncomingPhoneNumbers"}
MAX_FRIENDLY_NAME = 64


def account_json(row: sqlite3.Row, owner: str | None = None) -> dict[str, Any]:
    """An account as Twilio renders it (property order as in Twilio's spec)."""
    sid = row["sid"]
    base = f"{API}/Accounts/{sid}"
    return {
        "auth_token": row["auth_token"],
        "date_created": rfc2822(row["created"]),
        "date_updated": rfc2822(row["updated"]),
        "friendly_name": row["friendly_name"],
        "owner_account_sid": owner or sid,
        "sid": sid,
        "status": row["status"],
        "subresource_uris": {name: f"{base}/{_SUBRESOURCE_PATHS[name]}.json" for name in SUBRESOURCES},
        "type": row["type"],
        "uri": f"{base}.json",
    }


def _load(call: Call) -> sqlite3.Row:
    row: sqlite3.Row | None = call.ctx.store.conn.execute(
        "SELECT * FROM accounts WHERE sid = ?", (call.args["account"],)
    ).fetchone()
    if row is None:
        raise not_found(call.path)
    return row


def _owner(conn: sqlite3.Connection, sid: str) -> str | None:
    row = conn.execute("SELECT owner_sid FROM account_owners WHERE sid = ?", (sid,)).fetchone()
    return None if row is None else str(row["owner_sid"])


def fetch(call: Call) -> Reply:
    """GET /Accounts/{Sid}.json."""
    row = _load(call)
    return Reply(payload=account_json(row, _owner(call.ctx.store.conn, row["sid"])), element="Account", cacheable=True)


def create(call: Call) -> Reply:
    """POST /Accounts.json → 201: a subaccount of the caller, with its own working Auth Token."""
    name = call.params.get("FriendlyName") or ""
    if len(name) > MAX_FRIENDLY_NAME:
        raise invalid_parameter(f"FriendlyName must be at most {MAX_FRIENDLY_NAME} characters")
    parent = call.principal.account_sid
    if _owner(call.ctx.store.conn, parent) is not None:
        raise invalid_parameter("A subaccount cannot create subaccounts")
    now = call.now
    with call.ctx.store.write() as conn:
        sid = call.ctx.sids.new(conn, "AC")
        token = call.ctx.sids.token(sid)
        name = name or f"SubAccount Created at {time.strftime('%Y-%m-%d %H:%M', time.gmtime(now))}"
        conn.execute(
            "INSERT INTO accounts (sid, friendly_name, status, type, auth_token, created, updated)"
            " VALUES (?, ?, 'active', 'Full', ?, ?, ?)",
            (sid, name, token, now, now),
        )
        conn.execute("INSERT INTO account_owners (sid, owner_sid) VALUES (?, ?)", (sid, parent))
        row = conn.execute("SELECT * FROM accounts WHERE sid = ?", (sid,)).fetchone()
    return Reply(status=201, payload=account_json(row, parent), element="Account")


def update(call: Call) -> Reply:
    """POST /Accounts/{Sid}.json: FriendlyName (Status can only stay `active` in the sandbox)."""
    name = call.params.get("FriendlyName")
    status = call.params.get("Status")
    if name is not None and len(name) > MAX_FRIENDLY_NAME:
        raise invalid_parameter(f"FriendlyName must be at most {MAX_FRIENDLY_NAME} characters")
    if status is not None and status != "active":
        raise invalid_parameter(f"The sandbox account stays 'active'; it cannot become '{status[:20]}'")
    with call.ctx.store.write() as conn:
        _load(call)
        if name is not None:
            conn.execute(
                "UPDATE accounts SET friendly_name = ?, updated = ? WHERE sid = ?",
                (name, call.now, call.args["account"]),
            )
        row = _load(call)
    return Reply(payload=account_json(row, _owner(call.ctx.store.conn, row["sid"])), element="Account")


def list_accounts(call: Call) -> Reply:
    """GET /Accounts.json: the caller's account and its subaccounts (filters FriendlyName, Status)."""
    request = parse_page(call.params)
    filters = pick_filters(call.params, ("FriendlyName", "Status"))
    where = "(sid = ? OR sid IN (SELECT sid FROM account_owners WHERE owner_sid = ?))"
    args: list[object] = [call.principal.account_sid, call.principal.account_sid]
    for name, value in filters:
        where += " AND friendly_name = ?" if name == "FriendlyName" else " AND status = ?"
        args.append(value)
    rows, more = fetch_page(call.ctx.store.conn, "accounts", where, args, request, order="asc")
    conn = call.ctx.store.conn
    records = [account_json(row, _owner(conn, row["sid"])) for row in rows]
    body = envelope(f"{API}/Accounts.json", filters, request, "accounts", records, rows, more)
    return Reply(payload=body, element="Account", records_key="accounts")


def reachable(conn: sqlite3.Connection, principal: str, account: str | None) -> bool:
    """Whether credentials of `principal` may act on `account`: its own, or one of its subaccounts.

    A subaccount's credentials never reach its parent.
    """
    if account is None or account == principal:
        return True
    row = conn.execute("SELECT owner_sid FROM account_owners WHERE sid = ?", (account,)).fetchone()
    return row is not None and row["owner_sid"] == principal
