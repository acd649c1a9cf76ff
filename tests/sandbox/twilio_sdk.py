"""Twilio's official helper library (twilio-python) pointed at a sandbox.

The recipe users follow: a `TwilioHttpClient` whose `request` rewrites `https://{product}.twilio.com/…`
to the sandbox's address with `twibench.spec.index.sandbox_path`, passed as `http_client=`.
"""

from __future__ import annotations

from typing import Any

from spec_referee import validate
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from twibench.spec.index import sandbox_path


class SandboxHttpClient(TwilioHttpClient):
    """Sends every Twilio request to the sandbox at `base` (e.g. http://127.0.0.1:7357)."""

    def __init__(self, base: str, check: bool = True) -> None:
        super().__init__()
        self.base = base.rstrip("/")
        self.check = check

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        path = sandbox_path(url)
        assert path is not None, f"not a Twilio URL: {url}"
        return super().request(method, self.base + path, *args, **kwargs)


def sdk_client(base: str, sid: str, token: str, **kwargs: Any) -> Client:
    """A `twilio.rest.Client` talking to the sandbox."""
    return Client(sid, token, http_client=SandboxHttpClient(base), **kwargs)


__all__ = ["SandboxHttpClient", "sdk_client", "validate"]
