"""Display lines and what every renderer shares: the result types, decoding with a charset, visible text.

Every renderer produces `list[str]` without newline or terminal control characters (see `twibench.render`).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import AnyStr, Literal

from twibench import textsafe

__all__ = [
    "CHUNK",
    "CSV_ALIGN_MAX_ROWS",
    "CSV_CELL_MAX",
    "PREVIEW_BYTES",
    "RenderBatch",
    "RenderKind",
    "Rendered",
    "batches",
    "decode",
    "decode_chunked",
    "decode_lines",
    "decoded_pieces",
    "search_chunked",
    "text_fallback",
    "text_lines",
    "visible_text",
]


RenderKind = Literal["json", "xml", "csv", "form", "text", "binary", "empty"]

PREVIEW_BYTES = 512
"""How much of a binary body the hex preview shows."""
CSV_ALIGN_MAX_ROWS = 5_000
"""Above this many rows CSV is shown as raw lines: aligning needs every row in memory twice."""
CSV_CELL_MAX = 60
"""Widest aligned CSV column; longer cells are cut with "…" so one long Body doesn't widen every row."""
CHUNK = 1 << 20
"""C calls (decode, regex scans, expat) get at most this much at once: ~1-5 ms of GIL. Read as
`lines.CHUNK` everywhere, so one assignment (a test's smaller window) changes every renderer."""


@dataclass
class Rendered:
    """A body ready for the viewer.

    Attributes:
        kind: How the body was shown: "json", "xml", "csv", "form", "text", "binary" or "empty".
        lines: The display lines, without newline characters.
        note: Why the body is not shown as its content type said (invalid JSON at a position, unknown
            charset, DOCTYPE refused…), or None.
        size: The body's length in bytes.
    """

    kind: RenderKind
    lines: list[str]
    note: str | None
    size: int


@dataclass(frozen=True)
class RenderBatch:
    """Some lines of a rendering in progress (see `iter_render`).

    Attributes:
        kind: The kind the lines belong to. It changes only together with `reset`.
        lines: Lines to append to those received so far.
        note: As in `Rendered`; every batch carries the current one.
        size: The body's length in bytes.
        reset: True when the lines received so far must be dropped first: the body turned out not to be
            what it claimed part-way (invalid JSON near the end of a large body) and is shown as text.
    """

    kind: RenderKind
    lines: list[str]
    note: str | None
    size: int
    reset: bool = False


def _codec(charset: str | None) -> tuple[str, str | None]:
    """The codec for a declared charset (UTF-8 when none or unknown), and a note when it was unknown."""
    if charset:
        try:
            return codecs.lookup(charset).name, None
        except LookupError:
            return "utf-8", f"unknown charset {charset!r}; decoded as UTF-8"
    return "utf-8", None


def decode(body: bytes, charset: str | None) -> tuple[str, str | None]:
    """Decode with the declared charset, else UTF-8; never fails, says in a note what it had to do."""
    name, note = _codec(charset)
    try:
        return decode_chunked(body, "utf-8-sig" if name == "utf-8" else name), note
    except UnicodeDecodeError as exc:
        where = f"not valid {charset or 'UTF-8'} (byte {exc.start})"
    if name != "utf-8":
        try:
            return decode_chunked(body, "utf-8-sig"), f"{where}; decoded as UTF-8"
        except UnicodeDecodeError:
            pass
    text = decode_chunked(body, "utf-8-sig", "replace")
    return text, f"{where}; decoded as UTF-8 with replacement characters"


def decode_lines(body: bytes, charset: str | None) -> tuple[list[str], str | None]:
    """`text_lines(decode(body, charset))` without ever holding the whole text as one string.

    The body is decoded and split 1 MB at a time; if it turns out not to be valid in its charset, the
    lines are made again the way `decode` would decode it, with the same note.
    """
    name, note = _codec(charset)
    try:
        return _lines_from_pieces(decoded_pieces(body, "utf-8-sig" if name == "utf-8" else name)), note
    except UnicodeDecodeError:
        pass
    text, note = decode(body, charset)  # invalid input: the slow path, for the exact note
    return text_lines(text), note


def decoded_pieces(body: bytes, encoding: str) -> Iterator[str]:
    """The body decoded (strictly) 1 MB at a time."""
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(body)
    for start in range(0, len(body), CHUNK):
        yield decoder.decode(view[start : start + CHUNK], start + CHUNK >= len(body))


