"""Voice calls (2010 `Calls`): place a call with `Url` or `Twiml`, watch it ring, talk and complete.

The stored call records when it was placed and how long each phase takes; every read derives
`queued → ringing → in-progress → completed` (with `start_time`, `end_time`, `duration`, `price`) from
the clock, as messages do. When it is answered, the webhook worker fetches its TwiML (`Url`, signed,
or the inline `Twiml`) and walks it into a transcript (see `call_twiml`); status callbacks go to
`StatusCallback` for the `StatusCallbackEvent`s asked (see `outbox`). The call's timeline does not wait
for the app: Twilio answers before it fetches, so even a failed fetch ends in a `completed` call (the
caller hears "an application error has occurred") with an alert in Monitor. The magic numbers of
Twilio's test credentials apply (`To` +15005550001 is invalid, …002 unreachable, …).
"""

from __future__ import annotations

import math
import re
from typing import Any
from urllib.parse import urlsplit

from twibench.sandbox import credentials as cred
from twibench.sandbox import outbox
from twibench.sandbox.call import Call, Reply
from twibench.sandbox.clock import rfc2822
from twibench.sandbox.errors import ApiError, bad_request, not_found
from twibench.sandbox.generic import handlers, records
from twibench.sandbox.generic.model import operation, resource_of
from twibench.sandbox.generic.target import Target
from twibench.sandbox.lifecycle import RING_SHARE

LIST = "/2010-04-01/Accounts/{AccountSid}/Calls"
INSTANCE = f"{LIST}/{{Sid}}"
PRICE_PER_MINUTE = 0.0130

_E164 = re.compile(r"^\+[1-9]\d{1,14}$")
_ENDPOINT = re.compile(r"^(client|sip|whatsapp):", re.IGNORECASE)
_TO_ERRORS = {
    "+15005550001": (21217, "Phone number {to} does not appear to be valid"),
    "+15005550002": (21214, "'To' phone number {to} cannot be reached"),
    "+15005550003": (21215, "Account not authorized to call {to}: check the Geo Permissions"),
    "+15005550004": (21216, "Call to {to} blocked by Twilio's blocklist"),
}


def _formatted(number: str) -> str:
    if number.startswith("+1") and len(number) == 12 and number[2:].isdigit():
        return f"({number[2:5]}) {number[5:8]}-{number[8:]}"
    return number


def _validate(call: Call) -> None:
    params = call.params
    to, from_ = params.get("To") or "", params.get("From") or ""
    if not (params.get("Url") or params.get("Twiml") or params.get("ApplicationSid")):
        raise bad_request(21205, "A 'Url', 'Twiml' or 'ApplicationSid' parameter is required to place a call.")
    url = params.get("Url")
    if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc):
        raise bad_request(21205, f"Url is not a valid URL: {url[:80]}")
    callback = params.get("StatusCallback")
    if callback and (urlsplit(callback).scheme not in ("http", "https") or not urlsplit(callback).netloc):
        raise bad_request(21609, f"StatusCallback must be a valid http(s) URL, got {callback[:80]}")
    if not _ENDPOINT.match(to) and (not _E164.match(to) or to in _TO_ERRORS):
        code, message = _TO_ERRORS.get(to, (21217, "Phone number {to} does not appear to be valid"))
        raise bad_request(code, message.format(to=to))
    if from_ == "+15005550001" or not (_E164.match(from_) or _ENDPOINT.match(from_)):
        raise bad_request(21212, f"The 'From' number {from_} is not a valid phone number or client identifier.")
    owned = call.ctx.store.conn.execute(
        "SELECT 1 FROM phone_numbers WHERE phone_number = ? AND account_sid = ?", (from_, call.principal.account_sid)
    ).fetchone()
    if from_ != cred.PHONE_NUMBER and owned is None and not _ENDPOINT.match(from_):
        raise bad_request(21210, f"The source phone number provided, {from_}, is not yet verified for your account.")


def view(data: dict[str, Any], call: Call) -> dict[str, Any]:
    """The call as it stands at the sandbox clock's now (status, times, duration, price)."""
    return view_at(data, call.now)


def view_at(data: dict[str, Any], now: float) -> dict[str, Any]:
    """The call as it stands at `now` (the webhook worker renders callbacks with it)."""
    if "_start" not in data:
        return data
    start, span = float(data["_start"]), float(data["_span"])
    state, ended = data["_state"], data.get("_ended")
    answered = start + span * 2 * RING_SHARE
    natural_end = start + span
    out = dict(data)
    if state == "canceled":
        status, end = "canceled", ended
    elif ended is not None and ended <= now:
        status, end = "completed", ended
    elif now >= natural_end:
        status, end = "completed", natural_end
    elif now >= answered:
        status, end = "in-progress", None
    elif now >= start + span * RING_SHARE:
        status, end = "ringing", None
    else:
        status, end = "queued", None
    out["status"] = status
    talked = status in ("in-progress", "completed")
    out["start_time"] = rfc2822(answered) if talked else None
    out["end_time"] = rfc2822(end) if end is not None else None
    if end is not None:
        seconds = max(0, math.ceil(end - answered)) if status == "completed" else 0
        out["duration"] = str(seconds)
        minutes = max(1, math.ceil(seconds / 60)) if seconds else 0
        out["price"] = f"{-PRICE_PER_MINUTE * minutes:.5f}" if status == "completed" else None
    moments = (start + span * RING_SHARE, answered, end)
    changed = max([float(data["_created"]), *(t for t in moments if t is not None and t <= now)])
    out["date_updated"] = rfc2822(changed)
    return out


