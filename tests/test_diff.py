"""Comparing responses: the structural JSON diff, the line diff, volatile fields, and `history diff`.

The CLI test records real exchanges with `twibench send` against a sandbox on loopback whose clock the
test moves: a message fetched while `queued` and again once `delivered` differs; two fetches of the
delivered message differ only in volatile headers (Date, Twilio-Request-Id), so they are the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from twibench import cli
from twibench.diff import diff_bodies, diff_headers, diff_json, format_diff, path_join, volatile_field
from twibench.exchange import Exchange, Response, SentRequest, Timings

ROOT = Path(__file__).resolve().parent.parent


def test_json_diff_paths_kinds_and_values() -> None:
    old = {"sid": "SM1", "status": "queued", "n": 1, "media": ["a", "b"], "gone": True, "odd key": {"x": 1}}
    new = {"sid": "SM1", "status": "delivered", "n": "1", "media": ["a"], "new": None, "odd key": {"x": 2}}
    changes = {(c.kind, c.path): (c.old, c.new) for c in diff_json(old, new)}
    assert changes == {
        ("changed", "$.status"): ("queued", "delivered"),
        ("changed", "$.n"): (1, "1"),
        ("removed", "$.media[1]"): ("b", None),
        ("removed", "$.gone"): (True, None),
        ("changed", '$["odd key"].x'): (1, 2),
        ("added", "$.new"): (None, None),
    }
    assert diff_json({"a": [1, {"b": 2}]}, {"a": [1, {"b": 2}]}) == []
    assert path_join("$", 3) == "$[3]" and path_join("$", "a-b") == '$["a-b"]'


def test_volatile_fields() -> None:
    assert volatile_field("date_updated", "x", "y") and volatile_field("start_time", 1, 2)
    assert not volatile_field("status", "queued", "sent") and not volatile_field("to", "+1", "+2")
    page = "/2010-04-01/Accounts/AC1/Messages.json?PageSize=2&Page=1&PageToken="
    assert volatile_field("next_page_uri", page + "PASM1", page + "PASM2")
    assert not volatile_field("next_page_uri", page + "PASM1", page.replace("Page=1", "Page=2") + "PASM2")
    changes = diff_json({"date_sent": None, "status": "sent"}, {"date_sent": "Sat, 01 Jun 2024", "status": "sent"})
    assert [(c.path, c.volatile) for c in changes] == [("$.date_sent", True)]
    headers = diff_headers(
        [("Date", "a"), ("Twilio-Request-Id", "RQ1"), ("X-Old", "1"), ("Vary", "x")],
        [("date", "b"), ("Twilio-Request-Id", "RQ2"), ("X-New", "2"), ("Vary", "x")],
    )
    assert [(c.kind, c.path, c.volatile) for c in headers] == [
        ("changed", "Date", True),
        ("changed", "Twilio-Request-Id", True),
        ("removed", "X-Old", False),
        ("added", "X-New", False),
    ]


def exchange(status: int, body: bytes, headers: list[tuple[str, str]] | None = None) -> Exchange:
    request = SentRequest(method="GET", url="http://x/a", path="/a", headers=[], body=b"")
    response = Response(status=status, reason="", headers=headers or [], body=body)
    return Exchange(request=request, response=response, error=None, timings=Timings(total_ms=1.0, phases={}))


def test_text_and_binary_bodies_and_visible_control_characters() -> None:
    xml_old = b"<Response>\n<Message>hi</Message>\n<Date>Sat, 01 Jun 2024 12:00:00 +0000</Date>\n</Response>"
    xml_new = xml_old.replace(b"hi", b"bye\x1b[31m")
    diff = diff_bodies(xml_old, xml_new, ("old", "new"))
    assert diff.body_kind == "text" and not diff.same()
    assert "-<Message>hi</Message>" in diff.lines and not diff.body_volatile
    printed = "\n".join(format_diff(diff, ("old", "new")))
    assert "\x1b" not in printed and "bye␛[31m" in printed, "a body cannot drive the terminal"
    dated = diff_bodies(xml_old, xml_old.replace(b"12:00:00", b"12:00:09"))
    assert dated.lines and dated.body_volatile and dated.same() and not dated.same(ignore_volatile=False)
    binary = diff_bodies(b"\xff\x00", b"\xff\x01")
    assert binary.body_kind == "binary" and binary.lines == ["binary bodies differ (2 bytes → 2 bytes)"]
    coloured = format_diff(diff_bodies(b'{"a": 1}', b'{"a": 2}'), ("x", "y"), colour=True)
    assert any("\x1b[33m" in line for line in coloured)
    assert all("\x1b" not in line for line in format_diff(diff_bodies(b'{"a": 1}', b'{"a": 2}'), ("x", "y")))


class ManualClock:
    def __init__(self) -> None:
        self.t = 1_740_000_000.0

    def now(self) -> float:
        return self.t


@pytest.fixture
def box(home: Path) -> Iterator[ManualClock]:
    """A sandbox on loopback with a movable clock, and a profile `box` pointing at it."""
    from twibench.sandbox import credentials
    from twibench.sandbox.app import create_app
    from twibench.sandbox.config import SandboxConfig
    from twibench.sandbox.server import BackgroundServer, bind

    clock = ManualClock()
    config = SandboxConfig(db_path=home / "box.sqlite3", delivery_seconds=2.0)
    server = BackgroundServer(create_app(config, clock=clock), bind("127.0.0.1", 0))
    server.start()
    (home / "profiles.yaml").write_text(
        "profiles:\n  box:\n"
        f"    account_sid: {credentials.ACCOUNT_SID}\n"
        f"    auth_token: {credentials.AUTH_TOKEN}\n"
        f"    base_url: {server.url}\n"
    )
    (home / "profiles.yaml").chmod(0o600)
    try:
        yield clock
    finally:
        server.stop()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_history_diff_before_and_after_delivery(box: ManualClock, capsys: pytest.CaptureFixture[str]) -> None:
    messages = str(ROOT / "collections" / "messages.yaml")
    code, out, _ = run(capsys, "send", f"{messages}#send-sms", "--profile", "box", "--select", "$.sid")
    assert code == 0 and out.startswith("SM")
    sid = out.strip()
    fetch = [f"{messages}#fetch", "--profile", "box", "--var", f"message_sid={sid}", "--select", "$.status"]
    assert run(capsys, "send", *fetch)[:2] == (0, "queued\n")
    box.t += 3  # past the 2 s delivery
    assert run(capsys, "send", *fetch)[:2] == (0, "delivered\n")
    assert run(capsys, "send", *fetch)[:2] == (0, "delivered\n")
    ids = [int(line.split()[0]) for line in run(capsys, "history", "list")[1].splitlines()[1:]]
    delivered_again, delivered, queued, _sent = ids

    code, out, err = run(capsys, "history", "diff", str(queued), str(delivered))
    assert code == 1, err
    assert f"--- history {queued} · GET " in out and f"+++ history {delivered} · GET " in out
    assert '~ $.status: "queued" → "delivered"' in out
    assert "~ $.date_updated: " in out and "(volatile)" in out
    assert out.rstrip().splitlines()[-1].startswith("different: ")
    assert "\x1b" not in out, "no colour when stdout is not a terminal"

    code, out, _ = run(capsys, "history", "diff", str(delivered), str(delivered_again))
    assert code == 0, out
    assert "~ twilio-request-id: " in out.lower() and "$.status" not in out
    assert out.rstrip().splitlines()[-1].startswith("same (ignoring ")

    assert run(capsys, "history", "show", str(delivered), "--select", "$.status")[:2] == (0, "delivered\n")
    code, _, err = run(capsys, "history", "diff", str(queued), "999")
    assert code == 2 and "no history entry 999" in err
