"""The rules of a collection file (DESIGN §2 and §6): check parsed YAML and build the model.

Every check records a located error and carries on, so `twibench check` shows all of a file's problems
at once. `twibench.collection.load` is the entry point; this module holds the collection and request
rules, built on the generic checks of `checks` and the runner-key rules of `runner_keys`.
"""

from __future__ import annotations

import re
from pathlib import Path

from twibench.collection.checks import INVALID, MAX_VALUE_NODES, kind
from twibench.collection.model import METHODS, Auth, Collection, Pairs, Request, slug
from twibench.collection.runner_keys import RunnerKeyRules
from twibench.errors import FileErrors
from twibench.variables import is_pure_reference
from twibench.yamlload import LocDict, LocList

__all__ = [
    "BODY_KEYS",
    "REQUEST_KEYS",
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
    "paginate",
    "docs",
)
BODY_KEYS = ("form", "json", "body")

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_URL_USERINFO = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://([^/?#@]*)@")
_CREDENTIAL_HEADERS = ("authorization", "proxy-authorization")
_BASIC_EXAMPLE = '{basic: ["{{key_sid}}", "{{key_secret}}"]}'


class _Builder(RunnerKeyRules):
    """Checks one parsed collection file and builds the model, collecting every problem on the way."""

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
            self.error(start, f"expected a collection (a mapping with name: and requests:), not {kind(data)}")
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
            self.error(data.value_mark("requests"), f"'requests' must be a list of requests, not {kind(value)}")
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
                self.error(mark, f"each request must be a mapping with name: and url:, not {kind(item)}")
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
        if "paginate" in item:
            request.paginate = self.paginate(item, request.method)
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
                        self.error(value.item_mark(index), f"{what} must be a list of text, not of {kind(element)}")
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
                converted = self.json_value(value, item.value_mark("json"), "json", [MAX_VALUE_NODES])
                if converted is not INVALID:
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
            shown = repr(value) if isinstance(value, str) else kind(value)
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
