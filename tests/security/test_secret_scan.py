"""No secret reaches a file twibench writes, in any form (issue 10, items 2, 3 and 17).

The CLI runs as a user runs it (`python -m twibench`, TWIBENCH_HOME=tmp) against the deterministic
sandbox: API keys are created through `Keys.json`, `Keys` (XML) and `Keys.csv` by `send` and `run`
(JSON and JUnit reports), the Account (with its `auth_token`) is fetched, history is shown as JSON,
requests are exported (curl, python, postman) and a Postman collection holding secrets is imported.
Then every file under TWIBENCH_HOME and every report/export/output file is scanned for the profile's
token and each created key's secret in every form `tests.security.scanner` knows: no hit. Every file
twibench wrote is private (no group/world bits).
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

from tests.security.scanner import files_under, scan
from twibench.atomic import write_atomic
from twibench.importers.postman import build_collections
from twibench.sandbox import credentials as cred
from twibench.sandbox.sids import SidFactory

ACCOUNT = "/2010-04-01/Accounts/{{account_sid}}"
COLLECTION = f"""\
name: Keys in every representation
requests:
  - {{id: key-json, name: Key JSON, method: POST, url: "{ACCOUNT}/Keys.json", form: {{FriendlyName: j}},
     capture: {{key_sid: $.sid}}, capture_secret: {{key_secret: $.secret}}}}
  - {{id: key-xml, name: Key XML, method: POST, url: "{ACCOUNT}/Keys", form: {{FriendlyName: x}}}}
  - {{id: key-csv, name: Key CSV, method: POST, url: "{ACCOUNT}/Keys.csv", form: {{FriendlyName: c}}}}
  - {{id: account, name: Account, url: "{ACCOUNT}.json"}}
  - {{id: account-xml, name: Account XML, url: "{ACCOUNT}"}}
  - {{id: use-key, name: Use the key, url: "{ACCOUNT}/Messages.json",
     auth: {{basic: ["{{{{key_sid}}}}", "{{{{key_secret}}}}"]}}, expect: {{status: 200}}}}
