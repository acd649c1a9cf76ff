"""Captures: values taken from a response into variables that later requests use as `{{name}}`.

A captured value is text, because variables are text: a JSON string is taken as is, a number or a
boolean as its JSON text (`3`, `true`), an object or a list as compact JSON. A capture that finds
nothing (or JSON null) fails the request, since every later request that needs the value would
otherwise be sent with a hole in it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from twibench.runner.expressions import Body, as_json, compile_expression, lookup

__all__ = ["Captured", "capture_values"]


@dataclass(frozen=True)
class Captured:
    """One captured variable.

    Attributes:
        name: the variable name (`{{name}}`).
        value: its text.
        secret: True for `capture_secret`: masked in every output, report and history entry.
        source: `collection-file#request-id` of the request it came from (shown in a Variables view).
    """

    name: str
    value: str
    secret: bool
    source: str


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=as_json)


def capture_values(
    body: Body, plain: Mapping[str, str], secret: Mapping[str, str], source: str
) -> tuple[list[Captured], list[str]]:
    """Evaluate a request's `capture` and `capture_secret` against its final exchange.

    Args:
        body: the final exchange, wrapped so its JSON is parsed once.
        plain: `capture` (name → expression).
        secret: `capture_secret` (name → expression).
        source: where the values come from, e.g. `messages.yaml#send-sms`.

    Returns:
        The values captured, and one reason per capture that found nothing. A failed secret capture
        never shows what it found instead (it might be the secret in another shape).
    """
    captured: list[Captured] = []
    reasons: list[str] = []
    for mapping, is_secret in ((plain, False), (secret, True)):
        for name, text in mapping.items():
            found = lookup(compile_expression(text), body)
            value = found.values[0] if found.found else None
            if value is None:
                label = "capture_secret" if is_secret else "capture"
                if found.problem is not None:
                    reasons.append(f"{label} {name}: cannot evaluate {text}: {found.problem}")
                else:
                    what = "JSON null" if found.found else "nothing"
                    reasons.append(f"{label} {name}: {text} matched {what}")
                continue
            captured.append(Captured(name, _as_text(value), is_secret, source))
    return captured, reasons
