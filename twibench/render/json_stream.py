"""JSON, streamed: decoded 1 MB at a time and walked, so no single C call holds the GIL for long.

Each container that ends inside the decoded window is parsed by the C scanner on its own and indented
by a line emitter faster than `json.dumps(indent=2)`; the whole document never exists as one string.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Generator, Iterator
from json import JSONDecodeError, JSONDecoder
from json.scanner import make_scanner
from typing import Any, cast

from twibench.render import lines as common
from twibench.render.lines import (
    RenderBatch,
    batches,
    decode_chunked,
    search_chunked,
    text_fallback,
    text_lines,
)

try:
    from _json import encode_basestring, scanstring
except ImportError:  # pragma: no cover - CPython always has the accelerator
    from json.decoder import py_scanstring as scanstring  # type: ignore[attr-defined,no-redef]
    from json.encoder import py_encode_basestring as encode_basestring
_JSON_WALK_DEPTH = 1  # containers above this depth are always walked; deeper ones are scanned if they fit

__all__ = ["json_batches", "json_tokens"]


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
        or search_chunked(_C1_UTF8, body, overlap=1)
        or search_chunked(_SEPARATORS_UTF8, body, overlap=2)
        or search_chunked(_ESCAPED_UNSAFE_UTF8, body, overlap=5)
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
        size = size or common.CHUNK
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
        size = common.CHUNK
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
        size = common.CHUNK
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


def json_batches(
    body: bytes, charset: str | None, size: int, batch_lines: int, sniff_note: str | None
) -> Iterator[RenderBatch]:
    """A JSON body in batches; invalid JSON (or an unusable charset) falls back to text with a note."""
    encoding, problem = _json_encoding(body, charset)
    if encoding is None:
        yield from text_fallback(body, charset, f"{problem}; shown as text", size, batch_lines, False)
        return
    label = charset or ("UTF-8" if encoding == "utf-8-sig" else encoding.upper())
    out: list[str] = []
    sent = False
    try:
        for _ in _JsonStream(body, encoding, out).walk(batch_lines):
            chunk = out[:-1]  # the last line may still lose its comma when its container closes
            del out[:-1]
            yield from batches("json", chunk, sniff_note, size, batch_lines)
            sent = True
    except _BadJson as exc:
        reason = exc.reason[:1].lower() + exc.reason[1:]
        note = f"invalid JSON at line {exc.line}, column {exc.column}: {reason}; shown as text"
    except RecursionError:
        note = "JSON nested too deeply to indent; shown as text"
    except UnicodeDecodeError:
        where = _undecodable(body, encoding, label)
        lines = text_lines(decode_chunked(body, encoding, "replace"))
        yield from batches(
            "text", lines, f"{where}; shown as text with replacement characters", size, batch_lines, sent
        )
        return
    else:
        yield from batches("json", out, sniff_note, size, batch_lines)
        return
    out.clear()
    yield from text_fallback(body, None if encoding == "utf-8-sig" else encoding, note, size, batch_lines, sent)


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
