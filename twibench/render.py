"""Pretty-printing of response bodies by content type, as a list of display lines.

The body viewer draws only the lines on screen, so every renderer produces `list[str]` (no newline
characters, no terminal control characters) that can be indexed, searched and coloured lazily, never one
big string.

Large bodies are formatted off the UI thread, and a thread only helps if no single C call holds the GIL
for long: `json.loads` on 20 MB holds it for 0.1–0.3 s. So JSON is decoded 1 MB at a time and walked
here; each container that ends inside the decoded window (a Twilio record, typically) is parsed by the C
scanner on its own and indented by a line emitter that is faster than `json.dumps(indent=2)` (pure Python
when `indent` is set). The whole document never exists as one string or one object tree, which also
keeps peak memory near the size of the lines themselves. `iter_render` yields lines in batches so a
worker can show the first screen early, report progress and stop when a newer body replaces this one;
`render_body` collects them. `bench/render.py` measures all three (time, GIL holds, memory).

Safety: XML is parsed by expat with any DOCTYPE refused (no entity expansion, no external entities), and
control characters in bodies are shown as visible symbols so a response cannot drive the terminal.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import textwrap
import unicodedata
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from json import JSONDecodeError, JSONDecoder
from json.scanner import make_scanner
from typing import Any, AnyStr, Literal, cast
from urllib.parse import parse_qsl
from xml.parsers import expat

from twibench import textsafe

try:
    from _json import encode_basestring, scanstring
except ImportError:  # pragma: no cover - CPython always has the accelerator
    from json.decoder import py_scanstring as scanstring  # type: ignore[attr-defined,no-redef]
    from json.encoder import py_encode_basestring as encode_basestring

__all__ = [
    "CSV_ALIGN_MAX_ROWS",
    "CSV_CELL_MAX",
    "PREVIEW_BYTES",
    "RenderBatch",
    "RenderKind",
    "Rendered",
    "iter_render",
    "json_tokens",
    "render_body",
    "search",
]

RenderKind = Literal["json", "xml", "csv", "form", "text", "binary", "empty"]

PREVIEW_BYTES = 512
"""How much of a binary body the hex preview shows."""
CSV_ALIGN_MAX_ROWS = 5_000
"""Above this many rows CSV is shown as raw lines: aligning needs every row in memory twice."""
CSV_CELL_MAX = 60
"""Widest aligned CSV column; longer cells are cut with "…" so one long Body doesn't widen every row."""
_CHUNK = 1 << 20  # C calls (decode, regex scans, expat) get at most this much at once: ~1-5 ms of GIL
_JSON_WALK_DEPTH = 1  # containers above this depth are always walked; deeper ones are scanned if they fit


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
        yield from _json_batches(body, charset, size, batch_lines, None)
    elif kind == "xml":
        yield from _xml_batches(body, charset, size, batch_lines, None)
    elif kind == "text":
        lines, note = _decode_lines(body, charset)
        yield from _batches("text", lines, note, size, batch_lines)
    elif kind in ("csv", "form"):
        text, note = _decode(body, charset)
        if kind == "csv":
            lines, csv_note = _csv_lines(text)
            yield from _batches("csv", lines, csv_note or note, size, batch_lines)
        else:
            yield from _batches("form", _form_lines(text, charset), note, size, batch_lines)
    else:
        yield from _sniffed_batches(body, mime, size, batch_lines)


# ---------------------------------------------------------------------------------------------------
# Content types, charsets, visible text

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


def _decode(body: bytes, charset: str | None) -> tuple[str, str | None]:
    """Decode with the declared charset, else UTF-8; never fails, says in a note what it had to do."""
    note: str | None = None
    name = "utf-8"
    if charset:
        try:
            name = codecs.lookup(charset).name
        except LookupError:
            note = f"unknown charset {charset!r}; decoded as UTF-8"
    try:
        return _decode_chunked(body, "utf-8-sig" if name == "utf-8" else name), note
    except UnicodeDecodeError as exc:
        where = f"not valid {charset or 'UTF-8'} (byte {exc.start})"
    if name != "utf-8":
        try:
            return _decode_chunked(body, "utf-8-sig"), f"{where}; decoded as UTF-8"
        except UnicodeDecodeError:
            pass
    text = _decode_chunked(body, "utf-8-sig", "replace")
    return text, f"{where}; decoded as UTF-8 with replacement characters"


