"""Serving the sandbox with uvicorn: in the foreground (`twibench sandbox`) or in a background thread.

The listening socket is bound here, before uvicorn starts, so the port (0 = any free one) is known at
once and a busy port is a clear error rather than a uvicorn log line. uvicorn never configures logging
(`log_config=None`) and writes no access log: nothing may reach the terminal under the TUI.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import threading
from collections.abc import Generator
from types import FrameType

import uvicorn
from starlette.types import ASGIApp

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (IPv4 or IPv6).

    Raises:
        OSError: the address is in use or not available.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio turns on TCP_NODELAY only for sockets that say they are TCP, and
    # without it every response waits ~40 ms for the client's delayed ACK (headers and body are two writes).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


def base_url(sock: socket.socket) -> str:
    """`http://host:port` of a bound socket (a wildcard address is shown as loopback)."""
    host, port = sock.getsockname()[:2]
    if host in ("0.0.0.0", ""):  # noqa: S104 (recognising the wildcard, not binding it)
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class SandboxServer(uvicorn.Server):
    """A uvicorn server that reports when it serves and stops on SIGINT/SIGTERM without re-raising them."""

    def __init__(self, app: ASGIApp) -> None:
        config = uvicorn.Config(
            app,
            log_config=None,
            access_log=False,
            lifespan="off",
            http="h11",
            loop="asyncio",
            server_header=False,
            timeout_graceful_shutdown=2,
        )
        super().__init__(config)
        self.serving = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """Start listening, then tell waiting threads."""
        await super().startup(sockets=sockets)
        self.serving.set()

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        """In the main thread, make Ctrl+C and SIGTERM stop the server gracefully and nothing more.

        uvicorn's own handler re-raises the signal after shutting down, which would end the CLI with a
        KeyboardInterrupt traceback; here the CLI simply returns 0.
        """
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def on_signal(signum: int, frame: FrameType | None) -> None:
            if self.should_exit:
                self.force_exit = True
            self.should_exit = True

        previous = {sig: signal.signal(sig, on_signal) for sig in STOP_SIGNALS}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


class BackgroundServer:
    """A sandbox served by uvicorn in a daemon thread of this process."""

    def __init__(self, app: ASGIApp, sock: socket.socket) -> None:
        self.server = SandboxServer(app)
        self.sock = sock
        self.url = base_url(sock)
        self.thread = threading.Thread(target=self._run, name=f"twibench-sandbox {self.url}", daemon=True)
        self.error: BaseException | None = None

    def _run(self) -> None:
        try:
            self.server.run(sockets=[self.sock])
        except BaseException as exc:  # reported to the starting thread, never printed
            self.error = exc
        finally:
            self.server.serving.set()

    def start(self, timeout: float = 10.0) -> None:
        """Start the thread and wait until the server accepts requests.

        Raises:
            RuntimeError: the server failed to start.
        """
        self.thread.start()
        if not self.server.serving.wait(timeout) or self.error is not None or not self.server.started:
            raise RuntimeError(f"the sandbox did not start on {self.url}: {self.error!r}")

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the server to finish and wait for its thread."""
        self.server.should_exit = True
        if self.thread.is_alive():
            self.thread.join(timeout)
        with contextlib.suppress(OSError):
            self.sock.close()
