"""A formatted response body as compact chunks of lines, without any UI (the body viewer draws it).

The formatted body is kept as UTF-8 chunks with a table of line offsets (about 1.2x the body) rather than
a `list[str]` (about 3x, more with non-ASCII text); a line is sliced and decoded only when it is drawn,
searched or asked for. `packed_batches` packs `render.iter_render`'s batches into chunks (in the viewer's
formatting thread for large bodies, so the UI thread only appends them). Search scans the chunks with a
compiled bytes pattern, one chunk per event-loop turn (`BodyDocument.find`), so even a case-insensitive
search of 20 MB never freezes the screen.
"""

from __future__ import annotations

import asyncio
import json
import re
from array import array
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import overload

from twibench import render

__all__ = [
    "Batch",
    "BodyDocument",
    "Chunk",
    "Lines",
    "fallback_batch",
    "formatted_batches",
    "rendered_batch",
    "xml_spans",
]

_URI_KEYS = frozenset({"uri", "first_page_uri", "next_page_uri", "previous_page_uri", "last_page_uri"})
_SUBRESOURCES = "subresource_uris"
_PARENT_SCAN = 1_000  # how far up `uri_of_line` looks for the object that holds a line
_KEY_VALUE = re.compile(r'^( *)("(?:[^"\\]|\\.)*"): ("(?:[^"\\]|\\.)*"),?$')
_OPENER = re.compile(r'^( *)("(?:[^"\\]|\\.)*"): \{$')
_MEMBER = re.compile(r'^( *)"(?:[^"\\]|\\.)*": (.*)$')
_NEXT_PAGE = b'  "next_page_uri": '
_XML_TAG = re.compile(r"<[^>]*>?")
_XML_VALUE = re.compile(r'"[^"]*"?')
# Control characters as visible symbols (render does this; the fallback for a render failure must too).
_VISIBLE = {code: 0x2400 + code for code in range(32) if code != 0x0A} | {0x7F: 0x2421}
_VISIBLE |= {code: 0xFFFD for code in range(0x80, 0xA0)}


def _next_start(start: int, length: int) -> int:
    """Where the line after one of `length` bytes starting at `start` begins (one byte for the newline)."""
    return start + length + 1


@dataclass(frozen=True, slots=True)
class Chunk:
    """A run of formatted lines stored compactly: UTF-8 joined by newlines, plus where each line starts.

    Attributes:
        first: Index of the chunk's first line in the whole body.
        blob: The lines, UTF-8 encoded, joined by b"\\n".
        starts: Byte offset of each line in `blob`, then a sentinel `len(blob) + 1`.
        widest: The longest line in bytes: an upper bound of its width in cells, good enough for the
            horizontal scroll range.
        next_page_uri: The value of a top-level `"next_page_uri"` line in this chunk (JSON only).
    """

    first: int
    blob: bytes
    starts: array[int]
    widest: int
    next_page_uri: str | None

    @classmethod
    def pack(cls, lines: Sequence[str], first: int) -> Chunk:
        """Store some lines; the work is a few C-speed passes, fine on the UI thread for small bodies."""
        blob = "\n".join(lines).encode("utf-8", "replace")
        lengths = [len(part) for part in blob.split(b"\n")]
        starts = array("I", accumulate(lengths, _next_start, initial=0))
        return cls(first, blob, starts, max(lengths), _find_next_page(blob))

    @property
    def count(self) -> int:
        """Number of lines in the chunk."""
        return len(self.starts) - 1

    def span(self, local: int) -> tuple[int, int]:
        """Byte range of a line (without its newline)."""
        return self.starts[local], self.starts[local + 1] - 1

    def line_at(self, offset: int) -> int:
        """The local line holding a byte offset."""
        return bisect_right(self.starts, offset) - 1

    def find(self, pattern: re.Pattern[bytes], lo: int, hi: int) -> int | None:
        """First local line in [lo, hi) with a match, or None."""
        if lo >= hi:
            return None
        found = pattern.search(self.blob, self.starts[lo], self.starts[hi] - 1)
        return None if found is None else self.line_at(found.start())

    def collect(self, pattern: re.Pattern[bytes], into: array[int]) -> None:
        """Append the index (in the whole body) of every line with a match: one regex search per line."""
        blob, starts, at, end = self.blob, self.starts, 0, len(self.blob)
        while at <= end:
            found = pattern.search(blob, at)
            if found is None:
                return
            local = self.line_at(found.start())
            into.append(self.first + local)
            at = starts[local + 1]

    def rfind(self, pattern: re.Pattern[bytes], lo: int, hi: int) -> int | None:
        """Last local line in [lo, hi) with a match, or None."""
        last = None
        if lo < hi:
            for last in pattern.finditer(self.blob, self.starts[lo], self.starts[hi] - 1):  # noqa: B007
                pass
        return None if last is None else self.line_at(last.start())


