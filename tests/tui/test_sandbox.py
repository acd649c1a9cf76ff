"""Against the real (deterministic) sandbox on loopback: the eleven documented status codes, and a
decoded Twilio error, exactly as a user sees them in the status line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.conftest import SHIPPED, SIZE, sandbox_app, settle, status_text
from tests.tui.helpers import open_request
from twibench import status
from twibench.collection import load_collection
from twibench.tui.widgets.status_line import StatusLine

TOUR = SHIPPED / "status-codes-tour.yaml"


@pytest.mark.skipif(not TOUR.exists(), reason="the status codes tour collection is not in this checkout")
async def test_the_status_codes_tour_shows_each_documented_code_with_its_meaning(sandbox: Path) -> None:
    tour = load_collection(TOUR)
    codes = [int(r.id.split("-")[0]) for r in tour.requests]
    assert codes == list(status.DOCUMENTED_CODES)
    app = sandbox_app([TOUR])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.session.profile.is_sandbox
        for request, code in zip(tour.requests, codes, strict=True):
            await open_request(pilot, app, tour.name, request.id)
            await pilot.press("ctrl+j")
            await settle(pilot, lambda: status_text(app)[:3].isdigit(), rounds=1500)
            shown = status_text(app)
            first = shown.splitlines()[0]
            # The documented meaning, plus what Twilio's error says when it is more specific (429 with 21611).
            assert first.startswith(f"{code} {status.meaning(code).name} — "), request.name
            assert status.meaning(code).meaning in first, request.name
            assert status.meaning(code).documented
            css = "-" + status.status_class(code)
            assert app.screen.query_one(StatusLine).has_class(css)
            await pilot.press("escape")  # back to the tree; the next send must not show the old line
            app.screen.query_one(StatusLine).idle()


async def test_a_sandbox_twilio_error_is_decoded(sandbox: Path, tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "bad.yaml").write_text(
        "name: Bad numbers\n"
        "requests:\n"
        "  - name: Invalid To\n"
        "    id: bad-to\n"
        "    method: POST\n"
        "    url: /2010-04-01/Accounts/{{account_sid}}/Messages.json\n"
        "    form: {To: '+15005550001', From: '+15005550006', Body: hi}\n"
    )
    app = sandbox_app([folder])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: status_text(app)[:3].isdigit(), rounds=1500)
        lines = status_text(app).splitlines()
        assert lines[0] == status.status_line(400)
        assert lines[1].startswith("Twilio error 21211 — Invalid 'To' phone number: ")
        assert lines[2] == "More info: https://www.twilio.com/docs/errors/21211"
        assert lines[3].startswith("Invalid To · sent --:--:--  ·  — ms  ·  ") and "Twilio-Request-Id RQ" in lines[3]


async def test_ctrl_e_explains_the_twilio_error_from_the_dictionary(sandbox: Path, tmp_path: Path) -> None:
    from twibench.tui.dialogs.snippet import SnippetScreen

    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "bad.yaml").write_text(
        "name: Bad numbers\nrequests:\n  - name: Invalid To\n    id: bad-to\n    method: POST\n"
        "    url: /2010-04-01/Accounts/{{account_sid}}/Messages.json\n"
        "    form: {To: '+15005550001', From: '+15005550006', Body: hi}\n"
    )
    app = sandbox_app([folder])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+e")  # nothing sent yet: nothing to explain
        await pilot.pause()
        assert not isinstance(app.screen, SnippetScreen)
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: status_text(app)[:3].isdigit(), rounds=1500)
        await pilot.press("ctrl+e")
        await settle(pilot, lambda: isinstance(app.screen, SnippetScreen))
        assert isinstance(app.screen, SnippetScreen)
        shown = app.screen.snippet
        assert shown.startswith("Twilio error 21211 — Invalid 'To' Phone Number")
        assert "Possible causes:" in shown and shown.endswith("Docs: https://www.twilio.com/docs/errors/21211")
