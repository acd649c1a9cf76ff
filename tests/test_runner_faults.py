"""The runner against a real local fault server: Retry-After, 503s, resets, read timeouts, refusals.

`FaultServer` is a small keep-alive HTTP/1.1 server on loopback, run by an asyncio loop in its own
thread (so the runner under test can be in this process or another one). Each path plays a script of
replies in order, the last one repeating; any other path answers 200 with a small JSON body, fast
enough for the 10,000-request memory test.
"""

from __future__ import annotations

import asyncio
import json
import socket
import struct
import textwrap
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from twibench.client import Client
from twibench.collection import Collection, parse_collection
from twibench.profiles import Profile, SecretRef
from twibench.runner import RequestFinished, RequestResult, RunEvent, Runner

AC = "AC0123456789abcdef0123456789abcdef"
TOKEN = "0123456789abcdef0123456789abcdef"
OK_BODY = b'{"sid": "SM00000000000000000000000000000000", "status": "delivered"}'


@dataclass
class Reply:
    """One scripted answer.

    Attributes:
        status: the status code.
        body: a JSON-able value (or bytes).
        headers: extra headers.
        delay: seconds to wait before answering (a read timeout for a short client timeout).
        reset: read the request, then reset the connection without answering.
    """

    status: int = 200
    body: Any = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    reset: bool = False

    def encode(self) -> bytes:
        payload = self.body if isinstance(self.body, bytes) else json.dumps(self.body).encode()
        head = f"HTTP/1.1 {self.status} X\r\nContent-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in self.headers.items())
        return head.encode() + b"\r\n" + payload


DEFAULT = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
    + str(len(OK_BODY)).encode()
    + b"\r\n\r\n"
    + OK_BODY
)


class FaultServer:
    """A scripted loopback HTTP server in a background thread (see the module docstring)."""

    def __init__(self, *, log: bool = True) -> None:
        self.scripts: dict[str, list[Reply]] = {}
        self.log = log
        self.seen: list[tuple[str, str]] = []
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._server: asyncio.Server | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def script(self, path: str, *replies: Reply) -> None:
        self.scripts[path] = list(replies)

    def hits(self, path: str) -> int:
        return sum(1 for _, p in self.seen if p == path)

    def start(self) -> FaultServer:
        self._thread.start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        async def close() -> None:
            if self._server is not None:
                self._server.close()
            handlers = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in handlers:
                task.cancel()
            await asyncio.gather(*handlers, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)

        async def start() -> None:
            self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
            self.port = self._server.sockets[0].getsockname()[1]

        self._loop.run_until_complete(start())
        self._ready.set()
        self._loop.run_forever()

    def _next(self, path: str) -> Reply | None:
        replies = self.scripts.get(path)
        if not replies:
            return None
        return replies.pop(0) if len(replies) > 1 else replies[0]

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                request_line, *lines = head.decode("latin-1").split("\r\n")
                method, target, _ = request_line.split(" ", 2)
                length = 0
                for line in lines:
                    if line.lower().startswith("content-length:"):
                        length = int(line.split(":", 1)[1])
                if length:
                    await reader.readexactly(length)
                path = target.split("?", 1)[0]
                if self.log:
                    self.seen.append((method, path))
                reply = self._next(path)
                if reply is None:
                    writer.write(DEFAULT)
                    await writer.drain()
                    continue
                if reply.delay:
                    await asyncio.sleep(reply.delay)
                if reply.reset:
                    sock = writer.get_extra_info("socket")
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    writer.transport.abort()
                    return
                writer.write(reply.encode())
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@pytest.fixture
def server() -> Iterator[FaultServer]:
    fault = FaultServer().start()
    try:
        yield fault
    finally:
        fault.stop()


def local_profile(base_url: str) -> Profile:
    """A live-kind profile that may send its credentials to the loopback server."""
    return Profile(
        "local", "auth_token", AC, AC, SecretRef(literal=TOKEN), base_url=base_url, allowed_hosts=["127.0.0.1"]
    )


def one_request(method: str, path: str, extra: str = "") -> Collection:
    text = f"name: Faults\nrequests:\n  - name: Call\n    id: call\n    method: {method}\n    url: {path}\n"
    return parse_collection(text + textwrap.indent(textwrap.dedent(extra), "    "), Path("faults.yaml"))


async def run_one(base_url: str, collection: Collection) -> tuple[RequestResult, list[float]]:
    sleeps: list[float] = []

    async def fast_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    events: list[RunEvent] = []
    client = Client()
    try:
        runner = Runner(client, local_profile(base_url), on_event=events.append, sleep=fast_sleep, rand=lambda: 1.0)
        await runner.run([collection])
    finally:
        await client.aclose()
    (result,) = [e.result for e in events if isinstance(e, RequestFinished)]
    return result, sleeps


async def test_429_with_retry_after_then_200(server: FaultServer) -> None:
    server.script("/busy", Reply(429, {"code": 20429}, {"Retry-After": "2"}), Reply(200, {"ok": True}))
    result, sleeps = await run_one(server.base_url, one_request("POST", "/busy", "retry: {on: [429], max: 3}"))
    assert result.passed and result.attempts == 2 and sleeps == [2.0]
    assert server.hits("/busy") == 2


async def test_503s_until_the_retries_run_out(server: FaultServer) -> None:
    server.script("/down", Reply(503, {"code": 20503, "message": "unavailable", "status": 503}))
    result, sleeps = await run_one(server.base_url, one_request("GET", "/down", "retry: {on: [503], max: 2}"))
    assert result.outcome == "failed" and result.attempts == 3 and sleeps == [0.5, 1.0]
    assert result.reasons == (
        "expected a status below 400, got 503 (Twilio error 20503 — Service unavailable)",
        "gave up after 2 retries",
    )


async def test_a_reset_after_sending_is_not_retried_for_a_post(server: FaultServer) -> None:
    server.script("/flaky", Reply(reset=True), Reply(201, {"sid": "SM1"}))
    result, _ = await run_one(server.base_url, one_request("POST", "/flaky", "retry: {on: [transport], max: 3}"))
    assert result.outcome == "error" and result.attempts == 1 and server.hits("/flaky") == 1
    assert result.reasons[-1].startswith("not retried: a POST may have reached the server")


async def test_a_reset_is_retried_for_a_get(server: FaultServer) -> None:
    server.script("/flaky", Reply(reset=True), Reply(200, {"ok": True}))
    result, _ = await run_one(server.base_url, one_request("GET", "/flaky", "retry: {on: [transport], max: 3}"))
    assert result.passed and result.attempts == 2


async def test_a_read_timeout_is_never_retried_for_a_post(server: FaultServer) -> None:
    server.script("/slow", Reply(201, {}, delay=1.0))
    collection = one_request("POST", "/slow", "timeout: 100ms\nretry: {on: [transport], max: 3}")
    result, sleeps = await run_one(server.base_url, collection)
    assert result.outcome == "error" and result.attempts == 1 and sleeps == []
    assert result.exchange is not None and result.exchange.error is not None
    assert result.exchange.error.kind == "timeout"


async def test_a_refused_connection_is_retried_even_for_a_post() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    collection = one_request("POST", "/nobody", "retry: {on: [transport], max: 2}")
    result, sleeps = await run_one(f"http://127.0.0.1:{port}", collection)
    assert result.outcome == "error" and result.attempts == 3 and sleeps == [0.5, 1.0]
    assert "refused the connection" in result.reasons[0] and result.reasons[-1] == "gave up after 2 retries"
