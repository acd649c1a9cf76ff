"""The Inbox pane (f4): a learner's SMS callbacks arrive live, marked "signature valid"; the signature lab
explains a bad one; and an XML `<Response>` body shows its TwiML verdict above it."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import httpx
from textual.widgets import Static

from tests.tui.conftest import LIVE_SID, SIZE, FakeTwilio, build_app, sandbox_app, settle, status_text
from tests.tui.helpers import open_request
from twibench import paths
from twibench.sandbox import credentials as cred
from twibench.tui.app import TwibenchApp
from twibench.tui.widgets.inbox_pane import InboxPane
from twibench.webhooks import inbox, signature

SEND_WITH_CALLBACK = """\
name: Webhooks
requests:
  - name: Send an SMS with a status callback
    id: send
    method: POST
    url: /2010-04-01/Accounts/{{account_sid}}/Messages.json
    form:
      To: "+15558675310"
      From: "+15005550006"
      Body: Watch the inbox
      StatusCallback: "{{inbox_url}}/status"
"""


def pane(app: TwibenchApp) -> InboxPane:
    return app.screen.query_one(InboxPane)


def detail(app: TwibenchApp) -> str:
    return str(app.screen.query_one("#inbox-detail", Static).render())


async def test_callbacks_arrive_live_with_a_valid_signature(sandbox: Path, tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "webhooks.yaml").write_text(SEND_WITH_CALLBACK)
    app = sandbox_app([folder])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not paths.inbox_addr().exists()  # nothing starts before the pane is shown
        await pilot.press("f4")
        await settle(pilot, lambda: pane(app).service is not None and pane(app).service.started is not None)
        started = pane(app).service.started  # type: ignore[union-attr]
        assert started is not None and started.own
        assert inbox.published_url(paths.inbox_addr()) == started.url  # {{inbox_url}} resolves to it
        assert f"{{{{inbox_url}}}} = {started.url}" in str(app.screen.query_one("#inbox-url", Static).render())
        await settle(pilot, lambda: app.screen.focused is pane(app).table)  # focused after the pane is drawn
        await pilot.press("escape")
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: status_text(app).startswith("201"), rounds=1500)
        await settle(pilot, lambda: len(pane(app).entries) == 3, rounds=1500)
        rows = [pane(app).table.get_row_at(i) for i in range(3)]
        assert [str(row[2]) for row in rows] == ["sending", "sent", "delivered"]
        assert [str(row[3]) for row in rows] == ["signature valid"] * 3
        assert all(str(row[1]) == "/status" for row in rows)
        shown = detail(app)  # the cursor followed the newest entry
        assert "MessageStatus = delivered" in shown and "verdict: signature valid" in shown
        assert f"signed string: {started.url}/statusAccountSid{cred.ACCOUNT_SID}" in shown
        await pilot.press("f4")  # from elsewhere: go to the inbox
        await settle(pilot, lambda: app.screen.focused is pane(app).table)
        await pilot.press("f4")  # from inside the inbox: close it
        assert not app.screen.query_one("#history-slot").display
    assert not paths.inbox_addr().exists()  # withdrawn when the app ends


async def test_the_signature_lab_names_the_likely_cause(sandbox: Path, tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "webhooks.yaml").write_text(SEND_WITH_CALLBACK)
    app = sandbox_app([folder])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        await settle(pilot, lambda: pane(app).service is not None and pane(app).service.started is not None)
        url = pane(app).service.started.url + "/sms"  # type: ignore[union-attr]
        params = [("Body", "hi"), ("From", "+15551230000")]
        behind_a_proxy = signature.compute(url.replace("http://", "https://"), params, cred.AUTH_TOKEN)
        wrong_token = signature.compute(url, params, "0" * 32)
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        with httpx.Client(trust_env=False) as client:
            client.post(url, content=urlencode(params), headers={**form, signature.HEADER: behind_a_proxy})
            client.post(url, content=urlencode(params), headers={**form, signature.HEADER: wrong_token})
            client.post(url, content=urlencode(params), headers=form)
        await settle(pilot, lambda: len(pane(app).entries) == 3)
        verdicts = [str(pane(app).table.get_row_at(i)[3]) for i in range(3)]
        assert verdicts == ["signature INVALID", "signature INVALID", "unsigned"]
        pane(app).table.focus()
        pane(app).table.move_cursor(row=0)
        await pilot.pause()
        assert "likely cause: the scheme: Twilio requested https://, the app used http://" in detail(app)
        assert "Body = hi" in detail(app)
        pane(app).table.move_cursor(row=1)
        await pilot.pause()
        assert "no usual variation matches" in detail(app) and "subaccount" in detail(app)
        await pilot.press("C")
        await settle(pilot, lambda: pane(app).table.row_count == 0)
        assert pane(app).service.since(0) == []  # type: ignore[union-attr]


async def test_an_xml_response_body_shows_its_twiml_verdict(collections: Path, twilio: FakeTwilio) -> None:
    path = f"/2010-04-01/Accounts/{LIVE_SID}/Messages.json"
    twiml = b'<?xml version="1.0"?>\n<Response>\n  <Mesage>hi</Mesage>\n</Response>\n'
    twilio.add("POST", path, httpx.Response(200, content=twiml, headers={"Content-Type": "text/xml"}))
    app = build_app(collections, twilio)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_request(pilot, app, "Messages", "send-sms")
        await settle(pilot, lambda: bool(app.screen.query("#twiml-verdict")))
        verdict = app.screen.query_one("#twiml-verdict", Static)
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: status_text(app).startswith("200") and verdict.display)
        shown = str(verdict.render())
        assert shown.startswith("TwiML: invalid") and "3:3: error: <Mesage> is not a" in shown
        twilio.json("POST", path, 200, {"sid": "SM" + "1" * 32})
        await pilot.press("ctrl+j")
        await settle(pilot, lambda: not verdict.display)
