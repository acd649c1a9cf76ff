"""Data-driven runs: `twibench run FILE --data rows.csv|rows.json` runs the collection once per row.

Runs in-process against the loopback server (tests/conftest.py), which answers `{"path": …}` for most
paths and a Twilio 400 for `…/Bad.json`.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from junitparser import Failure, JUnitXml

import twibench.cli as top
from tests.loopback import LoopbackServer
from twibench.errors import FileErrors
from twibench.runner.data import load_data

AC = "AC0123456789abcdef0123456789abcdef"
TOKEN = "f00dfacef00dfacef00dfacef00dface"
ROW_SECRET = "row-secret-value-0123456789"
COLLECTION = """\
name: Rows
variables: {to: "+15550000000", endpoint: Messages}
requests:
  - name: Send
    id: send
    method: POST
    url: /2010-04-01/Accounts/{{account_sid}}/{{endpoint}}.json
    form: {To: "{{to}}"}
  - name: Look up
    id: look
    url: /2010-04-01/Accounts/{{account_sid}}/Calls/{{sid}}.json
    capture: {sid: $.path}
  - name: Echo the password
    id: pw
    url: /2010-04-01/Accounts/{{account_sid}}/Keys/{{api_password}}.json
"""


@pytest.fixture
def rows_home(home: Path, loopback: LoopbackServer) -> Path:
    (home / "rows.yaml").write_text(COLLECTION)
    (home / "profiles.yaml").write_text(
        f"default: loop\nprofiles:\n  loop:\n    account_sid: {AC}\n    auth_token: {TOKEN}\n"
        f"    base_url: {loopback.base_url}\n"
    )
    (home / "profiles.yaml").chmod(0o600)
    return home


def run(home: Path, *args: str) -> int:
    return top.main(["run", str(home / "rows.yaml"), "--yes", "--no-history", *args])


def test_each_row_runs_the_collection_with_its_values(
    rows_home: Path, loopback: LoopbackServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = rows_home / "rows.csv"
    data.write_text(f"to,sid,api_password\n+15551110001,CA1,{ROW_SECRET}\n+15551110002,CA2,{ROW_SECRET}\n")
    junit, report = tmp_path / "r.xml", tmp_path / "r.json"
    assert run(rows_home, "--data", str(data), "--report", f"junit:{junit}", "--report", f"json:{report}") == 0
    sent = [(r.method, r.path, parse_qs(r.body.decode())) for r in loopback.requests]
    assert [to for method, _, form in sent if method == "POST" for to in form["To"]] == ["+15551110001", "+15551110002"]
    looked = [path.rsplit("/", 1)[1] for method, path, _ in sent if "/Calls/" in path]
    assert looked == ["CA1.json", "CA2.json"], "a row's value beats a capture left by the row before"
    out = capsys.readouterr().out
    assert "── row 1 (to=+15551110001, sid=CA1)" in out and "── row 2 (to=+15551110002, sid=CA2)" in out
    assert "Send (send) · row 2" in out
    assert ROW_SECRET not in out, "a column named like a secret is masked everywhere"
    suites = list(JUnitXml.fromfile(str(junit)))
    assert [suite.name.split(" · ", 1)[1] for suite in suites] == [
        "row 1 (to=+15551110001, sid=CA1)",
        "row 2 (to=+15551110002, sid=CA2)",
    ]
    assert [suite.tests for suite in suites] == [3, 3]
    entries = json.loads(report.read_text())
    assert [entry["checks"]["row"]["index"] for entry in entries] == [1, 1, 1, 2, 2, 2]
    assert ROW_SECRET not in junit.read_text() + report.read_text()


def test_the_exit_code_is_the_worst_over_rows_and_the_report_names_the_failing_row(
    rows_home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = rows_home / "rows.json"
    data.write_text(
        json.dumps(
            [
                {"to": "+15551110001", "sid": "CA1", "api_password": "x"},
                {"to": "+15551110002", "endpoint": "Bad", "sid": "CA2", "api_password": "x"},
                {"to": "+15551110003", "endpoint": "Bad", "sid": "CA3", "api_password": "x"},
            ]
        )
    )
    junit = tmp_path / "r.xml"
    assert run(rows_home, "--data", str(data), "--report", f"junit:{junit}") == 1
    out = capsys.readouterr().out
    assert "rows.yaml#send (row 2): " in out and "rows.yaml#send (row 3): " in out
    first, second, third = JUnitXml.fromfile(str(junit))
    assert (first.failures, second.failures, third.failures) == (0, 1, 1)
    assert any(isinstance(r, Failure) for case in second for r in case.result)


def test_var_beats_the_row_with_a_warning(
    rows_home: Path, loopback: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    data = rows_home / "rows.csv"
    data.write_text("to,sid,api_password\n+15551110001,CA1,x\n")
    assert run(rows_home, "--data", str(data), "--var", "to=+15559999999") == 0
    assert parse_qs(loopback.requests[0].body.decode())["To"] == ["+15559999999"]
    assert "--var to overrides the column 'to' of" in capsys.readouterr().err


def test_a_json_row_without_a_needed_value_skips_its_request(
    rows_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = rows_home / "rows.json"
    data.write_text(json.dumps([{"sid": "CA1", "api_password": "x"}, {"sid": "CA2"}]))
    assert run(rows_home, "--data", str(data)) == 1
    assert "not sent: {{api_password}} has no value in row 2 of the data file" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("d.csv", "to,sid\n+1555,CA1\n+1556\n", "d.csv:3:1: this row has 1 fields but the header names 2"),
        ("d.csv", "to,to\n1,2\n", "d.csv:1:1: column 'to' appears twice"),
        ("d.csv", "to,my var\n1,2\n", "d.csv:1:1: column 'my var' is not a variable name"),
        ("d.csv", "to,sid\n", "d.csv:1:1: the data file has no rows"),
        ("d.csv", "", "d.csv:1:1: the data file is empty"),
        ("d.json", '{"to": 1}', "d.json:1:1: expected a JSON list of objects"),
        ("d.json", '[\n  {"to": "1"},\n  {"to": null}\n]', "d.json:3:3: row 2, field 'to': expected text, a number"),
        ("d.json", '[\n  {"to": "1"},\n  7\n]', "d.json:3:3: row 2: expected an object"),
        ("d.json", '[{"to": "1"},', "d.json:1:14: not valid JSON"),
        ("d.txt", "to\n1\n", "d.txt:1:1: --data expects a .csv file or a .json list of objects"),
    ],
)
def test_a_bad_data_file_is_a_located_error(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(FileErrors) as caught:
        load_data(path)
    assert message in str(caught.value)


def test_a_bad_data_file_exits_2_before_sending(
    rows_home: Path, loopback: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    data = rows_home / "rows.csv"
    data.write_text("to,sid\n+1555\n")
    assert run(rows_home, "--data", str(data)) == 2
    assert "rows.csv:2:1: this row has 1 fields" in capsys.readouterr().err
    assert loopback.requests == []
    assert run(rows_home, "--data", str(rows_home / "missing.csv")) == 2
    assert "missing.csv:1:1: the data file does not exist" in capsys.readouterr().err


def test_json_values_become_text(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text('[{"n": 3, "ok": true, "price": 1.5, "to": "+1555"}]')
    assert load_data(path).rows[0].values == {"n": "3", "ok": "true", "price": "1.5", "to": "+1555"}


def test_help_shows_data(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        top.main(["run", "--help"])
    assert "--data FILE" in capsys.readouterr().out