def _decode_lines(body: bytes, charset: str | None) -> tuple[list[str], str | None]:
    """`_text_lines(_decode(body, charset))` without ever holding the whole text as one string.

    The body is decoded and split 1 MB at a time; if it turns out not to be valid in its charset, the
    lines are made again the way `_decode` would decode it, with the same note.
    """
    note: str | None = None
    name = "utf-8"
    if charset:
        try:
            name = codecs.lookup(charset).name
        except LookupError:
            note = f"unknown charset {charset!r}; decoded as UTF-8"
    try:
        return _lines_from_pieces(_decoded_pieces(body, "utf-8-sig" if name == "utf-8" else name)), note
    except UnicodeDecodeError:
        pass
    text, note = _decode(body, charset)  # invalid input: the slow path, for the exact note
    return _text_lines(text), note


def _decoded_pieces(body: bytes, encoding: str) -> Iterator[str]:
    """The body decoded (strictly) 1 MB at a time."""
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(body)
    for start in range(0, len(body), _CHUNK):
        yield decoder.decode(view[start : start + _CHUNK], start + _CHUNK >= len(body))


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


def _decode_chunked(body: bytes, encoding: str, errors: str = "strict") -> str:
    """`body.decode(encoding, errors)` in 1 MB steps, so decoding 20 MB never holds the GIL for long.

    On an error the whole body is decoded again in one go, for the exact byte offset in the exception.
    """
    if len(body) <= _CHUNK:
        return body.decode(encoding, errors)
    decoder = codecs.getincrementaldecoder(encoding)(errors)
    view = memoryview(body)
    try:
        parts = [decoder.decode(view[start : start + _CHUNK]) for start in range(0, len(body), _CHUNK)]
        parts.append(decoder.decode(b"", True))
    except UnicodeDecodeError:
        return body.decode(encoding, errors)
    return "".join(parts)


def _search_chunked(pattern: re.Pattern[AnyStr], text: AnyStr, overlap: int = 0) -> bool:
    """`pattern.search(text)` in 1 MB windows (a match may be at most `overlap` + 1 characters long)."""
    return any(pattern.search(text, start, start + _CHUNK + overlap) for start in range(0, len(text), _CHUNK))


# C0 controls other than tab and newline, DEL, C1 controls, and the Unicode line/paragraph separators
# (which str.splitlines and some terminals treat as line breaks): twibench.textsafe's set and pictures.
_INVISIBLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")  # tab expands to spaces instead
_INVISIBLE_NO_NL = textsafe.INVISIBLE_KEEP_LAYOUT
_VISIBLE_TABLE = {code: form for code, form in textsafe.LINE_TABLE.items() if code != 0x09}


def _visible(text: str) -> str:
    """One display line from arbitrary text: control characters become visible symbols, tabs spaces."""
    if _INVISIBLE.search(text):
        text = text.translate(_VISIBLE_TABLE)
    return text.expandtabs(8) if "\t" in text else text


def _text_lines(text: str) -> list[str]:
    """Split text into display lines (LF or CRLF), in pieces of about 1 MB cut after a newline."""
    lines: list[str] = []
    start, length = 0, len(text)
    while start < length:
        end = start + _CHUNK
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


def _batches(
    kind: RenderKind, lines: list[str], note: str | None, size: int, batch_lines: int, reset: bool = False
) -> Iterator[RenderBatch]:
    if not batch_lines or len(lines) <= batch_lines:
        yield RenderBatch(kind, lines, note, size, reset)
        return
    for start in range(0, len(lines), batch_lines):
        yield RenderBatch(kind, lines[start : start + batch_lines], note, size, reset and start == 0)


def _text_fallback(
    body: bytes, charset: str | None, note: str, size: int, batch_lines: int, reset: bool
) -> Iterator[RenderBatch]:
    lines, decode_note = _decode_lines(body, charset)
    full_note = f"{note}; {decode_note}" if decode_note else note
    yield from _batches("text", lines, full_note, size, batch_lines, reset)


# ---------------------------------------------------------------------------------------------------
# JSON


class _Number(str):
    """A JSON number kept as the text it was written with, so 1.10 stays 1.10 and 2**80 stays exact."""

    __slots__ = ()


