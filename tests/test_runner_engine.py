"""The Runner engine against httpx.MockTransport: captures, precedence, polling, retries, bail, repeat.

Time is injected: `FakeTime.sleep` records every wait and advances a fake clock, so backoff and poll
deadlines are checked exactly, and no test waits for real.
"""

from __future__ import annotations

import asyncio
import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from twibench.client import Client
from twibench.collection import Collection, parse_collection
from twibench.errors import FileErrors
from twibench.exchange import Exchange
from twibench.profiles import Profile, ProfileError, SecretRef
from twibench.redact import MASK, Redactor
from twibench.runner import (
    AttemptFinished,
    RequestFinished,
    RequestStarted,
    RunEvent,
    RunFinished,
    RunInputError,
    Runner,
    RunOptions,
    RunStarted,
    RunSummary,
)
from twibench.sending import SandboxOnlyError

AC = "AC0123456789abcdef0123456789abcdef"
TOKEN = "0123456789abcdef0123456789abcdef"
BASE = f"/2010-04-01/Accounts/{AC}"
Answer = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def live(**variables: str) -> Profile:
    return Profile("live", "auth_token", AC, AC, SecretRef(literal=TOKEN), variables=dict(variables))


def load(text: str, name: str = "flow.yaml") -> Collection:
    return parse_collection(textwrap.dedent(text), Path(name))


def reply(status: int = 200, body: Any = None, **headers: str) -> httpx.Response:
    content = json.dumps(body if body is not None else {}).encode()
    return httpx.Response(status, content=content, headers={"Content-Type": "application/json", **headers})


class Api:
    """A scripted Twilio: answers per (method, path) in order, the last answer repeating."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], list[Answer]] = {}
        self.seen: list[httpx.Request] = []

    def on(self, method: str, path: str, *answers: Answer) -> None:
        self.routes[(method, path)] = list(answers)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        answers = self.routes.get((request.method, request.url.path))
        if not answers:
            return reply(404, {"code": 20404, "message": "not found", "status": 404})
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer(request) if callable(answer) and not isinstance(answer, httpx.Response) else answer

    def paths(self) -> list[str]:
        return [f"{r.method} {r.url.path}" for r in self.seen]


class FakeTime:
    """An injected clock: sleeping records the wait and moves time on."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds

    def clock(self) -> float:
        return self.now


class Harness:
    """A Runner wired to an Api and FakeTime, collecting its events."""

    def __init__(self, api: Api, profile: Profile | None = None, **kwargs: Any) -> None:
        self.api = api
        self.time = FakeTime()
        self.events: list[RunEvent] = []
        self.recorded: list[tuple[Exchange, str, Path]] = []
        self.client = Client(transport=httpx.MockTransport(api))
        self.runner = Runner(
            self.client,
            profile or live(),
            on_event=self.events.append,
            record=lambda ex, redactor, run_id, path: self.recorded.append((ex, run_id, path)),
            sleep=self.time.sleep,
            clock=self.time.clock,
            rand=lambda: 1.0,
            **kwargs,
        )

    async def run(self, *collections: Collection, only: list[str] | None = None) -> RunSummary:
        try:
            return await self.runner.run(list(collections), only)
        finally:
            await self.client.aclose()

    def results(self) -> list[Any]:
        return [e.result for e in self.events if isinstance(e, RequestFinished)]


FLOW = f"""
name: Flow
variables: {{to: "+15558675310"}}
requests:
  - name: Send
    id: send
    method: POST
    url: {BASE}/Messages.json
    form: {{To: "{{{{to}}}}", Body: hi}}
    capture: {{message_sid: $.sid}}
    expect: {{status: 201, json: {{$.to: "{{{{to}}}}"}}}}
  - name: Fetch
    id: fetch
    url: {BASE}/Messages/{{{{message_sid}}}}.json
    expect: {{json: {{$.sid: "{{{{message_sid}}}}"}}}}
"""


