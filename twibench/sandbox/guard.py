"""The outermost layer: Twilio's response headers on every answer, and the concurrency limit.

It counts requests from the moment they arrive until their response is sent, so a request still
uploading its body counts as in flight — as it does on Twilio, whose 429/20429 is about concurrency,
not rate. Answers above the limit are sent here, before any other work.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class Guard:
    """ASGI middleware adding `Twilio-Request-Id` / `Twilio-Concurrent-Requests` and enforcing the limit."""

    def __init__(self, app: ASGIApp, limit: int, request_ids: Callable[[], str]) -> None:
        self.app = app
        self.limit = limit
        self.request_ids = request_ids
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Wrap one request."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.in_flight += 1
        try:
            extra = [
                (b"twilio-request-id", self.request_ids().encode()),
                (b"twilio-concurrent-requests", str(self.in_flight).encode()),
            ]
            if self.in_flight > self.limit:
                await _too_many(send, extra, self.limit)
                return

            async def send_with_headers(message: Message) -> None:
                if message["type"] == "http.response.start":
                    message = {**message, "headers": [*message.get("headers", []), *extra]}
                await send(message)

            await self.app(scope, receive, send_with_headers)
        finally:
            self.in_flight -= 1


async def _too_many(send: Send, extra: list[tuple[bytes, bytes]], limit: int) -> None:
    body = json.dumps(
        {
            "code": 20429,
            "message": f"Too many concurrent requests: the sandbox allows {limit} at a time",
            "more_info": "https://www.twilio.com/docs/errors/20429",
            "status": 429,
        }
    ).encode()
    headers = [
        (b"content-type", b"application/json; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"retry-after", b"1"),
        *extra,
    ]
    await send({"type": "http.response.start", "status": 429, "headers": headers})
    await send({"type": "http.response.body", "body": body})
