"""TUI fixtures: fixture collections in a temporary folder, offline profiles, and a fake Twilio.

Every app is built with `make_app` the way the CLI builds it, but with an `httpx.MockTransport` (or the
deterministic sandbox on loopback), steady cursors, timings hidden and no sandbox pre-warm.
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import textual._wait
from textual.pilot import Pilot

from twibench import profiles
from twibench.profiles import Profile, ProfileSet, SecretRef
from twibench.settings import Settings
from twibench.tui.app import TwibenchApp, make_app

SIZE = (120, 35)
SHIPPED = Path(__file__).resolve().parents[2] / "collections"
LIVE_SID = "AC0123456789abcdef0123456789abcdef"
LIVE_TOKEN = "live-auth-token-0123456789"
KEY_SID = "SK0123456789abcdef0123456789abcdef"
KEY_SECRET = "api-key-secret-0123456789"

# Pilot waits after every key until the app is idle: it sleeps in slices and stops at the first slice in
# which the process used under 5% CPU. Textual's slice is 20 ms, so a key costs at least two slices
# (40 ms) and typing a palette command takes seconds. The same 5% rule on 5 ms slices waits for the
# same idleness in a quarter of the time (the suite's TUI half runs about twice as fast).
textual._wait.SLEEP_GRANULARITY = 0.005
textual._wait.SLEEP_IDLE = textual._wait.SLEEP_GRANULARITY / 20

MESSAGES_YAML = """\
# Fixture: saving one request must keep every comment in this file.
name: Messages
description: Send and read messages.
docs: https://www.twilio.com/docs/messaging/api/message-resource
variables:
  to: "+15558675310"
requests:
  # The first request of the file.
  - name: Send an SMS
    id: send-sms
    method: POST
    url: /2010-04-01/Accounts/{{account_sid}}/Messages.json
    description: Creates a message.
    form:
      To: "{{to}}"
      From: "+15005550006"
      Body: Hello from twibench

  # Needs message_sid, which nothing defines.
  - name: Fetch a message
    id: fetch
    url: /2010-04-01/Accounts/{{account_sid}}/Messages/{{message_sid}}.json
# End of file.
"""

ACCOUNTS_YAML = """\
name: Accounts
requests:
  - name: Fetch your account
    id: fetch
    url: /2010-04-01/Accounts/{{account_sid}}.json
  - name: List accounts
    id: list
    url: /2010-04-01/Accounts.json
    params:
      PageSize: "20"
"""

BROKEN_YAML = """\
name: Broken
requests:
  - name: No url here
    methd: GET
"""


@pytest.fixture
def collections(home: Path) -> Path:
    """A folder with two good collection files (accounts first) and nothing else."""
    folder = home / "collections"
    folder.mkdir()
    (folder / "accounts.yaml").write_text(ACCOUNTS_YAML)
    (folder / "messages.yaml").write_text(MESSAGES_YAML)
    return folder


@pytest.fixture
def sandbox(home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The deterministic sandbox for this test's TWIBENCH_HOME (started on the first send, stopped after).

    One an earlier test of this worker left running is stopped first: the profile line shows a running
    sandbox's address, so snapshots depended on which tests ran before.
    """
    from twibench.sandbox import embedded

    embedded.stop()
    monkeypatch.setenv("TWIBENCH_SANDBOX_DETERMINISTIC", "1")
    yield home
    embedded.stop()


def sandbox_app(paths: list[Path]) -> TwibenchApp:
    """The app on `paths` with the real profiles (the sandbox is the default) and no fake transport."""
    return make_app(
        paths,
        profiles=profiles.load_profiles(),
        settings=Settings(),
        show_timings=False,
        prewarm=False,
        cursor_blink=False,
    )


def live_profiles(*, prompt: bool = False) -> ProfileSet:
    """Two live profiles for api.twilio.com (an Auth Token one, the default, and an API Key one)."""
    token = SecretRef(prompt=True) if prompt else SecretRef(literal=LIVE_TOKEN)
    return ProfileSet(
        profiles={
            "live": Profile(name="live", kind="auth_token", account_sid=LIVE_SID, username=LIVE_SID, secret=token),
            "key": Profile(
                name="key",
                kind="api_key",
                account_sid=LIVE_SID,
                username=KEY_SID,
                secret=SecretRef(literal=KEY_SECRET),
                region="ie1",
                edge="dublin",
            ),
        },
        default="live",
    )