def _lines_from_pieces(pieces: Iterable[str]) -> list[str]:
    """Display lines from text given in pieces; a line may span pieces (its parts wait in `carry`)."""
    lines: list[str] = []
    carry: list[str] = []
    for piece in pieces:
        cut = piece.rfind("\n")
        if cut < 0:
            carry.append(piece)
            continue
        head = piece[: cut + 1]
        if carry:
            head = "".join(carry) + head
            carry.clear()
        lines.extend(_split_piece(head))
        if cut + 1 < len(piece):
            carry.append(piece[cut + 1 :])
    if carry:
        lines.extend(_split_piece("".join(carry)))
    return lines


def decode_chunked(body: bytes, encoding: str, errors: str = "strict") -> str:
    """`body.decode(encoding, errors)` in 1 MB steps, so decoding 20 MB never holds the GIL for long.

    On an error the whole body is decoded again in one go, for the exact byte offset in the exception.
    """
    if len(body) <= CHUNK:
        return body.decode(encoding, errors)
    decoder = codecs.getincrementaldecoder(encoding)(errors)
    view = memoryview(body)
    try:
        parts = [decoder.decode(view[start : start + CHUNK]) for start in range(0, len(body), CHUNK)]
        parts.append(decoder.decode(b"", True))
    except UnicodeDecodeError:
        return body.decode(encoding, errors)
    return "".join(parts)


def search_chunked(pattern: re.Pattern[AnyStr], text: AnyStr, overlap: int = 0) -> bool:
    """`pattern.search(text)` in 1 MB windows (a match may be at most `overlap` + 1 characters long)."""
    return any(pattern.search(text, start, start + CHUNK + overlap) for start in range(0, len(text), CHUNK))


# C0 controls other than tab and newline, DEL, C1 controls, and the Unicode line/paragraph separators
# (which str.splitlines and some terminals treat as line breaks): twibench.textsafe's set and pictures.
_INVISIBLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")  # tab expands to spaces instead
_INVISIBLE_NO_NL = textsafe.INVISIBLE_KEEP_LAYOUT
_VISIBLE_TABLE = {code: form for code, form in textsafe.LINE_TABLE.items() if code != 0x09}


def visible_text(text: str) -> str:
    """One display line from arbitrary text: control characters become visible symbols, tabs spaces."""
    if _INVISIBLE.search(text):
        text = text.translate(_VISIBLE_TABLE)
    return text.expandtabs(8) if "\t" in text else text


def text_lines(text: str) -> list[str]:
    """Split text into display lines (LF or CRLF), in pieces of about 1 MB cut after a newline."""
    lines: list[str] = []
    start, length = 0, len(text)
    while start < length:
        end = start + CHUNK
        if end < length:
            cut = text.rfind("\n", start, end)
            if cut < 0:
                cut = text.find("\n", end)
            end = length if cut < 0 else cut + 1
        lines.extend(_split_piece(text[start:end]))
        start = end
    return lines


def _split_piece(text: str) -> list[str]:
    """Lines of a piece of text with whole-piece C-speed passes (no per-character Python work)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if _INVISIBLE_NO_NL.search(text):
        text = text.translate(textsafe.LAYOUT_TABLE)
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    if "\t" in text:
        lines = [line.expandtabs(8) if "\t" in line else line for line in lines]
    return lines


def batches(
    kind: RenderKind, lines: list[str], note: str | None, size: int, batch_lines: int, reset: bool = False
) -> Iterator[RenderBatch]:
    """Finished lines cut into batches of `batch_lines` (0: one batch), so a worker can yield early."""
    if not batch_lines or len(lines) <= batch_lines:
        yield RenderBatch(kind, lines, note, size, reset)
        return
    for start in range(0, len(lines), batch_lines):
        yield RenderBatch(kind, lines[start : start + batch_lines], note, size, reset and start == 0)


def text_fallback(
    body: bytes, charset: str | None, note: str, size: int, batch_lines: int, reset: bool
) -> Iterator[RenderBatch]:
    """A body that is not what its type claimed, shown as text with `note` saying why."""
    lines, decode_note = decode_lines(body, charset)
    full_note = f"{note}; {decode_note}" if decode_note else note
    yield from batches("text", lines, full_note, size, batch_lines, reset)