async def test_a_capture_feeds_later_requests_and_expected_values() -> None:
    api = Api()
    api.on("POST", f"{BASE}/Messages.json", reply(201, {"sid": "SM42", "to": "+15558675310"}))
    api.on("GET", f"{BASE}/Messages/SM42.json", reply(200, {"sid": "SM42"}))
    h = Harness(api)
    summary = await h.run(load(FLOW))
    assert api.paths() == [f"POST {BASE}/Messages.json", f"GET {BASE}/Messages/SM42.json"]
    assert (summary.passed, summary.exit_code) == (2, 0)
    first = h.results()[0]
    assert [(c.name, c.value, c.secret) for c in first.captured] == [("message_sid", "SM42", False)]
    assert h.runner.session.captured["message_sid"].source == "flow.yaml#send"
    assert [type(e) for e in h.events] == [
        RunStarted, RequestStarted, RequestFinished, RequestStarted, RequestFinished, RunFinished,
    ]  # fmt: skip
    assert [(path.name, run_id) for _, run_id, path in h.recorded] == [("flow.yaml", h.runner.run_id)] * 2


async def test_precedence_is_collection_then_profile_then_captured_then_var() -> None:
    collection = load(
        f"""
        name: P
        variables: {{a: from-collection, b: from-collection, c: from-collection, d: from-collection}}
        requests:
          - name: Capture
            url: {BASE}/C.json
            capture: {{c: $.c, d: $.d}}
          - name: Use
            url: {BASE}/U.json
            params: {{a: "{{{{a}}}}", b: "{{{{b}}}}", c: "{{{{c}}}}", d: "{{{{d}}}}"}}
        """
    )
    api = Api()
    api.on("GET", f"{BASE}/C.json", reply(200, {"c": "captured", "d": "captured"}))
    api.on("GET", f"{BASE}/U.json", reply(200, {}))
    h = Harness(api, live(b="from-profile", c="from-profile"), overrides={"d": "from-var"})
    await h.run(collection)
    assert dict(api.seen[1].url.params) == {
        "a": "from-collection",
        "b": "from-profile",
        "c": "captured",
        "d": "from-var",
    }
    entries = {e.name: (e.source, e.value) for e in h.runner.session.entries(collection)}
    assert entries["a"] == ("collection", "from-collection") and entries["d"] == ("override", "from-var")
    assert entries["c"] == ("captured", "captured") and entries["account_sid"] == ("profile", AC)


POLL = f"""
name: Poll
requests:
  - name: Wait
    id: wait
    url: {BASE}/Messages/SM1.json
    poll: {{until: {{$.status: delivered}}, every: %s, timeout: %s}}
"""


async def test_poll_repeats_until_the_condition_holds() -> None:
    api = Api()
    api.on(
        "GET",
        f"{BASE}/Messages/SM1.json",
        reply(200, {"status": "queued"}),
        reply(200, {"status": "sending"}),
        reply(200, {"status": "delivered"}),
    )
    h = Harness(api)
    summary = await h.run(load(POLL % ("1s", "10s")))
    assert summary.passed == 1 and h.time.sleeps == [1.0, 1.0]
    assert h.results()[0].attempts == 3
    waits = [e for e in h.events if isinstance(e, AttemptFinished)]
    assert [e.why for e in waits] == ["poll: $.status is 'queued'", "poll: $.status is 'sending'"]
    assert len(h.recorded) == 3  # every attempt is history


async def test_poll_timeout_says_what_was_expected_and_the_last_value() -> None:
    api = Api()
    api.on("GET", f"{BASE}/Messages/SM1.json", reply(200, {"status": "sending"}))
    h = Harness(api)
    summary = await h.run(load(POLL % ("2s", "5s")))
    result = h.results()[0]
    assert h.time.sleeps == [2.0, 2.0, 1.0] and result.attempts == 4
    assert result.reasons == ("expected $.status == 'delivered' within 5s, last value 'sending'",)
    assert (summary.failed, summary.exit_code) == (1, 1)


RETRY = f"""
name: Retry
requests:
  - name: Call
    id: call
    method: %s
    url: {BASE}/Thing.json
    retry: %s
"""


