"""The expressions of captures and conditions: a JSONPath into the JSON body, `header:Name`, or `status`.

DESIGN §6 lets `capture`, `expect.json` and `poll.until` name a value of a response three ways. This
module is the one place that turns such an expression into values, so a capture and a check of the
same expression can never disagree. JSONPath is RFC 9535, evaluated by python-jsonpath in strict mode
(no hand-written parser, no library extensions that would make collections non-portable).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from jsonpath import JSONPath, JSONPathEnvironment, JSONPathError

from twibench.exchange import Exchange

__all__ = [
    "Body",
    "Expression",
    "ExpressionError",
    "Lookup",
    "compile_expression",
    "describe_value",
    "lookup",
    "values_equal",
]

_ENV = JSONPathEnvironment(strict=True)
_MAX_SHOWN = 80


class ExpressionError(ValueError):
    """An expression that cannot be evaluated (a JSONPath syntax error); the message says where."""


@dataclass(frozen=True)
class Expression:
    """A parsed capture/condition expression.

    Attributes:
        text: the expression as written (used in every message, so the user recognises it).
        kind: `json` (a JSONPath), `header` (a response header) or `status` (the status code).
        header: the header name for `header:Name`.
    """

    text: str
    kind: Literal["json", "header", "status"]
    header: str = ""
    path: JSONPath | None = field(default=None, compare=False, repr=False)


@lru_cache(maxsize=1024)
def compile_expression(text: str) -> Expression:
    """Parse an expression once; the same text is reused by every request of a long run (hence the cache).

    Raises:
        ExpressionError: the JSONPath is not valid RFC 9535 syntax (or the text is no expression at all).
    """
    stripped = text.strip()
    if stripped == "status":
        return Expression(text, "status")
    if stripped.startswith("header:"):
        name = stripped[len("header:") :].strip()
        if not name:
            raise ExpressionError(f"{text!r} names no header; write header:Name")
        return Expression(text, "header", header=name)
    if not stripped.startswith("$"):
        raise ExpressionError(f"{text!r} is not a JSONPath ($…), header:Name or status")
    try:
        compiled = _ENV.compile(stripped)
    except JSONPathError as exc:
        detail = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        raise ExpressionError(f"{text!r} is not a valid JSONPath (RFC 9535): {detail}") from None
    if not isinstance(compiled, JSONPath):  # a compound path (`|`, `&`) is a library extension
        raise ExpressionError(f"{text!r} is not a valid JSONPath (RFC 9535): unions of paths are not standard")
    return Expression(text, "json", path=compiled)


class Body:
    """The response body parsed as JSON at most once, however many expressions look into it.

    `document` replaces the body with a document already at hand: the merged pages of a `paginate:`
    request (the exchange still answers `status` and `header:` expressions).
    """

    _UNPARSED: Any = object()

    def __init__(self, exchange: Exchange, document: Any = _UNPARSED) -> None:
        self.exchange = exchange
        self._doc: Any = document
        self._problem: str | None = None

    def document(self) -> tuple[Any, str | None]:
        """(the parsed JSON, None) or (None, why there is no JSON to look into)."""
        if self._doc is self._UNPARSED:
            self._doc = None
            response = self.exchange.response
            if response is None:
                self._problem = "there was no response"
            elif not response.body:
                self._problem = "the body is empty"
            else:
                try:
                    self._doc = json.loads(response.body)
                except (ValueError, UnicodeDecodeError):
                    kind = response.content_type or "no Content-Type"
                    self._problem = f"the body is not JSON ({kind.split(';')[0]})"
        return self._doc, self._problem


@dataclass(frozen=True)
class Lookup:
    """What an expression found: the matched values (in document order), or why nothing could match."""

    values: list[Any]
    problem: str | None = None

    @property
    def found(self) -> bool:
        """True when at least one value matched."""
        return bool(self.values)

    def describe(self) -> str:
        """The values for a message: `'sending'`, `3 values: …`, `nothing`, or the problem."""
        if self.problem is not None:
            return self.problem
        if not self.values:
            return "nothing"
        if len(self.values) == 1:
            return describe_value(self.values[0])
        return f"{len(self.values)} values: {describe_value(self.values)}"


def lookup(expression: Expression, body: Body) -> Lookup:
    """Evaluate `expression` against one exchange (its status, headers or parsed JSON body)."""
    response = body.exchange.response
    if response is None:
        error = body.exchange.error
        return Lookup([], f"no response ({error.message})" if error else "no response")
    if expression.kind == "status":
        return Lookup([response.status])
    if expression.kind == "header":
        lowered = expression.header.lower()
        return Lookup([value for name, value in response.headers if name.lower() == lowered])
    doc, problem = body.document()
    if problem is not None:
        return Lookup([], problem)
    assert expression.path is not None
    # python-jsonpath re-parses text as JSON, so a top-level JSON string is handed over encoded.
    data = json.dumps(doc) if isinstance(doc, str) else doc
    return Lookup(list(expression.path.findall(data)))


def describe_value(value: Any) -> str:
    """A value as a message shows it: text in single quotes, JSON otherwise, cut to a readable length."""
    if isinstance(value, str):
        shown = "'" + value + "'"
    else:
        try:
            shown = json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=as_json)
        except (TypeError, ValueError):
            shown = repr(value)
    return shown if len(shown) <= _MAX_SHOWN else shown[: _MAX_SHOWN - 1] + "…"


def as_json(value: Any) -> Any:
    """`json.dumps`'s `default`: a sequence that is not a list (the merged pages' records) as a list."""
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def values_equal(expected: Any, actual: Any) -> bool:
    """JSON equality, except that a number and numeric text are equal.

    Twilio sends counts as strings (`"num_segments": "1"`), while a YAML author naturally writes `1`;
    treating the two as equal avoids a check that fails for a reason nobody would guess. Booleans stay
    strict (`true` is not `"true"`), and containers compare element by element under the same rule.
    """
    if isinstance(expected, bool) or isinstance(actual, bool):
        return isinstance(expected, bool) and isinstance(actual, bool) and expected == actual
    if isinstance(expected, dict) and isinstance(actual, dict):
        return expected.keys() == actual.keys() and all(values_equal(expected[k], actual[k]) for k in expected)
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(values_equal(e, a) for e, a in zip(expected, actual, strict=True))
    if isinstance(expected, str) and isinstance(actual, str):
        return expected == actual
    left, right = _number(expected), _number(actual)
    if left is not None and right is not None:
        # Only one side may be text: "1" vs "1.0" are different strings and were compared above.
        return left == right
    return bool(expected is None and actual is None)
