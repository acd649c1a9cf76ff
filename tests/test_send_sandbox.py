"""`twibench send` on a fresh machine: no configuration, the default sandbox profile, state shared."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.test_cli import run

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