# JSON objects are decoded as tuples of (key, value) pairs: order and duplicate keys are kept.
_Pairs: type[tuple[Any, ...]] = tuple
_TOO_BIG = object()  # a container that does not end inside the decoded window
_RAW_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029]")
_ESCAPED_UNSAFE = re.compile(r"\\u(?:00[89][0-9a-fA-F]|007[fF]|[dD][89a-fA-F]|202[89])")
# One pattern each: each has a literal prefix the regex engine searches fast; an alternation does not.
_C1_UTF8 = re.compile(b"\xc2[\x80-\x9f]")
_SEPARATORS_UTF8 = re.compile(b"\xe2\x80[\xa8\xa9]")
_ESCAPED_UNSAFE_UTF8 = re.compile(_ESCAPED_UNSAFE.pattern.encode())
_KEY_CACHE_MAX = 10_000
_UNSAFE_IN_STRING = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _escape_code(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _encode_safe(value: str) -> str:
    """`encode_basestring`, also escaping what it leaves raw but a terminal shouldn't get (C1, lone surrogates)."""
    encoded = encode_basestring(value)
    return _UNSAFE_IN_STRING.sub(_escape_code, encoded) if _UNSAFE_IN_STRING.search(encoded) else encoded


def _utf8_needs_safe_encoder(body: bytes) -> bool:
    """Whether some JSON string in a UTF-8 body holds a character `encode_basestring` leaves raw.

    Checked once per body on the bytes, so the common case pays nothing per string: four searches with
    literal prefixes take ~15 ms for 20 MB, where a character-class scan of the decoded text takes ~60 ms
    once an emoji makes it 4 bytes per character.
    """
    return (
        b"\x7f" in body
        or _search_chunked(_C1_UTF8, body, overlap=1)
        or _search_chunked(_SEPARATORS_UTF8, body, overlap=2)
        or _search_chunked(_ESCAPED_UNSAFE_UTF8, body, overlap=5)
    )


def _text_needs_safe_encoder(text: str) -> bool:
    """The same check on decoded text, for JSON in other encodings (run on each decoded window)."""
    if not text.isascii() and _RAW_UNSAFE.search(text):
        return True
    return "\\u" in text and _ESCAPED_UNSAFE.search(text) is not None


def _emit(
    value: Any, pad: str, head: str, out: list[str], enc: Callable[[str], str], keys: dict[str, dict[str, str]]
) -> None:
    """Append the indented lines of a decoded value; every line gets a trailing comma.

    The comma after the last member of a container is removed when the container closes (and after the
    top-level value), which is cheaper than asking "is this the last one?" for every member. Scalars are
    handled inline in the loops because this is the hot path (one iteration per output line). `keys`
    caches `indent + "key": ` per indentation: records repeat the same keys thousands of times.
    """
    append = out.append
    kind = type(value)
    if kind is _Pairs:
        if not value:
            append(head + "{},")
            return
        append(head + "{")
        inner = pad + "  "
        prefixes = keys.get(inner)
        if prefixes is None:
            prefixes = keys[inner] = {}
        for key, item in value:
            prefix = prefixes.get(key)
            if prefix is None:
                prefix = f"{inner}{enc(key)}: "
                if len(prefixes) < _KEY_CACHE_MAX:
                    prefixes[key] = prefix
            item_kind = type(item)
            if item_kind is str:
                append(f"{prefix}{enc(item)},")
            elif item is None:
                append(prefix + "null,")
            elif item_kind is _Pairs or item_kind is list:
                _emit(item, inner, prefix, out, enc, keys)
            elif item is True:
                append(prefix + "true,")
            elif item is False:
                append(prefix + "false,")
            else:
                append(f"{prefix}{item},")
        out[-1] = out[-1][:-1]
        append(pad + "},")
    elif kind is list:
        if not value:
            append(head + "[],")
            return
        append(head + "[")
        inner = pad + "  "
        for item in value:
            item_kind = type(item)
            if item_kind is str:
                append(f"{inner}{enc(item)},")
            elif item is None:
                append(inner + "null,")
            elif item_kind is _Pairs or item_kind is list:
                _emit(item, inner, inner, out, enc, keys)
            elif item is True:
                append(inner + "true,")
            elif item is False:
                append(inner + "false,")
            else:
                append(f"{inner}{item},")
        out[-1] = out[-1][:-1]
        append(pad + "],")
    elif kind is str:
        append(f"{head}{enc(value)},")
    elif value is None:
        append(head + "null,")
    elif value is True:
        append(head + "true,")
    elif value is False:
        append(head + "false,")
    else:
        append(f"{head}{value},")


_WS = re.compile(r"[ \t\n\r]*")


class _BadJson(Exception):
    """Invalid JSON: the parser's reason and the 1-based line and column it points at."""

    def __init__(self, reason: str, line: int, column: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.column = column


class _JsonStream:
    """JSON text decoded one window at a time, and the walk that formats it into `out`.

    The body is decoded 1 MB at a time and the text already formatted is dropped whenever more is
    decoded, so the document never exists as one string (for a 20 MB body containing one emoji that
    string would take 80 MB: Python stores it at 4 bytes per character). The top levels (a list page and
    its records array) are walked here, one member at a time; a container that ends inside the decoded
    window is decoded whole by the C scanner, one that doesn't is walked too. So no C call sees more than
    about a window of text (one record, typically), and the GIL is released between records whatever
    the shape of the document.
    """

    def __init__(self, body: bytes, encoding: str, out: list[str]) -> None:
        self.view = memoryview(body)
        self.decoder = codecs.getincrementaldecoder(encoding)()
        self.read = 0  # bytes decoded so far
        self.buf = ""  # the decoded window; everything before `pos` is done
        self.pos = 0
        self.line = 1  # the line of buf[0]
        self.column = 0  # characters between the last newline before buf[0] and buf[0]
        self.out = out
        self.keys: dict[str, dict[str, str]] = {}
        self.check_text = encoding != "utf-8-sig"
        unsafe = not self.check_text and _utf8_needs_safe_encoder(body)
        self.enc: Callable[[str], str] = _encode_safe if unsafe else encode_basestring
        decoder = JSONDecoder(parse_float=_Number, parse_int=_Number, parse_constant=_Number, object_pairs_hook=_Pairs)
        self.scan = make_scanner(cast(Any, decoder))

    def fill(self, size: int = 0) -> bool:
        """Drop the text before `pos` and decode `size` (default 1 MB) more bytes; False at the end."""
        size = size or _CHUNK
        total = len(self.view)
        if self.read >= total:
            return False
        end = min(self.read + size, total)
        piece = self.decoder.decode(self.view[self.read : end], end >= total)
        self.read = end
        newlines = self.buf.count("\n", 0, self.pos)
        if newlines:
            self.line += newlines
            self.column = self.pos - self.buf.rfind("\n", 0, self.pos) - 1
        else:
            self.column += self.pos
        self.buf = self.buf[self.pos :] + piece
        self.pos = 0
        if self.check_text and self.enc is encode_basestring and _text_needs_safe_encoder(self.buf[-len(piece) - 5 :]):
            self.enc = _encode_safe
        return True

    def error(self, reason: str, pos: int) -> _BadJson:
        newlines = self.buf.count("\n", 0, pos)
        if newlines:
            return _BadJson(reason, self.line + newlines, pos - self.buf.rfind("\n", 0, pos))
        return _BadJson(reason, self.line, self.column + pos + 1)

    def peek(self) -> str:
        """Skip whitespace; the next character, or "" at the end of the body."""
        while True:
            found = _WS.match(self.buf, self.pos)
            if found:
                self.pos = found.end()
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.fill():
                return ""

    def value(self) -> Any:
        """Decode the value at `pos` with the C scanner, decoding more text until it is complete.

        A value cut by the window's end fails to scan, or, for a number, scans short: "1.5e" reads as
        1.5 followed by "e". So on failure, or when the value ends within two characters of the window's
        end, the window grows (doubling) and the scan is repeated; only a failure at the end of the body
        is an error.
        """
        size = _CHUNK
        while True:
            failure: tuple[str, int] | None = None
            try:
                obj, end = self.scan(self.buf, self.pos)
            except StopIteration as exc:
                failure = ("Expecting value", int(exc.value))
            except JSONDecodeError as exc:
                failure = (exc.msg, exc.pos)
            else:
                if end < len(self.buf) - 2:
                    self.pos = end
                    return obj
            if not self.fill(size):
                if failure is None:
                    self.pos = end
                    return obj
                raise self.error(*failure)
            size *= 2

    def container(self) -> Any:
        """Decode the container at `pos` if it ends inside the window, else return _TOO_BIG."""
        try:
            obj, end = self.scan(self.buf, self.pos)
        except (JSONDecodeError, StopIteration) as exc:
            if self.read < len(self.view):
                return _TOO_BIG  # cut by the window's end (or invalid further on: walking will tell)
            if isinstance(exc, StopIteration):  # a member value missing, as the scanner reports it
                raise self.error("Expecting value", int(exc.value)) from None
            raise self.error(exc.msg, exc.pos) from None
        self.pos = end
        return obj

    def key(self) -> str:
        """Decode the member name at `pos` (which is at its opening quote)."""
        size = _CHUNK
        while True:
            try:
                key, self.pos = scanstring(self.buf, self.pos + 1, True)
                return key
            except JSONDecodeError as exc:
                failure = (exc.msg, exc.pos)
            if not self.fill(size):
                raise self.error(*failure)
            size *= 2

    def member_head(self, closer: str, inner: str) -> str:
        """Read a member up to its value: returns what goes before the value on its line."""
        if closer == "]":
            return inner
        if self.peek() != '"':
            raise self.error("Expecting property name enclosed in double quotes", self.pos)
        key = self.key()
        if self.peek() != ":":
            raise self.error("Expecting ':' delimiter", self.pos)
        self.pos += 1
        return f"{inner}{self.enc(key)}: "

    def walk(self, batch_lines: int) -> Generator[None, None, None]:
        """Format the whole document, yielding when `out[:-1]` may be handed out (every `batch_lines`).

        Raises _BadJson, RecursionError (nesting deeper than Python's recursion limit) or
        UnicodeDecodeError.
        """
        out = self.out
        stack: list[tuple[str, str, str]] = []  # (closer, indent of the container, indent of its members)
        head = pad = ""
        while True:
            char = self.peek()
            if char == "{" or char == "[":
                found = self.container() if len(stack) >= _JSON_WALK_DEPTH else _TOO_BIG
                if found is not _TOO_BIG:
                    _emit(found, pad, head, out, self.enc, self.keys)
                else:
                    self.pos += 1
                    closer = "}" if char == "{" else "]"
                    inner = pad + "  "
                    if self.peek() == closer:
                        self.pos += 1
                        out.append(f"{head}{char}{closer},")
                    else:
                        out.append(head + char)
                        stack.append((closer, pad, inner))
                        head, pad = self.member_head(closer, inner), inner
                        continue
            elif char:
                _emit(self.value(), pad, head, out, self.enc, self.keys)
            else:
                raise self.error("Expecting value", self.pos)
            # A value is complete: close containers until a comma starts the next member.
            while True:
                if not stack:
                    if self.peek():
                        raise self.error("Extra data", self.pos)
                    out[-1] = out[-1][:-1]
                    return
                if batch_lines and len(out) > batch_lines:
                    yield
                closer, outer, inner = stack[-1]
                sep = self.peek()
                if sep == ",":
                    self.pos += 1
                    head, pad = self.member_head(closer, inner), inner
                    break
                if sep != closer:
                    raise self.error("Expecting ',' delimiter", self.pos)
                self.pos += 1
                out[-1] = out[-1][:-1]
                out.append(outer + closer + ",")
                stack.pop()


def _json_encoding(body: bytes, charset: str | None) -> tuple[str | None, str | None]:
    """The codec for JSON bytes: the declared charset, else UTF-8 (or UTF-16/32 found by BOM/NULs)."""
    try:
        name = codecs.lookup(charset or _detect_json_encoding(body)).name
    except LookupError:
        return None, f"unknown charset {charset!r}"
    return ("utf-8-sig" if name == "utf-8" else name), None


def _detect_json_encoding(body: bytes) -> str:
    head = body[:4]
    if head.startswith((codecs.BOM_UTF32_BE, codecs.BOM_UTF32_LE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_BE, codecs.BOM_UTF16_LE)):
        return "utf-16"
    if len(head) >= 4 and head[0] == 0 and head[1] == 0:
        return "utf-32-be"
    if len(head) >= 4 and head[1] == 0 and head[2] == 0 and head[3] == 0:
        return "utf-32-le"
    if len(head) >= 2 and head[0] == 0:
        return "utf-16-be"
    if len(head) >= 2 and head[1] == 0:
        return "utf-16-le"
    return "utf-8"


def _json_batches(
    body: bytes, charset: str | None, size: int, batch_lines: int, sniff_note: str | None
) -> Iterator[RenderBatch]:
    encoding, problem = _json_encoding(body, charset)
    if encoding is None:
        yield from _text_fallback(body, charset, f"{problem}; shown as text", size, batch_lines, False)
        return
    label = charset or ("UTF-8" if encoding == "utf-8-sig" else encoding.upper())
    out: list[str] = []
    sent = False
    try:
        for _ in _JsonStream(body, encoding, out).walk(batch_lines):
            chunk = out[:-1]  # the last line may still lose its comma when its container closes
            del out[:-1]
            yield from _batches("json", chunk, sniff_note, size, batch_lines)
            sent = True
    except _BadJson as exc:
        reason = exc.reason[:1].lower() + exc.reason[1:]
        note = f"invalid JSON at line {exc.line}, column {exc.column}: {reason}; shown as text"
    except RecursionError:
        note = "JSON nested too deeply to indent; shown as text"
    except UnicodeDecodeError:
        where = _undecodable(body, encoding, label)
        lines = _text_lines(_decode_chunked(body, encoding, "replace"))
        yield from _batches(
            "text", lines, f"{where}; shown as text with replacement characters", size, batch_lines, sent
        )
        return
    else:
        yield from _batches("json", out, sniff_note, size, batch_lines)
        return
    out.clear()
    yield from _text_fallback(body, None if encoding == "utf-8-sig" else encoding, note, size, batch_lines, sent)


def _undecodable(body: bytes, encoding: str, label: str) -> str:
    """Where a body stops being valid in its encoding (decoded again in one go for the exact offset)."""
    try:
        body.decode(encoding)
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        return f"not valid {label} at line {line} (byte {exc.start})"
    return f"not valid {label}"


_JSON_TOKEN = re.compile(
    r'(?P<string>"(?:[^"\\]|\\.)*"?)(?P<colon>\s*:)?'
    r"|(?P<number>-?(?:\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|Infinity)|NaN)"
    r"|(?P<literal>true|false|null)"
    r"|(?P<punct>[{}\[\],:])"
)


def json_tokens(line: str) -> list[tuple[int, int, str]]:
    """Spans `(start, end, kind)` of one rendered JSON line, for colouring only the visible lines.

    Kinds: "key" (a string followed by a colon), "string", "number", "literal" (true/false/null),
    "punct" (brackets, commas, colons). Whitespace is not a span. Meant for lines made by this module;
    anything it does not recognise is skipped rather than guessed.
    """
    spans: list[tuple[int, int, str]] = []
    for match in _JSON_TOKEN.finditer(line):
        group = match.lastgroup
        if match.group("string") is not None:
            start, end = match.span("string")
            colon = match.group("colon")
            spans.append((start, end, "key" if colon else "string"))
            if colon:
                spans.append((match.end() - 1, match.end(), "punct"))
        elif group is not None:
            spans.append((match.start(), match.end(), group))
    return spans


# ---------------------------------------------------------------------------------------------------
# XML


class _UnsafeXml(Exception):
    """Raised from the DOCTYPE handler: documents that declare entities are not parsed at all."""


def _escape_text(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    return text.replace("<", "&lt;") if "<" in text else text


def _escape_attr(value: str) -> str:
    value = _escape_text(value).replace('"', "&quot;")
    return value.replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")


class _XmlFormatter:
    """expat callbacks that write one element per line, with leaf elements kept on one line.

    expat (not ElementTree) so namespace prefixes, comments, processing instructions and CDATA come out
    as written, and so formatting streams: a start tag waits in `pending` until we know whether the
    element has children.
    """

    def __init__(self, out: list[str]) -> None:
        self.out = out
        self.depth = 0
        self.pending: str | None = None
        self.text: list[str] = []
        self.in_cdata = False
        self.pads = [""]

    def pad(self, depth: int) -> str:
        while len(self.pads) <= depth:
            self.pads.append("  " * len(self.pads))
        return self.pads[depth]

    def attach(self, parser: expat.XMLParserType) -> None:
        parser.buffer_text = True
        parser.ordered_attributes = True
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.XmlDeclHandler = self.xml_decl
        parser.StartDoctypeDeclHandler = self.doctype
        parser.EntityDeclHandler = self.doctype
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.chars
        parser.CommentHandler = self.comment
        parser.ProcessingInstructionHandler = self.instruction
        parser.StartCdataSectionHandler = self.start_cdata
        parser.EndCdataSectionHandler = self.end_cdata

    def doctype(self, *_args: object) -> None:
        raise _UnsafeXml

    def xml_decl(self, version: str | None, encoding: str | None, standalone: int) -> None:
        parts = [f'version="{version or "1.0"}"']
        if encoding:
            parts.append(f'encoding="{encoding}"')
        if standalone != -1:
            parts.append(f'standalone="{"yes" if standalone else "no"}"')
        self.out.append(f"<?xml {' '.join(parts)}?>")

    def start(self, name: str, attrs: list[str]) -> None:
        self.open_pending()
        tag = "<" + name
        for i in range(0, len(attrs), 2):
            tag += f' {attrs[i]}="{_visible(_escape_attr(attrs[i + 1]))}"'
        self.pending = tag
        self.depth += 1

    def end(self, name: str) -> None:
        self.depth -= 1
        pad = self.pad(self.depth)
        if self.pending is None:
            self.flush_text(self.depth + 1)
            self.out.append(f"{pad}</{name}>")
            return
        tag, self.pending = self.pending, None
        text = "".join(self.text).strip()
        self.text.clear()
        if not text:
            self.out.append(f"{pad}{tag}/>")
        elif "\n" not in text and "\r" not in text:
            self.out.append(f"{pad}{tag}>{_visible(text)}</{name}>")
        else:
            self.out.append(f"{pad}{tag}>")
            self.block(text, self.depth + 1)
            self.out.append(f"{pad}</{name}>")

    def chars(self, data: str) -> None:
        self.text.append(data if self.in_cdata else _escape_text(data))

    def start_cdata(self) -> None:
        self.text.append("<![CDATA[")
        self.in_cdata = True

    def end_cdata(self) -> None:
        self.text.append("]]>")
        self.in_cdata = False

    def comment(self, data: str) -> None:
        self.open_pending()
        self.block(f"<!--{data}-->", self.depth)

    def instruction(self, target: str, data: str) -> None:
        self.open_pending()
        self.block(f"<?{target} {data}?>" if data else f"<?{target}?>", self.depth)

    def open_pending(self) -> None:
        """Something follows a start tag: write the tag as an opening line, then any text before it."""
        if self.pending is not None:
            self.out.append(f"{self.pad(self.depth - 1)}{self.pending}>")
            self.pending = None
        self.flush_text(self.depth)

    def flush_text(self, depth: int) -> None:
        if self.text:
            text = "".join(self.text)
            self.text.clear()
            if text.strip():
                self.block(text, depth)

    def block(self, text: str, depth: int) -> None:
        """Text that may span lines, re-indented as a block (its own indentation kept relative).

        The first line follows the tag in the source, so it is stripped on its own; the others lose only
        their common indentation.
        """
        pad = self.pad(depth)
        first, _, rest = text.replace("\r\n", "\n").replace("\r", "\n").partition("\n")
        lines = [first.strip(), *textwrap.dedent(rest).split("\n")] if rest else [first.strip()]
        while lines and not lines[-1].strip():
            lines.pop()
        start = 0
        while start < len(lines) and not lines[start].strip():
            start += 1
        self.out.extend(pad + _visible(line.rstrip()) for line in lines[start:])


def _xml_batches(
    body: bytes, charset: str | None, size: int, batch_lines: int, sniff_note: str | None
) -> Iterator[RenderBatch]:
    """Feed expat 1 MB at a time (its callbacks are Python, so the GIL changes hands while it parses)."""
    out: list[str] = []
    formatter = _XmlFormatter(out)
    parser = expat.ParserCreate()
    formatter.attach(parser)
    pieces: Iterable[memoryview | str]
    try:
        encoding = codecs.lookup(charset).name if charset else None
    except LookupError:
        encoding = None  # an unknown header charset: let the document's declaration decide
    if encoding is None:
        view = memoryview(body)
        pieces = (view[start : start + _CHUNK] for start in range(0, len(body), _CHUNK))
    else:  # the header wins over the document's own declaration: expat gets text (read as UTF-8)
        pieces = _decoded_pieces(body, "utf-8-sig" if encoding == "utf-8" else encoding)
    sent = False
    try:
        for piece in pieces:
            parser.Parse(piece, False)
            if batch_lines and len(out) > batch_lines:
                yield from _batches("xml", out[:], sniff_note, size, batch_lines)
                out.clear()
                sent = True
        parser.Parse(b"", True)
    except _UnsafeXml:
        note = "XML with a DOCTYPE is shown as text (entities are never expanded)"
    except expat.ExpatError as exc:
        reason = expat.errors.messages.get(exc.code, "not well-formed") if exc.code else "not well-formed"
        note = f"invalid XML at line {exc.lineno}, column {exc.offset + 1}: {reason}; shown as text"
    except UnicodeDecodeError:
        lines, decode_note = _decode_lines(body, charset)
        yield from _batches("text", lines, f"{decode_note}; shown as text", size, batch_lines, sent)
        return
    else:
        yield from _batches("xml", out, sniff_note, size, batch_lines)
        return
    yield from _text_fallback(body, charset, note, size, batch_lines, sent)


# ---------------------------------------------------------------------------------------------------
# CSV, form, binary, sniffing


def _width(text: str) -> int:
    """Terminal cells taken by text: wide East Asian characters take two, combining marks none."""
    if text.isascii():
        return len(text)
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _cut(text: str, limit: int) -> str:
    if _width(text) <= limit:
        return text
    if text.isascii():
        return text[: limit - 1] + "…"
    kept = ""
    for char in text:
        if _width(kept + char) > limit - 1:
            break
        kept += char
    return kept + "…"


def _csv_lines(text: str) -> tuple[list[str], str | None]:
    """Aligned columns (header underlined) for up to CSV_ALIGN_MAX_ROWS rows, raw lines above that."""
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            rows.append(row)
            if len(rows) > CSV_ALIGN_MAX_ROWS:
                return _text_lines(text), f"more than {CSV_ALIGN_MAX_ROWS:,} rows: columns not aligned"
    except csv.Error as exc:
        return _text_lines(text), f"CSV could not be read ({exc}); shown as text"
    cut = False
    cells: list[list[str]] = []
    for row in rows:
        shown = []
        for cell in row:
            visible = _visible(cell)
            short = _cut(visible, CSV_CELL_MAX)
            cut = cut or short is not visible
            shown.append(short)
        cells.append(shown)
    columns = max((len(row) for row in cells), default=0)
    widths = [0] * columns
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], _width(cell))
    lines = []
    for index, row in enumerate(cells):
        padded = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)]
        lines.append(" │ ".join(padded).rstrip())
        if index == 0 and len(cells) > 1:
            lines.append("─┼─".join("─" * w for w in widths))
    return lines, f"cells longer than {CSV_CELL_MAX} characters are cut with …" if cut else None


