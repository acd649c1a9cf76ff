"""The inbox: a local receiver that records every callback, checks its signature and answers TwiML.

It is a plain threaded HTTP/1.1 server from the standard library (the server stack stays in
`twibench.sandbox`): each request is read with a size cap, its `X-Twilio-Signature` checked against the
account's Auth Token for the URL the sender used (the public URL when the user runs a tunnel), recorded
redacted in the inbox store, reported to a listener (the CLI prints one line, the TUI's pane updates),
and answered with the configured TwiML. While it runs, its address is published in `inbox.addr` in the
data folder so `{{inbox_url}}` resolves in collections.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl

from twibench import atomic, paths, textsafe
from twibench.webhooks import signature
from twibench.webhooks.inbox_store import Callback, InboxStore

DEFAULT_PORT = paths.INBOX_PORT
MAX_BODY = 1024 * 1024
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?>\n<Response/>\n'


@dataclass
class InboxConfig:
    """How the inbox answers and checks.

    Attributes:
        token: the account's Auth Token that signs callbacks; None: signatures are not checked.
        public_url: the URL the sender sees (a tunnel's https URL); None: `http://` + the Host header.
        twiml: the body answered to every request.
        listener: called with each recorded callback (from the server's threads).
    """

    token: str | None = None
    public_url: str | None = None
    twiml: str = EMPTY_TWIML
    listener: Callable[[Callback], None] | None = None
    store: InboxStore | None = field(default=None, repr=False)


def signed_url(config: InboxConfig, host: str, path: str) -> str:
    """The URL the sender signed: the public URL's origin and path prefix, or the Host it connected to."""
    if config.public_url:
        return config.public_url.rstrip("/") + path
    return f"http://{host}{path}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: without this each answer waits ~40 ms
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the inbox reports through its listener."""

    def _handle(self) -> None:
        config = self.server.config
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self.send_error(413 if length > MAX_BODY else 400)
            return
        body = self.rfile.read(length) if length else b""
        headers = [(k, v) for k, v in self.headers.items()]
        url = signed_url(config, self.headers.get("Host") or "localhost", self.path)
        content_type = (self.headers.get("Content-Type") or "").lower()
        params = (
            parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
            if "x-www-form-urlencoded" in content_type
            else None
        )
        sig = self.headers.get(signature.HEADER)
        if config.token is None:
            verdict = "unchecked" if sig else "unsigned"
        else:
            verdict = signature.check(url, params, sig, config.token, body=body)
        store = config.store
        if store is not None:  # recorded before the answer leaves, so a sender that got its answer sees the row
            callback = store.add(self.command, url, self.path, headers, body, verdict, 200)
            if config.listener is not None:
                config.listener(callback)
        answer = config.twiml.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], config: InboxConfig) -> None:
        self.config = config
        super().__init__(address, _Handler)


class Inbox:
    """A running inbox: `start()` binds and serves in a thread, `stop()` ends it."""

    def __init__(self, store: InboxStore, config: InboxConfig, host: str = "127.0.0.1", port: int = 0) -> None:
        config.store = store
        self.config = config
        self._server = _Server((host, port), config)
        self._thread: threading.Thread | None = None
        self._addr_file: Path | None = None

    @property
    def url(self) -> str:
        """The inbox's own base URL (`http://127.0.0.1:7358`)."""
        host, port = self._server.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else str(host)
        shown = f"[{name}]" if ":" in name else name
        return f"http://{shown}:{port}"

    @property
    def public_url(self) -> str:
        """The URL collections should use: the public one when configured, else the local one."""
        return (self.config.public_url or self.url).rstrip("/")

    def publish(self, addr_file: Path) -> None:
        """Write the public URL to `addr_file` (0600) so `{{inbox_url}}` resolves while the inbox runs."""
        atomic.write_atomic(addr_file, self.public_url + "\n", mode=0o600)
        self._addr_file = addr_file

    def start(self) -> None:
        """Serve in a background thread."""
        self._thread = threading.Thread(target=self._server.serve_forever, name="twibench-inbox", daemon=True)
        self._thread.start()

    def serve_forever(self) -> None:
        """Serve in this thread until `stop()` (from another thread) or KeyboardInterrupt."""
        self._server.serve_forever()

    def stop(self) -> None:
        """Stop serving, close the socket and withdraw the published address."""
        if self._thread is not None:
            self._server.shutdown()  # waits for serve_forever: only when a thread runs it
            self._thread.join(timeout=5)
        self._server.server_close()
        if self._addr_file is not None:
            with contextlib.suppress(OSError):
                self._addr_file.unlink()


def published_url(addr_file: Path) -> str | None:
    """The running inbox's URL from its address file, or None when none is published."""
    return paths.published_inbox_url(addr_file)


def describe(callback: Callback) -> str:
    """One line for a terminal: `POST /status valid` (control characters made visible)."""
    return f"{callback.method} {textsafe.line(callback.path)} {callback.verdict}"