async def test_retry_after_is_honoured() -> None:
    api = Api()
    api.on("GET", f"{BASE}/Thing.json", reply(429, {"code": 20429}, **{"Retry-After": "3"}), reply(200, {}))
    h = Harness(api)
    summary = await h.run(load(RETRY % ("GET", "{on: [429], max: 2}")))
    assert summary.passed == 1 and h.time.sleeps == [3.0] and h.results()[0].attempts == 2
    retried = [e for e in h.events if isinstance(e, AttemptFinished)]
    assert [(e.attempt, e.wait_s, e.why) for e in retried] == [(1, 3.0, "retry: 429 TOO MANY REQUESTS")]


async def test_backoff_grows_and_the_run_gives_up_after_max() -> None:
    api = Api()
    api.on("GET", f"{BASE}/Thing.json", reply(503, {"code": 20503}))
    h = Harness(api)
    summary = await h.run(load(RETRY % ("GET", "{on: [503], max: 3}")))
    result = h.results()[0]
    assert h.time.sleeps == [0.5, 1.0, 2.0] and result.attempts == 4
    assert result.reasons[-1] == "gave up after 3 retries"
    assert summary.exit_code == 1


async def test_a_post_is_not_retried_after_a_reset_but_a_get_is() -> None:
    api = Api()
    api.on("POST", f"{BASE}/Thing.json", httpx.ReadError("connection reset by peer"))
    api.on("GET", f"{BASE}/Thing.json", httpx.ReadError("connection reset by peer"), reply(200, {}))
    h = Harness(api)
    summary = await h.run(load(RETRY % ("POST", "{on: [transport], max: 3}")))
    result = h.results()[0]
    assert result.outcome == "error" and result.attempts == 1 and h.time.sleeps == []
    assert result.reasons[-1] == "not retried: a POST may have reached the server before the connection failed (reset)"
    assert summary.exit_code == 3
    h = Harness(api)
    assert (await h.run(load(RETRY % ("GET", "{on: [transport], max: 3}")))).exit_code == 0
    assert h.results()[0].attempts == 2


async def test_a_post_is_retried_when_the_connection_was_refused() -> None:
    api = Api()
    api.on("POST", f"{BASE}/Thing.json", httpx.ConnectError("[Errno 111] Connection refused"), reply(201, {}))
    h = Harness(api)
    assert (await h.run(load(RETRY % ("POST", "{on: [transport], max: 1}")))).exit_code == 0
    assert h.results()[0].attempts == 2


async def test_a_post_answered_500_is_not_sent_again() -> None:
    api = Api()
    api.on("POST", f"{BASE}/Thing.json", reply(500, {"code": 20500}))
    h = Harness(api)
    await h.run(load(RETRY % ("POST", "{on: [500, 503], max: 3}")))
    assert len(api.seen) == 1
    assert h.results()[0].reasons[-1] == "not retried: a POST answered 500 may have been processed"


async def test_a_request_whose_capture_failed_is_skipped_not_sent() -> None:
    api = Api()
    api.on("POST", f"{BASE}/Messages.json", reply(400, {"code": 21211, "message": "bad To", "status": 400}))
    h = Harness(api)
    summary = await h.run(load(FLOW))
    send, fetch = h.results()
    assert send.reasons == (
        "expected status 201, got 400 (Twilio error 21211 — Invalid 'To' phone number)",
        "expected $.to == '+15558675310', got nothing",
        "capture message_sid: $.sid matched nothing",
    )
    assert fetch.outcome == "skipped" and fetch.exchange is None
    assert fetch.reasons == (
        "not sent: {{message_sid}} has no value because the request that captures it did not succeed",
    )
    assert (summary.failed, summary.skipped, summary.exit_code) == (1, 1, 1)
    assert len(api.seen) == 1


async def test_bail_stops_at_the_first_failure() -> None:
    api = Api()
    api.on("POST", f"{BASE}/Messages.json", reply(500, {}))
    h = Harness(api, options=RunOptions(bail=True))
    summary = await h.run(load(FLOW))
    assert summary.bailed and summary.executed == 1 and summary.planned == 2
    assert "stopped at the first failure (--bail), 1 not run" in summary.line()