def _form_lines(text: str, charset: str | None) -> list[str]:
    pairs = parse_qsl(text.strip(), keep_blank_values=True, encoding=charset or "utf-8", errors="replace")
    return [f"{_visible(key)} = {_visible(value)}" for key, value in pairs]


_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"RIFF", "RIFF (WAV/WebP) data"),
)


def _binary_lines(body: bytes, mime: str) -> list[str]:
    """A summary line, then an xxd-style hex + ASCII dump of the first PREVIEW_BYTES bytes."""
    what = mime or "no Content-Type"
    guess = next((label for magic, label in _MAGIC if body.startswith(magic)), None)
    if guess:
        what += f"; looks like {guess}"
    count = len(body)
    lines = [f"binary body, {count:,} byte{'s' if count != 1 else ''} ({what})"]
    preview = body[:PREVIEW_BYTES]
    for offset in range(0, len(preview), 16):
        row = preview[offset : offset + 16]
        hexes = " ".join(row[i : i + 2].hex() for i in range(0, len(row), 2))
        ascii_ = "".join(chr(b) if 0x20 <= b < 0x7F else "." for b in row)
        lines.append(f"{offset:08x}: {hexes:<39}  {ascii_}")
    if count > PREVIEW_BYTES:
        lines.append(f"… {count - PREVIEW_BYTES:,} more bytes not shown")
    return lines


