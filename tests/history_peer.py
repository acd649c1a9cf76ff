"""A loopback HTTP peer for the history tests that hands secrets back in every way it can.

It echoes the request's Authorization header (the base64 `user:secret` form) in a response header and
in the body, echoes the query string and the form body (URL-encoded secrets), and adds Twilio's secret
JSON fields (`auth_token`, `secret`) — so a history that stores anything unredacted is caught.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Values the peer itself issues: not any profile's secret, but Twilio's secret fields must be masked.
SERVER_AUTH_TOKEN = "peer-issued-auth-token-0f0f0f0f"
SERVER_KEY_SECRET = "peer-issued-key-secret-a1a1a1a1"


@dataclass
class Seen:
    """One request as the peer received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Peer:
    """A running peer: its address and what it received."""

    port: int
    requests: list[Seen] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _handler(peer: Peer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            peer.requests.append(Seen(self.command, self.path, dict(self.headers.items()), body))
            auth = self.headers.get("Authorization", "")
            path, _, query = self.path.partition("?")
            echo = {
                "sid": "SM" + "a" * 32,
                "auth_token": SERVER_AUTH_TOKEN,
                "secret": SERVER_KEY_SECRET,
                "echo_authorization": auth,
                "echo_query": query,
                "echo_body": body.decode("utf-8", "replace"),
            }
            status = 201 if self.command == "POST" else 200
            if path.endswith("/Bad.json"):
                status = 400
                echo = {
                    "code": 21211,
                    "message": f"The 'To' number is not valid: {body.decode('utf-8', 'replace')}",
                    "more_info": "https://www.twilio.com/docs/errors/21211",
                    "status": 400,
                }
            payload = json.dumps(echo).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("X-Echo-Authorization", auth)
            self.send_header("Twilio-Request-Id", "RQ" + "2" * 32)
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _answer

    return Handler


@contextmanager
def running_peer() -> Iterator[Peer]:
    """Serve a peer on a free loopback port until the block ends."""
    peer = Peer(port=0)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(peer))
    peer.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield peer
    finally:
        server.shutdown()
        server.server_close()
