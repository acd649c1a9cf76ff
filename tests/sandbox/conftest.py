"""Sandbox test fixtures: real sandboxes on loopback, a movable clock, and Twilio's spec as the referee.

One sandbox serves the whole session (starting one costs a few milliseconds, but the spec costs a
third of a second to load); tests that need special settings (a low concurrency limit, a fresh state
file) start their own with `start_sandbox`. Every 2xx JSON answer the shared clients receive is
validated against its operation's response schema in Twilio's bundled OpenAPI spec.
"""

from __future__ import annotations

import gzip
import itertools
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest

from twibench.sandbox import credentials as cred
from twibench.sandbox.app import create_app
from twibench.sandbox.config import SandboxConfig
from twibench.sandbox.server import BackgroundServer, bind

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = ROOT / "twibench" / "data" / "twilio-oai" / "twilio_api_v2010.json.gz"
ACCOUNT = f"/2010-04-01/Accounts/{cred.ACCOUNT_SID}"
TEST_ACCOUNT = f"/2010-04-01/Accounts/{cred.TEST_ACCOUNT_SID}"
MAIN_AUTH = (cred.ACCOUNT_SID, cred.AUTH_TOKEN)
TEST_AUTH = (cred.TEST_ACCOUNT_SID, cred.TEST_AUTH_TOKEN)
START = 1_740_000_000.0
"""The movable clock's first instant (Wed, 19 Feb 2025 21:20:00 +0000)."""

_RFC2822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
    r"\d{2}:\d{2}:\d{2} \+0000$"
)
_E164 = re.compile(r"^\+[1-9]\d{1,14}$")


