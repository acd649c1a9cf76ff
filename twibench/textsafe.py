"""Text from the network made safe to show on a terminal: control characters become visible symbols.

A server chooses its reason phrase, its headers, its Twilio error `message` and its body. Printed raw,
`ESC ] 0 ; … BEL` retitles the window, `ESC [ 2 J` clears the screen, and a C1 `CSI` (U+009B) does the
same on terminals that honour 8-bit controls. Everything the CLI or the TUI shows from a response goes
through this module (the body renderer uses the same pictures):

- C0 controls become the Control Pictures U+2400…U+241F (`ESC` → `␛`, `BEL` → `␇`, `CR` → `␍`);
- DEL becomes `␡` (U+2421);
- C1 controls (U+0080…U+009F) and the Unicode line/paragraph separators become `\\u009b`-style escapes
  (there are no pictures for them, and some terminals and `str.splitlines` treat U+2028/9 as breaks).

`line` is for one-line fields (status, headers, error messages): newline and tab are shown too.
`block` keeps newline and tab, for multi-line text whose layout matters.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["INVISIBLE", "INVISIBLE_KEEP_LAYOUT", "LAYOUT_TABLE", "LINE_TABLE", "block", "json_dumps", "line", "picture"]

INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""Every character `line` replaces."""
INVISIBLE_KEEP_LAYOUT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
"""Every character `block` replaces (all but tab and newline)."""
_JSON_RAW_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029]")


def _visible_form(code: int) -> str:
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"\\u{code:04x}"


_CODES = [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029]
LINE_TABLE: dict[int, str] = {code: _visible_form(code) for code in _CODES}
"""`str.translate` table of `line`: one C pass, no Python call per character (a body of 64 M NULs
takes ~1 s, where `re.sub` with a function took half a minute and gigabytes of match objects)."""
LAYOUT_TABLE: dict[int, str] = {code: form for code, form in LINE_TABLE.items() if code not in (0x09, 0x0A)}
"""`str.translate` table of `block` (tab and newline kept)."""


def picture(match: re.Match[str]) -> str:
    """The visible form of one control character (a `re.sub` replacement, for short text)."""
    return _visible_form(ord(match.group()))


def line(text: str) -> str:
    """One display line: every control character, newline and tab included, made visible."""
    return text.translate(LINE_TABLE) if INVISIBLE.search(text) else text


def block(text: str) -> str:
    """Multi-line text: control characters made visible, newline and tab kept; CRLF becomes LF."""
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    return text.translate(LAYOUT_TABLE) if INVISIBLE_KEEP_LAYOUT.search(text) else text


def _escape_code(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_dumps(value: Any, *, indent: int | None = 2) -> str:
    """`json.dumps(ensure_ascii=False)` that also escapes DEL, C1 and U+2028/9 (JSON escapes only C0).

    Those characters can only occur inside JSON strings, where `\\u009b` means the same character, so
    the document is unchanged for a JSON reader and harmless on a terminal.
    """
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _JSON_RAW_UNSAFE.sub(_escape_code, text) if _JSON_RAW_UNSAFE.search(text) else text
