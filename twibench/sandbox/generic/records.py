"""Storing spec-driven resources: one SQLite table keyed by (list path, ID) holding each resource as JSON.

The list path is the concrete sandbox path of the collection (`/verify/v2/Services/VA…/Verifications`),
so a record's own path is `list path + "/" + ID` and every descendant's list path starts with it —
deleting a resource deletes its children with one prefix match. Keys starting with `_` are the
sandbox's private state (a Verify code, a call's timings) and are never rendered.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

COLUMNS = "seq, list_path, sid, account_sid, data"


def load(conn: sqlite3.Connection, list_path: str, account: str, ident: str) -> dict[str, Any] | None:
    """The stored resource with ID `ident` (or whose unique_name is `ident`, as Twilio allows), or None."""
    row = conn.execute(
        "SELECT data FROM resources WHERE list_path = ? AND account_sid = ? AND sid = ?", (list_path, account, ident)
    ).fetchone()
    if row is None:
        row = conn.execute(
            "SELECT data FROM resources WHERE list_path = ? AND account_sid = ?"
            " AND json_extract(data, '$.unique_name') = ?",
            (list_path, account, ident),
        ).fetchone()
    return None if row is None else _decode(row["data"])


def exists(conn: sqlite3.Connection, list_path: str, account: str, ident: str) -> bool:
    """Whether the resource is stored."""
    return load(conn, list_path, account, ident) is not None


def insert(conn: sqlite3.Connection, list_path: str, account: str, ident: str, data: dict[str, Any]) -> None:
    """Store a new resource (replacing one with the same ID: a singleton written twice)."""
    conn.execute(
        "INSERT INTO resources (list_path, sid, account_sid, data) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (list_path, sid) DO UPDATE SET data = excluded.data, account_sid = excluded.account_sid",
        (list_path, ident, account, json.dumps(data)),
    )


def save(conn: sqlite3.Connection, list_path: str, account: str, ident: str, data: dict[str, Any]) -> None:
    """Write back a changed resource (found by its stored ID)."""
    conn.execute(
        "UPDATE resources SET data = ? WHERE list_path = ? AND account_sid = ? AND sid = ?",
        (json.dumps(data), list_path, account, ident),
    )


def delete(conn: sqlite3.Connection, list_path: str, account: str, ident: str) -> bool:
    """Delete a resource and everything under it; False when it was not there."""
    gone = conn.execute(
        "DELETE FROM resources WHERE list_path = ? AND account_sid = ? AND sid = ?", (list_path, account, ident)
    ).rowcount
    own = f"{list_path}/{ident}"
    conn.execute(
        "DELETE FROM resources WHERE account_sid = ? AND (list_path = ? OR substr(list_path, 1, ?) = ?)",
        (account, own, len(own) + 1, own + "/"),
    )
    return gone > 0


def rows(conn: sqlite3.Connection, list_path: str, account: str) -> list[tuple[int, dict[str, Any]]]:
    """Every resource of a list, oldest first, as (seq, data)."""
    found = conn.execute(
        "SELECT seq, data FROM resources WHERE list_path = ? AND account_sid = ? ORDER BY seq", (list_path, account)
    ).fetchall()
    return [(int(row["seq"]), _decode(row["data"])) for row in found]


def _decode(text: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(text)
    return data


def public(data: dict[str, Any], properties: dict[str, Any]) -> dict[str, Any]:
    """What is rendered: the schema's properties in the spec's order, private keys left out."""
    return {name: data.get(name) for name in properties if not name.startswith("_")}