async def test_repeat_and_delay() -> None:
    api = Api()
    api.on("POST", f"{BASE}/Messages.json", reply(201, {"sid": "SM1", "to": "+15558675310"}))
    api.on("GET", f"{BASE}/Messages/SM1.json", reply(200, {"sid": "SM1"}))
    h = Harness(api, options=RunOptions(repeat=3, delay=0.25))
    summary = await h.run(load(FLOW))
    assert summary.passed == 6 and summary.planned == 6
    assert h.time.sleeps == [0.25] * 5
    assert [(r.step.index, r.step.iteration, r.step.request.id) for r in h.results()][-2:] == [
        (5, 3, "send"), (6, 3, "fetch"),
    ]  # fmt: skip


async def test_only_runs_the_named_requests() -> None:
    api = Api()
    api.on("GET", f"{BASE}/Messages/SM7.json", reply(200, {"sid": "SM7"}))
    h = Harness(api, overrides={"message_sid": "SM7"})
    summary = await h.run(load(FLOW), only=["flow#fetch"])
    assert summary.passed == 1 and api.paths() == [f"GET {BASE}/Messages/SM7.json"]
    with pytest.raises(
        RunInputError, match="--only nope: no selected collection has a request with that id; ids: fetch, send"
    ):
        Harness(Api()).runner.plan([load(FLOW)], ["nope"])


def test_the_plan_refuses_unknown_variables_with_their_place() -> None:
    with pytest.raises(FileErrors) as caught:
        Harness(Api()).runner.plan([load(FLOW)], ["fetch"])
    assert [str(e) for e in caught.value.errors] == [
        "flow.yaml:12:1: request 'fetch': unknown variable 'message_sid' in url; no earlier request in this run "
        "captures it; define it with --var message_sid=VALUE",
        "flow.yaml:12:1: request 'fetch': unknown variable 'message_sid' in expect.json '$.sid'; no earlier "
        "request in this run captures it; define it with --var message_sid=VALUE",
    ]


def test_the_plan_refuses_invalid_jsonpath_and_sandbox_only_with_live() -> None:
    bad = load(f"name: B\nrequests:\n  - name: R\n    url: {BASE}/R.json\n    capture: {{x: '$.a b'}}\n")
    with pytest.raises(FileErrors, match=r"flow.yaml:3:1: request 'r': capture 'x': '\$.a b' is not a valid JSONPath"):
        Harness(Api()).runner.plan([bad])
    guarded = load(f"name: S\nsandbox_only: true\nrequests:\n  - name: R\n    url: {BASE}/R.json\n")
    with pytest.raises(SandboxOnlyError, match="is sandbox_only; it refuses the live profile 'live'"):
        Harness(Api()).runner.plan([guarded])


def test_a_missing_secret_is_found_before_anything_is_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TWIBENCH_TEST_MISSING", raising=False)
    profile = Profile("envy", "auth_token", AC, AC, SecretRef(env="TWIBENCH_TEST_MISSING"))
    with pytest.raises(ProfileError, match=r"\$TWIBENCH_TEST_MISSING, which is not set"):
        Harness(Api(), profile).runner.plan([load(FLOW)])


async def test_a_host_refusal_is_recorded_as_an_error_and_the_run_goes_on() -> None:
    collection = load(
        "name: H\nrequests:\n  - name: Evil\n    url: http://evil.example/steal\n"
        f"  - name: Next\n    url: {BASE}.json\n"
    )
    api = Api()
    api.on("GET", f"{BASE}.json", reply(200, {"sid": AC}))
    h = Harness(api)
    summary = await h.run(collection)
    refused, following = h.results()
    assert refused.outcome == "error" and refused.refused and refused.exchange.response is None
    assert refused.exchange.error.kind == "guard"
    assert "refusing to send the credentials of profile 'live' to evil.example:80" in refused.reasons[0]
    assert following.passed and api.paths() == [f"GET {BASE}.json"]  # nothing went to evil.example
    assert (summary.refused, summary.transport_failures, summary.exit_code) == (1, 0, 2)
    assert not h.recorded[0][0].request.url.startswith("http://evil")  # only the sent one is in history


