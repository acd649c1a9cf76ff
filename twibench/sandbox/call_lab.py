"""Sandbox-only routes for calls (Twilio has no such thing; nothing here exists on the wire there).

- `POST /_sandbox/calls/{CallSid}/digits` with `Digits=123` (repeat `Digits` for several `<Gather>`s):
  what the caller will press, one entry per `<Gather>` in turn. Accepted until the call is answered
  (then its TwiML has run: 409).
- `GET /_sandbox/calls/{CallSid}/transcript`: what the caller heard and which URLs were fetched
  (`lines`, `fetches`, `seconds`, `ended`, `error_code`); 404 until the call has been answered.

Both need the account's credentials, like the API.
"""

from __future__ import annotations

import re
from typing import Any

from twibench.sandbox.call import Call, Reply
from twibench.sandbox.delivery import CALLS, load_call
from twibench.sandbox.errors import ApiError, bad_request, not_found

PREFIX = "/_sandbox/calls/"
_DIGITS = re.compile(r"^[0-9*#wW]{1,64}$")


def _parts(call: Call) -> tuple[str, str]:
    sid, _, action = call.path.removeprefix(PREFIX).partition("/")
    return sid, action.removesuffix(".json")


def handle(call: Call) -> Reply:
    """Answer a `/_sandbox/calls/…` request (see the module docstring)."""
    sid, action = _parts(call)
    account = call.principal.account_sid
    data = load_call(call.ctx.store.conn, account, sid)
    if data is None or action not in ("digits", "transcript"):
        raise not_found(call.path)
    if action == "transcript":
        if call.method != "GET":
            raise ApiError(405, 20004, "Method not allowed: use GET for a transcript")
        return Reply(payload=transcript(data))
    if call.method != "POST":
        raise ApiError(405, 20004, "Method not allowed: POST Digits=… to set what the caller presses")
    pressed = call.params.getall("Digits")
    if not pressed or any(not _DIGITS.match(d) for d in pressed):
        raise bad_request(21604, "Digits must be 1-64 of 0-9, *, # (one Digits per <Gather>)")
    from twibench.sandbox.generic import records

    with call.ctx.store.write() as conn:
        current = load_call(conn, account, sid)
        assert current is not None
        if "_transcript" in current or current.get("_state") == "canceled":
            raise ApiError(409, 20409, "The call was already answered and its TwiML has run; set digits before")
        current["_digits"] = [*current.get("_digits", []), *pressed]
        records.save(conn, CALLS.format(account=account), account, sid, current)
    return Reply(payload={"call_sid": sid, "digits": current["_digits"]})


def transcript(data: dict[str, Any]) -> dict[str, Any]:
    """The call's transcript as JSON (404 until its TwiML has run)."""
    kept = data.get("_transcript")
    if kept is None:
        raise ApiError(404, 20404, "The call has not been answered yet: no transcript")
    return {"call_sid": data.get("sid"), "to": data.get("to"), "from": data.get("from"), **kept}