_FIRST_BYTE = re.compile(rb"[^ \t\r\n\f\v]")
_BINARY_CONTROLS = re.compile(b"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def _is_utf8(body: bytes) -> bool:
    """Whether the body is valid UTF-8, checked 1 MB at a time without keeping the text."""
    if body.isascii():
        return True
    try:
        for _ in _decoded_pieces(body, "utf-8"):
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
        yield from _json_batches(body, None, size, batch_lines, f"{sent_as}; shown as JSON")
    elif opener == b"<":
        yield from _xml_batches(body, None, size, batch_lines, f"{sent_as}; shown as XML")
    elif not mime and not _BINARY_CONTROLS.search(body, 0, 65536) and _is_utf8(body):
        lines, _ = _decode_lines(body, None)
        yield from _batches("text", lines, None, size, batch_lines)
    else:
        yield RenderBatch("binary", _binary_lines(body, mime), None, size)


# ---------------------------------------------------------------------------------------------------
# Search


def search(
    lines: list[str], needle: str, start: int = 0, backwards: bool = False, case_sensitive: bool = False
) -> int | None:
    """The index of the first line containing `needle`, from `start` (inclusive), wrapping around.

    Forwards it looks at start, start+1, … then from 0; backwards at start, start-1, … then from the end.
    For "next match" the caller passes the current match + 1 (or − 1 backwards). `start` is taken modulo
    the number of lines. Returns None for an empty needle or when no line matches.
    """
    count = len(lines)
    if not needle or not count:
        return None
    start %= count
    order = [range(start, -1, -1), range(count - 1, start, -1)] if backwards else [range(start, count), range(0, start)]
    if case_sensitive:
        for span in order:
            for index in span:
                if needle in lines[index]:
                    return index
        return None
    pattern = re.compile(re.escape(needle), re.IGNORECASE)
    find = pattern.search
    for span in order:
        for index in span:
            if find(lines[index]):
                return index
    return None
