"""IncomingPhoneNumbers: the account's one number, +15005550006 (Twilio's "always valid" test sender)."""

from __future__ import annotations

import sqlite3
from typing import Any

from twibench.sandbox.call import Call, Reply
from twibench.sandbox.clock import rfc2822
from twibench.sandbox.errors import not_found
from twibench.sandbox.paging import envelope, fetch_page, parse_page, pick_filters


def number_json(row: sqlite3.Row) -> dict[str, Any]:
    """A phone number with every field Twilio documents (configuration left at Twilio's defaults)."""
    account = row["account_sid"]
    return {
        "account_sid": account,
        "address_sid": None,
        "address_requirements": "none",
        "api_version": "2010-04-01",
        "beta": False,
        "capabilities": {"voice": True, "sms": True, "mms": True, "fax": False},
        "date_created": rfc2822(row["created"]),
        "date_updated": rfc2822(row["updated"]),
        "friendly_name": row["friendly_name"],
        "identity_sid": None,
        "phone_number": row["phone_number"],
        "origin": "twilio",
        "sid": row["sid"],
        "sms_application_sid": None,
        "sms_fallback_method": "POST",
        "sms_fallback_url": "",
        "sms_method": "POST",
        "sms_url": "",
        "status_callback": "",
        "status_callback_method": "POST",
        "trunk_sid": None,
        "uri": f"/2010-04-01/Accounts/{account}/IncomingPhoneNumbers/{row['sid']}.json",
        "voice_receive_mode": "voice",
        "voice_application_sid": None,
        "voice_caller_id_lookup": False,
        "voice_fallback_method": "POST",
        "voice_fallback_url": None,
        "voice_method": "POST",
        "voice_url": None,
        "emergency_status": "Inactive",
        "emergency_address_sid": None,
        "emergency_address_status": "unregistered",
        "bundle_sid": None,
        "status": "in-use",
        "type": "local",
    }


def list_numbers(call: Call) -> Reply:
    """GET /IncomingPhoneNumbers.json (filters PhoneNumber, FriendlyName; exact match)."""
    request = parse_page(call.params)
    account = call.args["account"]
    filters = pick_filters(call.params, ("PhoneNumber", "FriendlyName"))
    where = "account_sid = ?"
    args: list[object] = [account]
    for name, value in filters:
        where += " AND phone_number = ?" if name == "PhoneNumber" else " AND friendly_name = ?"
        args.append(value)
    rows, more = fetch_page(call.ctx.store.conn, "phone_numbers", where, args, request, order="asc")
    records = [number_json(row) for row in rows]
    path = f"/2010-04-01/Accounts/{account}/IncomingPhoneNumbers.json"
    body = envelope(path, filters, request, "incoming_phone_numbers", records, rows, more)
    return Reply(payload=body, element="IncomingPhoneNumber", records_key="incoming_phone_numbers")


def fetch(call: Call) -> Reply:
    """GET /IncomingPhoneNumbers/{Sid}.json."""
    row = call.ctx.store.conn.execute(
        "SELECT * FROM phone_numbers WHERE sid = ? AND account_sid = ?", (call.args["sid"], call.args["account"])
    ).fetchone()
    if row is None:
        raise not_found(call.path)
    return Reply(payload=number_json(row), element="IncomingPhoneNumber", cacheable=True)
