"""`twibench run` exit codes when requests are refused (issue 10): refused requests are recorded and the
run goes on; the exit code is 3 if any transport failure, else 2 if any refusal or bad input, else 1 if
any check failed, else 0.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

import twibench.cli as top
from twibench.runner.events import RunSummary


@pytest.fixture(autouse=True)
def sandbox(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TWIBENCH_SANDBOX_DETERMINISTIC", "1")
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return home


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


PASS = "  - {name: Ok, id: ok, url: '/2010-04-01/Accounts/{{account_sid}}.json'}\n"
FAIL = "  - {name: Check, id: check, url: '/2010-04-01/Accounts/{{account_sid}}.json', expect: {status: 201}}\n"
REFUSED = "  - {name: Refused, id: refused, url: 'http://127.0.0.1:99999/', auth: none}\n"
LEAK = "  - {name: Leak, id: leak, url: 'http://127.0.0.1:9/?t={{t}}', auth: none}\n"
CAPTURE = "  - {name: Acct, id: acct, url: '/2010-04-01/Accounts/{{account_sid}}.json', capture: {t: $.auth_token}}\n"


def transport() -> str:
    return f"  - {{name: Dead, id: dead, url: 'http://127.0.0.1:{closed_port()}/', auth: none}}\n"


@pytest.mark.parametrize(
    ("requests", "code", "summary"),
    [
        ([PASS], 0, "1 passed · 1 request"),
        ([PASS, FAIL], 1, "1 passed, 1 failed · 2 requests"),
        ([FAIL, REFUSED, PASS], 2, "1 passed, 1 failed, 1 refused · 3 requests"),
        ([CAPTURE, LEAK, PASS], 2, "2 passed, 1 refused · 3 requests"),
        ([REFUSED, "TRANSPORT", FAIL], 3, "0 passed, 2 failed (1 transport failure), 1 refused · 3 requests"),
    ],
)
def test_exit_code_precedence(
    tmp_path: Path, requests: list[str], code: int, summary: str, capsys: pytest.CaptureFixture[str]
) -> None:
    flow = tmp_path / "flow.yaml"
    body = "".join(transport() if r == "TRANSPORT" else r for r in requests)
    flow.write_text("name: Flow\nrequests:\n" + body)
    report = tmp_path / "report.json"
    assert top.main(["run", str(flow), "--no-history", "--report", f"json:{report}"]) == code
    out = capsys.readouterr().out
    assert summary in out
    entries = json.loads(report.read_text())
    assert len(entries) == len(requests)  # every request ran and is reported, refused ones included
    refused = [e for e in entries if e["error"] and e["error"]["kind"] in ("guard", "input")]
    assert all(e["checks"]["outcome"] == "error" and e["response"] is None for e in refused)


def test_the_summary_counts_refusals_apart_from_transport_failures() -> None:
    summary = RunSummary(run_id="r", profile="sandbox", errors=2, refused=2)
    assert (summary.transport_failures, summary.exit_code) == (0, 2)
    summary.errors = 3
    assert (summary.transport_failures, summary.exit_code) == (1, 3)
    assert RunSummary(run_id="r", profile="p", skipped=1).exit_code == 1
    assert RunSummary(run_id="r", profile="p", failed=1, refused=1, errors=1).exit_code == 2


def test_readme_documents_every_exit_code() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    table = readme.split("### Exit codes", 1)[1].split("\n\n", 2)[1]
    codes = [line.split("|")[1].strip() for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    assert codes[1:] == ["0", "1", "2", "3", "130", "143"]
