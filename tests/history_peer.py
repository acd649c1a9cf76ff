"""A loopback HTTP peer for the history tests that hands secrets back in every way it can.

It echoes the request's Authorization header (the base64 `user:secret` form) in a response header and
in the body, echoes the query string and the form body (URL-encoded secrets), and adds Twilio's secret
JSON fields (`auth_token`, `secret`) — so a history that stores anything unredacted is caught.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from tests.loopback import LoopbackServer, Recorded, serve

# Values the peer itself issues: not any profile's secret, but Twilio's secret fields must be masked.
SERVER_AUTH_TOKEN = "peer-issued-auth-token-0f0f0f0f"
SERVER_KEY_SECRET = "peer-issued-key-secret-a1a1a1a1"


Peer = LoopbackServer
Seen = Recorded


def _echo(request: Recorded) -> tuple[int, list[tuple[str, str]], bytes]:
    auth = request.headers.get("Authorization", "")
    path, _, query = request.path.partition("?")
    body = request.body
    echo: dict[str, object] = {
        "sid": "SM" + "a" * 32,
        "auth_token": SERVER_AUTH_TOKEN,
        "secret": SERVER_KEY_SECRET,
        "echo_authorization": auth,
        "echo_query": query,
        "echo_body": body.decode("utf-8", "replace"),
    }
    status = 201 if request.method == "POST" else 200
    if path.endswith("/Bad.json"):
        status = 400
        echo = {
            "code": 21211,
            "message": f"The 'To' number is not valid: {body.decode('utf-8', 'replace')}",
            "more_info": "https://www.twilio.com/docs/errors/21211",
            "status": 400,
        }
    headers = [
        ("Content-Type", "application/json"),
        ("X-Echo-Authorization", auth),
        ("Twilio-Request-Id", "RQ" + "2" * 32),
    ]
    return status, headers, json.dumps(echo).encode()


@contextmanager
def running_peer() -> Iterator[Peer]:
    """Serve a peer on a free loopback port until the block ends."""
    with serve(_echo) as peer:
        yield peer
