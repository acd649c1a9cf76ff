"""twibench against a hostile server: drip-fed answers, decompression bombs, terminal escapes, bad redirects.

The Client is driven directly (asyncio, each call bounded by a generous `wait_for` so a missing deadline
fails instead of hanging) and `twibench send` as a subprocess with its own TWIBENCH_HOME. Memory is
checked with tracemalloc (the decoded bytes are Python objects); no test asserts on wall-clock time.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.security.hostile_server import ESC_MESSAGE, HostileServer, gzip_bomb, serve
from twibench.client import Client
from twibench.exchange import Exchange
from twibench.profiles import Profile, SecretRef

HANG_GUARD = 60.0
RAW_CONTROLS = ("\x1b", "\x07", "\x9b", "\x9d", "\x9c")


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    with serve() as running:
        yield running


def _profile() -> Profile:
    sid = "AC" + "0" * 32
    return Profile("hostile", "auth_token", sid, sid, SecretRef(literal="x" * 32), base_url="http://127.0.0.1:9")


def _send(
    url: str, *, timeout: float = 10.0, follow: bool = False, max_body: int | None = None, method: str = "GET"
) -> Exchange:
    from twibench.collection import Auth, Request

    request = Request(name="hostile", id="hostile", method=method, url=url, auth=Auth(mode="none"))
    request.timeout = timeout
    request.follow_redirects = follow

    async def go() -> Exchange:
        client = Client() if max_body is None else Client(max_body=max_body)
        try:
            return await asyncio.wait_for(client.send(request, _profile(), {}), HANG_GUARD)
        finally:
            await client.aclose()

    return asyncio.run(go())


def _peak_bytes(call: object) -> tuple[Exchange, int]:
    tracemalloc.start()
    try:
        exchange = call()  # type: ignore[operator]
        return exchange, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# ----- deadline ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("route", ["drip-headers", "drip-body"])
def test_timeout_is_a_deadline_for_the_whole_exchange(server: HostileServer, route: str) -> None:
    exchange = _send(f"{server.url}/{route}?interval=0.3", timeout=1.0)
    assert exchange.response is None
    assert exchange.error is not None and exchange.error.kind == "timeout"
    assert "127.0.0.1" in exchange.error.message and "1 s" in exchange.error.message


# ----- decompression bombs -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return gzip_bomb()  # built once (a few seconds), then cached in the temp folder


@pytest.mark.parametrize("route", ["bomb", "deflate-bomb"])
def test_a_bomb_is_cut_at_the_body_cap_while_decoding(server: HostileServer, bomb: bytes, route: str) -> None:
    cap = 1 << 20
    exchange, peak = _peak_bytes(lambda: _send(f"{server.url}/{route}", max_body=cap))
    assert exchange.response is not None, exchange.error
    assert exchange.response.truncated
    assert exchange.response.body == bytes(cap)
    # httpx alone inflates each network chunk whole (~64 MB per 64 KB read); the cap bounds it here.
    assert peak < 16 * cap


def test_a_redirect_body_is_never_decoded(server: HostileServer, bomb: bytes) -> None:
    exchange, peak = _peak_bytes(lambda: _send(f"{server.url}/redirect-bomb", follow=True, max_body=1 << 20))
    assert exchange.response is not None, exchange.error
    assert exchange.response.status == 200
    assert json.loads(exchange.response.body)["path"] == "/echo"
    assert peak < 16 << 20


def test_small_gzip_bodies_still_decode(server: HostileServer) -> None:
    exchange = _send(f"{server.url}/gzip-small")
    assert exchange.response is not None
    assert json.loads(exchange.response.body) == {"ok": True, "encoding": "gzip"}
    assert not exchange.response.truncated and exchange.response.note is None


def test_an_unsupported_encoding_is_kept_as_received_and_said(server: HostileServer) -> None:
    exchange = _send(f"{server.url}/br")
    assert exchange.response is not None
    assert exchange.response.body == b"\x8b\x02\x80hello\x03"
    assert exchange.response.note is not None and "'br'" in exchange.response.note


def test_a_redirect_to_a_closed_port_is_a_transport_error(server: HostileServer) -> None:
    exchange = _send(f"{server.url}/redirect-bad-port", follow=True)
    assert exchange.error is not None and exchange.error.kind in ("refused", "connect")


# ----- terminal escapes through the CLI --------------------------------------------------------------------


def _collection(tmp_path: Path, base: str) -> Path:
    path = tmp_path / "hostile.yaml"
    routes = ["escape", "escape-text", "drip-headers?interval=0.3", "echo", "br"]
    items = "".join(
        f"  - name: r{i}\n    id: r{i}\n    url: {base}/{route}\n    auth: none\n    timeout: 1s\n"
        for i, route in enumerate(routes)
    )
    path.write_text(f"name: Hostile\nrequests:\n{items}")
    return path


def _twibench(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TWILIO_")}
    env["TWIBENCH_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "twibench", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=home,
        timeout=HANG_GUARD,
        check=False,
        encoding="utf-8",
    )


def _assert_no_controls(text: str) -> None:
    found = [c for c in RAW_CONTROLS if c in text]
    assert not found, f"raw control characters {found!r} reached the terminal: {text!r}"


def test_send_shows_escapes_from_error_headers_and_reason_as_visible_symbols(home: Path, server: HostileServer) -> None:
    collection = _collection(home, server.url)
    result = _twibench(home, "send", f"{collection}#r0", "-i")
    assert result.returncode == 1, result.stderr
    _assert_no_controls(result.stdout + result.stderr)
    assert "Twilio error 21211" in result.stdout
    assert "␛]0;owned-title␇␛[2J" in result.stdout  # shown, not obeyed
    assert "X-Evil: v\\u009b2J" in result.stdout


def test_send_shows_escapes_in_a_text_body_as_visible_symbols(home: Path, server: HostileServer) -> None:
    result = _twibench(home, "send", f"{_collection(home, server.url)}#r1")
    assert result.returncode == 0, result.stderr
    _assert_no_controls(result.stdout + result.stderr)
    assert "line3␇" in result.stdout


def test_send_json_escapes_controls_but_keeps_the_values(home: Path, server: HostileServer) -> None:
    result = _twibench(home, "send", f"{_collection(home, server.url)}#r0", "--json")
    _assert_no_controls(result.stdout + result.stderr)
    document = json.loads(result.stdout)
    assert document["twilio_error"]["message"] == ESC_MESSAGE
    assert ["X-Evil", "v\x9b2J\x9d0;hdr\x9c"] in document["response"]["headers"]


def test_send_on_a_drip_feed_exits_3_with_a_timeout(home: Path, server: HostileServer) -> None:
    result = _twibench(home, "send", f"{_collection(home, server.url)}#r2")
    assert result.returncode == 3
    assert "timeout" in result.stderr and "Traceback" not in result.stderr


def test_send_says_when_a_body_is_kept_encoded(home: Path, server: HostileServer) -> None:
    result = _twibench(home, "send", f"{_collection(home, server.url)}#r4")
    assert result.returncode == 0, result.stderr
    assert "Content-Encoding 'br' is not supported" in result.stdout


def test_run_shows_server_text_in_reasons_as_visible_symbols(home: Path, server: HostileServer) -> None:
    collection = home / "run.yaml"
    collection.write_text(
        f"name: Run\nrequests:\n  - name: esc\n    url: {server.url}/escape\n    auth: none\n"
        "    expect:\n      status: 200\n      json:\n        $.message: hello\n"
        f"  - name: drip\n    url: {server.url}/drip-body?interval=0.3\n    auth: none\n    timeout: 1s\n"
    )
    result = _twibench(home, "run", str(collection))
    assert result.returncode == 3, result.stderr
    _assert_no_controls(result.stdout + result.stderr)
    assert "␛]0;owned-title␇" in result.stdout and "within the 1 s timeout" in result.stdout


def test_history_shows_a_hostile_exchange_safely(home: Path, server: HostileServer) -> None:
    collection = _collection(home, server.url)
    assert _twibench(home, "send", f"{collection}#r0").returncode == 1
    assert _twibench(home, "send", f"{collection}#r2").returncode == 3
    for args in (["list"], ["list", "--json"], ["show", "1", "-i"], ["show", "1", "--json"], ["show", "2"]):
        result = _twibench(home, "history", *args)
        assert result.returncode == 0, (args, result.stderr)
        _assert_no_controls(result.stdout + result.stderr)
