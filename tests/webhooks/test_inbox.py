"""The inbox records every callback, checks its signature with the profile's token, and answers TwiML."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from twilio.request_validator import RequestValidator

from twibench import paths
from twibench.redact import Redactor
from twibench.webhooks import inbox
from twibench.webhooks.inbox_store import Callback, InboxStore

TOKEN = "f" * 32


@pytest.fixture
def running(home: Path) -> Iterator[tuple[inbox.Inbox, list[Callback]]]:
    seen: list[Callback] = []
    store = InboxStore(paths.inbox_db(), Redactor([("AC" + "1" * 32, TOKEN)]))
    box = inbox.Inbox(store, inbox.InboxConfig(token=TOKEN, listener=seen.append), port=0)
    box.publish(paths.inbox_addr())
    box.start()
    try:
        yield box, seen
    finally:
        box.stop()
        store.close()


def test_signatures_are_valid_invalid_or_unsigned(running: tuple[inbox.Inbox, list[Callback]]) -> None:
    box, seen = running
    url = f"{box.url}/status?x=1"
    form = {"MessageSid": "SM1", "MessageStatus": "delivered"}
    good = RequestValidator(TOKEN).compute_signature(url, form)
    with httpx.Client() as client:
        answer = client.post(url, data=form, headers={"X-Twilio-Signature": good})
        client.post(url, data=form, headers={"X-Twilio-Signature": good[:-2] + "x="})
        client.get(f"{box.url}/hello")
    assert answer.status_code == 200 and answer.text == inbox.EMPTY_TWIML
    assert answer.headers["content-type"].startswith("text/xml")
    assert [(c.method, c.path, c.verdict) for c in seen] == [
        ("POST", "/status?x=1", "valid"),
        ("POST", "/status?x=1", "invalid"),
        ("GET", "/hello", "unsigned"),
    ]
    assert inbox.describe(seen[0]) == "POST /status?x=1 valid"
    assert seen[0].form() == [("MessageSid", "SM1"), ("MessageStatus", "delivered")]


def test_a_public_url_is_what_signatures_are_checked_against(home: Path) -> None:
    store = InboxStore(paths.inbox_db())
    seen: list[Callback] = []
    box = inbox.Inbox(store, inbox.InboxConfig(token=TOKEN, public_url="https://abc.ngrok.app", listener=seen.append))
    box.start()
    try:
        sig = RequestValidator(TOKEN).compute_signature("https://abc.ngrok.app/status", {"A": "1"})
        httpx.post(f"{box.url}/status", data={"A": "1"}, headers={"X-Twilio-Signature": sig})
    finally:
        box.stop()
    assert seen[0].verdict == "valid" and seen[0].url == "https://abc.ngrok.app/status"


def test_records_are_redacted_and_the_address_is_published(running: tuple[inbox.Inbox, list[Callback]]) -> None:
    box, _seen = running
    assert inbox.published_url(paths.inbox_addr()) == box.url
    httpx.post(f"{box.url}/leak", data={"Token": TOKEN, "Echo": f"x{TOKEN}x"})
    stored = InboxStore(paths.inbox_db()).since(0)
    assert len(stored) == 1 and TOKEN.encode() not in stored[0].body
    assert oct(paths.inbox_db().stat().st_mode & 0o777) == "0o600"


def test_oversized_bodies_are_refused(running: tuple[inbox.Inbox, list[Callback]]) -> None:
    box, seen = running
    answer = httpx.post(f"{box.url}/big", content=b"x" * (inbox.MAX_BODY + 1))
    assert answer.status_code == 413 and seen == []


def test_the_cli_prints_a_flushed_line_per_request_even_into_a_file(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "inbox.log"
    with out.open("w") as handle:
        proc = subprocess.Popen(
            [sys.executable, "-m", "twibench", "inbox", "--port", "0"], stdout=handle, stderr=subprocess.STDOUT,
            env={**os.environ, "TWIBENCH_HOME": str(home)},
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while inbox.published_url(paths.inbox_addr()) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        url = inbox.published_url(paths.inbox_addr())
        assert url is not None, out.read_text()
        httpx.post(f"{url}/status", data={"CallStatus": "completed"})
        while "POST /status" not in out.read_text() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "POST /status unsigned" in out.read_text()
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    assert not paths.inbox_addr().exists()


def test_inbox_url_is_a_builtin_variable_that_follows_the_running_inbox(home: Path) -> None:
    from twibench.profiles import load_profiles

    sandbox = load_profiles().get("sandbox")
    assert sandbox.builtin_variables()["inbox_url"] == f"http://127.0.0.1:{paths.INBOX_PORT}"
    box = inbox.Inbox(InboxStore(paths.inbox_db()), inbox.InboxConfig(public_url="https://abc.ngrok.app/"))
    box.publish(paths.inbox_addr())
    assert sandbox.builtin_variables()["inbox_url"] == "https://abc.ngrok.app"
    box.stop()
    assert sandbox.builtin_variables()["inbox_url"] == f"http://127.0.0.1:{paths.INBOX_PORT}"
