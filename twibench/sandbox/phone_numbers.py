"""IncomingPhoneNumbers: +15005550006 (Twilio's "always valid" test sender) and the numbers bought.

A number's webhook configuration (`SmsUrl`, `SmsMethod`, `VoiceUrl`, `VoiceMethod`, their fallbacks,
`StatusCallback`, `FriendlyName`) is set on create or update and kept in `number_config` as JSON, so the
seeded `phone_numbers` table keeps its shape. `twibench webhook sms --number +1…` reads it back to post
to the number's `SmsUrl` with its method, as Twilio does for an inbound message. Buying follows Twilio's
test-credential magic: `PhoneNumber=+15005550000` is unavailable (21422), `+15005550001` invalid (21421),
`AreaCode=533` has no numbers (21452).
"""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any
from urllib.parse import urlsplit

from twibench.sandbox.call import Call, Reply
from twibench.sandbox.clock import rfc2822
from twibench.sandbox.errors import bad_request, not_found
from twibench.sandbox.paging import envelope, fetch_page, parse_page, pick_filters

CONFIG = {
    "FriendlyName": "friendly_name", "SmsUrl": "sms_url", "SmsMethod": "sms_method",
    "SmsFallbackUrl": "sms_fallback_url", "SmsFallbackMethod": "sms_fallback_method",
    "VoiceUrl": "voice_url", "VoiceMethod": "voice_method", "VoiceFallbackUrl": "voice_fallback_url",
    "VoiceFallbackMethod": "voice_fallback_method", "StatusCallback": "status_callback",
    "StatusCallbackMethod": "status_callback_method",
}  # fmt: skip
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def _config(conn: sqlite3.Connection, sid: str) -> dict[str, Any]:
    row = conn.execute("SELECT data FROM number_config WHERE sid = ?", (sid,)).fetchone()
    config: dict[str, Any] = json.loads(row[0]) if row is not None else {}
    return config


def configured(params: Any) -> dict[str, str]:
    """The configuration parameters of a create or update, checked as Twilio checks them.

    Raises:
        ApiError: 21402 for a URL that is not http(s), 21403 for a method other than GET or POST.
    """
    found: dict[str, str] = {}
    for name, field in CONFIG.items():
        value = params.get(name)
        if value is None:
            continue
        if name.endswith("Method"):
            if value.upper() not in ("GET", "POST"):
                raise bad_request(21403, f"{name} must be GET or POST, not '{value[:20]}'")
            value = value.upper()
        elif name.endswith("Url") or name == "StatusCallback":
            parts = urlsplit(value)
            if value and (parts.scheme not in ("http", "https") or not parts.netloc):
                raise bad_request(21402, f"{name} is not a valid http(s) URL: '{value[:80]}'")
        found[field] = value
    return found


def number_json(row: sqlite3.Row, config: dict[str, Any] | None = None) -> dict[str, Any]:
    """A phone number with every field Twilio documents (what was never configured at Twilio's defaults)."""
    account = row["account_sid"]
    data = {
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
    data.update(config or {})
    return data


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
    conn = call.ctx.store.conn
    records = [number_json(row, _config(conn, row["sid"])) for row in rows]
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
    return Reply(
        payload=number_json(row, _config(call.ctx.store.conn, row["sid"])),
        element="IncomingPhoneNumber",
        cacheable=True,
    )


def update(call: Call) -> Reply:
    """POST /IncomingPhoneNumbers/{Sid}.json: set its webhooks (SmsUrl, VoiceUrl, methods…) or name."""
    changes = configured(call.params)
    with call.ctx.store.write() as conn:
        row = conn.execute(
            "SELECT * FROM phone_numbers WHERE sid = ? AND account_sid = ?", (call.args["sid"], call.args["account"])
        ).fetchone()
        if row is None:
            raise not_found(call.path)
        config = {**_config(conn, row["sid"]), **changes}
        _save(conn, row["sid"], config, call.now)
        row = conn.execute("SELECT * FROM phone_numbers WHERE sid = ?", (row["sid"],)).fetchone()
    return Reply(payload=number_json(row, config), element="IncomingPhoneNumber")


def _save(conn: sqlite3.Connection, sid: str, config: dict[str, Any], now: float) -> None:
    conn.execute(
        "INSERT INTO number_config (sid, data) VALUES (?, ?) ON CONFLICT (sid) DO UPDATE SET data = excluded.data",
        (sid, json.dumps(config)),
    )
    conn.execute("UPDATE phone_numbers SET updated = ? WHERE sid = ?", (now, sid))


def create(call: Call) -> Reply:
    """POST /IncomingPhoneNumbers.json: buy `PhoneNumber` (or one in `AreaCode`), configured at once."""
    number, area = call.params.get("PhoneNumber"), call.params.get("AreaCode")
    if number is None and area is None:
        raise bad_request(21451, "A 'PhoneNumber' or 'AreaCode' parameter is required")
    if number is not None:
        if number == "+15005550000":
            raise bad_request(21422, f"PhoneNumber {number} is not available")
        if number == "+15005550001" or not _E164.match(number):
            raise bad_request(21421, f"PhoneNumber {number[:20]} is invalid")
    elif area is not None:
        if not re.fullmatch(r"[2-9]\d\d", area):
            raise bad_request(21451, f"AreaCode {area[:10]} is invalid")
        if area == "533":
            raise bad_request(21452, f"No phone numbers found in area code {area}")
    config = configured(call.params)
    account, now = call.args["account"], call.now
    if call.principal.kind == "test":
        sid = call.ctx.sids.new(None, "PN")
        row = {"sid": sid, "account_sid": account, "phone_number": number or f"+1{area}5550100",
               "friendly_name": config.get("friendly_name", ""), "created": now, "updated": now}  # fmt: skip
        return Reply(status=201, payload=number_json(row, config), element="IncomingPhoneNumber")  # type: ignore[arg-type]
    with call.ctx.store.write() as conn:
        sid = call.ctx.sids.new(conn, "PN")
        if number is None:
            count = conn.execute("SELECT COUNT(*) FROM phone_numbers").fetchone()[0]
            number = f"+1{area}555{(100 + count) % 10000:04d}"
        shown = (
            f"({number[2:5]}) {number[5:8]}-{number[8:]}" if number.startswith("+1") and len(number) == 12 else number
        )
        conn.execute(
            "INSERT INTO phone_numbers (sid, account_sid, phone_number, friendly_name, created, updated)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (sid, account, number, config.pop("friendly_name", shown), now, now),
        )
        _save(conn, sid, config, now)
        row = conn.execute("SELECT * FROM phone_numbers WHERE sid = ?", (sid,)).fetchone()
    return Reply(status=201, payload=number_json(row, config), element="IncomingPhoneNumber")
