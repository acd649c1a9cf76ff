"""Send an app what Twilio sends it, and judge the answer as Twilio would.

`sms_params` / `voice_params` build the form parameters of an inbound message or call (Twilio's names);
`deliver` signs them with the account's Auth Token, POSTs (or GETs) them to the app with a deadline and a
size cap, and returns an `Answer`: the status, the TwiML, its check, and the Twilio error the app would
see in its Debugger (11200 retrieval failure, 11205 connection failure, 11750 body too large, 12100
unparsable, 12200 schema, 12300 wrong Content-Type). `reply_summary` says what Twilio would do with a
messaging answer; the voice walk lives in `voice_walk`.
"""

from __future__ import annotations

import mimetypes
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx

from twibench.sms import count_segments
from twibench.webhooks import signature, twiml

API_VERSION = "2010-04-01"
MAX_TWIML = 64 * 1024  # Twilio: a TwiML response over 64 KB is error 11750
DEFAULT_TIMEOUT = 15.0  # Twilio waits 15 seconds for a webhook by default
USER_AGENT = "TwilioProxy/1.1 (twibench webhook simulation)"
XML_TYPES = ("text/xml", "application/xml", "text/html")


def new_sid(prefix: str) -> str:
    """A fresh SID of Twilio's shape: two letters and 32 hex digits."""
    return prefix + uuid.uuid4().hex


def _country(number: str) -> str:
    return "US" if number.startswith("+1") else ""


def _geo(prefix: str, number: str) -> list[tuple[str, str]]:
    """Twilio's geographic hints; the sandbox knows no geography, so only the country is filled."""
    return [(f"{prefix}City", ""), (f"{prefix}State", ""), (f"{prefix}Zip", ""), (f"{prefix}Country", _country(number))]


def sms_params(
    account_sid: str,
    from_: str,
    to: str,
    body: str,
    media: Iterable[str] = (),
    messaging_service_sid: str | None = None,
) -> list[tuple[str, str]]:
    """The form parameters of an inbound message webhook, in Twilio's names."""
    sid = new_sid("MM" if media else "SM")
    media = list(media)
    params = [
        ("ToCountry", _country(to)), ("ToState", ""), ("SmsMessageSid", sid),
        ("NumMedia", str(len(media))), ("ToCity", ""), ("FromZip", ""), ("SmsSid", sid),
        ("FromState", ""), ("SmsStatus", "received"), ("FromCity", ""), ("Body", body),
        ("FromCountry", _country(from_)), ("To", to), ("ToZip", ""),
        ("NumSegments", str(max(1, count_segments(body).segments))),
        ("MessageSid", sid), ("AccountSid", account_sid), ("From", from_), ("ApiVersion", API_VERSION),
    ]  # fmt: skip
    if messaging_service_sid:
        params.append(("MessagingServiceSid", messaging_service_sid))
    for index, url in enumerate(media):
        kind = mimetypes.guess_type(urlsplit(url).path)[0] or "image/jpeg"
        params += [(f"MediaUrl{index}", url), (f"MediaContentType{index}", kind)]
    return params


def voice_params(
    account_sid: str, from_: str, to: str, call_sid: str | None = None, status: str = "ringing"
) -> list[tuple[str, str]]:
    """The form parameters of an inbound call's voice webhook, in Twilio's names."""
    return [
        ("AccountSid", account_sid), ("ApiVersion", API_VERSION), ("CallSid", call_sid or new_sid("CA")),
        ("CallStatus", status), ("Called", to), ("Caller", from_), ("Direction", "inbound"),
        ("From", from_), ("To", to), *_geo("From", from_), *_geo("To", to),
    ]  # fmt: skip


@dataclass(frozen=True)
class Answer:
    """What the app answered, judged as Twilio would.

    Attributes:
        url: the URL requested (with the query for a GET).
        status: the HTTP status, or None when the app could not be reached.
        content_type: the answer's Content-Type (lower case, parameters dropped).
        body: the answer's body (at most MAX_TWIML + 1 bytes).
        error_code: the Twilio error the app's Debugger would show, or None.
        error: one sentence saying what went wrong, or None.
        report: the TwiML check, when the body is TwiML.
        elapsed_ms: how long the app took.
    """

    url: str
    status: int | None
    content_type: str
    body: bytes
    error_code: int | None
    error: str | None
    report: twiml.Report | None
    elapsed_ms: float

    @property
    def ok(self) -> bool:
        """A 2xx answer Twilio accepts: valid TwiML (warnings allowed), or plain text/audio where it fits."""
        return self.error_code is None

    @property
    def reachable(self) -> bool:
        """The app answered at all."""
        return self.status is not None


