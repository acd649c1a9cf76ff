"""`twibench run` as a user runs it: lines, summary, exit codes, live confirmation, reports, history.

The command runs in-process through the top-level entry point (so usage errors print one line and
exit 2 exactly as in a terminal) against the local fault server from test_runner_faults.
"""

from __future__ import annotations

import io
import json
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from junitparser import Error, Failure, JUnitXml, Skipped

import twibench.cli as top
from tests.test_runner_faults import AC, TOKEN, FaultServer, Reply
from twibench import history, sending
from twibench.collection import parse_collection
from twibench.redact import MASK, Redactor
from twibench.runner.console import Console
from twibench.runner.events import (
    RequestFinished,
    RequestResult,
    RequestStarted,
    RunFinished,
    RunStarted,
    RunSummary,
)
from twibench.runner.plan import Step

BASE = f"/2010-04-01/Accounts/{AC}"
SECRET = "key-secret-0123456789abcdef"
FLOW = f"""
name: Flow
variables: {{to: "+15558675310"}}
requests:
  - name: Create a key
    id: create
    method: POST
    url: {BASE}/Keys.json
    form: {{FriendlyName: k}}
    capture: {{key_sid: $.sid}}
    capture_secret: {{key_secret: $.secret}}
    expect: {{status: 201}}
  - name: Use the key
    id: use
    url: {BASE}/Messages.json
    auth: {{basic: ["{{{{key_sid}}}}", "{{{{key_secret}}}}"]}}
    expect: {{status: 200, json: {{$.status: delivered}}}}
"""


@pytest.fixture
def server() -> Iterator[FaultServer]:
    fault = FaultServer().start()
    fault.script(f"{BASE}/Keys.json", Reply(201, {"sid": "SK" + "1" * 32, "secret": SECRET}))
    try:
        yield fault
    finally:
        fault.stop()


