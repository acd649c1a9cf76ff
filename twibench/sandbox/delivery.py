"""Sending one status callback as Twilio does: signed, form-encoded, retried per the URL's overrides.

The request is signed with the account's primary Auth Token (`accounts.auth_token`, a subaccount's own
for its resources; never an API key secret) over the URL without its fragment. A non-2xx answer is
Twilio's 11200 (HTTP retrieval failure), a connection that fails or times out 11205 (HTTP connection
failure), a host the sandbox may not call 11205 too; each failure is recorded as a Monitor alert.
"""

from __future__ import annotations

import json
import sqlite3
import time
from typing import TYPE_CHECKING, Any, Literal, Protocol
from urllib.parse import urlencode

import httpx

from twibench.sandbox import outbox, webhook_policy
from twibench.sandbox.clock import rfc2822
from twibench.webhooks import simulate
from twibench.webhooks.simulate import sign_and_build

if TYPE_CHECKING:
    from twibench.sandbox.clock import Clock
    from twibench.sandbox.config import SandboxConfig


class Worker(Protocol):
    """What sending a webhook needs of the worker running it (the dispatcher): its settings, its clock,
    and recording an alert. A protocol, so this module never imports the dispatcher that imports it."""

    config: SandboxConfig
    clock: Clock

    def alert(self, store: Any, job: sqlite3.Row, code: int, message: str, url: str, **extra: str) -> None:
        """Record a Monitor alert for a failed webhook of `job`."""


CALLS = "/2010-04-01/Accounts/{account}/Calls"
CALL_STATUS = {"initiated": "initiated", "ringing": "ringing", "answered": "in-progress"}


def auth_token(conn: sqlite3.Connection, account: str) -> str | None:
    """The account's primary Auth Token, which signs its webhooks."""
    row = conn.execute("SELECT auth_token FROM accounts WHERE sid = ?", (account,)).fetchone()
    return None if row is None else str(row[0])


def load_call(conn: sqlite3.Connection, account: str, sid: str) -> dict[str, Any] | None:
    """A stored call's data (private keys included)."""
    from twibench.sandbox.generic import records

    return records.load(conn, CALLS.format(account=account), account, sid)


def voice_params(data: dict[str, Any], status: str) -> list[tuple[str, str]]:
    """The parameters Twilio sends with every request about an outbound-api call."""
    to, from_ = str(data.get("to") or ""), str(data.get("from") or "")
    params = simulate.voice_params(str(data.get("account_sid") or ""), from_, to, str(data.get("sid") or ""), status)
    return [(name, "outbound-api" if name == "Direction" else value) for name, value in params]


def call_event_params(store: Any, job: sqlite3.Row, now: float) -> list[tuple[str, str]] | None:
    """A call status callback's parameters at `now` (None when the call is gone); bumps its SequenceNumber."""
    from twibench.sandbox.calls import view_at
    from twibench.sandbox.generic import records

    account, sid, event = job["account_sid"], job["resource_sid"], job["event"]
    with store.write() as conn:
        data = load_call(conn, account, sid)
        if data is None:
            return None
        sequence = int(data.get("_seq", 0))
        data["_seq"] = sequence + 1
        records.save(conn, CALLS.format(account=account), account, sid, data)
    shown = view_at(data, now)
    status = CALL_STATUS.get(event) or str(shown["status"])
    params = voice_params(data, status)
    if event == "completed":
        params += [("CallDuration", str(shown.get("duration") or "0")), ("Duration", _minutes(shown))]
    params += [
        ("Timestamp", rfc2822(now) or ""), ("SequenceNumber", str(sequence)),
        ("CallbackSource", "call-progress-events"),
    ]  # fmt: skip
    return params


def _minutes(shown: dict[str, Any]) -> str:
    seconds = int(shown.get("duration") or 0)
    return str(-(-seconds // 60))


def send_job(store: Any, client: httpx.Client, worker: Worker, job: sqlite3.Row) -> dict[str, Any]:
    """Send a `callback` or `call-event` job; returns what happened (kept in the job's `result`)."""
    now = worker.clock.now()
    if job["kind"] == outbox.CALL_EVENT:
        params = call_event_params(store, job, now)
        if params is None:
            return {"skipped": "the call no longer exists"}
    else:
        params = [(str(k), str(v)) for k, v in json.loads(job["params"])]
    token = auth_token(store.conn, job["account_sid"])
    if token is None:
        return {"skipped": "the account no longer exists"}
    return send(store, client, worker, job, job["url"], job["method"], params, token)


def send(
    store: Any,
    client: httpx.Client,
    worker: Worker,
    job: sqlite3.Row,
    url: str,
    method: str,
    params: list[tuple[str, str]],
    token: str,
) -> dict[str, Any]:
    """POST (or GET) the signed parameters, retrying per the fragment's overrides; alert on failure."""
    target, overrides = webhook_policy.split(url)
    refused = webhook_policy.refusal(target, worker.config.webhook_hosts)
    variables = urlencode(params)
    if refused is not None:
        worker.alert(store, job, 11205, refused, target, request_variables=variables)
        return {"error_code": 11205, "error": refused}
    how: Literal["POST", "GET"] = "GET" if method.upper() == "GET" else "POST"
    full, headers, body = sign_and_build(target, params, token, how)
    timeout = httpx.Timeout(overrides.read, connect=overrides.connect)
    deadline = time.monotonic() + overrides.total
    attempts = 0
    while True:
        attempts += 1
        code, message, kind, status, answer = _attempt(client, how, full, headers, body, timeout)
        if code is None:
            return {"status": status, "attempts": attempts, "url": full}
        if attempts > overrides.retries or not overrides.retry_on(kind) or time.monotonic() >= deadline:
            worker.alert(store, job, code, message, full, request_variables=variables, response_body=answer)
            return {"status": status, "attempts": attempts, "error_code": code, "error": message, "url": full}


def _attempt(
    client: httpx.Client, method: str, url: str, headers: dict[str, str], body: bytes, timeout: httpx.Timeout
) -> tuple[int | None, str, str, int | None, str]:
    """One try: (error code or None, message, failure kind for the retry policy, HTTP status, answer text)."""
    try:
        response = client.request(method, url, headers=headers, content=body or None, timeout=timeout)
    except httpx.ConnectError:
        return 11205, f"{url} cannot be reached (connection refused or failed)", "ct", None, ""
    except httpx.ConnectTimeout:
        return 11205, f"{url} did not accept the connection in time", "ct", None, ""
    except httpx.TimeoutException:
        return 11205, f"{url} did not answer in time", "rt", None, ""
    except httpx.HTTPError as exc:
        return 11205, f"{url} failed: {type(exc).__name__}", "ct", None, ""
    if 200 <= response.status_code < 300:
        return None, "", "", response.status_code, ""
    kind = "4xx" if response.status_code < 500 else "5xx"
    text = response.text[:4096]
    return 11200, f"{url} answered HTTP {response.status_code}", kind, response.status_code, text
