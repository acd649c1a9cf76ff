"""`twibench send` on a fresh machine: no configuration, the default sandbox profile, state shared."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.cli.test_cli import run

ROOT = Path(__file__).resolve().parent.parent
MESSAGES = str(ROOT / "collections" / "messages.yaml")


def test_send_then_fetch_with_no_configuration(home: Path) -> None:
    assert list(home.iterdir()) == []
    sent = run(home, "send", f"{MESSAGES}#send-sms", "--json")
    assert sent.returncode == 0, sent.stderr
    created = json.loads(sent.stdout)
    assert created["profile"] == "sandbox" and created["response"]["status"] == 201
    body = json.loads(created["response"]["body"])
    sid = body["sid"]
    assert re.fullmatch(r"SM[0-9a-f]{32}", sid) and body["status"] == "queued"
    assert not (home / "profiles.yaml").exists(), "sending needs no configuration file"

    fetched = run(home, "send", f"{MESSAGES}#fetch", "--var", f"message_sid={sid}")
    assert fetched.returncode == 0, fetched.stderr
    assert fetched.stdout.startswith("200 OK — ")
    assert f'"sid": "{sid}"' in fetched.stdout


def test_plain_output_of_a_twilio_error_from_the_sandbox(home: Path, tmp_path: Path) -> None:
    collection = tmp_path / "bad.yaml"
    collection.write_text(
        "name: Bad\nrequests:\n  - name: Bad To\n    method: POST\n"
        "    url: /2010-04-01/Accounts/{{account_sid}}/Messages.json\n"
        '    form: {To: "+15005550001", From: "+15005550006", Body: hi}\n'
    )
    result = run(home, "send", f"{collection}#bad-to")
    assert result.returncode == 1
    assert result.stdout.startswith("400 BAD REQUEST — ")
    assert "Twilio error 21211 — " in result.stdout


def test_requests_written_against_twilios_hosts_run_on_the_sandbox(home: Path, tmp_path: Path) -> None:
    collection = tmp_path / "products.yaml"
    collection.write_text(
        "name: Products\nrequests:\n"
        "  - name: Create a Verify service\n    method: POST\n    url: https://verify.twilio.com/v2/Services\n"
        "    form: {FriendlyName: Login}\n"
        "  - name: Send an SMS\n    method: POST\n"
        "    url: https://api.twilio.com/2010-04-01/Accounts/{{account_sid}}/Messages.json\n"
        '    form: {To: "+15558675310", From: "+15005550006", Body: hi}\n'
    )
    made = run(home, "send", f"{collection}#create-a-verify-service", "--json")
    assert made.returncode == 0, made.stderr
    exchange = json.loads(made.stdout)
    assert exchange["response"]["status"] == 201
    assert re.fullmatch(r"VA[0-9a-f]{32}", json.loads(exchange["response"]["body"])["sid"])
    assert (
        exchange["request"]["url"].startswith("http://127.0.0.1:")
        and "/verify/v2/Services" in exchange["request"]["url"]
    )
    assert exchange["request"]["path"] == "https://verify.twilio.com/v2/Services"  # replays route it again
    sms = run(home, "send", f"{collection}#send-an-sms")
    assert sms.returncode == 0 and sms.stdout.startswith("201 CREATED"), sms.stderr
