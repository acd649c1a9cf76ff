"""Validation of a new message, in Twilio's order and with Twilio's codes, plus segment counting.

The magic numbers of Twilio's test credentials apply to every sandbox credential, and the sandbox adds
two of its own so 500 and 503 can be seen offline (To +15005559500 and +15005559503).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from twibench import sms
from twibench.sandbox import credentials as cred
from twibench.sandbox.call import Params
from twibench.sandbox.errors import ApiError, bad_request, invalid_parameter

MAX_BODY_CHARS = 1600
MAX_MEDIA = 10
SCHEDULE_MIN_SECONDS = 15 * 60
SCHEDULE_MAX_SECONDS = 35 * 24 * 3600
OWNED_NUMBERS = frozenset({cred.PHONE_NUMBER})

_E164 = re.compile(r"^\+[1-9]\d{1,14}$")
_SERVICE_SID = re.compile(r"^MG[0-9a-fA-F]{32}$")
_CHANNEL = re.compile(r"^(whatsapp|messenger|rcs):", re.IGNORECASE)


@dataclass
class NewMessage:
    """A message that passed validation."""

    to: str
    from_: str
    body: str
    media_urls: list[str] = field(default_factory=list)
    service_sid: str | None = None
    send_at: float | None = None
    """Set for a scheduled message (ScheduleType=fixed with a Messaging Service)."""


def count_segments(body: str, has_media: bool) -> int:
    """How many segments Twilio reports: an MMS (or an empty body) is 1, else the SMS rules in twibench.sms."""
    if has_media or not body:
        return 1
    return sms.count_segments(body).segments


def validate_create(params: Params, now: float, pick_sender: Callable[[str], str] | None = None) -> NewMessage:
    """Check a create request as Twilio does, first failure wins.

    Raises:
        ApiError: 400 with 21604/21603/21602/21617/21623/21620/21655/21212/21606/21211/21612/21408/
            21610/21614/35114, 429/21611, 500/20500 or 503/20503.
    """
    to = params.get("To") or ""
    from_ = params.get("From") or ""
    service = params.get("MessagingServiceSid") or ""
    body = params.get("Body") or ""
    media = [url for url in params.getall("MediaUrl") if url]
    if not to:
        raise bad_request(21604, "A 'To' phone number is required.")
    if not from_ and not service:
        raise bad_request(21603, "A 'From' phone number is required.")
    if params.get("ContentSid"):
        raise bad_request(21655, "The ContentSid is Invalid (the sandbox has no Content templates).")
    if not body and not media:
        raise bad_request(21602, "Message body is required.")
    if len(body) > MAX_BODY_CHARS:
        raise bad_request(21617, f"The concatenated message body exceeds the {MAX_BODY_CHARS} character limit.")
    if len(media) > MAX_MEDIA:
        raise bad_request(21623, f"Too many media URLs: at most {MAX_MEDIA} are allowed, got {len(media)}.")
    for url in media:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise bad_request(21620, f"Invalid media URL(s): '{url[:80]}'")
    if service and not _SERVICE_SID.match(service):
        raise invalid_parameter(f"MessagingServiceSid '{service[:40]}' is not a Messaging Service SID (MG…)")
    # Without From, a Messaging Service picks one of its senders (see messaging_services.sender).
    fallback = pick_sender(service) if pick_sender and not from_ else cred.PHONE_NUMBER
    sender = _check_from(from_) if from_ else fallback
    _check_to(to, sender)
    send_at = _schedule(params, now) if service else None
    return NewMessage(to=to, from_=sender, body=body, media_urls=media, service_sid=service or None, send_at=send_at)


def _check_from(from_: str) -> str:
    number = _CHANNEL.sub("", from_)
    if number == "+15005550001" or not _E164.match(number):
        raise bad_request(
            21212, f"The 'From' number {from_} is not a valid phone number, shortcode, or alphanumeric sender ID."
        )
    if number == "+15005550008":
        raise ApiError(429, 21611, "This 'From' number has exceeded the maximum number of queued messages.")
    if number not in OWNED_NUMBERS:
        raise bad_request(
            21606,
            f"The 'From' phone number provided ({from_}) is not a valid message-capable Twilio phone "
            "number for this destination/account.",
        )
    return from_


def _check_to(to: str, sender: str) -> None:
    number = _CHANNEL.sub("", to)
    if number == "+15005550001" or not _E164.match(number):
        raise bad_request(21211, f"The 'To' number {to} is not a valid phone number.")
    if number == "+15005550002":
        raise bad_request(
            21612,
            f"The 'To' phone number: {to}, is not currently reachable using the 'From' phone number: {sender} via SMS.",
        )
    if number == "+15005550003":
        raise bad_request(
            21408, f"Permission to send an SMS has not been enabled for the region indicated by the 'To' number: {to}."
        )
    if number == "+15005550004":
        raise bad_request(21610, "Attempt to send to unsubscribed recipient")
    if number == "+15005550009":
        raise bad_request(21614, f"'To' number {to} is not a valid mobile number")
    if number == "+15005559500":
        raise ApiError(500, 20500, "An internal server error has occurred")
    if number == "+15005559503":
        raise ApiError(503, 20503, "Service is unavailable. Please try again", headers={"Retry-After": "1"})


def _schedule(params: Params, now: float) -> float | None:
    """SendAt for ScheduleType=fixed (only with a Messaging Service, as on Twilio; without one the
    scheduling parameters are dropped and the message is sent at once)."""
    kind = params.get("ScheduleType")
    if not kind:
        return None
    if kind != "fixed":
        raise invalid_parameter(f"ScheduleType must be 'fixed', got '{kind[:20]}'")
    raw = (params.get("SendAt") or "").strip()
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise bad_request(35114, "Scheduling does not support this timestamp: SendAt must be ISO 8601") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    send_at = moment.timestamp()
    if not SCHEDULE_MIN_SECONDS <= send_at - now <= SCHEDULE_MAX_SECONDS:
        raise bad_request(
            35114, "Scheduling does not support this timestamp: SendAt must be 15 minutes to 35 days ahead"
        )
    return send_at
