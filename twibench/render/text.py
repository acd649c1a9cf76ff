"""Bodies shown as plain lines: form fields as `name = value`, anything else binary as a hex preview."""

from __future__ import annotations

from urllib.parse import parse_qsl

from twibench.render.lines import PREVIEW_BYTES, visible_text

__all__ = ["binary_lines", "form_lines"]


def form_lines(text: str, charset: str | None) -> list[str]:
    """Form fields as `name = value` lines, decoded with the body's charset and made visible."""
    pairs = parse_qsl(text.strip(), keep_blank_values=True, encoding=charset or "utf-8", errors="replace")
    return [f"{visible_text(key)} = {visible_text(value)}" for key, value in pairs]


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


def binary_lines(body: bytes, mime: str) -> list[str]:
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
