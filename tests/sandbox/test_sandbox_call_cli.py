"""`twibench sandbox press` and `twibench sandbox transcript`: digits for a call's <Gather>, and its walk."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from conftest import ACCOUNT, MAIN_AUTH

from tests.loopback import Recorded, serve
from twibench.sandbox import cli, embedded
from twibench.sandbox import credentials as cred

MENU = b'<Response><Gather action="/choice"><Say>Press 1 for sales</Say></Gather></Response>'


def answer(request: Recorded) -> tuple[int, list[tuple[str, str]], bytes]:
    if request.path == "/menu":
        return 200, [("Content-Type", "text/xml")], MENU
    return 200, [("Content-Type", "text/xml")], b"<Response><Say>Sales, hello</Say></Response>"


def test_press_then_read_the_transcript(_private_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (_private_home / "config.yaml").write_text("sandbox:\n  delivery_seconds: 6\n")
    try:
        with serve(answer) as app, httpx.Client(base_url=embedded.ensure_running(), auth=MAIN_AUTH) as api:
            sid = api.post(
                f"{ACCOUNT}/Calls.json",
                data={"To": "+15558675310", "From": cred.PHONE_NUMBER, "Url": app.base_url + "/menu"},
            ).json()["sid"]
            assert cli.main(["press", sid, "1"]) == 0
            assert f"{sid}: the caller will press 1" in capsys.readouterr().out
            assert cli.main(["transcript", sid]) == 1  # not answered yet
            assert "not been answered" in capsys.readouterr().err
            deadline = time.monotonic() + 30
            while api.get(f"/_sandbox/calls/{sid}/transcript").status_code != 200:
                assert time.monotonic() < deadline, "the call was never answered"
                time.sleep(0.05)
            assert cli.main(["transcript", sid]) == 0
            out = capsys.readouterr().out
            assert f"caller presses 1; posts Digits to {app.base_url}/choice" in out
            assert "says 'Sales, hello'" in out and "completed after" in out
            assert cli.main(["press", sid, "2"]) == 1  # too late: the TwiML has run
            assert cli.main(["press", "CA" + "0" * 32, "2"]) == 1
            assert cli.main(["press", sid, "12x"]) == 2
    finally:
        embedded.stop()
