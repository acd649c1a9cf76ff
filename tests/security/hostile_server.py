"""A deliberately hostile HTTP/1.1 server on 127.0.0.1 for the security tests and `bench/hostile.py`.

It speaks raw HTTP over sockets (no framework) so it can send what a well-behaved server never would:

- `/escape`        400 with a Twilio error whose `message`/`detail`/`more_info` carry ESC/BEL/CSI
                   sequences, a reason phrase and header values with C1 controls (0x9b CSI, 0x9d OSC)
- `/escape-text`   200 text/plain body full of terminal escapes
- `/bomb`          200 `Content-Encoding: gzip`, ~1 MB of gzip that inflates to 1 GiB of zeros
- `/deflate-bomb`  the same as zlib-wrapped deflate
- `/gzip-small`    a small gzip JSON body (the decoder must still work)
- `/br`            `Content-Encoding: br` (unsupported here): bytes that are not for us to decode
- `/drip-headers`  the status line, then one header byte every `interval` seconds (default 1)
- `/drip-body`     headers with Content-Length 10000, then one body byte every `interval` seconds
- `/redirect-bad-port`  302 to http://127.0.0.1:1/ (nothing listens there)
- `/echo`          200 JSON of the request (method, path, headers, body)

Query `?interval=0.2` changes the drip rate. Every handler stops by itself (a drip sends at most
`limit` bytes, default 600) and when the server is stopped. Only loopback is used.
"""

from __future__ import annotations

import gzip
import json
import os
import socket
import socketserver
import tempfile
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

BOMB_SIZE = 1 << 30
"""Decoded size of `/bomb`: 1 GiB of zeros."""

ESC_MESSAGE = "pwned \x1b]0;owned-title\x07\x1b[2J\x1b[31mRED\x1b[0m \x9b1;31m end"
"""The `message` of `/escape`'s Twilio error: set the window title, clear the screen, colour."""


def _compressed_zeros(wbits: int) -> bytes:
    """1 GiB of zeros compressed with zlib (gzip or zlib wrapper), cached on disk across runs."""
    kind = "gzip" if wbits > 15 else "zlib"
    cache = Path(tempfile.gettempdir()) / f"twibench-bomb-{BOMB_SIZE}.{kind}"
    if cache.exists():
        return cache.read_bytes()
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    block = bytes(1 << 20)
    parts = [compressor.compress(block) for _ in range(BOMB_SIZE // len(block))]
    parts.append(compressor.flush())
    data = b"".join(parts)
    tmp = cache.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(cache)
    return data


def gzip_bomb() -> bytes:
    """The `/bomb` body."""
    return _compressed_zeros(16 + zlib.MAX_WBITS)


def deflate_bomb() -> bytes:
    """The `/deflate-bomb` body."""
    return _compressed_zeros(zlib.MAX_WBITS)


class _Handler(socketserver.StreamRequestHandler):
    server: HostileServer

    def handle(self) -> None:
        try:
            line = self.rfile.readline(8192).decode("latin-1").rstrip("\r\n")
            if not line:
                return
            method, target, _ = [*line.split(" ", 2), "", ""][:3]
            headers: list[tuple[str, str]] = []
            while True:
                raw = self.rfile.readline(8192).decode("latin-1").rstrip("\r\n")
                if not raw:
                    break
                name, _, value = raw.partition(":")
                headers.append((name.strip(), value.strip()))
            length = next((int(v) for k, v in headers if k.lower() == "content-length"), 0)
            body = self.rfile.read(min(length, 1 << 20)) if length else b""
            self.route(method, target, headers, body)
        except (ConnectionError, TimeoutError, OSError):
            pass

    def send(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        head = f"HTTP/1.1 {status}\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers)
        head += f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        self.wfile.write(head.encode("latin-1") + body)
        self.wfile.flush()

    def drip(self, data: bytes, interval: float) -> None:
        for i in range(len(data)):
            if self.server.stopping.wait(interval if i else 0):
                return
            self.wfile.write(data[i : i + 1])
            self.wfile.flush()

    def route(self, method: str, target: str, headers: list[tuple[str, str]], body: bytes) -> None:
        parts = urlsplit(target)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        interval = float(query.get("interval", "1"))
        limit = int(query.get("limit", "600"))
        path = parts.path
        self.server.seen.append(f"{method} {target}")
        if path == "/escape":
            error = {
                "code": 21211,
                "message": ESC_MESSAGE,
                "detail": "detail \x1b[5mBLINK\x1b[0m",
                "more_info": "https://example.invalid/\x1b]8;;http://evil/\x07x",
                "status": 400,
            }
            self.send(
                "400 Bad \x9b2J\x9d0;reason\x9c Request",
                [("Content-Type", "application/json"), ("X-Evil", "v\x9b2J\x9d0;hdr\x9c")],
                json.dumps(error).encode(),
            )
        elif path == "/escape-text":
            self.send("200 OK", [("Content-Type", "text/plain")], f"line1\n{ESC_MESSAGE}\r\nline3\x07\n".encode())
        elif path in ("/bomb", "/deflate-bomb"):
            data = gzip_bomb() if path == "/bomb" else deflate_bomb()
            encoding = "gzip" if path == "/bomb" else "deflate"
            self.send("200 OK", [("Content-Type", "application/json"), ("Content-Encoding", encoding)], data)
        elif path == "/gzip-small":
            payload = json.dumps({"ok": True, "encoding": "gzip"}).encode()
            self.send(
                "200 OK", [("Content-Type", "application/json"), ("Content-Encoding", "gzip")], gzip.compress(payload)
            )
        elif path == "/br":
            self.send("200 OK", [("Content-Type", "text/plain"), ("Content-Encoding", "br")], b"\x8b\x02\x80hello\x03")
        elif path == "/drip-headers":
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            self.drip(b"X-Slow: " + b"a" * limit, interval)
        elif path == "/drip-body":
            size = max(limit, 1)
            head = f"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {size}\r\n\r\n"
            self.wfile.write(head.encode())
            self.drip(b"z" * size, interval)
        elif path == "/redirect-bad-port":
            self.send("302 Found", [("Location", "http://127.0.0.1:1/")], b"")
        elif path == "/redirect-bomb":
            data = gzip_bomb()
            self.send("302 Found", [("Location", "/echo"), ("Content-Encoding", "gzip")], data)
        elif path == "/echo":
            echo = {
                "method": method,
                "path": target,
                "headers": headers,
                "body": body.decode("utf-8", "replace"),
            }
            self.send("200 OK", [("Content-Type", "application/json")], json.dumps(echo).encode())
        else:
            self.send("404 Not Found", [("Content-Type", "text/plain")], b"no such route\n")


class HostileServer(socketserver.ThreadingTCPServer):
    """The server; `url` is its base URL. Use `serve()` to run it in a thread."""

    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.stopping = threading.Event()
        self.seen: list[str] = []

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def get_request(self) -> tuple[socket.socket, object]:
        conn, addr = super().get_request()
        conn.settimeout(60)  # a client that stops reading never holds a thread for long
        return conn, addr


@contextmanager
def serve() -> Iterator[HostileServer]:
    """Run a HostileServer in a background thread for the duration of the block."""
    server = HostileServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


if __name__ == "__main__":  # pragma: no cover - manual use: python -m tests.security.hostile_server
    with serve() as running:
        print(running.url, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
