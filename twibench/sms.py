"""How many SMS segments a message body takes, and in which encoding (GSM-7 or UCS-2).

Twilio splits a long SMS into segments: 160 GSM-7 characters fit in one, 153 per segment once the
message is split (the rest carries the concatenation header); with any character outside GSM-7 the
whole body is sent as UCS-2, 70 per single segment and 67 when split. Characters from the GSM-7
extension table (`^{}\\[~]|€` and form feed) take two septets, and a split never cuts such a pair or a
UTF-16 surrogate pair in half. The TUI's form editor shows it as you type; the sandbox reports it as `num_segments`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Segments", "count_segments"]

_GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

Encoding = Literal["GSM-7", "UCS-2"]


@dataclass(frozen=True)
class Segments:
    """The segment count of one body.

    Attributes:
        encoding: "GSM-7" when every character is in the GSM-7 tables, else "UCS-2".
        units: Septets (GSM-7, extension characters count 2) or UTF-16 code units (UCS-2).
        segments: How many SMS segments the body takes (0 for an empty body).
        per_segment: The capacity that applies: 160/153 for GSM-7, 70/67 for UCS-2.
        remaining: Units still free in the last segment.
    """

    encoding: Encoding
    units: int
    segments: int
    per_segment: int
    remaining: int

    def describe(self) -> str:
        """One line for the form editor, e.g. `48 chars · GSM-7 · 1 segment (112 left)`."""
        if self.segments == 0:
            return f"empty · {self.encoding} · 0 segments"
        plural = "segment" if self.segments == 1 else "segments"
        unit = "chars" if self.encoding == "UCS-2" else "septets"
        return (
            f"{self.units} {unit} · {self.encoding} · {self.segments} {plural} "
            f"of {self.per_segment} ({self.remaining} left)"
        )


def _units(text: str) -> tuple[Encoding, list[int]]:
    """The encoding, and the size in units of each character (1 or 2)."""
    if all(ch in _GSM7_BASIC or ch in _GSM7_EXTENSION for ch in text):
        return "GSM-7", [2 if ch in _GSM7_EXTENSION else 1 for ch in text]
    return "UCS-2", [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def count_segments(text: str) -> Segments:
    """Count the SMS segments `text` needs.

    Args:
        text: The message body (templates such as `{{name}}` are counted as written).

    Returns:
        The encoding, size and segment count, following the 160/153 and 70/67 rules.
    """
    encoding, sizes = _units(text)
    single, multi = (160, 153) if encoding == "GSM-7" else (70, 67)
    total = sum(sizes)
    if total == 0:
        return Segments(encoding, 0, 0, single, single)
    if total <= single:
        return Segments(encoding, total, 1, single, single - total)
    # Pack character by character so a two-unit character is never split across segments.
    segments, used = 1, 0
    for size in sizes:
        if used + size > multi:
            segments += 1
            used = 0
        used += size
    return Segments(encoding, total, segments, multi, multi - used)