class ManualClock:
    """A clock that moves only when a test says so (status changes without sleeping)."""

    def __init__(self, start: float = START) -> None:
        self.t = start

    def now(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@dataclass
class Sandbox:
    """A running sandbox and what a test needs to talk to it."""

    url: str
    clock: ManualClock
    db: Path
    server: BackgroundServer

    def client(self, auth: tuple[str, str] | None = MAIN_AUTH, **kwargs: Any) -> httpx.Client:
        """A client whose 2xx JSON answers are checked against Twilio's spec."""
        return httpx.Client(
            base_url=self.url, auth=auth, event_hooks={"response": [check_against_spec]}, timeout=30, **kwargs
        )

    def async_client(self, auth: tuple[str, str] | None = MAIN_AUTH, **kwargs: Any) -> httpx.AsyncClient:
        """An async client (for concurrency tests); answers are checked by the test."""
        return httpx.AsyncClient(base_url=self.url, auth=auth, timeout=60, **kwargs)


def _start(db: Path, clock: ManualClock, **settings: Any) -> Sandbox:
    config = SandboxConfig(db_path=db, **{"log_errors": True, **settings})
    server = BackgroundServer(create_app(config, clock=clock), bind("127.0.0.1", 0))
    server.start()
    return Sandbox(server.url, clock, db, server)


@pytest.fixture(autouse=True)
def _private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every sandbox test runs with TWIBENCH_HOME in its own temporary folder."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("TWIBENCH_HOME", str(home))
    monkeypatch.delenv("TWIBENCH_SANDBOX_DETERMINISTIC", raising=False)
    return home


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """The shared sandbox: delivery takes 2 s of its movable clock."""
    box = _start(tmp_path_factory.mktemp("shared") / "sandbox.sqlite3", ManualClock(), delivery_seconds=2.0)
    yield box
    box.server.stop()


@pytest.fixture
def start_sandbox(tmp_path: Path) -> Iterator[Callable[..., Sandbox]]:
    """Start sandboxes with their own settings and state file; stopped at the end of the test."""
    started: list[Sandbox] = []
    counter = itertools.count()

    def start(db: Path | None = None, clock: ManualClock | None = None, **settings: Any) -> Sandbox:
        box = _start(db or tmp_path / f"own-{next(counter)}.sqlite3", clock or ManualClock(), **settings)
        started.append(box)
        return box

    yield start
    for box in started:
        box.server.stop()


@pytest.fixture(scope="session")
def api(sandbox: Sandbox) -> Iterator[httpx.Client]:
    """A client of the shared sandbox with the main account's Auth Token."""
    with sandbox.client() as client:
        yield client


_numbers = itertools.count(1)


def new_number() -> str:
    """A recipient no other test uses (so filters by To isolate a test's messages)."""
    return f"+1555{next(_numbers):07d}"


def send(client: httpx.Client, account: str = ACCOUNT, **form: Any) -> httpx.Response:
    """POST a message with sensible defaults (To, From, Body) overridden by `form`."""
    data: dict[str, Any] = {"To": new_number(), "From": cred.PHONE_NUMBER, "Body": "hello"}
    data.update({key.replace("_", ""): value for key, value in form.items()})
    data = {key: value for key, value in data.items() if value is not None}
    return client.post(f"{account}/Messages.json", data=data)


def assert_twilio_error(response: httpx.Response, status: int, code: int) -> dict[str, object]:
    """A Twilio error body with every field, and the headers every answer carries."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code and body["status"] == status and body["message"]
    assert body["more_info"] == f"https://www.twilio.com/docs/errors/{code}"
    assert re.fullmatch(r"RQ[0-9a-f]{32}", response.headers["twilio-request-id"])
    assert response.headers["twilio-concurrent-requests"].isdigit()
    return dict(body)


# --- Twilio's OpenAPI spec as the referee ------------------------------------------------------------


def _uri(value: object) -> bool:
    """Twilio's `uri`-like fields are paths relative to the API host (or empty, or absolute links)."""
    return not isinstance(value, str) or value == "" or value.startswith(("/2010-04-01/", "http://", "https://"))


def _rfc2822(value: object) -> bool:
    return not isinstance(value, str) or bool(_RFC2822.match(value))


def _phone(value: object) -> bool:
    return not isinstance(value, str) or bool(_E164.match(value))


def _uri_map(value: object) -> bool:
    return not isinstance(value, dict) or all(
        isinstance(v, str) and v.startswith("/2010-04-01/") for v in value.values()
    )


@cache
def openapi() -> Any:
    """Twilio's 2010 spec, loaded once; every documented property must be present in responses."""
    from openapi_core import OpenAPI
    from openapi_core.configurations import Config

    config = Config(
        spec_validator_cls=None,
        response_properties_default_policy="required",
        extra_format_validators={
            "uri": _uri,
            "date-time-rfc-2822": _rfc2822,
            "phone-number": _phone,
            "uri-map": _uri_map,
        },
    )
    return OpenAPI.from_dict(json.loads(gzip.decompress(SPEC_PATH.read_bytes())), config=config)


@cache
def _operation_schemas() -> dict[tuple[str, str], dict[str, Any]]:
    spec = json.loads(gzip.decompress(SPEC_PATH.read_bytes()))
    return {
        (path, method): op
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in ("get", "post", "delete")
    }


validated: set[tuple[str, str]] = set()
"""(method, spec path) of every operation whose answers were validated this session."""


def spec_path_of(path: str) -> str | None:
    """The spec path template matching a concrete `.json` path."""
    for template, _method in _operation_schemas():
        pattern = "^" + re.sub(r"\\\{[A-Za-z]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            return template
    return None


def check_against_spec(response: httpx.Response) -> None:
    """Validate a 2xx answer to a `.json` URL against its operation in the spec (raises if invalid)."""
    from openapi_core.testing import MockRequest, MockResponse

    request = response.request
    path = request.url.path
    if not 200 <= response.status_code < 300 or not path.endswith(".json") or request.method == "HEAD":
        return
    response.read()
    template = spec_path_of(path)
    assert template is not None, f"{path} is not a path of Twilio's spec"
    method = request.method.lower()
    mock_request = MockRequest("https://api.twilio.com", method, path, args=dict(request.url.params))
    content_type = response.headers.get("content-type", "").split(";")[0]
    mock_response = MockResponse(response.content, status_code=response.status_code, content_type=content_type)
    openapi().validate_response(mock_request, mock_response)
    if response.content:
        body = response.json()
        properties = _documented_properties(template, method, response.status_code)
        assert set(body) <= properties, f"{path}: undocumented fields {sorted(set(body) - properties)}"
    validated.add((method.upper(), template))


def _documented_properties(template: str, method: str, status: int) -> set[str]:
    operation = _operation_schemas()[(template, method)]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    if "$ref" in schema:
        schema = _component(schema["$ref"])
    return set(schema["properties"])


@cache
def _components() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(gzip.decompress(SPEC_PATH.read_bytes()))["components"]["schemas"]
    return data


def _component(ref: str) -> dict[str, Any]:
    schema: dict[str, Any] = _components()[ref.rsplit("/", 1)[-1]]
    return schema


# --- helpers for process-level tests -----------------------------------------------------------------

CLI_CODE = "import sys; from twibench.sandbox.cli import main; sys.exit(main(sys.argv[1:]))"


def run_cli(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    """Start `twibench sandbox ARGS` in a subprocess (stdout/stderr captured as text)."""
    return subprocess.Popen(
        [sys.executable, "-c", CLI_CODE, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


def read_banner(process: subprocess.Popen[str]) -> dict[str, str]:
    """The five `Name: value` lines the CLI prints on start."""
    assert process.stdout is not None
    lines = [process.stdout.readline().rstrip("\n") for _ in range(5)]
    return dict(line.split(": ", 1) for line in lines if ": " in line)
