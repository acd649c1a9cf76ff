"""Messaging Services (Messaging v1): a service's senders, and picking one for a message without `From`.

A number joins a service through `POST /v1/Services/{ServiceSid}/PhoneNumbers` with `PhoneNumberSid`
(an IncomingPhoneNumber of the account, `PN…`); the resource's SID is that number's SID. A 2010
message created with `MessagingServiceSid` and no `From` is sent from the service's first sender; a
service without one answers 21704, an unknown service 21701.
"""

from __future__ import annotations

import sqlite3

from twibench.sandbox.call import Call, Reply
from twibench.sandbox.errors import ApiError
from twibench.sandbox.generic import handlers, records
from twibench.sandbox.generic.model import operation
from twibench.sandbox.generic.target import Target

SERVICES = "/messaging/v1/Services"
PHONE_NUMBERS = "/v1/Services/{ServiceSid}/PhoneNumbers"


def add_number(target: Target, call: Call) -> Reply:
    """POST /v1/Services/{ServiceSid}/PhoneNumbers: attach one of the account's numbers as a sender."""
    op = operation(target.item, "post")
    assert op is not None
    handlers.check_required(target, op, call)
    handlers.check_parents(target, call)
    account = handlers.account_of(target, call)
    number_sid = call.params.get("PhoneNumberSid") or ""
    row = call.ctx.store.conn.execute(
        "SELECT phone_number FROM phone_numbers WHERE sid = ? AND account_sid = ?", (number_sid, account)
    ).fetchone()
    if row is None:
        raise ApiError(400, 21452, f"PhoneNumberSid {number_sid[:40]} is not a phone number of this account")
    list_path = target.store_path(target.path)
    with call.ctx.store.write() as conn:
        if records.exists(conn, list_path, account, number_sid):
            raise ApiError(409, 21710, "Phone Number or Short Code already exists in this Messaging Service")
        data = handlers.build(target, call, op, f"{target.path}/{number_sid}", number_sid)
        data.update(
            {
                "phone_number": row["phone_number"],
                "country_code": "US",
                "capabilities": ["SMS", "MMS", "Voice"],
                "_id": number_sid,
            }
        )
        records.insert(conn, list_path, account, number_sid, data)
    return Reply(status=op.status, payload=records.public(data, op.properties), element="PhoneNumber")


def sender(conn: sqlite3.Connection, account: str, service: str) -> str:
    """The number a message sent through `service` goes out from.

    Raises:
        ApiError: 404/21701 for a service the account does not have, 400/21704 for one without senders.
    """
    if not records.exists(conn, SERVICES, account, service):
        raise ApiError(404, 21701, f"The Messaging Service {service} does not exist")
    numbers = records.rows(conn, f"{SERVICES}/{service}/PhoneNumbers", account)
    if not numbers:
        raise ApiError(400, 21704, "The Messaging Service contains no phone numbers")
    return str(numbers[0][1]["phone_number"])


OVERRIDES = {("messaging", PHONE_NUMBERS, "POST"): add_number}