async def test_captured_secrets_are_masked_in_history_and_flagged_in_the_session() -> None:
    secret = "sk-secret-0123456789abcdef"
    collection = load(
        f"""
        name: Keys
        requests:
          - name: Create
            method: POST
            url: {BASE}/Keys.json
            capture: {{key_sid: $.sid}}
            capture_secret: {{key_secret: $.secret}}
          - name: Use
            url: {BASE}/Echo.json
            auth: {{basic: ["{{{{key_sid}}}}", "{{{{key_secret}}}}"]}}
            params: {{echo: "{{{{key_secret}}}}"}}
        """
    )
    api = Api()
    api.on("POST", f"{BASE}/Keys.json", reply(201, {"sid": "SK1", "secret": secret}))
    api.on("GET", f"{BASE}/Echo.json", lambda request: reply(200, {"seen": str(request.url)}))
    redactor = Redactor()
    h = Harness(api, redactor=redactor)
    await h.run(collection)
    assert api.seen[1].headers["Authorization"].startswith("Basic ")  # the real secret went out
    for exchange, _, _ in h.recorded:
        assert secret not in redactor.body(exchange.response.body if exchange.response else b"").decode()
        assert secret not in redactor.text(exchange.request.url)
    entry = next(e for e in h.runner.session.entries() if e.name == "key_secret")
    assert entry.secret and entry.shown == MASK and entry.value == secret
    assert h.runner.session.secret_values == [secret]


async def test_cancelling_the_run_reports_it_and_propagates() -> None:
    api = Api()
    api.on("GET", f"{BASE}/Messages/SM1.json", reply(200, {"status": "queued"}))
    events: list[RunEvent] = []
    never = asyncio.Event()

    async def blocked_sleep(seconds: float) -> None:
        await never.wait()

    client = Client(transport=httpx.MockTransport(api))
    runner = Runner(client, live(), on_event=events.append, sleep=blocked_sleep)
    task = asyncio.create_task(runner.run([load(POLL % ("1s", "10s"))]))
    while not any(isinstance(e, AttemptFinished) for e in events):
        await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await client.aclose()
    finished = events[-1]
    assert isinstance(finished, RunFinished) and finished.summary.cancelled
    assert "cancelled, 1 not run" in finished.summary.line()


async def test_a_stale_capture_from_an_earlier_repetition_is_never_reused() -> None:
    api = Api()
    api.on(
        "POST",
        f"{BASE}/Messages.json",
        reply(201, {"sid": "SM1", "to": "+15558675310"}),
        reply(500, {"code": 20500, "message": "boom", "status": 500}),
    )
    api.on("GET", f"{BASE}/Messages/SM1.json", reply(200, {"sid": "SM1"}))
    h = Harness(api, options=RunOptions(repeat=2))
    summary = await h.run(load(FLOW))
    assert [r.outcome for r in h.results()] == ["passed", "passed", "failed", "skipped"]
    assert api.paths().count(f"GET {BASE}/Messages/SM1.json") == 1
    assert "message_sid" not in h.runner.session.captured
    assert summary.exit_code == 1


async def test_a_session_carries_captures_from_one_run_to_the_next() -> None:
    api = Api()
    api.on("POST", f"{BASE}/Messages.json", reply(201, {"sid": "SM5", "to": "+15558675310"}))
    api.on("GET", f"{BASE}/Messages/SM5.json", reply(200, {"sid": "SM5"}))
    first = Harness(api)
    await first.run(load(FLOW), only=["send"])
    second = Harness(api, session=first.runner.session)
    summary = await second.run(load(FLOW), only=["fetch"])  # planned with the session's captures
    assert summary.passed == 1 and api.paths()[-1] == f"GET {BASE}/Messages/SM5.json"
