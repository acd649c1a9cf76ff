"""The command line under stress: global options, no terminal, SIGTERM, parallel writers, bad report paths."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.security.cli_run import SEND_SMS, one_sentence, run_cli
from twibench.cli import common as cliparse

AC = "AC" + "a" * 32
SLOW_RUN = """\
name: Slow
requests:
  - name: Fetch the account
    url: /2010-04-01/Accounts/{{account_sid}}.json
"""


@pytest.fixture
def sms(home: Path) -> Path:
    (home / "sms.yaml").write_text(SEND_SMS)
    return home


# --- global options before the subcommand ------------------------------------------------------------


def test_debug_before_the_subcommand_runs_the_subcommand(sms: Path) -> None:
    result = run_cli(sms, "--debug", "send", "sms.yaml#nope")
    assert result.returncode == 1  # --debug shows the traceback instead of the one-line error
    assert "RequestRefError: sms.yaml has no request 'nope'" in result.stderr
    assert "Traceback" in result.stderr


def test_profile_before_the_subcommand_is_the_subcommands_profile(sms: Path) -> None:
    unknown = run_cli(sms, "--profile", "nope", "send", "sms.yaml#send-sms")
    assert unknown.returncode == 2
    assert one_sentence(unknown.stderr) == "twibench: unknown profile 'nope'; known profiles: sandbox"
    sent = run_cli(sms, "--profile=sandbox", "--debug", "send", "sms.yaml#send-sms")
    assert sent.returncode == 0 and sent.stdout.startswith("201 CREATED")
    # a later --profile after the subcommand wins, as for any repeated option
    assert run_cli(sms, "--profile", "nope", "run", "sms.yaml", "--profile", "sandbox").returncode == 0


def test_profile_before_a_subcommand_without_profiles_is_refused(sms: Path) -> None:
    result = run_cli(sms, "--profile", "sandbox", "check", "sms.yaml")
    assert result.returncode == 2
    assert one_sentence(result.stderr) == (
        "twibench: --profile does not apply to `twibench check`; it goes with send, run, history replay and the TUI"
    )
    assert one_sentence(run_cli(sms, "--profile").stderr) == (
        "twibench: --profile needs a profile name (see twibench --help)"
    )


# --- the TUI without a terminal ------------------------------------------------------------------


@pytest.mark.parametrize("args", [[], ["sms.yaml"], ["--profile", "sandbox"], ["tui"]])
def test_the_tui_without_a_terminal_exits_2_at_once(sms: Path, args: list[str]) -> None:
    result = run_cli(sms, *args, timeout=30)  # stdin is a pipe, stdout is captured: no terminal
    assert result.returncode == 2
    assert one_sentence(result.stderr).startswith("twibench: the TUI needs a terminal, but stdin or stdout is not one")
    assert result.stdout == ""


def test_the_tui_check_comes_before_textual_is_imported(monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    from twibench import cli

    def started(*args: object) -> int:
        raise AssertionError("the TUI started without a terminal")

    fake_app = types.ModuleType("twibench.tui.app")
    fake_app.run = started  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "twibench.tui.app", fake_app)  # a regression fails here instead of hanging
    monkeypatch.delitem(sys.modules, "textual", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    assert cli.main([]) == 2
    assert "textual" not in sys.modules


# --- messages: one prefix, each warning once ---------------------------------------------------------


def test_var_errors_carry_one_prefix(sms: Path) -> None:
    send = run_cli(sms, "send", "sms.yaml#send-sms", "--var", "bad")
    assert send.returncode == 2
    assert one_sentence(send.stderr) == "twibench: --var expects name=value with a name like message_sid, got 'bad'"
    ran = run_cli(sms, "run", "sms.yaml", "--var", "bad")
    assert one_sentence(ran.stderr) == "twibench run: --var expects name=value with a name like message_sid, got 'bad'"


def test_the_readable_profiles_warning_is_printed_once(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = home / "profiles.yaml"
    path.write_text(f"profiles:\n  p:\n    account_sid: {AC}\n    auth_token: literal-secret-value\n")
    path.chmod(0o644)
    cliparse.load_profile_set()
    err = capsys.readouterr().err
    assert err.count("is readable by other users") == 1
    (home / "sms.yaml").write_text(SEND_SMS)
    for args in (["send", "sms.yaml#send-sms"], ["run", "sms.yaml"], ["profiles", "list"]):
        result = run_cli(home, *args)
        assert result.returncode == 0, result.stderr
        assert result.stderr.count("readable by other users") == 1, (args, result.stderr)


# --- run: report paths and SIGTERM -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("report", "problem"),
    [
        ("junit:out", "out is a folder; name a file in it"),
        ("json:missing/r.json", "the folder missing does not exist"),
    ],
)
def test_a_report_path_that_cannot_be_a_file_is_refused_before_sending(sms: Path, report: str, problem: str) -> None:
    (sms / "out").mkdir()
    result = run_cli(sms, "run", "sms.yaml", "--report", report)
    assert result.returncode == 2
    assert one_sentence(result.stderr) == f"twibench run: --report {report}: {problem}"
    assert not (sms / "history.sqlite3").exists()  # nothing was sent, so nothing was recorded
    assert not (sms / "missing").exists()


def _run_until_signalled(home: Path, sig: signal.Signals) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    (home / "slow.yaml").write_text(SLOW_RUN)
    environ = {**os.environ, "TWIBENCH_HOME": str(home), "TWIBENCH_SANDBOX_DETERMINISTIC": "1"}
    args = ["run", "slow.yaml", "--repeat", "200", "--delay", "200ms", "--no-history"]
    reports = ["--report", "junit:r.xml", "--report", "json:r.json"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "twibench", *args, *reports],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environ,
        cwd=home,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert proc.stdout is not None
    first = ""
    while "Fetch the account" not in first:  # a request finished: the run is under way and the reports are open
        line = proc.stdout.readline()
        assert line, "the run ended before any request finished"
        first += line
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    done = subprocess.CompletedProcess(proc.args, proc.returncode, first + out, err)
    return done, sorted(p.name for p in home.iterdir())


@pytest.mark.parametrize(
    ("sig", "code", "word"), [(signal.SIGTERM, 143, "terminated"), (signal.SIGINT, 130, "interrupted")]
)
def test_a_signal_during_run_finishes_the_reports(home: Path, sig: signal.Signals, code: int, word: str) -> None:
    result, names = _run_until_signalled(home, sig)
    assert result.returncode == code, result.stderr
    assert result.stderr.strip().splitlines()[-1] == f"twibench: {word}"
    assert "Traceback" not in result.stderr
    assert not [n for n in names if n.endswith(".part")], names
    exchanges = json.loads((home / "r.json").read_text())
    assert 1 <= len(exchanges) < 200
    from junitparser import JUnitXml

    suites = list(JUnitXml.fromfile(str(home / "r.xml")))
    assert sum(s.tests for s in suites) == len(exchanges)


# --- profiles: parallel writers ---------------------------------------------------------------------


def test_ten_parallel_profiles_add_keep_all_ten(home: Path) -> None:
    environ = {**os.environ, "TWIBENCH_HOME": str(home)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "twibench", "profiles", "add", f"p{i}", "--account-sid", AC, "--secret-env", "X"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environ,
        )
        for i in range(10)
    ]
    deadline = time.monotonic() + 120
    for proc in procs:
        proc.communicate(timeout=max(1, deadline - time.monotonic()))
        assert proc.returncode == 0
    listed = run_cli(home, "profiles", "list").stdout
    assert sorted(line.split()[0] for line in listed.splitlines()[2:]) == sorted(f"p{i}" for i in range(10))
    assert (home / "profiles.yaml").stat().st_mode & 0o777 == 0o600
