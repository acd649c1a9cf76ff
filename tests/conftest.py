"""Shared fixtures: an isolated TWIBENCH_HOME and a Twilio-like loopback HTTP server."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from tests.keyring_backend import FileKeyring
from tests.loopback import LoopbackServer, Recorded, serve

# No test, and no subprocess a test starts, may reach the user's keyring (or D-Bus on a CI machine):
# subprocesses get keyring's failing backend; in-process, each test gets a file-backed one (below).
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
keyring.set_keyring(fail.Keyring())

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


@pytest.fixture(autouse=True)
def test_keyring(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FileKeyring]:
    """Every test's keyring: an empty file-backed one of its own (never the user's keyring)."""
    backend = FileKeyring(tmp_path_factory.mktemp("keyring") / "keyring.json")
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(fail.Keyring())


@pytest.fixture(autouse=True, scope="session")
def private_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The parse cache of a test without TWIBENCH_HOME (a TUI app on a tmp folder) is never the user's."""
    folder = tmp_path_factory.mktemp("xdg-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        yield folder


def _twilio_like(request: Recorded) -> tuple[int, list[tuple[str, str]], bytes]:
    """Answers by path: a 201 create, a Twilio 400, a body with a secret field, binary, or an echo."""
    path = request.path.split("?")[0]
    status, payload, ctype = 200, b"", "application/json"
    if path.endswith("/Messages.json") and request.method == "POST":
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
    return status, [("Content-Type", ctype), ("Twilio-Request-Id", "RQ" + "1" * 32)], payload


@pytest.fixture
def loopback() -> Iterator[LoopbackServer]:
    """A loopback HTTP server on a free port, for the duration of one test."""
    with serve(_twilio_like) as server:
        yield server