def _find_next_page(blob: bytes) -> str | None:
    """A top-level `"next_page_uri": "..."` line (indent 2 means a key of the top-level object)."""
    if blob.startswith(_NEXT_PAGE):
        at = 0
    else:
        at = blob.find(b"\n" + _NEXT_PAGE) + 1
        if at == 0:
            return None
    end = blob.find(b"\n", at)
    raw = blob[at + len(_NEXT_PAGE) : end if end >= 0 else len(blob)].rstrip(b",")
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, str) and value else None


class BodyDocument:
    """The formatted body: render's kind and note, and the lines as chunks."""

    def __init__(self, kind: str, note: str | None, size: int) -> None:
        self.kind = kind
        self.note = note
        self.size = size
        self.chunks: list[Chunk] = []
        self._firsts: list[int] = []
        self.line_count = 0
        self.widest = 0
        self.next_page_uri: str | None = None

    def append(self, chunk: Chunk) -> None:
        """Add a chunk packed for the lines that follow the current ones."""
        assert chunk.first == self.line_count
        self.chunks.append(chunk)
        self._firsts.append(chunk.first)
        self.line_count += chunk.count
        self.widest = max(self.widest, chunk.widest)
        if self.next_page_uri is None and self.kind == "json":
            self.next_page_uri = chunk.next_page_uri

    def locate(self, index: int) -> tuple[Chunk, int]:
        """The chunk holding a line and the line's index inside it."""
        chunk = self.chunks[bisect_right(self._firsts, index) - 1]
        return chunk, index - chunk.first

    def text(self, index: int) -> str:
        """One whole line."""
        chunk, local = self.locate(index)
        start, end = chunk.span(local)
        return chunk.blob[start:end].decode("utf-8", "replace")

    def preview(self, index: int, limit: int) -> tuple[str, bool]:
        """At most `limit` characters of a line, and whether it was cut; never decodes a huge line whole."""
        chunk, local = self.locate(index)
        start, end = chunk.span(local)
        if end - start <= limit:
            return chunk.blob[start:end].decode("utf-8", "replace"), False
        text = chunk.blob[start : min(end, start + 4 * limit)].decode("utf-8", "replace")
        return (text[:limit], True) if len(text) > limit else (text, False)

    def pieces(self, lo: int, hi: int) -> Iterator[tuple[Chunk, int, int]]:
        """The chunks covering lines [lo, hi), each with the local range inside it, in order."""
        if lo >= hi:
            return
        k = bisect_right(self._firsts, lo) - 1
        while k < len(self.chunks) and self.chunks[k].first < hi:
            chunk = self.chunks[k]
            yield chunk, max(lo, chunk.first) - chunk.first, min(hi, chunk.first + chunk.count) - chunk.first
            k += 1

    async def find(self, needle: str, start: int, backwards: bool) -> int | None:
        """The next line matching `needle` from `start` (inclusive) in one direction, wrapping around."""
        count = self.line_count
        if not needle or not count:
            return None
        pattern = needle_pattern(needle)
        start %= count
        if backwards:
            for lo, hi in ((0, start + 1), (start + 1, count)):
                for chunk, a, b in reversed(list(self.pieces(lo, hi))):
                    local = chunk.rfind(pattern, a, b)
                    if local is not None:
                        return chunk.first + local
                    await asyncio.sleep(0)
        else:
            for lo, hi in ((start, count), (0, start)):
                for chunk, a, b in self.pieces(lo, hi):
                    local = chunk.find(pattern, a, b)
                    if local is not None:
                        return chunk.first + local
                    await asyncio.sleep(0)
        return None

    async def matching_lines(self, needle: str) -> array[int]:
        """Every line matching `needle` (in order), one chunk per event-loop turn: the "3/17" of a search."""
        found: array[int] = array("I")
        if needle:
            pattern = needle_pattern(needle)
            for chunk in self.chunks:
                chunk.collect(pattern, found)
                await asyncio.sleep(0)
        return found

    def whole(self) -> bytes:
        """Every line, UTF-8, joined by newlines (what "copy body" copies and the filter parses)."""
        return b"\n".join(chunk.blob for chunk in self.chunks)

    def value_at(self, index: int) -> str:
        """What "copy value" copies from a line: a JSON scalar decoded, an object or array whole, else the line.

        On a JSON line `"sid": "SM1",` that is `SM1`; on `"count": 5,` it is `5`; on a line that opens an
        object or array (`"subresource_uris": {`) it is that object, dedented; other kinds give the line.
        """
        line = self.text(index)
        if self.kind != "json":
            return line
        found = _MEMBER.match(line)
        indent, value = (len(found.group(1)), found.group(2)) if found else (len(line) - len(line.lstrip(" ")), line)
        value = value.strip().removesuffix(",")
        if value in ("{", "["):
            return self._block(index, indent)
        if value.startswith('"'):
            decoded = _decode_json_string(value)
            return value if decoded is None else decoded
        return value

    def _block(self, index: int, indent: int) -> str:
        """The object or array opened on line `index`: up to the first later line at the same indent."""
        closer = re.compile(rb"^ {%d}[\]}]" % indent, re.MULTILINE)
        end = self.line_count - 1
        for chunk, lo, hi in self.pieces(index + 1, self.line_count):
            local = chunk.find(closer, lo, hi)
            if local is not None:
                end = chunk.first + local
                break
        first = self.text(index).strip()
        opener = first[-1]
        lines = [opener] + [self.text(i)[indent:] for i in range(index + 1, end + 1)]
        lines[-1] = lines[-1].removesuffix(",")
        return "\n".join(lines)

    def uri_of_line(self, index: int) -> str | None:
        """The Twilio path on a JSON line: a `uri`/`*_page_uri` value or a `subresource_uris` member."""
        if self.kind != "json" or not 0 <= index < self.line_count:
            return None
        found = _KEY_VALUE.match(self.text(index))
        if found is None:
            return None
        indent, key, value = len(found.group(1)), _decode_json_string(found.group(2)), found.group(3)
        uri = _decode_json_string(value)
        if not uri or not uri.startswith("/"):
            return None
        if key in _URI_KEYS:
            return uri
        for above in range(index - 1, max(-1, index - _PARENT_SCAN), -1):
            text = self.text(above)
            if len(text) - len(text.lstrip(" ")) < indent:
                opener = _OPENER.match(text)
                holder = _decode_json_string(opener.group(2)) if opener else None
                return uri if holder == _SUBRESOURCES else None
        return None


