"""Verify v2: send a one-time code (sms, call, email…), check it, with Twilio's limits.

A Verification stays `pending` until a VerificationCheck with the right code approves it; a wrong
code leaves it pending. Five checks → 60202, a sixth send to the same number within the window →
60203, and after ten minutes (or once approved or canceled) it no longer exists: checking it is 20404.
The code is deterministic per (service, number, verification) unless the request gives `CustomCode`;
the sandbox-only `GET /_sandbox/verify/{ServiceSid}/{To}` (and `twibench sandbox verify-code`) read it.
"""

from __future__ import annotations

import hashlib
import sqlite3
from typing import Any

from twibench.sandbox.call import Call, Reply
from twibench.sandbox.errors import ApiError, not_found
from twibench.sandbox.generic import handlers, records, values
from twibench.sandbox.generic.model import operation, resource_of
from twibench.sandbox.generic.target import Target

SERVICES = "/verify/v2/Services"
VERIFICATIONS = "/v2/Services/{ServiceSid}/Verifications"
CHECK = "/v2/Services/{ServiceSid}/VerificationCheck"
LIFETIME_SECONDS = 10 * 60
MAX_CHECKS = 5
MAX_SENDS = 5
DEFAULT_CODE_LENGTH = 6


def _code(service: str, to: str, sid: str, length: int) -> str:
    digest = hashlib.sha256(f"twibench-verify/{service}/{to}/{sid}".encode()).hexdigest()
    return str(int(digest, 16))[-length:].zfill(length)


def _live(data: dict[str, Any], now: float) -> bool:
    return data.get("status") == "pending" and now < float(data.get("_expires", 0))


def pending(conn: sqlite3.Connection, account: str, service: str, to: str | None, now: float) -> dict[str, Any] | None:
    """The live (pending, unexpired) verification of `to` in a service, newest first."""
    for _, data in reversed(records.rows(conn, f"{SERVICES}/{service}/Verifications", account)):
        if (to is None or data.get("to") == to) and _live(data, now):
            found: dict[str, Any] = data
            return found
    return None


def start(target: Target, call: Call) -> Reply:
    """POST Verifications: a new pending verification, or one more send of the live one for `To`."""
    op = operation(target.item, "post")
    assert op is not None
    handlers.check_required(target, op, call)
    handlers.check_parents(target, call)
    props = handlers.properties(target, op.schema)
    channel = values.coerce("Channel", [call.params.get("Channel") or ""], props["channel"])
    to = call.params.get("To") or ""
    service, account, now = target.args["ServiceSid"], handlers.account_of(target, call), call.now
    list_path = target.store_path(target.path)
    with call.ctx.store.write() as conn:
        data = pending(conn, account, service, to, now)
        if data is not None:
            if len(data["send_code_attempts"]) >= MAX_SENDS:
                raise ApiError(429, 60203, "Max send attempts reached")
        else:
            ident = call.ctx.sids.new(conn, "VE")
            data = handlers.build(target, call, op, f"{target.path}/{ident}", ident)
            length = _service_code_length(conn, account, service)
            custom = call.params.get("CustomCode")
            data.update(
                {
                    "status": "pending",
                    "valid": False,
                    "send_code_attempts": [],
                    "_id": ident,
                    "_code": custom or _code(service, to, ident, length),
                    "_checks": 0,
                    "_expires": now + LIFETIME_SECONDS,
                }
            )
        attempt = call.ctx.sids.new(conn, "VL")
        data["send_code_attempts"].append(
            {"time": values.date_value({}, now), "channel": channel, "attempt_sid": attempt}
        )
        data["channel"] = channel
        data["date_updated"] = values.date_value({}, now)
        records.insert(conn, list_path, account, str(data["_id"]), data)
    return Reply(status=op.status, payload=records.public(data, op.properties), element="Verification")


def _service_code_length(conn: sqlite3.Connection, account: str, service: str) -> int:
    data = records.load(conn, SERVICES, account, service) or {}
    length = data.get("code_length")
    return int(length) if isinstance(length, int) and 4 <= length <= 10 else DEFAULT_CODE_LENGTH


def check(target: Target, call: Call) -> Reply:
    """POST VerificationCheck: `approved` for the right code, `pending` for a wrong one; 60202 after five."""
    op = operation(target.item, "post")
    assert op is not None
    handlers.check_required(target, op, call)
    handlers.check_parents(target, call)
    service, account, now = target.args["ServiceSid"], handlers.account_of(target, call), call.now
    to, sid, code = call.params.get("To"), call.params.get("VerificationSid"), call.params.get("Code") or ""
    if not to and not sid:
        raise ApiError(400, 60200, "Invalid parameter: either To or VerificationSid is required")
    list_path = f"{SERVICES}/{service}/Verifications"
    with call.ctx.store.write() as conn:
        data = records.load(conn, list_path, account, sid) if sid else pending(conn, account, service, to, now)
        if data is None or not _live(data, now):
            raise not_found(target.store_path(target.path))
        if data["_checks"] >= MAX_CHECKS:
            raise ApiError(429, 60202, "Max check attempts reached")
        data["_checks"] += 1
        if code == data["_code"]:
            data["status"], data["valid"] = "approved", True
        data["date_updated"] = values.date_value({}, now)
        records.save(conn, list_path, account, str(data["_id"]), data)
    payload = handlers.build(target, call, op, target.path, None)
    payload.update({k: data.get(k) for k in payload if k in data and k not in ("url", "links")})
    return Reply(status=op.status, payload=records.public(payload, op.properties), element="VerificationCheck")


def fetch(target: Target, call: Call) -> Reply:
    """GET Verifications/{Sid}: 20404 once it has expired (Twilio forgets it after ten minutes)."""
    op = operation(target.item, "get")
    assert op is not None
    data = handlers.stored(target, call, resource_of(target.item))
    if data is None or call.now >= float(data.get("_expires", 0)):
        raise not_found(target.store_path(target.path))
    return Reply(payload=handlers.complete(target, call, op, data), element="Verification", cacheable=True)


def current_code(conn: sqlite3.Connection, account: str, service: str, to: str, now: float) -> dict[str, Any] | None:
    """The live verification's code and facts, for the sandbox-only route and the CLI."""
    data = pending(conn, account, service, to, now)
    if data is None:
        return None
    return {
        "service_sid": service,
        "to": to,
        "code": data["_code"],
        "verification_sid": data["_id"],
        "status": data["status"],
        "checks_left": MAX_CHECKS - int(data["_checks"]),
        "sends": len(data["send_code_attempts"]),
        "expires_in_seconds": int(float(data["_expires"]) - now),
    }


def find_code(conn: sqlite3.Connection, service: str, to: str, now: float) -> dict[str, Any] | None:
    """`current_code` for whichever account owns the service (the CLI reads the state file directly)."""
    row = conn.execute(
        "SELECT account_sid FROM resources WHERE list_path = ? AND sid = ?", (SERVICES, service)
    ).fetchone()
    return None if row is None else current_code(conn, row["account_sid"], service, to, now)


OVERRIDES = {
    ("verify", VERIFICATIONS, "POST"): start,
    ("verify", f"{VERIFICATIONS}/{{Sid}}", "GET"): fetch,
    ("verify", CHECK, "POST"): check,
}