Handler = Callable[[httpx.Request], httpx.Response]


@dataclass
class FakeTwilio:
    """A MockTransport peer: answers by (method, path) and records every request."""

    routes: dict[tuple[str, str], Handler | httpx.Response] = field(default_factory=dict)
    seen: list[httpx.Request] = field(default_factory=list)

    def add(self, method: str, path: str, answer: Handler | httpx.Response) -> None:
        """Answer `method path` (path without the query string)."""
        self.routes[(method, path)] = answer

    def json(self, method: str, path: str, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        """Answer with a JSON body."""
        self.add(method, path, httpx.Response(status, json=body, headers=headers))

    async def handle(self, request: httpx.Request) -> httpx.Response:
        """The MockTransport handler."""
        await request.aread()
        self.seen.append(request)
        answer = self.routes.get((request.method, request.url.path))
        if answer is None:
            return httpx.Response(
                404,
                json={"code": 20404, "message": "The requested resource was not found", "status": 404},
            )
        return answer(request) if callable(answer) else answer

    def transport(self) -> httpx.MockTransport:
        """The transport to give make_app."""
        return httpx.MockTransport(self.handle)


@pytest.fixture
def twilio() -> FakeTwilio:
    """A fake Twilio with no routes (everything answers 404 / 20404)."""
    return FakeTwilio()


def build_app(folder: Path, twilio: FakeTwilio, *, profile_set: ProfileSet | None = None) -> TwibenchApp:
    """The app on `folder`, talking to the fake Twilio."""
    return make_app(
        [folder],
        transport=twilio.transport(),
        profiles=profile_set or live_profiles(),
        settings=Settings(),
        show_timings=False,
        prewarm=False,
        cursor_blink=False,
    )


async def settle(pilot: Pilot[Any], until: Callable[[], bool], *, rounds: int = 500) -> None:
    """Let the app work until `until()` holds, in short pauses.

    A hang guard, not a time assertion: it gives up after 30 s of wall time or `rounds` pauses of 10 ms,
    whichever is longer, so a machine loaded by other test workers (each pause then lasts longer, and
    the app needs more of them) fails only when the app is really stuck.
    """
    deadline = time.monotonic() + max(30.0, rounds * 0.01)
    while not until():
        if time.monotonic() > deadline:
            raise AssertionError("the app did not reach the expected state")
        await pilot.pause(0.01)


async def first_screen_ready(pilot: Pilot[Any]) -> None:
    """The tab sets are mounted, the first request is shown with its docs (and Twilio's API reference,
    added a moment after start-up), and the tab underlines have stopped sliding: the screen is final."""
    from textual.widgets import Markdown

    app = pilot.app
    await settle(pilot, lambda: bool(app.screen.query("#form-table")) and bool(app.screen.query("#body-viewer")))
    await settle(pilot, lambda: all(md.children for md in app.screen.query(Markdown)))  # docs rendered
    await settle(pilot, lambda: all("OpenAPI spec" in md.source for md in app.screen.query(Markdown)))
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def status_text(app: TwibenchApp) -> str:
    """What the status line shows, as plain text."""
    from twibench.tui.widgets.status_line import StatusLine

    return app.screen.query_one(StatusLine).plain


def twilio_error(code: int, message: str, status: int) -> dict[str, Any]:
    """A Twilio error body."""
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


def dumps(value: Any) -> str:
    """Compact JSON."""
    return json.dumps(value)


@pytest.fixture
def collector() -> Iterator[None]:
    """Leave Python's collector as found: enabled, and nothing frozen by the test (`tui.startup` freezes)."""
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()


def frozen(value: object) -> bool:
    """True when `value` is in the permanent generation: no generation lists it, so collections skip it."""
    return not any(o is value for o in gc.get_objects())
