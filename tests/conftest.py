"""Shared fixtures: an isolated TWIBENCH_HOME and a loopback HTTP server that records what it receives."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

TWILIO_ENV = (
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_API_KEY",
    "TWILIO_API_SECRET",
    "TWILIO_REGION",
    "TWILIO_EDGE",
)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point TWIBENCH_HOME at an empty folder and clear Twilio environment variables."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("TWIBENCH_HOME", str(folder))
    for name in TWILIO_ENV:
        monkeypatch.delenv(name, raising=False)
    return folder


@dataclass
class Recorded:
    """One request as the loopback server received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class LoopbackServer:
    """A local HTTP server: answers by path and records every request."""

    port: int
    requests: list[Recorded] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _handler(server_state: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            """Keep test output quiet."""

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            server_state.requests.append(Recorded(self.command, self.path, dict(self.headers.items()), body))
            path = self.path.split("?")[0]
            status, payload, ctype = 200, b"", "application/json"
            if path.endswith("/Messages.json") and self.command == "POST":
                status = 201
                payload = json.dumps({"sid": "SM" + "0" * 32, "status": "queued", "body": "hi"}).encode()
            elif path.endswith("/Bad.json"):
                status = 400
                payload = json.dumps(
                    {
                        "code": 21211,
                        "message": "The 'To' number 123 is not a valid phone number.",
                        "more_info": "https://www.twilio.com/docs/errors/21211",
                        "status": 400,
                    }
                ).encode()
            elif path.endswith("/Echo.json"):
                payload = json.dumps({"auth_token": "leaked-token-value", "ok": True}).encode()
            elif path.endswith("/Binary"):
                payload, ctype = bytes(range(256)) * 4, "application/octet-stream"
            else:
                payload = json.dumps({"path": path}).encode()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("Twilio-Request-Id", "RQ" + "1" * 32)
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _answer

    return Handler


@pytest.fixture
def loopback() -> Iterator[LoopbackServer]:
    """A loopback HTTP server on a free port, for the duration of one test."""
    state = LoopbackServer(port=0)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
