"""The runner keys of a request (DESIGN §6): `capture`, `capture_secret`, `expect`, `poll`, `retry`, `paginate`.

They are checked and parsed here, once, into the typed models of `model` (`Expect`, `Poll`, `Retry`),
so the runner reads plain fields and never re-interprets YAML values.
"""

from __future__ import annotations

import math
import re
from typing import Any

from twibench.collection.checks import INVALID, MAX_VALUE_NODES, Checker
from twibench.collection.model import (
    EXPECT_KEYS,
    PAGINATE_KEYS,
    POLL_KEYS,
    RETRY_KEYS,
    Expect,
    Paginate,
    Poll,
    Retry,
    StatusSpec,
)
from twibench.yamlload import LocDict, LocList

__all__ = ["RunnerKeyRules", "is_expression"]

_STATUS_CLASS = re.compile(r"[1-5]xx", re.IGNORECASE)


class RunnerKeyRules(Checker):
    """The checks of the runner keys; `schema`'s builder inherits them."""

    def captures(self, item: LocDict, key: str) -> dict[str, str]:
        """`capture`/`capture_secret`: variable name → JSONPath, `header:Name` or `status`."""
        mapping = self.mapping(item, key, "a mapping of variable: expression")
        if mapping is None:
            return {}
        result: dict[str, str] = {}
        for name, value in mapping.items():
            if not self.variable_name(mapping, name, "the captured variable"):
                continue
            mark = mapping.value_mark(name)
            expr = self.scalar_text(value, mapping.raw.get(name), mark, f"{key} '{name}'")
            if expr is None:
                continue
            if not is_expression(expr):
                self.error(
                    mark, f"{key} '{name}': expected a JSONPath such as $.sid, header:Name or status, not {expr!r}"
                )
                continue
            result[name] = expr
        return result

    def expect(self, item: LocDict) -> Expect | None:
        """`expect: {status, json, headers, max_ms}` as an `Expect` (None when it is not a mapping)."""
        mapping = self.mapping(item, "expect", "a mapping with status:, json:, headers: or max_ms:")
        if mapping is None:
            return None
        self.unknown_keys(mapping, EXPECT_KEYS, "expect")
        result: dict[str, Any] = {}
        if "status" in mapping:
            status = self.statuses(mapping, "status", "expect.status", allow_transport=False)
            if status is not None:
                result["status"] = status
        if "json" in mapping:
            conditions = self.conditions(mapping, "json", "expect.json")
            if conditions is not None:
                result["json"] = conditions
        if "headers" in mapping:
            headers = self.mapping(mapping, "headers", "a mapping of header name: value")
            if headers is not None:
                expected: dict[str, str] = {}
                for name, value in headers.items():
                    mark = headers.value_mark(name)
                    text = self.scalar_text(value, headers.raw.get(name), mark, f"expect.headers '{name}'")
                    if text is not None:
                        expected[name] = text
                result["headers"] = expected
        if "max_ms" in mapping:
            value = mapping["max_ms"]
            if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < math.inf:
                result["max_ms"] = value
            else:
                self.error(
                    mapping.value_mark("max_ms"), f"'expect.max_ms' must be a number of milliseconds, not {value!r}"
                )
        return Expect(**result)

    def poll(self, item: LocDict) -> Poll | None:
        """`poll: {until, every, timeout}` as a `Poll`; the durations become float seconds."""
        mapping = self.mapping(item, "poll", "a mapping with until:, every: and timeout:")
        if mapping is None:
            return None
        self.unknown_keys(mapping, POLL_KEYS, "poll")
        result: dict[str, Any] = {}
        if "until" not in mapping:
            self.error(mapping.start, "'poll' needs until: {EXPR: value}, the condition that ends the polling")
        else:
            until = self.conditions(mapping, "until", "poll.until")
            if until is not None:
                result["until"] = until
        for key in ("every", "timeout"):
            if key in mapping:
                seconds = self.duration(mapping, key, f"poll.{key}")
                if seconds is not None:
                    result[key] = seconds
        # Without `until` the error is recorded and the file does not load: no model to build.
        return Poll(**result) if "until" in result else None

    def retry(self, item: LocDict) -> Retry | None:
        """`retry: {on: [429, 503, transport], max: 3}` as a `Retry` (`on` always a list)."""
        mapping = self.mapping(item, "retry", "a mapping with on: and max:")
        if mapping is None:
            return None
        self.unknown_keys(mapping, RETRY_KEYS, "retry")
        result: dict[str, Any] = {}
        if "on" in mapping:
            on = self.statuses(mapping, "on", "retry.on", allow_transport=True)
            if on is not None:
                result["on"] = on if isinstance(on, list) else [on]
        if "max" in mapping:
            value = mapping["max"]
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                result["max"] = value
            else:
                self.error(mapping.value_mark("max"), f"'retry.max' must be a whole number of retries, not {value!r}")
        return Retry(**result)

    def paginate(self, item: LocDict, method: str) -> Paginate | None:
        """`paginate: {limit: N}` on a GET of a list: N, a positive whole number of records, is required."""
        mapping = self.mapping(item, "paginate", "a mapping with limit:, the most records to fetch across pages")
        if mapping is None:
            return None
        self.unknown_keys(mapping, PAGINATE_KEYS, "paginate")
        if method != "GET":
            self.error(
                item.key_mark("paginate"),
                f"'paginate' follows a list's next pages, which are read with GET; this request is a {method}",
            )
        if "limit" not in mapping:
            self.error(mapping.start, "'paginate' needs limit: N, the most records to fetch across pages")
            return None
        value = mapping["limit"]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            self.error(
                mapping.value_mark("limit"),
                f"'paginate.limit' must be a positive whole number of records, such as 1000, not {value!r}",
            )
            return None
        return Paginate(limit=value)

    def statuses(self, mapping: LocDict, key: str, label: str, *, allow_transport: bool) -> StatusSpec | None:
        """A status (201), a class ("2xx"), or a non-empty list of them; `transport` in retry.on."""
        value = mapping[key]
        extra = ", the word transport" if allow_transport else ""
        expected = f"a status such as 201, a class such as 2xx{extra}, or a list of them"

        def valid(element: object) -> bool:
            if isinstance(element, bool):
                return False
            if isinstance(element, int):
                return 100 <= element <= 599
            if isinstance(element, str):
                return bool(_STATUS_CLASS.fullmatch(element)) or (allow_transport and element == "transport")
            return False

        if isinstance(value, LocList):
            bad = [i for i, element in enumerate(value) if not valid(element)]
            if not value or bad:
                where = value.item_mark(bad[0]) if bad else mapping.value_mark(key)
                self.error(where, f"'{label}' must be {expected}")
                return None
            return [element.lower() if isinstance(element, str) else element for element in value]
        if not valid(value):
            self.error(mapping.value_mark(key), f"'{label}' must be {expected}, not {value!r}")
            return None
        return value.lower() if isinstance(value, str) else value

    def conditions(self, mapping: LocDict, key: str, label: str) -> dict[str, Any] | None:
        """`{EXPR: value | exists | absent}` with EXPR a JSONPath, `header:Name` or `status`."""
        conditions = self.mapping(mapping, key, "a mapping of expression: expected value")
        if conditions is None:
            return None
        if not conditions:
            self.error(mapping.value_mark(key), f"'{label}' is empty; give at least one expression: value")
            return None
        result: dict[str, Any] = {}
        for expr, value in conditions.items():
            if not is_expression(expr):
                self.error(
                    conditions.key_mark(expr),
                    f"'{label}': expected a JSONPath such as $.status, header:Name or status, not {expr!r}",
                )
                continue
            converted = self.json_value(value, conditions.value_mark(expr), f"{label} '{expr}'", [MAX_VALUE_NODES])
            if converted is not INVALID:
                result[expr] = converted
        return result


def is_expression(expr: str) -> bool:
    """True for the capture/condition expressions the runner understands (DESIGN §6)."""
    expr = expr.strip()
    return expr.startswith("$") or expr == "status" or (expr.startswith("header:") and bool(expr[7:].strip()))
