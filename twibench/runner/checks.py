"""Checks of one exchange: `expect` (status, json, headers, max_ms), conditions, and the default rule.

Every failed check becomes one sentence saying what was expected and what came, because a replay is
only useful if a red line explains itself: "expected status 201, got 400 (Twilio error 21211 — Invalid
'To' phone number)". A request passes when its `expect` holds; with no `expect`, when its status is
below 400 (DESIGN §6).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from twibench import status
from twibench.collection.model import Expect
from twibench.exchange import Exchange
from twibench.runner.expressions import Body, Lookup, compile_expression, describe_value, lookup, values_equal

__all__ = [
    "ABSENT",
    "EXISTS",
    "NOT_SENT_KINDS",
    "Condition",
    "check_exchange",
    "condition_holds",
    "describe_status",
    "status_matches",
    "status_word",
]

EXISTS = "exists"
ABSENT = "absent"
NOT_SENT_KINDS = frozenset({"guard", "input"})
"""`Exchange.error.kind` of a request refused before it was sent: by the outbound guard, or bad input."""
Render = Callable[[Any], Any]
"""Fills `{{name}}` in an expected value (strings only; other values pass through)."""


def _identity(value: Any) -> Any:
    return value


def status_matches(expected: Any, code: int) -> bool:
    """`expected` is a status (201), a class ("2xx") or a list of either."""
    if isinstance(expected, list):
        return any(status_matches(item, code) for item in expected)
    if isinstance(expected, str):
        return len(expected) == 3 and expected[1:].lower() == "xx" and str(code)[0] == expected[0]
    return isinstance(expected, int) and not isinstance(expected, bool) and expected == code


def _expected_status_text(expected: Any) -> str:
    if isinstance(expected, list):
        items = [str(item) for item in expected]
        return ", ".join(items[:-1]) + " or " + items[-1] if len(items) > 1 else items[0]
    return str(expected)


def describe_status(exchange: Exchange) -> str:
    """`400 (Twilio error 21211 — Invalid 'To' phone number)`, or the transport failure."""
    response = exchange.response
    if response is None:
        return f"no response ({exchange.error.message})" if exchange.error else "no response"
    error = exchange.twilio_error
    if error is not None:
        return f"{response.status} (Twilio error {error.code} — {error.title})"
    return str(response.status)


@dataclass(frozen=True)
class Condition:
    """One `EXPR: value | exists | absent` of `expect.json` or `poll.until`, and how it fared."""

    expression: str
    expected: Any
    holds: bool
    found: Lookup

    def sentence(self) -> str:
        """What was expected and what came: `expected $.status == 'delivered', got 'sending'`."""
        problem = self.found.problem
        if self.expected == EXISTS:
            return f"expected {self.expression} to exist, but {problem or 'it matched nothing'}"
        if self.expected == ABSENT:
            return f"expected {self.expression} to be absent, got {self.found.describe()}"
        if problem is not None:
            return f"expected {self.expression} == {describe_value(self.expected)}, but {problem}"
        return f"expected {self.expression} == {describe_value(self.expected)}, got {self.found.describe()}"


def evaluate_condition(expression: str, expected: Any, body: Body, render: Render = _identity) -> Condition:
    """Check one condition.

    `exists`/`absent` test whether anything matched. A value must equal the one match; when the
    expression matches several values, every one must equal it (so `$.messages[*].to: "+1555…"` checks
    a filtered list), unless the expected value is itself a list, which is then compared with the list
    of matches.
    """
    found = lookup(compile_expression(expression), body)
    if expected == EXISTS:
        return Condition(expression, expected, found.found, found)
    if expected == ABSENT:
        return Condition(expression, expected, found.problem is None and not found.found, found)
    want = render(expected)
    if not found.found:
        holds = False
    elif len(found.values) == 1:
        holds = values_equal(want, found.values[0])
    elif isinstance(want, list):
        holds = values_equal(want, found.values)
    else:
        holds = all(values_equal(want, value) for value in found.values)
    return Condition(expression, want, holds, found)


def condition_holds(conditions: Mapping[str, Any], body: Body, render: Render = _identity) -> list[Condition]:
    """Evaluate every condition of `poll.until` (or `expect.json`); the caller looks at `.holds`."""
    return [evaluate_condition(expr, expected, body, render) for expr, expected in conditions.items()]


def check_exchange(
    exchange: Exchange, expect: Expect | None, render: Render = _identity, body: Body | None = None
) -> list[str]:
    """The reasons `exchange` fails its checks; an empty list means it passed.

    Args:
        exchange: the final exchange of a request (after retries and polling).
        expect: the request's `expect`, or None for the default rule (status below 400). An
            `expect` without `status` does not look at the status, so it can check an error body.
        render: fills `{{name}}` in expected text values, so a check can compare with a captured SID.
        body: the exchange's parsed body when the caller has it already (captures share it).
    """
    if exchange.response is None:
        return [exchange.error.message if exchange.error else "no response"]
    code = exchange.response.status
    if expect is None:
        if code >= 400:
            return [f"expected a status below 400, got {describe_status(exchange)}"]
        return []
    reasons: list[str] = []
    if expect.status is not None and not status_matches(expect.status, code):
        reasons.append(f"expected status {_expected_status_text(expect.status)}, got {describe_status(exchange)}")
    body = body if body is not None else Body(exchange)
    for condition in condition_holds(expect.json or {}, body, render):
        if not condition.holds:
            reasons.append(condition.sentence())
    for name, expected in (expect.headers or {}).items():
        reason = _header_reason(exchange, name, render(expected))
        if reason:
            reasons.append(reason)
    max_ms = expect.max_ms
    if max_ms is not None and exchange.timings.total_ms > float(max_ms):
        reasons.append(f"expected an answer within {max_ms:g} ms, took {exchange.timings.total_ms:.0f} ms")
    return reasons


def _header_reason(exchange: Exchange, name: str, expected: Any) -> str | None:
    assert exchange.response is not None
    actual = exchange.response.header(name)
    if expected == EXISTS:
        return None if actual is not None else f"expected header {name} to exist, but it is missing"
    if expected == ABSENT:
        return None if actual is None else f"expected header {name} to be absent, got {describe_value(actual)}"
    if actual == str(expected):
        return None
    got = "no such header" if actual is None else describe_value(actual)
    return f"expected header {name}: {describe_value(str(expected))}, got {got}"


def status_word(exchange: Exchange) -> tuple[str, str]:
    """The status code as its own word and its short meaning (`201`, `CREATED`), or `---` and the failure."""
    if exchange.response is None:
        kind = exchange.error.kind if exchange.error else "error"
        return "---", "NOT SENT" if kind in NOT_SENT_KINDS else kind.upper()
    return str(exchange.response.status), status.meaning(exchange.response.status).name
