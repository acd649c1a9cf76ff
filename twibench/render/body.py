"""Choosing a renderer for a body: by media type and charset, or by sniffing when the type says nothing.

`iter_render` yields lines in batches so a worker can show the first screen early; `render_body` collects them.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Generator, Iterator

from twibench.render.csv import csv_lines
from twibench.render.json_stream import json_batches
from twibench.render.lines import RenderBatch, Rendered, RenderKind, batches, decode, decode_lines, decoded_pieces
from twibench.render.text import binary_lines, form_lines
from twibench.render.xml import xml_batches

__all__ = ["iter_render", "render_body"]


def render_body(body: bytes, content_type: str | None) -> Rendered:
    """Render a whole body; see `iter_render` for the choice of renderer.

    Safe to call from a worker thread even for bodies of tens of MB: no single step holds the GIL for
    more than a few milliseconds.
    """
    kind: RenderKind = "empty"
    lines: list[str] = []
    note: str | None = None
    first = True
    for batch in iter_render(body, content_type, batch_lines=0):
        if batch.reset or first:
            lines = batch.lines
            first = False
        else:
            lines.extend(batch.lines)
        kind, note = batch.kind, batch.note
    return Rendered(kind, lines, note, len(body))


def iter_render(
    body: bytes, content_type: str | None, *, batch_lines: int = 10_000
) -> Generator[RenderBatch, None, None]:
    """Render a body, yielding its lines in batches of about `batch_lines`.

    The renderer is chosen by the media type: `application/json` and `+json`; `application/xml`,
    `text/xml` and `+xml`; `text/csv`; `application/x-www-form-urlencoded`; `text/*` and a few textual
    application types. A `charset` parameter is honoured. Any other type, or none, is sniffed: UTF-8 text
    that looks like JSON or XML is rendered as such, other UTF-8 text is shown as text when no type was
    given, and everything else as binary. Invalid JSON/XML falls back to text with a note naming the
    line and column.

    Args:
        body: The raw body.
        content_type: The Content-Type header value, or None.
        batch_lines: Yield after about this many lines; 0 yields everything in one batch.

    Yields:
        Batches to append in order (respecting `RenderBatch.reset`). At least one batch is yielded.
    """
    size = len(body)
    if not body:
        yield RenderBatch("empty", [], None, 0)
        return
    mime, params = _parse_content_type(content_type)
    charset = params.get("charset")
    kind = _kind_for(mime)
    if kind == "json":
        yield from json_batches(body, charset, size, batch_lines, None)
    elif kind == "xml":
        yield from xml_batches(body, charset, size, batch_lines, None)
    elif kind == "text":
        lines, note = decode_lines(body, charset)
        yield from batches("text", lines, note, size, batch_lines)
    elif kind in ("csv", "form"):
        text, note = decode(body, charset)
        if kind == "csv":
            lines, csv_note = csv_lines(text)
            yield from batches("csv", lines, csv_note or note, size, batch_lines)
        else:
            yield from batches("form", form_lines(text, charset), note, size, batch_lines)
    else:
        yield from _sniffed_batches(body, mime, size, batch_lines)


_TEXTUAL_APP_TYPES = frozenset(
    {"javascript", "x-javascript", "ecmascript", "yaml", "x-yaml", "toml", "sql", "graphql", "x-sh"}
)


def _parse_content_type(content_type: str | None) -> tuple[str, dict[str, str]]:
    if not content_type:
        return "", {}
    mime, *rest = content_type.split(";")
    params: dict[str, str] = {}
    for part in rest:
        key, _, value = part.partition("=")
        params[key.strip().lower()] = value.strip().strip('"').strip()
    return mime.strip().lower(), params


def _kind_for(mime: str) -> RenderKind | None:
    """The renderer a media type asks for, or None when the body must be sniffed."""
    major, _, sub = mime.partition("/")
    if sub == "json" or sub.endswith("+json"):
        return "json"
    if sub == "xml" or sub.endswith("+xml"):
        return "xml"
    if sub == "csv":
        return "csv"
    if mime == "application/x-www-form-urlencoded":
        return "form"
    if major == "text" or (major == "application" and (sub in _TEXTUAL_APP_TYPES or sub.endswith("+yaml"))):
        return "text"
    return None


_FIRST_BYTE = re.compile(rb"[^ \t\r\n\f\v]")
_BINARY_CONTROLS = re.compile(b"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def _is_utf8(body: bytes) -> bool:
    """Whether the body is valid UTF-8, checked 1 MB at a time without keeping the text."""
    if body.isascii():
        return True
    try:
        for _ in decoded_pieces(body, "utf-8"):
            pass
    except UnicodeDecodeError:
        return False
    return True


def _sniffed_batches(body: bytes, mime: str, size: int, batch_lines: int) -> Iterator[RenderBatch]:
    """No usable type: text that looks like JSON/XML is tried as such, other UTF-8 text is text when no
    type was given, and the rest binary.

    JSON/XML lookalikes go straight to their renderers, which fall back to text with a note if the body
    is not valid after all.
    """
    first = _FIRST_BYTE.search(body, 3 if body.startswith(codecs.BOM_UTF8) else 0)
    opener = first.group() if first else b""
    sent_as = f"sent as {mime}" if mime else "no Content-Type"
    if opener in (b"{", b"["):
        yield from json_batches(body, None, size, batch_lines, f"{sent_as}; shown as JSON")
    elif opener == b"<":
        yield from xml_batches(body, None, size, batch_lines, f"{sent_as}; shown as XML")
    elif not mime and not _BINARY_CONTROLS.search(body, 0, 65536) and _is_utf8(body):
        lines, _ = decode_lines(body, None)
        yield from batches("text", lines, None, size, batch_lines)
    else:
        yield RenderBatch("binary", binary_lines(body, mime), None, size)