"""
POSTMAN_PASSWORD = "PMbasicPassword0123456789"


def postman_document(token: str) -> dict[str, object]:
    """A Postman collection that holds the profile token and a basic-auth password as variables."""
    return {
        "info": {"name": "Secrets", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
        "variable": [
            {"key": "TWILIO_AUTH_TOKEN", "value": token},
            {"key": "pw", "value": POSTMAN_PASSWORD},
            {"key": "from", "value": "+15005550006"},
        ],
        "item": [
            {
                "name": "Local",
                "request": {
                    "method": "GET",
                    "url": {"raw": "http://127.0.0.1:9/ping"},
                    "auth": {
                        "type": "basic",
                        "basic": [{"key": "username", "value": "me"}, {"key": "password", "value": "{{pw}}"}],
                    },
                },
            }
        ],
    }


def test_postman_secret_variables_are_dropped_by_name_and_use() -> None:
    collections, warnings = build_collections(postman_document("tok-0123456789abcdef"), Path("out"))
    assert collections[0].variables == {"from": "+15005550006"}
    text = "\n".join(warnings)
    assert "'TWILIO_AUTH_TOKEN' was not imported" in text and "'pw' was not imported" in text
    assert "tok-0123456789abcdef" not in text and POSTMAN_PASSWORD not in text


def test_write_atomic_is_private_unless_the_file_exists(tmp_path: Path) -> None:
    fresh = tmp_path / "new.yaml"
    write_atomic(fresh, "a: 1\n")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    mine = tmp_path / "mine.yaml"
    mine.write_text("a: 0\n")
    mine.chmod(0o644)
    write_atomic(mine, "a: 1\n")
    assert stat.S_IMODE(mine.stat().st_mode) == 0o644


class Cli:
    """Runs `python -m twibench` with a private home and the deterministic sandbox."""

    def __init__(self, home: Path) -> None:
        self.env = {
            "TWIBENCH_HOME": str(home),
            "TWIBENCH_SANDBOX_DETERMINISTIC": "1",
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "NO_COLOR": "1",
        }

    def __call__(self, *args: str, ok: tuple[int, ...] = (0,)) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "twibench", *args], capture_output=True, text=True, env=self.env, timeout=120,
            check=False,
        )  # fmt: skip
        assert result.returncode in ok, f"twibench {' '.join(args)}: exit {result.returncode}\n{result.stderr}"
        return result.stdout


def test_no_secret_in_any_file_twibench_writes(tmp_path: Path) -> None:
    home, out = tmp_path / "home", tmp_path / "out"
    out.mkdir()
    collection = tmp_path / "keys.yaml"
    collection.write_text(COLLECTION)
    cli = Cli(home)

    def keep(name: str, text: str) -> None:
        (out / name).write_text(text)

    # One-off sends: keys in three representations, the Account in two (its auth_token).
    keep("send-key-xml.json", cli("send", f"{collection}#key-xml", "--json"))
    keep("send-key-csv.json", cli("send", f"{collection}#key-csv", "--json"))
    cli("send", f"{collection}#key-csv")
    cli("send", f"{collection}#key-xml")
    keep("send-key-json.json", cli("send", f"{collection}#key-json", "--json"))
    keep("send-account.json", cli("send", f"{collection}#account", "--json", "--include"))
    keep("send-account.txt", cli("send", f"{collection}#account-xml", "--include"))
    # A run with both reports, using a key it created (so its secret is a credential too).
    keep("run.txt", cli("run", str(collection), "--report", f"json:{out / 'run.json'}",
                        "--report", f"junit:{out / 'run.xml'}"))  # fmt: skip
    listed = json.loads(cli("history", "list", "--json"))
    keep("history-list.json", json.dumps(listed))
    assert len(listed) >= 12
    for entry in listed:
        keep(f"history-{entry['id']}.json", cli("history", "show", str(entry["id"]), "--json"))
    # Exports and a Postman import of a collection holding secrets.
    keep("export.sh", cli("export", "curl", f"{collection}#use-key", "--var", "key_sid=SK1", "--var", "key_secret=x"))
    keep("export.py", cli("export", "python", f"{collection}#account"))
    cli("export", "postman", str(collection), "-o", str(out / "export.postman.json"))
    source = tmp_path / "secrets.postman.json"
    source.write_text(json.dumps(postman_document(cred.AUTH_TOKEN)))
    cli("import", "postman", str(source), "-o", str(out / "imported"))

    # The secrets: the sandbox profile's tokens and every key the sandbox created (deterministic).
    state = next(p for p in files_under([home]) if p.name == "sandbox.sqlite3")
    with sqlite3.connect(state) as conn:
        sids = [row[0] for row in conn.execute("SELECT sid FROM keys")]
    assert len(sids) == 8
    factory = SidFactory(deterministic=True)
    keys = {f"key {sid[:6]}": factory.secret(sid) for sid in sids}
    tokens = {"auth token": cred.AUTH_TOKEN, "test auth token": cred.TEST_AUTH_TOKEN, "postman pw": POSTMAN_PASSWORD}
    ours = [p for p in files_under([home]) if not p.name.startswith("sandbox.sqlite3")]
    hits, forms, files = scan({**keys, **tokens}, [*ours, out])
    # The sandbox's own state keeps its account's token (the server side, as Twilio does) but only hashes
    # of key secrets.
    server = [p for p in files_under([home]) if p.name.startswith("sandbox.sqlite3")]
    server_hits, _, _ = scan(keys, server)
    print(f"secret hits {len(hits) + len(server_hits)} of {forms} forms × {files} files")
    assert hits == [] and server_hits == []
    written = [p for p in files_under([home, out / "run.json", out / "run.xml", out / "export.postman.json",
                                       out / "imported"])]  # fmt: skip
    loose = [str(p) for p in written if p.stat().st_mode & 0o077]
    assert loose == []


def test_json_report_bodies_are_capped_like_history(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.yaml").write_text("history: {body_cap: 300}\n")
    collection = tmp_path / "keys.yaml"
    collection.write_text(COLLECTION)
    report = tmp_path / "run.json"
    Cli(home)("run", str(collection), "--only", "account", "--report", f"json:{report}")
    (entry,) = json.loads(report.read_text())
    response = entry["response"]
    assert len(response["body"].encode()) <= 300 and response["truncated"] is True
    assert response["body_original_size"] > 300
    assert "body_original_size" not in entry["request"]
