"""The CLI in subprocesses, as a user runs it: bytes on the wire, exit codes, the guard, no secrets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TWILIO_ENV
from tests.loopback import LoopbackServer

AC = "AC0123456789abcdef0123456789abcdef"
TOKEN = "f00dfacef00dfacef00dfacef00dface"
ENV_TOKEN = "e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7"
COLLECTION = """\
name: Loopback
variables:
  to: "+15558675310"
requests:
  - name: Send an SMS
    id: send-sms
    method: POST
    url: /2010-04-01/Accounts/{{account_sid}}/Messages.json
    form:
      To: "{{to}}"
      From: "+15005550006"
      Body: "Your total is $5"
      MediaUrl: [https://example.com/a.png, https://example.com/b.png]
  - name: Bad number
    id: bad
    method: POST
    url: /2010-04-01/Accounts/{{account_sid}}/Bad.json
    form: {To: "123"}
  - name: Echo a secret field
    id: echo
    url: /2010-04-01/Accounts/{{account_sid}}/Echo.json
  - name: Elsewhere
    id: elsewhere
    url: http://127.0.0.1:1/steal
  - name: Needs a variable
    id: needs-var
    url: /2010-04-01/Accounts/{{account_sid}}/Messages/{{message_sid}}.json
"""


def run(home: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in TWILIO_ENV}
    environ["TWIBENCH_HOME"] = str(home)
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "twibench", *args],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
        cwd=home,
        check=False,
    )


@pytest.fixture
def setup(home: Path, loopback: LoopbackServer) -> Path:
    (home / "loop.yaml").write_text(COLLECTION)
    profiles = home / "profiles.yaml"
    profiles.write_text(
        f"""default: loop
profiles:
  loop:
    account_sid: {AC}
    auth_token: {TOKEN}
    base_url: {loopback.base_url}
  envloop:
    account_sid: {AC}
    auth_token: {{env: LOOP_TOKEN}}
    base_url: {loopback.base_url}
  down:
    account_sid: {AC}
    auth_token: {TOKEN}
    base_url: http://127.0.0.1:9
"""
    )
    profiles.chmod(0o600)
    return home


def assert_no_secret(*outputs: str) -> None:
    import base64

    for secret in (TOKEN, ENV_TOKEN):
        forms = (secret, base64.b64encode(f"{AC}:{secret}".encode()).decode())
        for text in outputs:
            for form in forms:
                assert form not in text


def test_send_puts_exact_bytes_on_the_wire(setup: Path, loopback: LoopbackServer) -> None:
    result = run(setup, "send", "loop.yaml#send-sms")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("201 CREATED — ")
    assert "Twilio-Request-Id RQ" in result.stdout
    assert '"status": "queued"' in result.stdout
    got = loopback.requests[-1]
    assert got.headers["Authorization"] == "Basic " + __import__("base64").b64encode(f"{AC}:{TOKEN}".encode()).decode()
    assert got.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert got.headers["User-Agent"].startswith("twibench/")
    assert got.body == (
        b"To=%2B15558675310&From=%2B15005550006&Body=Your+total+is+%245"
        b"&MediaUrl=https%3A%2F%2Fexample.com%2Fa.png&MediaUrl=https%3A%2F%2Fexample.com%2Fb.png"
    )
    assert_no_secret(result.stdout, result.stderr)


def test_status_400_exits_1_with_decoded_twilio_error(setup: Path) -> None:
    result = run(setup, "send", "loop.yaml#bad")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("400 BAD REQUEST — ")
    assert any(line.startswith("Twilio error 21211 — ") and "not a valid phone number" in line for line in lines)
    assert "More info: https://www.twilio.com/docs/errors/21211" in result.stdout


def test_transport_failure_exits_3_with_one_line(setup: Path) -> None:
    result = run(setup, "send", "loop.yaml#echo", "--profile", "down")
    assert result.returncode == 3
    assert result.stderr.strip().splitlines() == [
        "twibench: 127.0.0.1:9 refused the connection (is the server running?)"
    ]
    assert "Traceback" not in result.stderr


def test_host_guard_exits_2_before_sending(setup: Path, loopback: LoopbackServer) -> None:
    result = run(setup, "send", "loop.yaml#elsewhere")
    assert result.returncode == 2
    assert "refusing to send the credentials of profile 'loop' to 127.0.0.1:1" in result.stderr
    assert loopback.requests == []


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["send", "loop.yaml#needs-var"], "unknown variable 'message_sid' in url"),
        (["send", "loop.yaml#nope"], "nope"),
        (["send", "missing.yaml#x"], "missing.yaml"),
        (["send", "loop.yaml#echo", "--profile", "ghost"], "unknown profile 'ghost'"),
        (["send", "loop.yaml#echo", "--profile", "envloop"], "$LOOP_TOKEN, which is not set"),
        (["send", "loop.yaml#echo", "--var", "oops"], "--var expects name=value"),
        (["send"], "the following arguments are required"),
        (["frobnicate-this-path-does-not-exist", "--bogus"], "unrecognized arguments"),
    ],
)
def test_bad_input_exits_2_with_one_sentence(setup: Path, args: list[str], phrase: str) -> None:
    result = run(setup, *args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert phrase in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_env_secret_profile_and_json_shape(setup: Path) -> None:
    result = run(setup, "send", "loop.yaml#echo", "--profile", "envloop", "--json", env={"LOOP_TOKEN": ENV_TOKEN})
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {
        "id", "time", "profile", "collection", "request_id", "name", "request", "response", "twilio_error",
        "timings", "error",
    }  # fmt: skip
    assert set(data["request"]) == {"method", "url", "path", "headers", "body"}
    assert set(data["response"]) >= {"status", "reason", "meaning", "headers", "body", "body_encoding", "size"}
    assert set(data["timings"]) == {"total_ms", "phases"}
    assert data["profile"] == "envloop" and data["collection"] == "Loopback" and data["request_id"] == "echo"
    assert data["response"]["status"] == 200 and data["twilio_error"] is None and data["error"] is None
    assert data["request"]["path"] == f"/2010-04-01/Accounts/{AC}/Echo.json"
    auth = [v for k, v in data["request"]["headers"] if k.lower() == "authorization"]
    assert auth == ["Basic AC01…cdef:••••"]
    assert "leaked-token-value" not in result.stdout, "auth_token fields of Twilio JSON are masked"
    assert_no_secret(result.stdout, result.stderr)


def test_json_on_400_has_twilio_error(setup: Path) -> None:
    result = run(setup, "send", "loop.yaml#bad", "--json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["twilio_error"]["code"] == 21211
    assert data["twilio_error"]["more_info"] == "https://www.twilio.com/docs/errors/21211"
    assert data["response"]["meaning"]


def test_include_prints_response_headers(setup: Path) -> None:
    result = run(setup, "send", "loop.yaml#echo", "-i")
    assert result.returncode == 0
    assert "Twilio-Request-Id: RQ" in result.stdout


def test_check_ok_and_broken(setup: Path) -> None:
    ok = run(setup, "check", "loop.yaml")
    assert ok.returncode == 0 and "1 collection(s), 5 request(s) ok" in ok.stdout
    (setup / "broken.yaml").write_text("name: B\nrequests:\n  - name: x\n    metod: GET\n")
    bad = run(setup, "check", str(setup))
    assert bad.returncode == 2
    assert "broken.yaml:4:5:" in bad.stderr and "metod" in bad.stderr
    assert "1 collection(s)" in bad.stderr, "the good file still loads"


def test_profiles_list_never_shows_a_secret(setup: Path) -> None:
    result = run(setup, "profiles", "list", env={"LOOP_TOKEN": ENV_TOKEN})
    assert result.returncode == 0
    assert "AC01…cdef" in result.stdout and "sandbox" in result.stdout and "env LOOP_TOKEN" in result.stdout
    assert_no_secret(result.stdout, result.stderr)


def test_locate_prints_paths_before_they_exist(home: Path) -> None:
    result = run(home, "locate")
    assert result.returncode == 0
    names = [line.split(":", 1)[0] for line in result.stdout.splitlines()]
    assert names == ["profiles", "settings", "history", "collections", "cache"]
    assert f"profiles: {home / 'profiles.yaml'}" in result.stdout
    assert f"cache: {home / 'cache'}" in result.stdout.splitlines()


def test_version_and_help(home: Path) -> None:
    from twibench import __version__

    assert run(home, "--version").stdout.strip() == f"twibench {__version__}"
    helped = run(home, "--help")
    assert helped.returncode == 0 and "Exit codes" in helped.stdout
    assert run(home, "send", "--help").returncode == 0
