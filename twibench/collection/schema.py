"""The rules of a collection file (DESIGN §2 and §6): check parsed YAML and build the model.

Every check records a located error and carries on, so `twibench check` shows all of a file's problems
at once. `twibench.collection.load_collection` is the entry point; this module holds the rules only.
"""

from __future__ import annotations

import datetime
import difflib
import math
import re
from pathlib import Path
from typing import Any, Final

from twibench.collection.model import (
    DURATION_HINT,
    METHODS,
    Auth,
    Collection,
    Pairs,
    Request,
    parse_duration,
    slug,
)
from twibench.errors import FileErrors, LocatedError
from twibench.variables import NAME_PATTERN, is_pure_reference
from twibench.yamlload import LocDict, LocList, Mark

__all__ = [
    "BODY_KEYS",
    "EXPECT_KEYS",
    "POLL_KEYS",
    "REQUEST_KEYS",
    "RETRY_KEYS",
    "TOP_KEYS",
    "check_collection",
]

TOP_KEYS = ("name", "description", "docs", "sandbox_only", "variables", "requests")
# Also the order in which the writer puts a request's keys.
REQUEST_KEYS = (
    "name",
    "id",
    "description",
    "method",
    "url",
    "params",
    "headers",
    "auth",
    "form",
    "json",
    "body",
    "timeout",
    "follow_redirects",
    "capture",
    "capture_secret",
    "expect",
    "poll",
    "retry",
    "docs",
)
EXPECT_KEYS = ("status", "json", "headers", "max_ms")
POLL_KEYS = ("until", "every", "timeout")
RETRY_KEYS = ("on", "max")
BODY_KEYS = ("form", "json", "body")

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_STATUS_CLASS = re.compile(r"[1-5]xx", re.IGNORECASE)
_URL_USERINFO = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://([^/?#@]*)@")
_CREDENTIAL_HEADERS = ("authorization", "proxy-authorization")
_BASIC_EXAMPLE = '{basic: ["{{key_sid}}", "{{key_secret}}"]}'
# A YAML alias can make a small file describe a huge value ("billion laughs"); bodies never need this.
_MAX_VALUE_NODES = 100_000
_MAX_VALUE_DEPTH = 100