@pytest.fixture
def setup(home: Path, server: FaultServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A profile `local` aimed at the fault server, and a collection file."""
    (home / "profiles.yaml").write_text(
        f"profiles:\n  local:\n    account_sid: {AC}\n    auth_token: {{env: LOCAL_TOKEN}}\n"
        f"    base_url: {server.base_url}\n"
    )
    monkeypatch.setenv("LOCAL_TOKEN", TOKEN)
    flow = tmp_path / "flow.yaml"
    flow.write_text(FLOW)
    return flow


class FakeTTY(io.StringIO):
    """A terminal on stdin, answering the confirmation question."""

    def isatty(self) -> bool:
        return True


def run(*args: str) -> int:
    return top.main(["run", *args])


def test_all_pass_exit_0_with_one_line_per_request(setup: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(str(setup), "--profile", "local", "--yes") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == f"Flow — {setup}"
    assert out[0].startswith("twibench run ") and out[0].endswith(" · profile local · 2 requests")
    assert out[2].startswith("PASS  POST    201 CREATED ") and out[2].endswith(" ms  Create a key (create)")
    assert out[3].startswith("PASS  GET     200 OK ") and out[3].endswith("Use the key (use)")
    assert out[4].startswith("2 passed · 2 requests in ")


def test_a_failed_check_exits_1_and_says_why(
    setup: Path, server: FaultServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.script(f"{BASE}/Messages.json", Reply(200, {"status": "sending"}))
    assert run(str(setup), "--profile", "local", "--yes") == 1
    out = capsys.readouterr().out
    assert "FAIL  GET     200 OK " in out
    assert "Use the key (use) — expected $.status == 'delivered', got 'sending'" in out
    assert "1 passed, 1 failed · 2 requests in " in out


def test_a_transport_failure_exits_3(setup: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dead = tmp_path / "dead.yaml"
    dead.write_text(
        f"name: Dead\nrequests:\n  - name: Nobody home\n    url: http://127.0.0.1:{port}/x\n    auth: none\n"
    )
    assert run(str(setup), str(dead), "--profile", "local", "--yes") == 3
    out = capsys.readouterr().out
    assert "FAIL  GET     --- REFUSED" in out and f"127.0.0.1:{port} refused the connection" in out
    assert "2 passed, 1 failed (1 transport failure)" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--var", "oops"], "--var expects name=value"),
        (["--delay", "soon"], "--delay: expected a duration"),
        (["--report", "xml:out.xml"], "expected junit:FILE or json:FILE"),
        (["--only", "nope"], "--only nope: no selected collection has a request with that id"),
        (["--profile", "nobody"], "unknown profile 'nobody'"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    setup: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str], server: FaultServer
) -> None:
    assert run(str(setup), "--profile", "local", "--yes", *args) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert server.seen == []


def test_invalid_collection_and_unknown_variable_exit_2(
    setup: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], server: FaultServer
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: B\nrequests:\n  - name: R\n    url: /x\n    colour: red\n")
    assert run(str(broken), "--profile", "local", "--yes") == 2
    assert f"{broken}:5:5: unknown key 'colour'" in capsys.readouterr().err
    assert run(str(setup), "--only", "use", "--profile", "local", "--yes") == 2
    assert "request 'use': unknown variable 'key_sid' in auth user" in capsys.readouterr().err
    assert server.seen == []


def test_missing_secret_and_host_refusal_exit_2(
    setup: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LOCAL_TOKEN")
    assert run(str(setup), "--profile", "local", "--yes") == 2
    assert "reads its secret from $LOCAL_TOKEN, which is not set" in capsys.readouterr().err
    monkeypatch.setenv("LOCAL_TOKEN", TOKEN)
    elsewhere = tmp_path / "elsewhere.yaml"
    elsewhere.write_text("name: E\nrequests:\n  - name: Leak\n    url: http://127.0.0.2:9/steal\n")
    report = tmp_path / "refused.json"
    assert run(str(elsewhere), str(setup), "--profile", "local", "--yes", "--report", f"json:{report}") == 2
    out = capsys.readouterr().out
    assert "FAIL  GET     --- NOT SENT" in out
    assert "refusing to send the credentials of profile 'local' to 127.0.0.2:9" in out
    assert "2 passed, 1 refused · 3 requests in " in out  # the run went on after the refusal
    entries = json.loads(report.read_text())
    assert [e["request_id"] for e in entries] == ["leak", "create", "use"]
    assert entries[0]["checks"]["outcome"] == "error" and entries[0]["error"]["kind"] == "guard"


def test_a_prompt_without_a_terminal_exits_2(
    setup: Path, home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (home / "profiles.yaml").write_text(
        f"profiles:\n  asker:\n    account_sid: {AC}\n    auth_token: {{prompt: true}}\n"
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert run(str(setup), "--profile", "asker", "--yes") == 2
    assert "asks for its secret at a prompt, but there is no terminal" in capsys.readouterr().err


def test_a_captured_secret_is_masked_in_the_lines_too(
    setup: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    strict = tmp_path / "strict.yaml"
    strict.write_text(FLOW.replace("expect: {status: 201}", "expect: {status: 201, json: {$.secret: absent}}"))
    assert run(str(strict), "--profile", "local", "--yes") == 1
    out = capsys.readouterr().out
    assert f"Create a key (create) — expected $.secret to be absent, got '{MASK}'" in out
    assert SECRET not in out


def test_sandbox_only_collections_refuse_live_profiles(
    setup: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tour = tmp_path / "tour.yaml"
    tour.write_text(f"name: Tour\nsandbox_only: true\nrequests:\n  - name: R\n    url: {BASE}.json\n")
    assert run(str(tour), "--profile", "local", "--yes") == 2
    assert "collection 'Tour' is sandbox_only; it refuses the local profile 'local'" in capsys.readouterr().err


def test_a_live_run_needs_a_yes(
    setup: Path, home: Path, server: FaultServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A live profile (Twilio's own host): refused without a terminal, and on "n"; nothing is sent.
    with (home / "profiles.yaml").open("a") as handle:
        handle.write(f"  live:\n    account_sid: {AC}\n    auth_token: {{env: LOCAL_TOKEN}}\n")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert run(str(setup), "--profile", "live") == 2
    err = capsys.readouterr().err
    assert "refusing to send 2 request(s) to the live profile live · Auth Token · AC01…cdef" in err
    assert "there is no terminal to ask; pass --yes to confirm" in err
    monkeypatch.setattr(sys, "stdin", FakeTTY("n\n"))
    assert run(str(setup), "--profile", "live") == 2
    err = capsys.readouterr().err
    assert "Send 2 request(s) to the live profile live" in err and "not confirmed; nothing was sent" in err
    # "yes" lets it through (checked on the gate itself: a live run would reach Twilio).
    sending.confirm_live("live · Auth Token · AC01…cdef", 2, False, FakeTTY("yes\n"), io.StringIO())
    # A LOCAL profile (a base URL on this machine) needs no confirmation: it reaches only your own server.
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert run(str(setup), "--profile", "local") == 0
    assert len(server.seen) == 2


def test_only_bail_repeat_and_delay(setup: Path, server: FaultServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(str(setup), "--only", "create", "--repeat", "3", "--delay", "10ms", "--profile", "local", "--yes") == 0
    out = capsys.readouterr().out
    assert out.count("Create a key (create)") == 3 and "Create a key (create) #3" in out and "Use the key" not in out
    server.scripts.clear()
    server.script(f"{BASE}/Keys.json", Reply(500, {"code": 20500, "message": "boom", "status": 500}))
    server.seen.clear()
    assert run(str(setup), "--bail", "--profile", "local", "--yes") == 1
    out = capsys.readouterr().out
    assert "stopped at the first failure (--bail), 1 not run" in out and len(server.seen) == 1


def test_junit_report_reads_back(setup: Path, server: FaultServer, tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dead = tmp_path / "dead.yaml"
    dead.write_text(
        f"name: Dead\nrequests:\n  - name: Nobody home\n    url: http://127.0.0.1:{port}/x\n    auth: none\n"
    )
    server.script(f"{BASE}/Keys.json", Reply(400, {"code": 21211, "message": "bad", "status": 400}))
    report = tmp_path / "out" / "junit.xml"
    report.parent.mkdir()  # a report's folder must exist (a typo in it is refused before anything is sent)
    assert run(str(setup), str(dead), "--profile", "local", "--yes", "--report", f"junit:{report}") == 3
    xml = JUnitXml.fromfile(str(report))
    suites = list(xml)
    assert len(suites) == 1
    suite = suites[0]
    assert (suite.tests, suite.failures, suite.errors, suite.skipped) == (3, 1, 1, 1)
    cases = list(suite)
    assert [(c.classname, c.name) for c in cases] == [
        ("Flow", "Create a key (create)"), ("Flow", "Use the key (use)"), ("Dead", "Nobody home (nobody-home)"),
    ]  # fmt: skip
    failure, skipped, error = (c.result[0] for c in cases)
    assert isinstance(failure, Failure) and failure.type == "check"
    assert failure.message == "expected status 201, got 400 (Twilio error 21211 — Invalid 'To' phone number)"
    assert isinstance(skipped, Skipped) and "{{key_sid}} has no value" in (skipped.message or "")
    assert isinstance(error, Error) and error.type == "transport:refused"
    assert all(c.time is not None and c.time >= 0 for c in cases)
    assert [p.name for p in report.parent.iterdir()] == ["junit.xml"]  # no temporary file left behind


def test_json_report_shape_and_redaction(setup: Path, tmp_path: Path) -> None:
    report = tmp_path / "run.json"
    assert run(str(setup), "--profile", "local", "--yes", "--report", f"json:{report}") == 0
    text = report.read_text()
    assert SECRET not in text and TOKEN not in text
    entries = json.loads(text)
    assert [e["request_id"] for e in entries] == ["create", "use"]
    create, use = entries
    assert set(create) == {
        "id", "time", "profile", "collection", "request_id", "name", "request", "response", "twilio_error",
        "timings", "error", "checks",
    }  # fmt: skip
    assert create["response"]["status"] == 201 and create["collection"] == "Flow" and create["profile"] == "local"
    assert json.loads(create["response"]["body"])["secret"] == MASK
    checks = create["checks"]
    assert checks["passed"] is True and checks["outcome"] == "passed" and checks["reasons"] == []
    assert checks["attempts"] == 1 and checks["iteration"] == 1 and checks["run_id"]
    assert checks["captured"] == {"key_sid": "SK" + "1" * 32, "key_secret": MASK}
    auth = {name.lower(): value for name, value in use["request"]["headers"]}["authorization"]
    assert auth == f"Basic SK11…1111:{MASK}"


def test_history_records_the_run_unless_told_not_to(setup: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(str(setup), "--profile", "local", "--yes", "--no-history") == 0
    with history.open_history() as store:
        assert store.count() == 0
    assert run(str(setup), "--profile", "local", "--yes") == 0
    headers = [line for line in capsys.readouterr().out.splitlines() if line.startswith("twibench run ")]
    run_id = headers[-1].split()[2]
    with history.open_history() as store:
        entries = store.list(filter=f"run:{run_id}")
        assert [e.request_id for e in entries] == ["use", "create"]
        assert {e.run_id for e in entries} == {run_id} and entries[0].collection_file == str(setup)
        stored = store.get(entries[1].id)
        assert stored is not None and stored.response_body is not None
        assert SECRET.encode() not in stored.response_body


def test_console_redraws_a_live_line_on_a_terminal() -> None:
    collection = parse_collection(f"name: C\nrequests:\n  - name: One\n    url: {BASE}.json\n", Path("c.yaml"))
    out = io.StringIO()
    console = Console(out, Redactor(), live=True, colour=False)
    step = Step(collection, collection.requests[0], 1, 1, 1)
    console.handle(RunStarted("r1", "local", 1))
    console.handle(RequestStarted(step))
    console.handle(RequestFinished(RequestResult(step, "skipped", None, ("not sent: x",))))
    summary = RunSummary("r1", "local", planned=1, skipped=1)
    console.handle(RunFinished(summary))
    text = out.getvalue()
    assert "\r\x1b[2K… [1/1] GET One · 0.0s" in text
    assert "\r\x1b[2KSKIP  GET     --- NOT SENT" in text and text.endswith("0 passed, 1 skipped · 1 request in 0.0 s\n")
