"""Query a response: a JSONPath (RFC 9535, python-jsonpath in strict mode) applied to a JSON body.

`twibench send … --select '$.messages[*].sid'` and `twibench history show N --select …` print the
matches one per line: strings as plain text, everything else as compact JSON. The TUI's `f` filter
(`twibench.workbench.body_filter`) compiles its expression here too, and shows the matches as one pretty
JSON array.

Bodies come from servers, so on a terminal the control characters in a printed string are made visible
(`␛[31m` rather than a colour change); piped output keeps the text exactly as it was.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from jsonpath import JSONPath, JSONPathEnvironment, JSONPathError

from twibench.errors import TwibenchError

if TYPE_CHECKING:
    from twibench.exchange import Exchange

_ENV = JSONPathEnvironment(strict=True)
_INVISIBLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


class SelectError(TwibenchError):
    """A JSONPath that does not parse, or a body that is not JSON (exit 2)."""


@dataclass(frozen=True)
class Match:
    """One value the expression found, with its normalized path (`$['messages'][0]['sid']`)."""

    path: str
    value: Any


@dataclass(frozen=True)
class Selection:
    """What an expression found in a document, in document order."""

    expression: str
    matches: tuple[Match, ...]

    @property
    def count(self) -> int:
        """How many values matched."""
        return len(self.matches)

    @property
    def values(self) -> list[Any]:
        """The matched values."""
        return [m.value for m in self.matches]

    def lines(self) -> list[str]:
        """One line per match: a string as its text, anything else as compact JSON."""
        return [format_value(m.value) for m in self.matches]


def compile_path(expression: str, *, option: str = "--select") -> JSONPath:
    """Parse a JSONPath once; `option` names where it was typed in the error ("--select", "the filter").

    Raises:
        SelectError: not a JSONPath (with the parser's reason).
    """
    text = expression.strip()
    if not text.startswith("$"):
        raise SelectError(f"{option} {expression!r} is not a JSONPath: it must start with $ (e.g. $.messages[*].sid)")
    try:
        compiled = _ENV.compile(text)
    except JSONPathError as exc:
        detail = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        raise SelectError(f"{option} {expression!r} is not a valid JSONPath (RFC 9535): {detail}") from None
    if not isinstance(compiled, JSONPath):
        raise SelectError(
            f"{option} {expression!r} is not a valid JSONPath (RFC 9535): unions of paths are not standard"
        )
    return compiled


def parse_body(body: bytes, content_type: str | None = None) -> Any:
    """The body as JSON.

    Raises:
        SelectError: the body is empty or not JSON (the message names its Content-Type).
    """
    if not body.strip():
        raise SelectError("--select needs a JSON body, and the response body is empty")
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        kind = (content_type or "no Content-Type").split(";")[0].strip()
        raise SelectError(f"--select needs a JSON body, and the response body is not JSON ({kind})") from None


def select(expression: str | JSONPath, document: Any) -> Selection:
    """Apply a JSONPath to an already parsed JSON document."""
    path = compile_path(expression) if isinstance(expression, str) else expression
    # python-jsonpath re-parses text as JSON, so a top-level JSON string is handed over encoded.
    data = json.dumps(document) if isinstance(document, str) else document
    matches = tuple(Match(m.path, m.obj) for m in path.finditer(data))
    return Selection(str(expression) if isinstance(expression, str) else str(path), matches)


def select_body(expression: str, body: bytes, content_type: str | None = None) -> Selection:
    """Apply a JSONPath to a response body (see `parse_body` and `compile_path` for the errors)."""
    path = compile_path(expression)
    return Selection(expression, select(path, parse_body(body, content_type)).matches)


def format_value(value: Any) -> str:
    """A matched value as one line: a string as its text, anything else as compact JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def visible(text: str) -> str:
    """Control characters as visible symbols (␛, ␊, \\u0085), so text cannot drive a terminal."""

    def picture(match: re.Match[str]) -> str:
        code = ord(match.group())
        if code < 0x20:
            return chr(0x2400 + code)
        return "\u2421" if code == 0x7F else f"\\u{code:04x}"

    return _INVISIBLE.sub(picture, text)


def print_selection(selection: Selection, out: TextIO, err: TextIO) -> None:
    """Print the matches one per line; on a terminal, control characters are made visible."""
    terminal = out.isatty()
    for line in selection.lines():
        out.write((visible(line) if terminal else line) + "\n")
    out.flush()
    if not selection.matches:
        err.write(f"twibench: {selection.expression} matched nothing\n")
        err.flush()


def show_exchange(
    exchange: Exchange,
    credentials: Iterable[tuple[str, str]],
    expression: str,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """`--select`: print what the expression matches in the exchange's (redacted) body; `send`'s exit code.

    The body is masked as `send` prints it (a new API key's `secret` is shown, once, as Twilio does).

    Returns:
        0, 1 when the status is >= 400, 3 when there was no response (the error is printed).

    Raises:
        SelectError: a bad expression, or a body that is not JSON.
    """
    from twibench.redact import Redactor

    out = out or sys.stdout
    err = err or sys.stderr
    credentials = list(credentials)
    path = compile_path(expression)
    response = exchange.response
    if exchange.error is not None or response is None:
        message = exchange.error.message if exchange.error else "no response"
        err.write(f"twibench: {Redactor(credentials).text(message)}\n")
        return 3
    new_key_secret = response.status == 201 and b'"secret"' in response.body
    body = Redactor(credentials, mask_json_fields=not new_key_secret).body(response.body)
    found = select(path, parse_body(body, response.content_type))
    print_selection(Selection(expression, found.matches), out, err)
    return 1 if response.status >= 400 else 0
