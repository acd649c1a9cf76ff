"""No secret reaches the history files in any encoding: clear, URL-encoded, base64 `user:secret`.

Real sends go over loopback to a peer that hands every secret back (headers, query, form, JSON fields,
Twilio error messages); the exchanges are recorded in-process and through the CLI's replay, and then
the raw bytes of every file under TWIBENCH_HOME (but profiles.yaml, which holds the literal secret on
purpose) are scanned — including the WAL while the store is still open.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from tests.cli.test_history_cli import run_history
from tests.history_peer import SERVER_AUTH_TOKEN, SERVER_KEY_SECRET, Peer, running_peer
from twibench import client, history, profiles
from twibench.collection import Request

AC = "AC0123456789abcdef0123456789abcdef"
SK = "SK0123456789abcdef0123456789abcdef"
# Secrets whose URL-encoded, form-encoded and clear forms all differ.
LITERAL_SECRET = "lit+Secret/with=chars&more 42"
ENV_SECRET = "env/Secret+value=7&x y"


def secret_forms(user: str, secret: str) -> dict[str, bytes]:
    """Every encoding of `secret` that must never be written."""
    return {
        "clear": secret.encode(),
        "url-encoded": quote(secret, safe="").encode(),
        "form-encoded": quote_plus(secret, safe="").encode(),
        "base64 user:secret": base64.b64encode(f"{user}:{secret}".encode()),
        "base64 secret": base64.b64encode(secret.encode()),
    }


_SCAN = """
import json, sys
from pathlib import Path
home, skip, needles = Path(sys.argv[1]), tuple(json.loads(sys.argv[2])), json.loads(sys.argv[3])
for path in sorted(home.rglob("*")):
    if path.is_file() and not path.name.startswith(skip):
        data = path.read_bytes()
        for form, needle in needles.items():
            if bytes.fromhex(needle) in data:
                print(f"{path.name}: {form}")
"""


def scan(home: Path, needles: dict[str, bytes], skip: tuple[str, ...] = ("profiles.yaml",)) -> list[str]:
    """`file: form` for every needle found in the raw bytes of the files under `home`.

    The files are read by a child process: closing any descriptor of a SQLite file drops every POSIX
    lock this process holds on it, which would let another connection reset the WAL under the open
    store. Reading from elsewhere keeps the test from disturbing what it inspects.
    """
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            _SCAN,
            str(home),
            json.dumps(skip),
            json.dumps({k: v.hex() for k, v in needles.items()}),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.splitlines()


@pytest.fixture
def peer() -> Iterator[Peer]:
    with running_peer() as running:
        yield running


def write_profiles(home: Path, base_url: str) -> None:
    (home / "profiles.yaml").write_text(
        f"""default: lit
profiles:
  lit:
    account_sid: {AC}
    auth_token: "{LITERAL_SECRET}"
    base_url: {base_url}
  envkey:
    account_sid: {AC}
    api_key: {SK}
    api_secret: {{env: HISTORY_TEST_SECRET}}
    base_url: {base_url}
