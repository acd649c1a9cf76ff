"""Content-Encoding decoding with a hard cap on the decoded size (no decompression bombs).

httpx decodes a whole `gzip` body however large it inflates: 1 MB on the wire can be 1 GiB of zeros.
The client therefore reads the raw bytes (`Response.aiter_raw`) and decodes them here, asking zlib for
at most the bytes still allowed (`decompressobj().decompress(data, max_length)`), so no more than the
cap plus one zlib window ever exists in memory. Past the cap the body is cut and marked truncated.

Supported: `identity`, `gzip`/`x-gzip` (several members too), `deflate` (zlib-wrapped or raw, as
servers send both). This project installs neither brotli nor zstandard, so `br` and `zstd` (and any
unknown coding) are not decoded: the body is kept exactly as received and `note` says why.
"""

from __future__ import annotations

import zlib

__all__ = ["BodyDecoder", "DecodeError"]

_GZIP = 16 + zlib.MAX_WBITS


class DecodeError(Exception):
    """The body is not valid in its declared Content-Encoding."""


class _Inflater:
    """One zlib stream (gzip members restart it); `feed` returns at most `room` bytes."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        self.wbits = _GZIP if coding == "gzip" else zlib.MAX_WBITS
        self.obj = zlib.decompressobj(self.wbits)
        self.started = False  # deflate: a first failure retries as raw deflate (no zlib header)
        self.pending = b""

    def feed(self, data: bytes, room: int) -> tuple[bytes, bool]:
        """Decoded bytes (at most `room + 1`) and whether input was left undecoded for lack of room."""
        out: list[bytes] = []
        size = 0
        data = self.pending + data if self.pending else data
        self.pending = b""
        while data and size <= room:
            try:
                piece = self.obj.decompress(data, room + 1 - size)
            except zlib.error as exc:
                if self.coding == "deflate" and not self.started and self.wbits > 0:
                    self.wbits = -zlib.MAX_WBITS
                    self.obj = zlib.decompressobj(self.wbits)
                    continue
                raise DecodeError(f"not valid {self.coding} data ({exc})") from None
            self.started = True
            out.append(piece)
            size += len(piece)
            if self.obj.eof:
                rest = self.obj.unused_data
                if self.coding == "gzip" and rest[:2] == b"\x1f\x8b":
                    self.obj = zlib.decompressobj(self.wbits)  # the next gzip member
                    data = rest
                    continue
                data = b""
            else:
                data = self.obj.unconsumed_tail
        if data:
            self.pending = bytes(data)
        return b"".join(out), bool(data)

    def flush(self) -> bytes:
        return self.obj.flush() if not self.obj.eof else b""


class BodyDecoder:
    """Decodes a body fed in raw chunks; `truncated` once the decoded size would pass `limit`.

    Args:
        content_encoding: The Content-Encoding header (`"gzip"`, `"gzip, deflate"`…) or None.
        limit: The most decoded bytes to keep.
    """

    def __init__(self, content_encoding: str | None, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.truncated = False
        self.note: str | None = None
        codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
        codings = [("gzip" if c == "x-gzip" else c) for c in codings if c != "identity"]
        unknown = [c for c in codings if c not in ("gzip", "deflate")]
        if unknown:
            self.note = (
                f"Content-Encoding {unknown[0]!r} is not supported here; the body is shown as received (still encoded)"
            )
            codings = []
        # Content-Encoding lists codings in the order they were applied: undo them last first.
        self._stages = [_Inflater(c) for c in reversed(codings)]

    def feed(self, raw: bytes) -> bytes:
        """Decoded bytes for a raw chunk (empty once truncated)."""
        if self.truncated or not raw:
            return b""
        data = raw
        for stage in self._stages:
            data, starved = stage.feed(data, self.limit - self.size)
            if starved or len(data) > self.limit - self.size:
                self.truncated = True
        return self._keep(data)

    def flush(self) -> bytes:
        """What the decoders still hold at the end of the body."""
        if self.truncated:
            return b""
        data = b""
        for stage in self._stages:
            if data:
                data, starved = stage.feed(data, self.limit - self.size)
                if starved:
                    self.truncated = True
            data += stage.flush()
        return self._keep(data)

    def _keep(self, data: bytes) -> bytes:
        room = self.limit - self.size
        if len(data) > room:
            self.truncated = True
            data = data[:room]
        self.size += len(data)
        return data