def sign_and_build(
    url: str, params: list[tuple[str, str]], token: str, method: Literal["POST", "GET"] = "POST"
) -> tuple[str, dict[str, str], bytes]:
    """The URL, headers and body Twilio would send: form POST (or query GET), signed."""
    if method == "GET":
        parts = urlsplit(url)
        query = "&".join(q for q in (parts.query, urlencode(params)) if q)
        full = urlunsplit(parts._replace(query=query))
        return full, {signature.HEADER: signature.compute(full, None, token), "User-Agent": USER_AGENT}, b""
    headers = {
        signature.HEADER: signature.compute(url, params, token),
        "Content-Type": "application/x-www-form-urlencoded",
        "User-Agent": USER_AGENT,
    }
    return url, headers, urlencode(params).encode("utf-8")


def judge(url: str, status: int, content_type: str, body: bytes, kind: twiml.Kind, elapsed_ms: float) -> Answer:
    """Judge an app's answer the way Twilio's webhook client does."""

    def answer(code: int | None, error: str | None, report: twiml.Report | None = None) -> Answer:
        return Answer(url, status, content_type, body, code, error, report, elapsed_ms)

    if not 200 <= status < 300:
        return answer(11200, f"the app answered HTTP {status}; Twilio reports 11200 (HTTP retrieval failure)")
    if len(body) > MAX_TWIML:
        return answer(11750, f"the answer is larger than {MAX_TWIML // 1024} KB; Twilio reports 11750")
    if not body.strip():
        if kind == "messaging":
            return answer(None, None)  # an empty answer: no reply, which Twilio accepts
        return answer(12100, "the answer is empty; Twilio reports 12100 (document parse failure)")
    if content_type == "text/plain" and kind == "messaging":
        return answer(None, None)  # Twilio sends a plain-text answer as the reply
    if content_type.startswith("audio/") and kind == "voice":
        return answer(None, None)  # Twilio plays an audio answer
    if content_type and content_type not in XML_TYPES:
        return answer(12300, f"Content-Type {content_type!r} is not TwiML; Twilio reports 12300 (invalid Content-Type)")
    report = twiml.check(body, kind=kind)
    if not report.ok:
        first = report.errors[0]
        return answer(first.code, f"line {first.line}:{first.column}: {first.message}", report)
    return answer(None, None, report)  # warnings (unknown attributes) stay in the report; Twilio runs it


def deliver(
    client: httpx.Client,
    url: str,
    params: list[tuple[str, str]],
    token: str,
    kind: twiml.Kind,
    method: Literal["POST", "GET"] = "POST",
    timeout: float = DEFAULT_TIMEOUT,
) -> Answer:
    """Send one signed webhook and judge the answer; an unreachable app is 11205 with `status` None."""
    full, headers, body = sign_and_build(url, params, token, method)
    start = time.monotonic()
    deadline = start + timeout
    try:
        with client.stream(method, full, headers=headers, content=body or None, timeout=timeout) as response:
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                size += len(chunk)
                if size > MAX_TWIML or time.monotonic() > deadline:
                    break
            data = b"".join(chunks)[: MAX_TWIML + 1]
            if time.monotonic() > deadline:
                raise httpx.ReadTimeout("the app did not finish its answer in time")
            content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            elapsed = (time.monotonic() - start) * 1000
            return judge(full, response.status_code, content_type, data, kind, elapsed)
    except (httpx.HTTPError, OSError) as exc:
        elapsed = (time.monotonic() - start) * 1000
        host = urlsplit(full).netloc
        reason = "did not answer in time" if isinstance(exc, httpx.TimeoutException) else "cannot be reached"
        return Answer(
            full, None, "", b"", 11205, f"{host} {reason}; Twilio reports 11205 (HTTP connection failure)", None,
            elapsed,
        )  # fmt: skip


def reply_summary(report: twiml.Report | None, body: bytes, content_type: str) -> list[str]:
    """What Twilio would do with a messaging answer: `replies with 1 SMS: 'Thanks!'`, redirects, or nothing."""
    if report is None or report.root is None:
        if content_type == "text/plain" and body.strip():
            return [f"replies with 1 SMS: {body.decode('utf-8', 'replace').strip()!r}"]
        return ["sends no reply"]
    lines: list[str] = []
    for node in report.root.children:
        if node.name == "Message":
            text = node.text.strip() or " ".join(c.text.strip() for c in node.children if c.name == "Body")
            media = [c.text.strip() for c in node.children if c.name == "Media"]
            kind = "MMS" if media else "SMS"
            target = f" to {node.attributes['to']}" if "to" in node.attributes else ""
            lines.append(f"replies with 1 {kind}{target}: {text!r}" + (f" with {len(media)} media" if media else ""))
        elif node.name == "Redirect":
            lines.append(f"redirects to {node.text.strip()} ({node.attributes.get('method', 'POST')})")
    return lines or ["sends no reply"]
