"""A raw TCP peer on 127.0.0.1 that records every byte it receives (a hostile host, or a fake proxy).

Unlike the parsing loopback server, it counts connections and keeps the bytes even of a request that
is not valid HTTP, so a test can assert that a host received *nothing*. It answers each request with
a fixed HTTP response (or a redirect), one request per connection.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class RawPeer:
    """What the peer received: one bytes object per connection."""

    port: int = 0
    received: list[bytes] = field(default_factory=list)
    answer: bytes = b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"ok":true}'

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def netloc(self) -> str:
        return f"127.0.0.1:{self.port}"

    def everything(self) -> bytes:
        return b"".join(self.received)

    def redirect_to(self, location: str, status: int = 307) -> None:
        self.answer = f"HTTP/1.1 {status} Moved\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n".encode()


def _read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip() or 0)
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        rest += chunk
    return head + b"\r\n\r\n" + rest


@contextmanager
def raw_peer() -> Iterator[RawPeer]:
    """Listen on a free 127.0.0.1 port until the block ends."""
    peer = RawPeer()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.05)
    peer.port = listener.getsockname()[1]
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(5)
                try:
                    peer.received.append(_read_request(conn))
                    conn.sendall(peer.answer)
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield peer
    finally:
        stop.set()
        thread.join(5)
        listener.close()
