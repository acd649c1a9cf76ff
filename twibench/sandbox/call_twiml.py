"""A sandbox call runs its TwiML: fetched from the app when the call is answered, then walked.

The answer job (see `outbox`) fetches the call's `Url` as Twilio does — signed with the account's Auth
Token, with the voice parameters (`Direction=outbound-api`, `CallStatus=in-progress`) — or takes the
inline `Twiml`, and walks it with `twibench.webhooks.voice_walk` (the same rules as `twibench webhook
voice`): what the caller hears, `<Gather>` posting the digits set with `POST /_sandbox/calls/{Sid}/digits`
(one entry per `<Gather>`; none: the timeout path), `<Redirect>` fetching again. Every unusable answer
(11200, 11205, 11750, 12100, 12200, 12300) becomes a Monitor alert, and the caller hears Twilio's
application-error message. The transcript is kept with the call (`GET /_sandbox/calls/{Sid}/transcript`).
Only loopback URLs are fetched unless `sandbox.webhook_hosts` allows more.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlencode

import httpx

from twibench.sandbox import webhook_policy
from twibench.sandbox.delivery import CALLS, auth_token, load_call, voice_params
from twibench.webhooks import simulate, voice_walk
from twibench.webhooks.simulate import Answer

if TYPE_CHECKING:
    from twibench.sandbox.delivery import Worker

INLINE = "(inline Twiml)"
APPLICATION_ERROR = "says 'We are sorry, an application error has occurred. Goodbye.' and hangs up"


def answer(store: Any, client: httpx.Client, worker: Worker, job: sqlite3.Row) -> dict[str, Any]:
    """Run the answer job: fetch and walk the call's TwiML, keep the transcript, alert on failures."""
    from twibench.sandbox.generic import records

    account, sid = job["account_sid"], job["resource_sid"]
    data = load_call(store.conn, account, sid)
    if data is None or data.get("_state") == "canceled":
        return {"skipped": "the call was canceled or deleted before it was answered"}
    voice = data.get("_voice") or {}
    token = auth_token(store.conn, account)
    if token is None or not (voice.get("url") or voice.get("twiml")):
        return {"skipped": "no Url or Twiml to run"}
    fetched: list[dict[str, Any]] = []

    def fetch(url: str, how: Literal["POST", "GET"], params: list[tuple[str, str]]) -> Answer:
        if url == INLINE:
            result = simulate.judge(INLINE, 200, "text/xml", str(voice["twiml"]).encode("utf-8"), "voice", 0.0)
        else:
            target, overrides = webhook_policy.split(url)
            refused = webhook_policy.refusal(target, worker.config.webhook_hosts)
            if refused is not None:
                result = Answer(target, None, "", b"", 11205, refused, None, 0.0)
            else:
                result = simulate.deliver(client, target, params, token, "voice", how, overrides.total)
        fetched.append({"method": how, "url": result.url, "status": result.status, "error_code": result.error_code})
        if result.error_code is not None:
            worker.alert(
                store, job, result.error_code, result.error or "", result.url,
                request_variables=urlencode(params), response_body=result.body.decode("utf-8", "replace"),
            )  # fmt: skip
        return result

    first = voice.get("url") or INLINE
    method: Literal["POST", "GET"] = "GET" if voice.get("method") == "GET" else "POST"
    digits = list(data.get("_digits") or [])
    transcript = voice_walk.walk(fetch, first, voice_params(data, "in-progress"), digits, method)
    if transcript.ended == "failed":
        transcript.say(APPLICATION_ERROR)
    kept = {
        "lines": transcript.lines,
        "fetches": fetched,
        "seconds": round(transcript.seconds, 1),
        "ended": transcript.ended,
        "error_code": transcript.error_code,
    }
    with store.write() as conn:
        current = load_call(conn, account, sid)
        if current is not None:
            current["_transcript"] = kept
            records.save(conn, CALLS.format(account=account), account, sid, current)
    return {"fetches": len(fetched), "ended": transcript.ended, "error_code": transcript.error_code}
