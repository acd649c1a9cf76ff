"""Printing an Exchange on the terminal: the status line with its meaning, the Twilio error, the body.

Every printed byte goes through a Redactor. `--json` prints the one documented Exchange shape alone on
stdout. The plain output shows a newly created API key's `secret` once, as Twilio does, and says so.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from typing import TextIO

from twibench import render, status
from twibench.exchange import Exchange, to_json
from twibench.redact import Redactor

_COLOURS = {
    "info": "36",
    "success": "32",
    "redirect": "36",
    "client_error": "33",
    "server_error": "31",
}


def _use_colour(stream: TextIO) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR")


def _style(text: str, code: str, enabled: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if enabled else text


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def print_json(exchange: Exchange, credentials: Iterable[tuple[str, str]], stream: TextIO | None = None) -> None:
    """Print the redacted Exchange JSON alone (one document) on stdout."""
    out = stream or sys.stdout
    redactor = Redactor(credentials)
    json.dump(to_json(exchange, redactor), out, ensure_ascii=False, indent=2)
    out.write("\n")
    out.flush()


def print_exchange(
    exchange: Exchange,
    credentials: Iterable[tuple[str, str]],
    *,
    include_headers: bool = False,
    stream: TextIO | None = None,
    err: TextIO | None = None,
) -> None:
    """Print status line, request summary, decoded Twilio error, optional headers and the pretty body."""
    out = stream or sys.stdout
    errs = err or sys.stderr
    colour = _use_colour(out)
    credentials = list(credentials)
    if exchange.error is not None or exchange.response is None:
        message = exchange.error.message if exchange.error else "no response"
        errs.write(f"twibench: {Redactor(credentials).text(message)}\n")
        errs.flush()
        return
    resp = exchange.response
    new_key_secret = resp.status == 201 and b'"secret"' in resp.body
    redactor = Redactor(credentials, mask_json_fields=not new_key_secret)
    klass = status.status_class(resp.status)
    out.write(_style(status.status_line(resp.status), "1;" + _COLOURS.get(klass, "0"), colour) + "\n")
    details = [
        f"{exchange.request.method} {redactor.text(exchange.request.path)}",
        f"{exchange.timings.total_ms:.0f} ms",
        _size(len(resp.body)) + (" (truncated)" if resp.truncated else ""),
    ]
    if exchange.twilio_request_id:
        details.append(f"Twilio-Request-Id {exchange.twilio_request_id}")
    out.write(_style(" · ".join(details), "2", colour) + "\n")
    error = exchange.twilio_error
    if error is not None:
        out.write(_style(redactor.text(status.format_twilio_error(error)), "1;31", colour) + "\n")
        if error.more_info:
            out.write(f"More info: {error.more_info}\n")
    if include_headers:
        out.write("\n")
        for name, value in redactor.headers(resp.headers):
            out.write(f"{name}: {value}\n")
    rendered = render.render_body(redactor.body(resp.body), resp.content_type)
    if rendered.note:
        out.write(_style(f"({rendered.note})", "2", colour) + "\n")
    if rendered.lines:
        out.write("\n")
        out.write("\n".join(rendered.lines))
        out.write("\n")
    out.flush()
    if new_key_secret:
        errs.write("twibench: this response shows the new key's secret once; store it now (history keeps it masked)\n")
        errs.flush()


def show_result(
    exchange: Exchange, credentials: Iterable[tuple[str, str]], *, as_json: bool, include_headers: bool = False
) -> int:
    """Print an exchange as `send` does and return its exit code: 0, 1 (status ≥ 400) or 3 (transport)."""
    credentials = list(credentials)
    if as_json:
        print_json(exchange, credentials)
        if exchange.error is not None:
            sys.stderr.write(f"twibench: {Redactor(credentials).text(exchange.error.message)}\n")
    else:
        print_exchange(exchange, credentials, include_headers=include_headers)
    if exchange.error is not None or exchange.response is None:
        return 3
    return 1 if exchange.response.status >= 400 else 0
