"""The Message resource: create (SMS/MMS), list with filters, fetch, redact/cancel, delete; feedback.

A create stores the message with its delivery schedule; its status is then derived from the clock on
every read (see `lifecycle`). Messages created with the test credentials are validated and answered
but not stored, as Twilio does.
"""

from __future__ import annotations

import sqlite3
from typing import Any
from urllib.parse import urlsplit

from twibench.sandbox import credentials as cred
from twibench.sandbox import lifecycle, outbox
from twibench.sandbox.call import Call, Reply
from twibench.sandbox.clock import rfc2822
from twibench.sandbox.errors import ApiError, bad_request, invalid_parameter, not_found
from twibench.sandbox.filters import date_condition
from twibench.sandbox.message_rules import NewMessage, count_segments, validate_create
from twibench.sandbox.paging import envelope, fetch_page, parse_page, pick_filters
from twibench.sandbox.store import RowLike

API = "/2010-04-01"
SMS_PRICE = 0.0079
MMS_PRICE = 0.0200
LIST_FILTERS = ("To", "From", "DateSent", "DateSent<", "DateSent>")


def message_json(row: RowLike, now: float, *, as_created: bool = False) -> dict[str, Any]:
    """A message as Twilio renders it at `now` (property order as in Twilio's spec).

    Args:
        row: the stored message.
        now: the sandbox clock.
        as_created: render the create response (status as stored, never sent yet), even if delivery is
            instant (deterministic mode): Twilio's create always answers `queued` or `scheduled`.
    """
    sid, account = row["sid"], row["account_sid"]
    base = f"{API}/Accounts/{account}/Messages/{sid}"
    if as_created:
        status, sent, updated = row["state"], None, row["updated"]
    else:
        status, sent = lifecycle.status_at(row, now), lifecycle.date_sent(row, now)
        updated = lifecycle.date_updated(row, now)
    return {
        "body": row["body"],
        "num_segments": str(row["num_segments"]),
        "direction": row["direction"],
        "from": row["from_number"],
        "to": row["to_number"],
        "date_updated": rfc2822(updated),
        "price": row["price"] if sent is not None else None,
        "error_message": None,
        "uri": f"{base}.json",
        "account_sid": account,
        "num_media": str(row["num_media"]),
        "status": status,
        "messaging_service_sid": row["messaging_service_sid"],
        "sid": sid,
        "date_sent": rfc2822(sent),
        "date_created": rfc2822(row["created"]),
        "error_code": None,
        "price_unit": "USD",
        "api_version": "2010-04-01",
        "subresource_uris": {"media": f"{base}/Media.json", "feedback": f"{base}/Feedback.json"},
    }


def _values(call: Call, message: NewMessage, sid: str) -> dict[str, Any]:
    now = call.now
    segments = count_segments(message.body, bool(message.media_urls))
    scheduled = message.send_at is not None
    start = message.send_at if message.send_at is not None else now
    delivery = call.ctx.config.effective_delivery_seconds
    price = MMS_PRICE if message.media_urls else SMS_PRICE * segments
    return {
        "sid": sid,
        "account_sid": call.args["account"],
        "to_number": message.to,
        "from_number": message.from_,
        "messaging_service_sid": message.service_sid,
        "body": message.body,
        "direction": "outbound-api",
        "state": "scheduled" if scheduled else "queued",
        "num_segments": segments,
        "num_media": len(message.media_urls),
        "created": now,
        "updated": now,
        "start": start,
        "delivery": delivery,
        "sent_at": lifecycle.sent_time(start, delivery),
        "price": f"{-price:.5f}",
    }


def create(call: Call) -> Reply:
    """POST /Messages.json → 201 `queued` (or `scheduled`); MMS when MediaUrl is given."""
    message = validate_create(call.params, call.now, pick_sender=lambda service: _sender(call, service))
    status_callback = call.params.get("StatusCallback")
    if status_callback is not None and (
        urlsplit(status_callback).scheme not in ("http", "https") or not urlsplit(status_callback).netloc
    ):
        raise bad_request(21609, f"StatusCallback must be a valid http(s) URL, got '{status_callback[:80]}'")
    prefix = "MM" if message.media_urls else "SM"
    callback: str | None = None
    if call.principal.kind == "test":
        # Twilio's test credentials validate and answer, but store nothing.
        values = _values(call, message, call.ctx.sids.new(None, prefix))
    else:
        with call.ctx.store.write() as conn:
            values = _values(call, message, call.ctx.sids.new(conn, prefix))
            columns = ", ".join(values)
            conn.execute(
                f"INSERT INTO messages ({columns}) VALUES ({', '.join('?' * len(values))})",  # noqa: S608
                list(values.values()),
            )
            for url in message.media_urls:
                conn.execute(
                    "INSERT INTO media (sid, account_sid, message_sid, content_type, source_url, created)"
                    " VALUES (?, ?, ?, 'image/png', ?, ?)",
                    (call.ctx.sids.new(conn, "ME"), values["account_sid"], values["sid"], url, values["created"]),
                )
            callback = status_callback or outbox.service_callback(conn, values["account_sid"], message.service_sid)
            if callback:
                outbox.schedule_message(conn, values, callback)
    if callback and call.ctx.dispatcher is not None:
        call.ctx.dispatcher.kick()
    # The create response renders what was just inserted (no read-back needed).
    return Reply(status=201, payload=message_json(values, call.now, as_created=True), element="Message")


def _sender(call: Call, service: str) -> str:
    from twibench.sandbox import messaging_services  # loads the generic layer only when a service is used

    return messaging_services.sender(call.ctx.store.conn, call.args["account"], service)


