"""Server-controlled text on screen (textsafe, the TUI's status line and tabs, `--json`) and body decoding."""

from __future__ import annotations

import gzip
import io
import json
import zlib

import pytest
from rich.console import Console

from twibench import status, textsafe
from twibench.bodydecode import BodyDecoder, DecodeError
from twibench.cli import output
from twibench.exchange import Exchange, Response, SentRequest, to_json
from twibench.redact import Redactor
from twibench.tui.widgets.response_tabs import headers_table, request_text
from twibench.tui.widgets.status_line import exchange_text

HOSTILE = "a\x1b]0;title\x07\x1b[2J\x9b31m\x7f\u2028\r\nz\tend"
RAW = ("\x1b", "\x07", "\x9b", "\x7f", "\u2028", "\r")


def _clean(text: str) -> bool:
    return not any(c in text for c in RAW)


def test_line_makes_every_control_visible() -> None:
    shown = textsafe.line(HOSTILE)
    assert _clean(shown) and "\n" not in shown and "\t" not in shown
    assert shown.startswith("a␛]0;title␇␛[2J\\u009b31m␡\\u2028␍␊z␉end")


def test_block_keeps_newlines_and_tabs() -> None:
    shown = textsafe.block(HOSTILE)
    assert _clean(shown)
    assert shown.endswith("\nz\tend")


def test_json_dumps_escapes_what_json_leaves_raw_and_round_trips() -> None:
    value = {"m": HOSTILE}
    text = textsafe.json_dumps(value)
    assert _clean(text)
    assert json.loads(text) == value


def _error_exchange() -> Exchange:
    body = json.dumps(
        {"code": 21211, "message": HOSTILE, "more_info": "https://x.invalid/\x1b]8;;evil\x07", "status": 400}
    ).encode()
    response = Response(400, "Bad", [("X-Evil", "v\x9b2J\x1b[0m"), ("Content-Type", "application/json")], body)
    return Exchange(request=SentRequest("GET", "http://h/\x1b[2J", "/\x1b[2J"), response=response)


def test_twilio_error_line_shows_the_message_safely() -> None:
    error = _error_exchange().twilio_error
    assert error is not None
    line = status.format_twilio_error(error)
    assert _clean(line) and "␛]0;title␇" in line


def test_tui_status_line_and_tabs_show_controls_as_symbols() -> None:
    exchange = _error_exchange()
    text, _ = exchange_text(exchange, show_timings=False)
    assert _clean(text.plain)
    console = Console(width=200, record=True, color_system=None, force_terminal=False)
    console.print(headers_table(exchange.response.headers if exchange.response else []))
    console.print(request_text(exchange, Redactor()))
    assert _clean(console.export_text())


def test_tui_status_line_of_a_transport_error_is_safe() -> None:
    from twibench.exchange import TransportError

    exchange = Exchange(request=SentRequest("GET", "http://h/", "/"), error=TransportError("protocol", HOSTILE))
    text, _ = exchange_text(exchange, show_timings=False)
    assert _clean(text.plain)


@pytest.mark.parametrize("body", [("é\x1b[2J\u2028" * 200_000).encode(), bytes(range(256)) * 9000])
def test_print_json_streams_a_large_body_into_the_same_document(body: bytes) -> None:
    exchange = Exchange(
        request=SentRequest("POST", "http://h/x", "/x", body=b"a=1"),
        response=Response(200, "OK", [("Content-Type", "text/plain")], body, truncated=True),
    )
    stream = io.StringIO()
    output.print_json(exchange, [], stream=stream)
    printed = stream.getvalue()
    assert len(body) > 1 << 20 and _clean(printed)
    document = json.loads(printed)
    expected = to_json(exchange, Redactor())
    document.pop("timings"), expected.pop("timings")
    assert document == expected


# ----- body decoding -------------------------------------------------------------------------------------


def _decode(encoding: str | None, data: bytes, limit: int = 1 << 20, step: int = 7) -> tuple[bytes, BodyDecoder]:
    decoder = BodyDecoder(encoding, limit)
    parts = [decoder.feed(data[i : i + step]) for i in range(0, len(data), step)]
    parts.append(decoder.flush())
    return b"".join(parts), decoder


def test_gzip_deflate_raw_deflate_and_several_gzip_members_decode() -> None:
    payload = b'{"ok": true}' * 50
    raw = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    raw_deflate = raw.compress(payload) + raw.flush()
    assert _decode("gzip", gzip.compress(payload))[0] == payload
    assert _decode("x-gzip", gzip.compress(payload))[0] == payload
    assert _decode("deflate", zlib.compress(payload))[0] == payload
    assert _decode("deflate", raw_deflate)[0] == payload
    assert _decode("gzip", gzip.compress(payload[:100]) + gzip.compress(payload[100:]))[0] == payload
    assert _decode("deflate, gzip", gzip.compress(zlib.compress(payload)))[0] == payload
    assert _decode(None, payload)[0] == payload
    assert _decode("identity", payload)[0] == payload


def test_decoding_stops_at_the_limit_and_marks_truncation() -> None:
    bomb = gzip.compress(bytes(10 << 20))
    body, decoder = _decode("gzip", bomb, limit=1000, step=4096)
    assert body == bytes(1000) and decoder.truncated
    body, decoder = _decode(None, b"x" * 1001, limit=1000)
    assert body == b"x" * 1000 and decoder.truncated
    body, decoder = _decode("gzip", gzip.compress(b"x" * 1000), limit=1000)
    assert body == b"x" * 1000 and not decoder.truncated


def test_unknown_encodings_are_kept_as_received_with_a_note() -> None:
    body, decoder = _decode("br", b"\x8b\x02\x80hello\x03")
    assert body == b"\x8b\x02\x80hello\x03"
    assert decoder.note is not None and "'br'" in decoder.note


def test_corrupt_gzip_is_a_decode_error() -> None:
    with pytest.raises(DecodeError, match="not valid gzip"):
        _decode("gzip", b"\x1f\x8b\x08\x00garbage-garbage-garbage")
