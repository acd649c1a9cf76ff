"""Printing an Exchange on the terminal: the status line with its meaning, the Twilio error, the body.

Every printed byte goes through a Redactor. `--json` prints the one documented Exchange shape alone on
stdout. The plain output shows a newly created API key's `secret` once, as Twilio does, and says so.
"""

from __future__ import annotations

import base64
import codecs
import os
import sys
from collections.abc import Iterable
from typing import TextIO

from twibench import render, status, textsafe
from twibench.exchange import Exchange, encode_body, to_json
from twibench.redact import Redactor

_COLOURS = {
    "info": "36",
    "success": "32",
    "redirect": "36",
    "client_error": "33",
    "server_error": "31",
}


_WRITE_CHARS = 1 << 20  # a very long line is written (and encoded) a slice at a time
_BODY_PLACEHOLDER = "\ue000twibench-body\ue000"  # where print_json streams the response body in


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


def _write_lines(out: TextIO, lines: list[str]) -> None:
    """Write display lines (already made safe by the renderer) ~1 M characters at a time.

    Joining every line into one string would hold the body's text twice more (and its UTF-8 once).
    """
    batch: list[str] = []
    size = 0
    for line in lines:
        if len(line) > _WRITE_CHARS:
            out.write("".join(batch))
            batch, size = [], 0
            for start in range(0, len(line), _WRITE_CHARS):
                out.write(line[start : start + _WRITE_CHARS])
            out.write("\n")
            continue
        batch.append(line + "\n")
        size += len(line) + 1
        if size > _WRITE_CHARS:
            out.write("".join(batch))
            batch, size = [], 0
    out.write("".join(batch))


def print_json(exchange: Exchange, credentials: Iterable[tuple[str, str]], stream: TextIO | None = None) -> None:
    """Print the redacted Exchange JSON alone (one document) on stdout.

    The document is `exchange.to_json`'s; the response body is written into it 1 MB at a time so a
    64 MB body is never also held as one escaped JSON string. DEL, C1 controls and U+2028/9 are escaped
    as `\\u…` too (JSON escapes only C0), so the output is safe on a terminal.
    """
    out = stream or sys.stdout
    redactor = Redactor(credentials)
    resp = exchange.response
    if resp is None or len(resp.body) <= _WRITE_CHARS:
        out.write(textsafe.json_dumps(to_json(exchange, redactor)))
        out.write("\n")
        out.flush()
        return
    document = to_json(exchange, redactor, include_bodies=False)
    request = exchange.request
    document["request"]["body"] = encode_body(redactor.body(request.body))[0] if request.body else ""
    body = redactor.body(resp.body)
    utf8 = _is_utf8(body)
    document["response"]["body"] = _BODY_PLACEHOLDER
    document["response"]["body_encoding"] = "utf-8" if utf8 else "base64"
    document["response"]["truncated"] = resp.truncated
    head, tail = textsafe.json_dumps(document).rsplit(f'"{_BODY_PLACEHOLDER}"', 1)  # the last one: ours
    out.write(head)
    out.write('"')
    if utf8:
        decoder = codecs.getincrementaldecoder("utf-8")()
        for start in range(0, len(body), _WRITE_CHARS):
            text = decoder.decode(body[start : start + _WRITE_CHARS], start + _WRITE_CHARS >= len(body))
            out.write(textsafe.json_dumps(text, indent=None)[1:-1])
    else:
        step = _WRITE_CHARS // 3 * 3  # whole base64 quanta per slice: the pieces concatenate exactly
        for start in range(0, len(body), step):
            out.write(base64.b64encode(body[start : start + step]).decode("ascii"))
    out.write('"')
    out.write(tail)
    out.write("\n")
    out.flush()


def _is_utf8(data: bytes) -> bool:
    """Whether a body is valid UTF-8, checked 1 MB at a time (never decoded whole)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), _WRITE_CHARS):
            decoder.decode(data[start : start + _WRITE_CHARS], start + _WRITE_CHARS >= len(data))
    except UnicodeDecodeError:
        return False
    return True


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
        errs.write(f"twibench: {textsafe.line(Redactor(credentials).text(message))}\n")
        errs.flush()
        return
    resp = exchange.response
    new_key_secret = resp.status == 201 and b'"secret"' in resp.body
    redactor = Redactor(credentials, mask_json_fields=not new_key_secret)
    klass = status.status_class(resp.status)
    out.write(_style(status.status_line(resp.status), "1;" + _COLOURS.get(klass, "0"), colour) + "\n")
    details = [
        f"{exchange.request.method} {textsafe.line(redactor.text(exchange.request.path))}",
        f"{exchange.timings.total_ms:.0f} ms",
        _size(len(resp.body)) + (" (truncated)" if resp.truncated else ""),
    ]
    if exchange.twilio_request_id:
        details.append(f"Twilio-Request-Id {textsafe.line(exchange.twilio_request_id)}")
    out.write(_style(" · ".join(details), "2", colour) + "\n")
    error = exchange.reported_error
    if error is not None:
        out.write(_style(redactor.text(status.format_twilio_error(error)), "1;31", colour) + "\n")
        if error.more_info:
            out.write(f"More info: {textsafe.line(error.more_info)}\n")
    if exchange.hint:
        out.write(_style(f"Hint: {exchange.hint}", "33", colour) + "\n")
    if include_headers:
        out.write("\n")
        for name, value in redactor.headers(resp.headers):
            out.write(f"{textsafe.line(name)}: {textsafe.line(value)}\n")
    if resp.note:
        out.write(_style(f"({textsafe.line(resp.note)})", "2", colour) + "\n")
    rendered = render.render_body(redactor.body(resp.body), resp.content_type)
    if rendered.note:
        out.write(_style(f"({textsafe.line(rendered.note)})", "2", colour) + "\n")
    if rendered.lines:
        out.write("\n")
        _write_lines(out, rendered.lines)
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