def _load(conn: sqlite3.Connection, call: Call, sid: str | None = None) -> sqlite3.Row:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM messages WHERE sid = ? AND account_sid = ?", (sid or call.args["sid"], call.args["account"])
    ).fetchone()
    if row is None:
        raise not_found(call.path)
    return row


def fetch(call: Call) -> Reply:
    """GET /Messages/{Sid}.json."""
    row = _load(call.ctx.store.conn, call)
    return Reply(payload=message_json(row, call.now), element="Message", cacheable=True)


def list_messages(call: Call) -> Reply:
    """GET /Messages.json, newest first; filters To, From, DateSent, DateSent<, DateSent>."""
    request = parse_page(call.params)
    filters = pick_filters(call.params, LIST_FILTERS)
    account = call.args["account"]
    now = call.now
    where = "account_sid = ?"
    args: list[object] = [account]
    dated = False
    for name, value in filters:
        if name == "To":
            where += " AND to_number = ?"
            args.append(value)
        elif name == "From":
            where += " AND from_number = ?"
            args.append(value)
        else:
            condition, values = date_condition("sent_at", name.removeprefix("DateSent"), value, name)
            where += f" AND {condition}"
            args.extend(values)
            dated = True
    if dated:
        where += " AND sent_at <= ?"
        args.append(now)
    rows, more = fetch_page(call.ctx.store.conn, "messages", where, args, request)
    records = [message_json(row, now) for row in rows]
    body = envelope(f"{API}/Accounts/{account}/Messages.json", filters, request, "messages", records, rows, more)
    return Reply(payload=body, element="Message", records_key="messages")


def update(call: Call) -> Reply:
    """POST /Messages/{Sid}.json: `Body=` redacts a sent message, `Status=canceled` cancels a scheduled one."""
    body, status = call.params.get("Body"), call.params.get("Status")
    if body is None and status is None:
        raise _invalid_update("set Body to an empty string to redact, or Status=canceled to cancel")
    with call.ctx.store.write() as conn:
        row = _load(conn, call)
        now = call.now
        current = lifecycle.status_at(row, now)
        if status is not None:
            if status != "canceled":
                raise _invalid_update(f"Status can only be 'canceled', not '{status[:20]}'")
            if current != "scheduled":
                raise _invalid_update(f"only a scheduled message can be canceled; this one is '{current}'")
            conn.execute(
                "UPDATE messages SET state = 'canceled', sent_at = NULL, updated = ? WHERE sid = ?", (now, row["sid"])
            )
            pending = conn.execute(
                "SELECT url FROM webhook_jobs WHERE resource_sid = ? AND state = 'pending' LIMIT 1", (row["sid"],)
            ).fetchone()
            outbox.message_canceled(conn, row, pending["url"] if pending else None, now)
        if body is not None:
            if body != "":
                raise _invalid_update("Body can only be set to an empty string (redaction)")
            if current in ("queued", "scheduled", "accepted"):
                raise _invalid_update(f"a message can be redacted once it has left '{current}'")
            conn.execute("UPDATE messages SET body = '', updated = ? WHERE sid = ?", (now, row["sid"]))
        row = _load(conn, call)
    return Reply(payload=message_json(row, call.now), element="Message")


def _invalid_update(why: str) -> ApiError:
    return bad_request(30400, f"Invalid message update: {why}.")


def delete(call: Call) -> Reply:
    """DELETE /Messages/{Sid}.json → 204 once the message is finished, else 20009."""
    if call.args["sid"] == cred.DELETABLE_MESSAGE_SID:
        return Reply(status=204)
    with call.ctx.store.write() as conn:
        row = _load(conn, call)
        status = lifecycle.status_at(row, call.now)
        if status not in lifecycle.FINISHED:
            raise ApiError(
                409, 20009, f"Cannot delete message because delivery has not been completed (status '{status}')."
            )
        conn.execute("DELETE FROM media WHERE message_sid = ?", (row["sid"],))
        conn.execute("DELETE FROM feedback WHERE message_sid = ?", (row["sid"],))
        conn.execute("DELETE FROM messages WHERE sid = ?", (row["sid"],))
    return Reply(status=204)


def feedback(call: Call) -> Reply:
    """POST /Messages/{MessageSid}/Feedback.json: record `Outcome` (confirmed/unconfirmed)."""
    outcome = call.params.get("Outcome") or "confirmed"
    if outcome not in ("confirmed", "unconfirmed"):
        raise invalid_parameter(f"Outcome must be 'confirmed' or 'unconfirmed', got '{outcome[:20]}'")
    with call.ctx.store.write() as conn:
        message = _load(conn, call, call.args["message"])
        now = call.now
        conn.execute(
            "INSERT INTO feedback (message_sid, account_sid, outcome, created, updated) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (message_sid) DO UPDATE SET outcome = excluded.outcome, updated = excluded.updated",
            (message["sid"], message["account_sid"], outcome, now, now),
        )
        row = conn.execute("SELECT * FROM feedback WHERE message_sid = ?", (message["sid"],)).fetchone()
    base = f"{API}/Accounts/{row['account_sid']}/Messages/{row['message_sid']}"
    payload = {
        "account_sid": row["account_sid"],
        "message_sid": row["message_sid"],
        "outcome": row["outcome"],
        "date_created": rfc2822(row["created"]),
        "date_updated": rfc2822(row["updated"]),
        "uri": f"{base}/Feedback.json",
    }
    return Reply(payload=payload, element="MessageFeedback")
