"""Monitor alerts: how a failed webhook shows up, as in Twilio's Debugger (`GET /monitor/v1/Alerts`).

An alert is stored in the spec-driven store under Monitor v1's Alerts list, so the generic layer lists
and fetches it with Twilio's shape; its text follows Twilio's Debugger (`Msg=…&sourceComponent=…`).
"""

from __future__ import annotations

import sqlite3
import time
from urllib.parse import urlencode

from twibench.sandbox.generic import records
from twibench.sandbox.sids import SidFactory

ALERTS = "/monitor/v1/Alerts"
MONITOR_API = "https://monitor.twilio.com/v1/Alerts"
LEVELS = {12200: "warning"}


def _iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(epoch)))


def record(
    conn: sqlite3.Connection,
    sids: SidFactory,
    *,
    account: str,
    code: int,
    message: str,
    url: str,
    method: str,
    resource_sid: str,
    now: float,
    request_variables: str = "",
    response_body: str = "",
) -> str:
    """Store one alert (inside a write transaction) and return its SID (`NO…`)."""
    sid = sids.new(conn, "NO")
    text = urlencode({"Msg": message, "sourceComponent": "14100" if resource_sid.startswith("SM") else "13710",
                      "url": url})  # fmt: skip
    data = {
        "account_sid": account,
        "alert_text": text,
        "api_version": "2010-04-01",
        "date_created": _iso(now),
        "date_generated": _iso(now),
        "date_updated": _iso(now),
        "error_code": str(code),
        "log_level": LEVELS.get(code, "error"),
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "request_method": method,
        "request_url": url,
        "request_variables": request_variables,
        "resource_sid": resource_sid,
        "response_body": response_body[:4096],
        "response_headers": "",
        "request_headers": "",
        "service_sid": None,
        "sid": sid,
        "url": f"{MONITOR_API}/{sid}",
        "_id": sid,
    }
    records.insert(conn, ALERTS, account, sid, data)
    return sid
