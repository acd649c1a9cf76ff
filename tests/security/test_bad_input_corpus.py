"""Every bad input of issue 10 (items 7-10, 15, 17) through the real CLI: the documented exit code, one
sentence on stderr naming the file or field, and never a traceback or an "unexpected error".

Each case builds its files in a fresh TWIBENCH_HOME (also the working folder) and runs one command.
`python -m tests.security.test_bad_input_corpus` prints every case's exit code and stderr (a table for
comparing versions: run it with PYTHONPATH pointing at another checkout).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.security.cli_run import SEND_SMS, damage, run_cli

AC = "AC" + "a" * 32
HUGE = "9" * 5000


@dataclass(frozen=True)
class Case:
    """One bad input: files to write, the command, its exit code and what the one stderr line must say."""

    id: str
    args: tuple[str, ...]
    exit_code: int
    says: tuple[str, ...]
    setup: Callable[[Path], None] = lambda home: None


def _write(name: str, text: str) -> Callable[[Path], None]:
    def setup(home: Path) -> None:
        (home / "sms.yaml").write_text(SEND_SMS)
        (home / name).parent.mkdir(parents=True, exist_ok=True)
        (home / name).write_text(text)

    return setup


def _profile(base_url: str) -> Callable[[Path], None]:
    text = f"profiles:\n  p:\n    account_sid: {AC}\n    auth_token: {{env: T}}\n    base_url: '{base_url}'\n"
    return _write("profiles.yaml", text)


def _damaged(name: str) -> Callable[[Path], None]:
    def setup(home: Path) -> None:
        (home / "sms.yaml").write_text(SEND_SMS)
        for _ in range(3):
            assert run_cli(home, "send", "sms.yaml#send-sms").returncode == 0
        damage(home / name)

    return setup


def _nested_openapi(depth: int) -> str:
    return '{"openapi": "3.0.0", "paths": {"/x": {"get": {"x-deep": ' + "[" * depth + "]" * depth + "}}}}"


BIG_TIMEOUT = f"name: Big\nrequests:\n  - name: b\n    url: /x\n    timeout: {HUGE}\n"
CASES = [
    # 7: a 5000-digit number in a collection or config.yaml
    Case(
        "huge-timeout-send",
        ("send", "big.yaml#b"),
        2,
        ("big.yaml:5:14:", "5000 digits"),
        _write("big.yaml", BIG_TIMEOUT),
    ),
    Case(
        "huge-timeout-run-folder",
        ("run", "cols"),
        2,
        ("cols/big.yaml:5:14:", "5000 digits"),
        _write("cols/big.yaml", BIG_TIMEOUT),
    ),
    Case(
        "huge-config",
        ("send", "sms.yaml#send-sms"),
        2,
        ("config.yaml:2:16:", "5000 digits"),
        _write("config.yaml", f"history:\n  max_entries: {HUGE}\n"),
    ),
    Case(
        "huge-hex-in-json-body",
        ("send", "hex.yaml#h"),
        2,
        ("hex.yaml:5:11:", "digits is too long"),
        _write("hex.yaml", f"name: H\nrequests:\n  - name: h\n    url: /x\n    json: 0x{'f' * 5000}\n"),
    ),
    Case(
        "deep-collection",
        ("run", "deep.yaml"),
        2,
        ("deep.yaml:",),
        _write("deep.yaml", "name: D\nrequests:\n  - name: d\n    url: /x\n    json: " + "[" * 100_000 + "]" * 100_000),
    ),
    # 8: deep OpenAPI, damaged history and sandbox state
    Case(
        "deep-openapi",
        ("import", "openapi", "deep.json", "-o", "out"),
        2,
        ("deep.json", "nests more than 100 levels"),
        _write("deep.json", _nested_openapi(100_000)),
    ),
    Case(
        "damaged-history-list",
        ("history", "list"),
        2,
        ("history.sqlite3 is damaged", "twibench history clear"),
        _damaged("history.sqlite3"),
    ),
    Case(
        "damaged-history-clear",
        ("history", "clear"),
        2,
        ("history.sqlite3 cannot be read", "pass --yes"),
        _damaged("history.sqlite3"),
    ),
    Case(
        "damaged-history-send",
        ("send", "sms.yaml#send-sms"),
        0,
        ("warning: the exchange was not recorded", "history.sqlite3 is damaged"),
        _damaged("history.sqlite3"),
    ),
    Case(
        "damaged-sandbox-send",
        ("send", "sms.yaml#send-sms", "--no-history"),
        2,
        ("sandbox.sqlite3 is damaged", "sandbox --reset"),
        _damaged("sandbox.sqlite3"),
    ),
    Case(
        "damaged-sandbox-serve",
        ("sandbox", "--port", "0"),
        2,
        ("sandbox.sqlite3 is damaged", "sandbox --reset"),
        _damaged("sandbox.sqlite3"),
    ),
    # 9: global options before the subcommand, the TUI without a terminal
    Case(
        "profile-before-check",
        ("--profile", "p", "check", "sms.yaml"),
        2,
        ("--profile does not apply to `twibench check`",),
        _write("sms.yaml", SEND_SMS),
    ),
    Case(
        "unknown-profile-before-send",
        ("--profile", "nope", "send", "sms.yaml#send-sms"),
        2,
        ("unknown profile 'nope'",),
        _write("sms.yaml", SEND_SMS),
    ),
    Case("tui-without-terminal", (), 2, ("the TUI needs a terminal",)),
    # 10: a base_url no request could reach
    Case(
        "base-url-port-99999",
        ("send", "sms.yaml#send-sms", "--profile", "p"),
        2,
        ("profiles.yaml:5:15:", "base_url", "99999"),
        _profile("http://127.0.0.1:99999"),
    ),
    Case(
        "base-url-path",
        ("profiles", "list"),
        2,
        ("profiles.yaml:5:15:", "base_url", "no path"),
        _profile("http://127.0.0.1:8080/api"),
    ),
    Case(
        "base-url-userinfo",
        ("profiles", "list"),
        2,
        ("profiles.yaml:5:15:", "base_url", "user name or password"),
        _profile("http://me:pw@127.0.0.1"),
    ),
    # 15: report paths that cannot be files
    Case(
        "report-is-a-folder",
        ("run", "sms.yaml", "--report", "junit:cols"),
        2,
        ("--report junit:cols", "is a folder"),
        _write("cols/.keep", ""),
    ),
    Case(
        "report-folder-missing",
        ("run", "sms.yaml", "--report", "json:nowhere/r.json"),
        2,
        ("--report json:nowhere/r.json", "does not exist"),
        _write("sms.yaml", SEND_SMS),
    ),
    # 17: one prefix
    Case(
        "var-without-equals",
        ("send", "sms.yaml#send-sms", "--var", "bad"),
        2,
        ("twibench: --var expects name=value",),
        _write("sms.yaml", SEND_SMS),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(home: Path, case: Case) -> None:
    case.setup(home)
    result = run_cli(home, *case.args)
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "unexpected error" not in output, output
    assert result.returncode == case.exit_code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].count(". ") == 0, lines[0]  # one sentence
    assert not lines[0].startswith("twibench: twibench"), lines[0]  # one prefix
    for phrase in case.says:
        assert phrase in lines[0], (phrase, lines[0])


def main() -> None:
    """Print each case's exit code and stderr for the twibench on PYTHONPATH."""
    for case in CASES:
        home = Path(tempfile.mkdtemp(prefix=f"corpus-{case.id}-"))
        try:
            case.setup(home)
            try:
                result = run_cli(home, *case.args, timeout=20)
            except subprocess.TimeoutExpired:
                print(f"{case.id}\tstill running after 20 s (killed)")
                continue
            err = " | ".join(result.stderr.strip().splitlines())
            print(f"{case.id}\texit {result.returncode}\t{err[:300]}")
        finally:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