def _kind(value: object) -> str:
    """How a YAML value is called in an error message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, datetime.date):
        return "a date"
    if isinstance(value, bytes):
        return "binary data"
    return f"a {type(value).__name__}"


def _is_scalar(value: object) -> bool:
    """True for the YAML scalars that have a text form (bool is an int; dates keep their source text)."""
    return isinstance(value, str | int | float | datetime.date)


class _Invalid:
    """Marks a value that failed its check (its error is already recorded)."""


_INVALID: Final = _Invalid()


class _Builder:
    """Checks one parsed collection file and builds the model, collecting every problem on the way.

    Each check records a LocatedError and carries on, so a user fixing a file sees all of its problems
    at once rather than one per attempt.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.errors: list[LocatedError] = []
        # (id of a mapping, key) already offered as "did you mean": its absence is the same problem.
        self.suggested: set[tuple[int, str]] = set()

    def error(self, mark: Mark, message: str) -> None:
        """Record one problem at `mark`."""
        self.errors.append(LocatedError(self.path, mark[0], mark[1], message))

    # ----- generic checks ------------------------------------------------------------------------

    def unknown_keys(self, data: LocDict, allowed: tuple[str, ...], what: str) -> None:
        """Report every key of `data` that is not in `allowed`, suggesting the closest allowed key."""
        for key in data:
            if key in allowed:
                continue
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            if close:
                self.suggested.add((id(data), close[0]))
            self.error(data.key_mark(key), f"unknown key '{key}'{hint}; {what} takes: {', '.join(allowed)}")

    def missing(self, data: LocDict, key: str, message: str) -> None:
        """Report a required key that is absent, unless a misspelling of it was already reported."""
        if (id(data), key) not in self.suggested:
            self.error(data.start, message)

    def scalar_text(self, value: object, raw: str | None, mark: Mark, what: str) -> str | None:
        """A scalar as the text the user wrote: `020` stays "020", `yes` stays "yes"."""
        if isinstance(value, str):
            return value
        if value is None:
            self.error(mark, f'{what} is empty (null); expected text (write "" for empty text)')
            return None
        if _is_scalar(value):
            return raw if raw is not None else str(value)
        self.error(mark, f"{what} must be text, not {_kind(value)}")
        return None

    def text(self, data: LocDict, key: str, what: str, *, required: bool = False) -> str | None:
        """The text value of `data[key]`, or None when absent (an error too when `required`)."""
        if key not in data:
            if required:
                self.missing(data, key, f"missing '{key}:' ({what})")
            return None
        return self.scalar_text(data[key], data.raw.get(key), data.value_mark(key), f"'{key}'")

    def line_text(self, data: LocDict, key: str, what: str, *, required: bool = False) -> str | None:
        """Like `text`, but the value must be one non-blank line (names, URLs, ids)."""
        value = self.text(data, key, what, required=required)
        if value is None:
            return None
        if not value.strip():
            self.error(data.value_mark(key), f"'{key}' is empty; expected {what}")
            return None
        if "\n" in value or "\r" in value:
            self.error(data.value_mark(key), f"'{key}' must be a single line")
            return None
        return value

    def boolean(self, data: LocDict, key: str) -> bool | None:
        """`data[key]` when it is true or false; None (and an error) otherwise."""
        if key not in data:
            return None
        value = data[key]
        if isinstance(value, bool):
            return value
        self.error(data.value_mark(key), f"'{key}' must be true or false, not {_kind(value)}")
        return None

    def mapping(self, data: LocDict, key: str, expected: str) -> LocDict | None:
        """`data[key]` when it is a mapping; None (and an error naming `expected`) otherwise."""
        value = data[key]
        if isinstance(value, LocDict):
            return value
        self.error(data.value_mark(key), f"'{key}' must be {expected}, not {_kind(value)}")
        return None

    def duration(self, data: LocDict, key: str, label: str) -> float | None:
        """A positive duration in seconds (see `parse_duration`)."""
        value = data[key]
        try:
            if isinstance(value, str | int | float):
                seconds = parse_duration(value)
                if seconds > 0:
                    return seconds
        except ValueError:
            pass
        self.error(data.value_mark(key), f"'{label}' must be {DURATION_HINT} (more than zero), not {value!r}")
        return None

    def variable_name(self, data: LocDict, key: str, what: str) -> bool:
        """True when `key` can be used as `{{key}}`; an error otherwise."""
        if NAME_PATTERN.match(key):
            return True
        self.error(
            data.key_mark(key),
            f"{what} '{key}' cannot be used as {{{{{key}}}}}; use letters, digits, '_', '.' and '-', "
            "starting with a letter or '_'",
        )
        return False

    def json_value(self, value: object, mark: Mark, root: str, budget: list[int], path: tuple[Any, ...] = ()) -> Any:
        """`value` as plain JSON-compatible Python (dict/list/str/int/float/bool/None), or an error.

        Args:
            value: what the YAML holds.
            mark: where it starts.
            root: the field's name for messages, such as "json".
            budget: how many more nodes may be visited (one-element list, shared by the walk).
            path: keys and indexes from the field down to `value`.

        Returns:
            The plain value, or `_INVALID` when it cannot be sent as JSON (the error is recorded).
        """
        # An invalid part makes the whole value invalid and stops the walk, so each check fires once.
        budget[0] -= 1
        if budget[0] < 0:
            self.error(mark, f"{root} holds more than {_MAX_VALUE_NODES} values (YAML aliases repeat it)")
            return _INVALID
        if len(path) > _MAX_VALUE_DEPTH:
            self.error(mark, f"{root} is nested more than {_MAX_VALUE_DEPTH} levels deep")
            return _INVALID
        if value is None or isinstance(value, str | bool | int):
            return value
        if isinstance(value, float) and math.isfinite(value):
            return value
        if isinstance(value, LocDict):
            result: dict[str, Any] = {}
            for key, item in value.items():
                converted = self.json_value(item, value.value_mark(key), root, budget, (*path, key))
                if converted is _INVALID:
                    return _INVALID
                result[key] = converted
            return result
        if isinstance(value, LocList):
            items: list[Any] = []
            for index, item in enumerate(value):
                converted = self.json_value(item, value.item_mark(index), root, budget, (*path, index))
                if converted is _INVALID:
                    return _INVALID
                items.append(converted)
            return items
        where = root + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)
        shown = f"{value}" if isinstance(value, float) else _kind(value)
        hint = "; quote it to send text" if isinstance(value, float | datetime.date) else ""
        self.error(mark, f"{where} is {shown}, which JSON cannot hold{hint}")
        return _INVALID

    # ----- the collection ------------------------------------------------------------------------

    def collection(self, data: object, text: str) -> Collection:
        """Check a parsed file and build its Collection.

        Raises:
            FileErrors: every problem found, sorted by position.
        """
        if data is None:
            if any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines()):
                self.error((1, 1), "the document is null; expected a collection with name: and requests:")
            else:
                self.error((1, 1), "the file is empty; expected a collection with name: and requests:")
            raise FileErrors(self.errors)
        if not isinstance(data, LocDict):
            start = data.start if isinstance(data, LocList) else (1, 1)
            self.error(start, f"expected a collection (a mapping with name: and requests:), not {_kind(data)}")
            raise FileErrors(self.errors)
        self.unknown_keys(data, TOP_KEYS, "a collection")
        name = self.line_text(data, "name", "the collection's name, shown in the tree", required=True)
        collection = Collection(
            name=name or "",
            path=self.path,
            description=self.text(data, "description", "markdown"),
            docs=self.line_text(data, "docs", "a link to the documentation"),
            sandbox_only=bool(self.boolean(data, "sandbox_only")),
            variables=self.variables(data) if "variables" in data else {},
        )
        if "requests" not in data:
            self.missing(data, "requests", "missing 'requests:' (a list of requests, each with name: and url:)")
        elif not isinstance(data["requests"], LocList):
            value = data["requests"]
            self.error(data.value_mark("requests"), f"'requests' must be a list of requests, not {_kind(value)}")
        else:
            collection.requests = self.requests(data["requests"])
        if self.errors:
            self.errors.sort(key=lambda e: (e.line, e.column))
            raise FileErrors(self.errors)
        return collection

    def variables(self, data: LocDict) -> dict[str, str]:
        """The collection's default variables: name → text."""
        mapping = self.mapping(data, "variables", "a mapping of name: value")
        if mapping is None:
            return {}
        result: dict[str, str] = {}
        for key, value in mapping.items():
            if not self.variable_name(mapping, key, "variable"):
                continue
            mark = mapping.value_mark(key)
            text = self.scalar_text(value, mapping.raw.get(key), mark, f"variable '{key}'")
            if text is not None:
                result[key] = text
        return result

    def requests(self, items: LocList) -> list[Request]:
        """Every request of the list, checking that names and ids are unique in the file."""
        requests: list[Request] = []
        names: dict[str, int] = {}
        ids: dict[str, int] = {}
        for index, item in enumerate(items):
            mark = items.item_mark(index)
            if not isinstance(item, LocDict):
                self.error(mark, f"each request must be a mapping with name: and url:, not {_kind(item)}")
                continue
            request = self.request(item)
            if request is None:
                continue
            if request.name in names:
                self.error(
                    item.value_mark("name"),
                    f"another request is already named '{request.name}' (line {names[request.name]}); "
                    "names must be unique in a file",
                )
            elif request.id in ids:
                where = item.value_mark("id") if request.explicit_id else item.value_mark("name")
                fix = "give this request another id" if request.explicit_id else "give this request an id:"
                self.error(
                    where,
                    f"the request id '{request.id}' is already used by the request at line {ids[request.id]}; "
                    f"{fix} (ids must be unique in a file)",
                )
            names.setdefault(request.name, item.start[0])
            ids.setdefault(request.id, item.start[0])
            requests.append(request)
        return requests

    # ----- one request ---------------------------------------------------------------------------

    def request(self, item: LocDict) -> Request | None:
        """Check one request mapping; None when its name or id is unusable (the error is recorded)."""
        self.unknown_keys(item, REQUEST_KEYS, "a request")
        name = self.line_text(item, "name", "the request's name, shown in the tree", required=True)
        request_id, explicit = self.request_id(item, name)
        request = Request(name=name or "", id=request_id or "", explicit_id=explicit, line=item.start[0])
        if "method" in item:
            request.method = self.method(item)
        url = self.line_text(item, "url", "a path such as /2010-04-01/Accounts.json or a URL", required=True)
        if url is not None:
            self.check_url(item, url)
            request.url = url
        request.description = self.text(item, "description", "markdown")
        request.docs = self.line_text(item, "docs", "a link to the documentation")
        if "params" in item:
            request.params = self.pairs(item, "params") or []
        if "headers" in item:
            request.headers = self.headers(item)
        self.bodies(item, request)
        if "auth" in item:
            request.auth = self.auth(item)
        if "timeout" in item:
            request.timeout = self.duration(item, "timeout", "timeout")
        request.follow_redirects = bool(self.boolean(item, "follow_redirects"))
        if "capture" in item:
            request.capture = self.captures(item, "capture")
        if "capture_secret" in item:
            request.capture_secret = self.captures(item, "capture_secret")
            for key in request.capture.keys() & request.capture_secret.keys():
                self.error(
                    item["capture_secret"].key_mark(key),
                    f"'{key}' is captured twice (capture and capture_secret); keep one",
                )
        if "expect" in item:
            request.expect = self.expect(item)
        if "poll" in item:
            request.poll = self.poll(item)
        if "retry" in item:
            request.retry = self.retry(item)
        if name is None or request_id is None:
            return None
        return request

    def request_id(self, item: LocDict, name: str | None) -> tuple[str | None, bool]:
        """The request's id and whether it was written; the slug of the name when it was not."""
        if "id" in item:
            value = self.text(item, "id", "the request id")
            if value is None:
                return None, True
            if not _ID.fullmatch(value):
                self.error(
                    item.value_mark("id"),
                    f"the id {value!r} is not usable in FILE#ID; use letters, digits, '-', '_' and '.', "
                    "such as send-sms",
                )
                return None, True
            return value, True
        if name is None:
            return None, False
        default = slug(name)
        if not default:
            self.error(
                item.value_mark("name"),
                f"the name {name!r} has no ASCII letters or digits to make a default id; add an id: such as send-sms",
            )
            return None, False
        return default, False

    def method(self, item: LocDict) -> str:
        """The HTTP method in upper case (input is case-insensitive)."""
        value = self.text(item, "method", "an HTTP method")
        if value is None:
            return "GET"
        method = value.strip().upper()
        if method not in METHODS:
            self.error(item.value_mark("method"), f"unknown method {value!r}; expected one of {', '.join(METHODS)}")
            return "GET"
        return method

    def check_url(self, item: LocDict, url: str) -> None:
        """Refuse a password written into the URL (`https://user:pass@host`): files never hold secrets."""
        match = _URL_USERINFO.match(url.strip())
        if match is None or ":" not in match.group(1):
            return
        password = match.group(1).partition(":")[2]
        if not is_pure_reference(password):
            self.error(
                item.value_mark("url"),
                f"the url holds a literal password, and files never hold secrets; use auth: {_BASIC_EXAMPLE} instead",
            )

    def pairs(self, item: LocDict, key: str) -> Pairs | None:
        """A params/headers/form mapping as ordered (name, value) pairs; a list value repeats the name."""
        mapping = self.mapping(item, key, "a mapping of name: value (a list value repeats the name)")
        if mapping is None:
            return None
        pairs: Pairs = []
        for name, value in mapping.items():
            what = f"{key} value '{name}'"
            if isinstance(value, LocList):
                if not value:
                    self.error(mapping.value_mark(name), f"{what} is an empty list; remove it or give a value")
                for index, element in enumerate(value):
                    if isinstance(element, LocList | LocDict):
                        self.error(value.item_mark(index), f"{what} must be a list of text, not of {_kind(element)}")
                        continue
                    text = self.scalar_text(element, value.raw[index], value.item_mark(index), what)
                    if text is not None:
                        pairs.append((name, text))
                continue
            if isinstance(value, LocDict):
                self.error(mapping.value_mark(name), f"{what} must be text or a list of text, not a mapping")
                continue
            text = self.scalar_text(value, mapping.raw.get(name), mapping.value_mark(name), what)
            if text is not None:
                pairs.append((name, text))
        return pairs

    def headers(self, item: LocDict) -> Pairs:
        """Header pairs, refusing invalid names, multi-line values and literal credentials."""
        pairs = self.pairs(item, "headers")
        if pairs is None:
            return []
        mapping: LocDict = item["headers"]
        for name, value in pairs:
            if not _HEADER_NAME.fullmatch(name):
                self.error(mapping.key_mark(name), f"{name!r} is not a valid HTTP header name")
            elif "\n" in value or "\r" in value:
                self.error(mapping.value_mark(name), f"the value of header '{name}' must be a single line")
            elif name.lower() in _CREDENTIAL_HEADERS and not is_pure_reference(value):
                self.error(
                    mapping.value_mark(name),
                    f"a literal {name} header would put a credential in the file, and files never hold "
                    f"secrets; use auth: {_BASIC_EXAMPLE} or a single {{{{variable}}}} reference",
                )
        return pairs

    def bodies(self, item: LocDict, request: Request) -> None:
        """form / json / body: at most one, each checked; a raw body needs a Content-Type header."""
        present = sorted((key for key in BODY_KEYS if key in item), key=item.key_mark)
        for key in present[1:]:
            self.error(
                item.key_mark(key),
                f"'{key}' conflicts with '{present[0]}' (line {item.key_mark(present[0])[0]}); "
                "a request has at most one of form, json or body",
            )
        if "form" in item:
            request.form = self.pairs(item, "form")
        if "json" in item:
            value = item["json"]
            if value is None:
                self.error(item.value_mark("json"), "'json' is null; give the JSON body, or remove the key")
            else:
                converted = self.json_value(value, item.value_mark("json"), "json", [_MAX_VALUE_NODES])
                if converted is not _INVALID:
                    request.json = converted
        if "body" in item:
            request.body = self.text(item, "body", "the raw body")
            if not any(name.lower() == "content-type" for name, _ in request.headers):
                self.error(
                    item.key_mark("body"),
                    "a raw 'body' needs a Content-Type header, e.g. headers: {Content-Type: text/plain}",
                )

    def auth(self, item: LocDict) -> Auth:
        """`none`, or `{basic: [user, secret]}` whose secret is one `{{variable}}` reference."""
        value = item["auth"]
        mark = item.value_mark("auth")
        usage = f"none or {_BASIC_EXAMPLE} (leave it out to use the profile's credentials)"
        if value == "none":
            return Auth(mode="none")
        if not isinstance(value, LocDict):
            shown = repr(value) if isinstance(value, str) else _kind(value)
            self.error(mark, f"'auth' must be {usage}, not {shown}")
            return Auth()
        self.unknown_keys(value, ("basic",), "auth")
        if "basic" not in value:
            if not value:  # other keys were reported as unknown already
                self.error(mark, f"'auth' must be {usage}")
            return Auth()
        basic = value["basic"]
        if not isinstance(basic, LocList) or len(basic) != 2:
            self.error(
                value.value_mark("basic"), f"'auth.basic' must be a list of two: user and secret, {_BASIC_EXAMPLE}"
            )
            return Auth()
        user = self.scalar_text(basic[0], basic.raw[0], basic.item_mark(0), "the basic-auth user")
        secret = self.scalar_text(basic[1], basic.raw[1], basic.item_mark(1), "the basic-auth secret")
        if secret is not None and not is_pure_reference(secret):
            self.error(
                basic.item_mark(1),
                "the basic-auth secret must be one {{variable}} reference, because files never hold secrets; "
                f"use {_BASIC_EXAMPLE}",
            )
            return Auth()
        if user is None or secret is None:
            return Auth()
        return Auth(mode="basic", user=user, secret=secret)

    # ----- runner keys (DESIGN §6) ---------------------------------------------------------------

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
            if not _is_expression(expr):
                self.error(
                    mark, f"{key} '{name}': expected a JSONPath such as $.sid, header:Name or status, not {expr!r}"
                )
                continue
            result[name] = expr
        return result

    def expect(self, item: LocDict) -> dict[str, Any] | None:
        """`expect: {status, json, headers, max_ms}` as plain values."""
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
        return result

    def poll(self, item: LocDict) -> dict[str, Any] | None:
        """`poll: {until, every, timeout}`; the durations become float seconds."""
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
        return result

    def retry(self, item: LocDict) -> dict[str, Any] | None:
        """`retry: {on: [429, 503, transport], max: 3}`."""
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
        return result

    def statuses(self, mapping: LocDict, key: str, label: str, *, allow_transport: bool) -> Any:
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
            if not _is_expression(expr):
                self.error(
                    conditions.key_mark(expr),
                    f"'{label}': expected a JSONPath such as $.status, header:Name or status, not {expr!r}",
                )
                continue
            converted = self.json_value(value, conditions.value_mark(expr), f"{label} '{expr}'", [_MAX_VALUE_NODES])
            if converted is not _INVALID:
                result[expr] = converted
        return result


def _is_expression(expr: str) -> bool:
    """True for the capture/condition expressions the runner understands (DESIGN §6)."""
    expr = expr.strip()
    return expr.startswith("$") or expr == "status" or (expr.startswith("header:") and bool(expr[7:].strip()))


def check_collection(path: Path, data: object, text: str) -> Collection:
    """Check a parsed collection file and build its model.

    Args:
        path: the file, named in every error.
        data: what `yamlload.parse` returned for it.
        text: the file's text (to tell an empty file from a null document).

    Raises:
        FileErrors: every problem found, sorted by position.
    """
    return _Builder(path).collection(data, text)
