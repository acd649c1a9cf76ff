"""The webhook outbox: what the sandbox must send to the user's app, and when.

A state change never sends anything itself: the request that creates a message or a call writes jobs
into the `webhook_jobs` table (in the same transaction), each due at the moment its status change
happens on the sandbox clock, and the webhook worker (`dispatcher`) sends them. So a create answers at
once, a job survives the process that wrote it (another sandbox on the same state file sends it), and
deterministic runs send the same requests in the same order.

Kinds:
- `callback`: a form POST (or GET) whose parameters were fixed when it was written (message statuses);
- `call-event`: a call's status callback, its parameters built when it is sent (Timestamp, duration);
- `call-answer`: fetch the call's TwiML (its `Url`, or the inline `Twiml`) and walk it.

Twilio sends no callback for a new message's `queued` (only later changes), and nothing for requests
made with the test credentials (they store nothing).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from twibench.sandbox import lifecycle

API_VERSION = "2010-04-01"
CALLBACK = "callback"
CALL_EVENT = "call-event"
CALL_ANSWER = "call-answer"
CALL_EVENTS = ("initiated", "ringing", "answered", "completed")


def enqueue(
    conn: sqlite3.Connection,
    due: float,
    kind: str,
    account: str,
    resource_sid: str,
    event: str,
    url: str = "",
    method: str = "POST",
    params: list[tuple[str, str]] | dict[str, Any] | None = None,
) -> None:
    """Write one job (call inside the write transaction that changed the state)."""
    conn.execute(
        "INSERT INTO webhook_jobs (due, kind, account_sid, resource_sid, event, url, method, params)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (due, kind, account, resource_sid, event, url, method.upper(), json.dumps(params or [])),
    )


def message_params(values: Any, status: str) -> list[tuple[str, str]]:
    """A message status callback's parameters, in Twilio's names."""
    sid = str(values["sid"])
    params = [
        ("SmsSid", sid), ("SmsStatus", status), ("MessageStatus", status), ("To", str(values["to_number"])),
        ("MessageSid", sid), ("AccountSid", str(values["account_sid"])), ("From", str(values["from_number"] or "")),
        ("ApiVersion", API_VERSION),
    ]  # fmt: skip
    if values["messaging_service_sid"]:
        params.append(("MessagingServiceSid", str(values["messaging_service_sid"])))
    return params


def service_callback(conn: sqlite3.Connection, account: str, service_sid: str | None) -> str | None:
    """A Messaging Service's `status_callback`, used when the message names none."""
    if not service_sid:
        return None
    from twibench.sandbox.generic import records
    from twibench.sandbox.messaging_services import SERVICES

    data = records.load(conn, SERVICES, account, service_sid)
    url = (data or {}).get("status_callback")
    return str(url) if url else None


def schedule_message(conn: sqlite3.Connection, values: Any, url: str) -> None:
    """Jobs for a new message's sending → sent → delivered, each due at its transition."""
    start, delivery = float(values["start"]), float(values["delivery"])
    for status, due in zip(("sending", "sent", "delivered"), lifecycle.transitions(start, delivery), strict=True):
        params = message_params(values, status)
        enqueue(conn, due, CALLBACK, str(values["account_sid"]), str(values["sid"]), status, url, "POST", params)


def message_canceled(conn: sqlite3.Connection, row: Any, url: str | None, now: float) -> None:
    """A scheduled message was canceled: its pending status jobs go, a `canceled` callback comes."""
    conn.execute("DELETE FROM webhook_jobs WHERE resource_sid = ? AND state = 'pending'", (row["sid"],))
    if url:
        params = message_params(row, "canceled")
        enqueue(conn, now, CALLBACK, str(row["account_sid"]), str(row["sid"]), "canceled", url, "POST", params)


def call_events(values: list[str]) -> list[str]:
    """The `StatusCallbackEvent` values (repeated, or space-separated in one), in Twilio's order; the
    default is `completed` only."""
    wanted = {word.lower() for value in values for word in value.split()}
    chosen = [event for event in CALL_EVENTS if event in wanted]
    return chosen or ["completed"]


def schedule_call(
    conn: sqlite3.Connection, account: str, sid: str, start: float, span: float, callback: dict[str, Any] | None
) -> None:
    """Jobs for a new call, each due when its status changes on the sandbox clock.

    `initiated` at once, `ringing` a quarter in, then at answer time the TwiML fetch followed by
    `answered`, and `completed` at the end (only the events `StatusCallbackEvent` asked for).
    """
    from twibench.sandbox.lifecycle import RING_SHARE

    answered = start + span * 2 * RING_SHARE
    ringing = start + span * RING_SHARE
    moments = {"initiated": start, "ringing": ringing, "answered": answered, "completed": start + span}
    for event in ("initiated", "ringing"):
        if callback is not None and event in callback["events"]:
            enqueue(conn, moments[event], CALL_EVENT, account, sid, event, callback["url"], callback["method"])
    enqueue(conn, answered, CALL_ANSWER, account, sid, "answer")
    for event in ("answered", "completed"):
        if callback is not None and event in callback["events"]:
            enqueue(conn, moments[event], CALL_EVENT, account, sid, event, callback["url"], callback["method"])


def call_ended(conn: sqlite3.Connection, account: str, sid: str, callback: dict[str, Any] | None, now: float) -> None:
    """A call was canceled or hung up by the API: pending progress jobs go, `completed` is due now."""
    conn.execute(
        "DELETE FROM webhook_jobs WHERE resource_sid = ? AND state = 'pending' AND kind IN (?, ?)",
        (sid, CALL_EVENT, CALL_ANSWER),
    )
    if callback is not None and "completed" in callback["events"]:
        enqueue(conn, now, CALL_EVENT, account, sid, "completed", callback["url"], callback["method"])