def needle_pattern(needle: str) -> re.Pattern[bytes]:
    """A case-insensitive bytes pattern for the UTF-8 chunks (re folds only ASCII in bytes patterns)."""
    parts = []
    for char in needle:
        if char.isascii():
            parts.append(re.escape(char.encode()))
        else:
            variants = sorted({char, char.lower(), char.upper()})
            parts.append(b"(?:" + b"|".join(re.escape(v.encode()) for v in variants) + b")")
    return re.compile(b"".join(parts), re.IGNORECASE)


def _decode_json_string(literal: str) -> str | None:
    try:
        value = json.loads(literal)
    except ValueError:
        return None
    return value if isinstance(value, str) else None


def xml_spans(line: str) -> list[tuple[int, int, str]]:
    """Tags (with attribute values as strings) vs text: enough to read TwiML and XML list pages."""
    spans: list[tuple[int, int, str]] = []
    for tag in _XML_TAG.finditer(line):
        spans.append((tag.start(), tag.end(), "tag"))
        for value in _XML_VALUE.finditer(line, tag.start(), tag.end()):
            spans.append((value.start(), value.end(), "string"))
    return spans


class Lines(Sequence[str]):
    """A read-only, lazily decoded view of the formatted lines."""

    def __init__(self, document: BodyDocument | None) -> None:
        self._document = document

    def __len__(self) -> int:
        return 0 if self._document is None else self._document.line_count

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        count = len(self)
        if index < 0:
            index += count
        if not 0 <= index < count or self._document is None:
            raise IndexError("line index out of range")
        return self._document.text(index)


@dataclass(frozen=True, slots=True)
class Batch:
    """A `render.RenderBatch` with its lines already packed (off the UI thread for large bodies).

    Attributes:
        chunk: The lines, or None when the batch had none.
    """

    kind: str
    note: str | None
    size: int
    reset: bool
    chunk: Chunk | None


def packed_batches(batches: Iterator[render.RenderBatch]) -> Iterator[Batch]:
    """Pack render's batches into chunks, numbering lines across batches (a reset starts again at 0)."""
    count = 0
    for batch in batches:
        if batch.reset:
            count = 0
        chunk = Chunk.pack(batch.lines, count) if batch.lines else None
        count += 0 if chunk is None else chunk.count
        yield Batch(batch.kind, batch.note, batch.size, batch.reset, chunk)


def fallback_batch(body: bytes, error: str) -> Batch:
    """The body as plain text (control characters made visible), for when formatting it failed."""
    text = body.decode("utf-8", "replace").translate(_VISIBLE).splitlines()
    return Batch("text", error, len(body), True, Chunk.pack(text, 0) if text else None)


def formatted_batches(body: bytes, content_type: str | None, batch_lines: int) -> Iterator[Batch]:
    """A body formatted by `render.iter_render`, packed batch by batch (for a thread: it takes a while).

    A formatter bug must not take the app down: on an error the body follows as plain text.
    """
    try:
        yield from packed_batches(render.iter_render(body, content_type, batch_lines=batch_lines))
    except Exception as exc:
        yield fallback_batch(body, f"could not format the body ({type(exc).__name__}: {exc}); shown as text")


def rendered_batch(body: bytes, content_type: str | None) -> Batch:
    """A small body formatted at once, as one batch."""
    rendered = render.render_body(body, content_type)
    chunk = Chunk.pack(rendered.lines, 0) if rendered.lines else None
    return Batch(rendered.kind, rendered.note, rendered.size, True, chunk)
