"""A loopback HTTP server for tests: records every request and answers through a function.

Each test module decides what its peer answers (a Twilio-like fixture, an echo of secrets…); the
threading, recording and shutdown live here once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Recorded:
    """One request as the server received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class LoopbackServer:
    """A running server: its port and the requests it received, oldest first."""

    port: int
    requests: list[Recorded] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


Answer = Callable[[Recorded], tuple[int, list[tuple[str, str]], bytes]]
"""Given a request, the status, extra headers and body to answer with."""


def _handler(state: LoopbackServer, answer: Answer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            """Keep test output quiet."""

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            recorded = Recorded(self.command, self.path, dict(self.headers.items()), body)
            state.requests.append(recorded)
            status, headers, payload = answer(recorded)
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _answer

    return Handler


@contextmanager
def serve(answer: Answer) -> Iterator[LoopbackServer]:
    """Serve on a free 127.0.0.1 port until the block ends."""
    state = LoopbackServer(port=0)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state, answer))
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
