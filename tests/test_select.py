"""Querying a response with JSONPath: matches, one-per-line output, errors, and `send --select`."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from tests.loopback import LoopbackServer
from twibench import cli
from twibench.exchange import Exchange, Response, SentRequest, Timings
from twibench.selection import SelectError, format_value, select, select_body, show_exchange

DOC = {
    "messages": [
        {"sid": "SM1", "status": "sent", "num_media": "0", "tags": ["a"]},
        {"sid": "SM2", "status": "queued", "num_media": "2", "tags": []},
    ],
    "next_page_uri": None,
}


def test_matches_paths_and_lines() -> None:
    found = select("$.messages[*].sid", DOC)
    assert found.values == ["SM1", "SM2"] and found.count == 2
    assert [m.path for m in found.matches] == ["$['messages'][0]['sid']", "$['messages'][1]['sid']"]
    assert select("$.messages[?@.status == 'queued'].num_media", DOC).values == ["2"]
    assert select("$.messages[0]", DOC).lines() == ['{"sid":"SM1","status":"sent","num_media":"0","tags":["a"]}']
    assert select("$.next_page_uri", DOC).lines() == ["null"]
    assert select("$.nothing", DOC).count == 0
    assert [format_value(v) for v in ("é\nx", 3, True, None)] == ["é\nx", "3", "true", "null"]
    assert select("$", "text").values == ["text"], "a top-level JSON string is a document too"


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("messages[*]", "is not a JSONPath: it must start with $"),
        ("$.messages[", "is not a valid JSONPath (RFC 9535)"),
        ("$.a | $.b", "is not a valid JSONPath (RFC 9535)"),
    ],
)
def test_bad_expressions_are_one_sentence(expression: str, message: str) -> None:
    with pytest.raises(SelectError, match=re.escape(message)) as raised:
        select_body(expression, b"{}")
    assert "\n" not in str(raised.value) and raised.value.exit_code == 2


def test_bodies_that_are_not_json() -> None:
    with pytest.raises(SelectError, match=r"not JSON \(application/xml\)"):
        select_body("$.a", b"<Response/>", "application/xml; charset=utf-8")
    with pytest.raises(SelectError, match="body is empty"):
        select_body("$.a", b"")


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_show_exchange_masks_secrets_and_makes_control_characters_visible_on_a_terminal() -> None:
    body = json.dumps({"auth_token": "secret-token-value", "body": "red \x1b[31m"}).encode()
    request = SentRequest(method="GET", url="http://x/a", path="/a", headers=[], body=b"")
    exchange = Exchange(
        request=request,
        response=Response(status=404, reason="", headers=[("Content-Type", "application/json")], body=body),
        error=None,
        timings=Timings(total_ms=1.0, phases={}),
    )
    out, err = Tty(), io.StringIO()
    assert show_exchange(exchange, [], "$.*", out=out, err=err) == 1
    assert out.getvalue() == "••••\nred ␛[31m\n"
    piped = io.StringIO()
    assert show_exchange(exchange, [], "$.body", out=piped, err=err) == 1
    assert piped.getvalue() == "red \x1b[31m\n", "piped output keeps the text as it is"
    show_exchange(exchange, [], "$.missing", out=io.StringIO(), err=err)
    assert "$.missing matched nothing" in err.getvalue()


def test_send_select_against_a_peer(
    home: Path, loopback: LoopbackServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (home / "profiles.yaml").write_text(
        f"profiles:\n  peer:\n    account_sid: AC{'0' * 32}\n    auth_token: {'f' * 32}\n"
        f"    base_url: {loopback.base_url}\n"
    )
    (home / "profiles.yaml").chmod(0o600)
    file = tmp_path / "c.yaml"
    file.write_text(
        "name: C\nrequests:\n"
        "  - name: Send\n    method: POST\n    url: /2010-04-01/Accounts/{{account_sid}}/Messages.json\n"
        "    form: {To: '+1'}\n"
        "  - name: Bad\n    method: POST\n    url: /2010-04-01/Accounts/{{account_sid}}/Bad.json\n"
    )
    assert cli.main(["send", f"{file}#send", "--profile", "peer", "--select", "$.status"]) == 0
    assert capsys.readouterr().out == "queued\n"
    assert cli.main(["send", f"{file}#bad", "--profile", "peer", "--select", "$.code"]) == 1
    assert capsys.readouterr().out == "21211\n"
    sent = len(loopback.requests)
    assert cli.main(["send", f"{file}#send", "--profile", "peer", "--select", "$.a["]) == 2
    err = capsys.readouterr().err
    assert err.startswith("twibench: --select '$.a[' is not a valid JSONPath") and "Traceback" not in err
    assert len(loopback.requests) == sent, "a bad expression sends nothing"