"""
    )
    (home / "profiles.yaml").chmod(0o600)


def requests_leaking(secret: str) -> list[Request]:
    """Requests that put the secret in the query, a form, a JSON body, and a Twilio error message."""
    messages = "/2010-04-01/Accounts/{{account_sid}}/Messages.json"
    return [
        Request(
            name="Send", id="send", method="POST", url=messages, params=[("Token", secret)], form=[("Body", secret)]
        ),
        Request(name="Json", id="json", method="POST", url=messages, json={"auth_token": secret, "note": secret}),
        Request(
            name="Bad",
            id="bad",
            method="POST",
            url="/2010-04-01/Accounts/{{account_sid}}/Bad.json",
            form=[("To", secret)],
        ),
        Request(name="Fetch", id="fetch", url=messages + "?PageSize=2"),
    ]


def needles() -> dict[str, bytes]:
    found = {f"literal {k}": v for k, v in secret_forms(AC, LITERAL_SECRET).items()}
    found.update({f"env {k}": v for k, v in secret_forms(SK, ENV_SECRET).items()})
    found["peer auth_token"] = SERVER_AUTH_TOKEN.encode()
    found["peer key secret"] = SERVER_KEY_SECRET.encode()
    return found


def test_literal_and_env_secrets_never_reach_any_file(home: Path, peer: Peer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HISTORY_TEST_SECRET", ENV_SECRET)
    write_profiles(home, peer.base_url)
    profile_set = profiles.load_profiles()
    ids: list[int] = []
    recorder = history.Recorder()
    for name, secret in (("lit", LITERAL_SECRET), ("envkey", ENV_SECRET)):
        profile = profile_set.get(name)
        for request in requests_leaking(secret):
            exchange = client.send_once(request, profile, client.values_for(profile), collection="Leaky")
            assert exchange.response is not None, exchange.error
            redactor = history.redactor_for(profile_set)
            entry_id = recorder.record(exchange, redactor, collection_file=home / "leaky.yaml")
            assert entry_id is not None
            ids.append(entry_id)
    # The peer really got (and echoed) the secrets, so a clean file is redaction, not luck.
    assert any(LITERAL_SECRET.encode() in base64.b64decode(r.headers["Authorization"][6:]) for r in peer.requests)
    assert any(quote_plus(ENV_SECRET).encode() in r.body for r in peer.requests)

    db = home / "history.sqlite3"
    assert Path(str(db) + "-wal").stat().st_size > 0, "the WAL holds the new rows while the store is open"
    assert scan(home, needles()) == []

    # Through the CLI: a replay (one per profile) records a new exchange; show/list print only redacted data.
    env = {"HISTORY_TEST_SECRET": ENV_SECRET}
    for entry_id in (ids[0], ids[-1]):
        replayed = run_history(home, "replay", str(entry_id), env=env)
        assert replayed.returncode == 0, replayed.stderr
        # Like `send`, a replay shows a new key's `secret` on screen once; profile secrets never.
        for text in (replayed.stdout, replayed.stderr):
            assert [k for k, v in needles().items() if v.decode() in text and not k.startswith("peer")] == []
    shown = run_history(home, "show", str(ids[0]), "--json", env=env)
    listed = run_history(home, "list", "--json", "--limit", "100", env=env)
    assert shown.returncode == listed.returncode == 0, shown.stderr + listed.stderr
    assert json.loads(shown.stdout)["request"]["headers"] and len(json.loads(listed.stdout)) == len(ids) + 2
    for text in (shown.stdout, listed.stdout):
        assert [k for k, v in needles().items() if v.decode() in text] == []
    with history.open_history() as store:
        assert store.count() == len(ids) + 2
        entry = store.get(ids[0])
        assert entry is not None and entry.response_body is not None
        echoed = json.loads(entry.response_body)
        assert echoed["auth_token"] == echoed["secret"] == "••••"
        assert echoed["echo_authorization"] == "Basic AC01…cdef:••••"
        assert {k.lower(): v for k, v in entry.request_headers}["authorization"] == "Basic AC01…cdef:••••"
        bad = store.list(filter="status:400", limit=1)[0]
        assert bad.twilio_error is not None and "••••" in bad.twilio_error["message"]
        assert scan(home, needles()) == []
    recorder.close()
    assert scan(home, needles()) == [], "nothing appears when the WAL is folded into the database"


def test_sandbox_secret_never_reaches_history(home: Path) -> None:
    embedded = pytest.importorskip("twibench.sandbox.embedded", reason="the embedded sandbox is not there yet")
    from twibench.sandbox import credentials

    profile_set = profiles.load_profiles()
    profile = profile_set.get("sandbox")
    request = Request(name="Account", id="account", url="/2010-04-01/Accounts/{{account_sid}}.json")
    try:
        exchange = client.send_once(request, profile, client.values_for(profile))
        assert exchange.response is not None, exchange.error
        recorder = history.Recorder()
        assert recorder.record(exchange, history.redactor_for(profile_set)) is not None
        forms = secret_forms(credentials.ACCOUNT_SID, credentials.AUTH_TOKEN)
        # The sandbox's own state file holds its credentials by design; history files must not.
        assert scan(home, forms, skip=("profiles.yaml", "sandbox")) == []
        recorder.close()
        assert scan(home, forms, skip=("profiles.yaml", "sandbox")) == []
    finally:
        stop = getattr(embedded, "stop", None)
        if callable(stop):
            stop()