def create(target: Target, call: Call) -> Reply:
    """POST Calls.json → 201 `queued` (test credentials: validated and answered, never stored)."""
    op = operation(target.item, "post")
    assert op is not None
    handlers.check_required(target, op, call)
    _validate(call)
    now = call.now
    conn = None if call.principal.kind == "test" else call.ctx.store.conn
    if conn is None:
        ident = call.ctx.sids.new(None, "CA")
        data = _new(target, call, ident, now)
        return Reply(status=201, payload=records.public(data, op.properties))
    account = handlers.account_of(target, call)
    with call.ctx.store.write() as conn:
        ident = call.ctx.sids.new(conn, "CA")
        data = _new(target, call, ident, now)
        records.insert(conn, target.store_path(target.path), account, ident, data)
        outbox.schedule_call(conn, account, ident, now, float(data["_span"]), data["_callback"])
    if call.ctx.dispatcher is not None:
        call.ctx.dispatcher.kick()
    return Reply(status=201, payload=records.public(data, op.properties))


def _callback(call: Call) -> dict[str, Any] | None:
    """Where and how the call's status callbacks go, or None without `StatusCallback`."""
    url = call.params.get("StatusCallback")
    if not url:
        return None
    method = (call.params.get("StatusCallbackMethod") or "POST").upper()
    return {
        "url": url,
        "method": "GET" if method == "GET" else "POST",
        "events": outbox.call_events(call.params.getall("StatusCallbackEvent")),
    }


def _new(target: Target, call: Call, ident: str, now: float) -> dict[str, Any]:
    op = operation(target.item, "post")
    assert op is not None
    data = handlers.build(target, call, op, f"{target.path}/{ident}", ident)
    to, from_ = call.params.get("To") or "", call.params.get("From") or ""
    data.update(
        {
            "status": "queued",
            "direction": "outbound-api",
            "api_version": "2010-04-01",
            "to_formatted": _formatted(to),
            "from_formatted": _formatted(from_),
            "price_unit": "USD",
            "phone_number_sid": cred.PHONE_NUMBER_SID if from_ == cred.PHONE_NUMBER else None,
            "_id": ident,
            "_start": now,
            "_span": call.ctx.config.effective_delivery_seconds,
            "_state": "queued",
            "_created": now,
            "_callback": _callback(call),
            "_voice": {
                "url": call.params.get("Url") or "",
                "method": "GET" if (call.params.get("Method") or "POST").upper() == "GET" else "POST",
                "twiml": call.params.get("Twiml") or "",
            },
            "_digits": [],
            "_seq": 0,
        }
    )
    return data


def fetch(target: Target, call: Call) -> Reply:
    """GET Calls/{Sid}.json, status from the clock."""
    op = operation(target.item, "get")
    assert op is not None
    payload = handlers.fetch(target, call, op, resource_of(target.item), view)
    return Reply(payload=payload, element="Call", cacheable=True)


def list_calls(target: Target, call: Call) -> Reply:
    """GET Calls.json (filters To, From, Status… as the spec names them)."""
    op = operation(target.item, "get")
    assert op is not None
    return handlers.list_records(target, call, op, resource_of(target.item), view)


def update(target: Target, call: Call) -> Reply:
    """POST Calls/{Sid}.json: `Status=canceled` (queued/ringing) or `completed` (hang up); new Url/Twiml."""
    op = operation(target.item, "post")
    assert op is not None
    status = call.params.get("Status")
    if status is not None and status not in ("canceled", "completed"):
        raise bad_request(21218, f"Status can only be 'canceled' or 'completed', not '{status[:20]}'")
    resource = resource_of(target.item)
    list_path, ident = handlers.locate(target, resource)
    account = handlers.account_of(target, call)
    with call.ctx.store.write() as conn:
        data = records.load(conn, target.store_path(list_path), account, ident)
        if data is None:
            raise not_found(target.store_path(target.path))
        current = view(data, call)["status"]
        now = call.now
        ended = False
        if (status == "canceled" and current in ("queued", "ringing")) or (
            status == "completed" and current in ("queued", "ringing")
        ):
            data.update({"_state": "canceled", "_ended": now})
            ended = True
        elif status == "completed" and current == "in-progress":
            data["_ended"] = now
            ended = True
        if ended:
            outbox.call_ended(conn, account, str(data["_id"]), data.get("_callback"), now)
        elif status is None and current in ("completed", "canceled"):
            raise ApiError(400, 21220, "Call is not in-progress. Cannot redirect.")
        data["date_updated"] = rfc2822(now)
        records.save(conn, target.store_path(list_path), account, str(data["_id"]), data)
    return Reply(payload=handlers.complete(target, call, op, view(data, call)), element="Call")


OVERRIDES = {
    ("api", LIST, "POST"): create,
    ("api", LIST, "GET"): list_calls,
    ("api", INSTANCE, "GET"): fetch,
    ("api", INSTANCE, "POST"): update,
}
