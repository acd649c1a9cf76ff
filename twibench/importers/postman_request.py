"""One Postman v2.1 request → one collection Request: URL, query, headers and body.

Postman's key/value tables (query, headers, urlencoded and form-data bodies) hold values as the user typed
them, so they are copied verbatim; `{{variables}}` are kept as they are (twibench uses the same syntax).
Disabled rows are not sent by Postman and are not imported either, but they are listed in the request's
description so nothing the collection held is lost without a trace.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from twibench.collection import Pairs, Request
from twibench.spec.openapi import mapping_of
from twibench.spec.urls import collection_url
from twibench.variables import is_pure_reference

Warn = Callable[[str], None]

_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_TEMPLATE = re.compile(r"\{\{[^{}]*\}\}")
_PATH_VARIABLE = re.compile(r"(?<=/):([A-Za-z_][A-Za-z0-9_.\-]*)(?=/|$)")
_LANGUAGE_TYPES = {
    "json": "application/json",
    "xml": "application/xml",
    "html": "text/html",
    "javascript": "application/javascript",
    "text": "text/plain",
}
_CREDENTIAL_HEADERS = ("authorization", "proxy-authorization")


def text_of(value: Any) -> str:
    """A Postman description or value as text (descriptions may be `{content: …}`; values any JSON)."""
    if isinstance(value, Mapping):
        return text_of(value.get("content"))
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return json.dumps(value) if isinstance(value, list | dict) else str(value)


def enabled_rows(rows: Any, disabled: list[str], what: str) -> list[Mapping[str, Any]]:
    """The rows Postman would send; the names of disabled ones are added to `disabled`."""
    if not isinstance(rows, list):
        return []
    kept: list[Mapping[str, Any]] = []
    for row in rows:
        if not isinstance(row, Mapping) or row.get("key") in (None, ""):
            continue
        if row.get("disabled") is True or row.get("enabled") is False:
            disabled.append(f"{what} `{text_of(row.get('key'))}`")
            continue
        kept.append(row)
    return kept


class RequestBuilder:
    """Builds one Request from a Postman request object, reporting what it could not keep."""

    def __init__(self, warn: Warn, path_values: dict[str, str]) -> None:
        self.warn = warn
        self.path_values = path_values
        """Values of `:name` path variables, collected for the file's variables."""
        self.disabled: list[str] = []

    def url(self, raw_url: Any, request: Request) -> None:
        """Fill in the URL and query of `request` from Postman's url (a string or an object)."""
        rows: Any = None
        if isinstance(raw_url, Mapping):
            rows = raw_url.get("query")
            for variable in raw_url.get("variable") or ():
                if isinstance(variable, Mapping) and variable.get("key"):
                    self.path_values.setdefault(str(variable["key"]), text_of(variable.get("value")))
            text = text_of(raw_url.get("raw")) or _assemble(raw_url)
        else:
            text = text_of(raw_url)
        text = text.strip()
        masked = _TEMPLATE.sub(lambda m: "x" * len(m.group(0)), text)
        cut = min((i for i in (masked.find("?"), masked.find("#")) if i >= 0), default=len(text))
        base, query = text[:cut], ""
        question = masked.find("?")
        if question >= 0:
            hash_after = masked.find("#", question)
            query = text[question + 1 : hash_after if hash_after >= 0 else len(text)]
        if rows is None:
            rows = [{"key": k, "value": v} for k, _, v in (p.partition("=") for p in query.split("&") if p)]
        for row in enabled_rows(rows, self.disabled, "query"):
            request.params.append((text_of(row.get("key")), text_of(row.get("value"))))
        base = _PATH_VARIABLE.sub(lambda m: "{{" + m.group(1) + "}}", base)
        request.url = collection_url(self.without_literal_password(_with_scheme(base)))

    def without_literal_password(self, url: str) -> str:
        """A `user:password@` in the URL stays only when the password is a `{{variable}}`."""
        match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*://)([^/?#@]*)@", url)
        if match is None or ":" not in match.group(2) or is_pure_reference(match.group(2).partition(":")[2]):
            return url
        self.warn("a literal password in a URL was not imported (files never hold secrets)")
        return match.group(1) + url[match.end() :]

    def headers(self, raw_headers: Any, request: Request) -> None:
        rows = raw_headers
        if isinstance(raw_headers, str):  # the v1 "Name: value\n…" form
            rows = [
                {"key": k.strip(), "value": v.strip()}
                for k, _, v in (line.partition(":") for line in raw_headers.splitlines() if line.strip())
            ]
        for row in enabled_rows(rows, self.disabled, "header"):
            name, value = text_of(row.get("key")).strip(), text_of(row.get("value"))
            if not _HEADER_NAME.fullmatch(name) or "\n" in value or "\r" in value:
                self.warn(f"the header {name!r} was skipped: not a valid HTTP header")
            elif name.lower() in _CREDENTIAL_HEADERS and not is_pure_reference(value):
                if value.strip():
                    self.warn(f"a literal {name} header was not imported (files never hold secrets)")
            else:
                request.headers.append((name, value))

    def body(self, raw_body: Any, request: Request) -> None:
        if not isinstance(raw_body, Mapping) or raw_body.get("disabled") is True:
            return
        mode = raw_body.get("mode")
        if mode == "raw":
            self.raw_body(raw_body, request)
        elif mode == "urlencoded":
            request.form = self.pairs(raw_body.get("urlencoded"), "form field")
            self.drop_content_type(request, "application/x-www-form-urlencoded")
        elif mode == "formdata":
            rows = enabled_rows(raw_body.get("formdata"), self.disabled, "form-data part")
            files = [r for r in rows if r.get("type") == "file"]
            if files:
                names = ", ".join(text_of(r.get("key")) for r in files)
                self.warn(f"file parts of form-data bodies were dropped ({names}): twibench sends url-encoded forms")
            request.form = [(text_of(r.get("key")), text_of(r.get("value"))) for r in rows if r.get("type") != "file"]
            self.drop_content_type(request, "multipart/form-data")
        elif mode == "graphql":
            graphql = mapping_of(raw_body.get("graphql"))
            variables: Any = graphql.get("variables") or {}
            if isinstance(variables, str):
                try:
                    variables = json.loads(variables) if variables.strip() else {}
                except ValueError:
                    self.warn("GraphQL variables that are not JSON were dropped")
                    variables = {}
            request.json = {"query": text_of(graphql.get("query")), "variables": variables}
            self.drop_content_type(request, "application/json")
        elif mode == "file":
            self.warn("file bodies were dropped: twibench does not send files")
        elif mode is not None:
            self.warn(f"{mode} bodies were dropped: not a Postman body mode twibench knows")

    def pairs(self, rows: Any, what: str) -> Pairs:
        return [(text_of(r.get("key")), text_of(r.get("value"))) for r in enabled_rows(rows, self.disabled, what)]

    def raw_body(self, raw_body: Mapping[str, Any], request: Request) -> None:
        text = text_of(raw_body.get("raw"))
        if not text:
            return
        raw_options = mapping_of(mapping_of(raw_body.get("options")).get("raw"))
        language = str(raw_options.get("language") or "").lower()
        content_type = next((v for k, v in request.headers if k.lower() == "content-type"), "")
        if language == "json" or "json" in content_type.lower():
            try:
                request.json = json.loads(text)
            except ValueError:
                pass  # e.g. `{"id": {{id}}}`: sent as text with its content type
            else:
                self.drop_content_type(request, "application/json")
                return
        request.body = text
        if not content_type:
            request.headers.append(("Content-Type", _LANGUAGE_TYPES.get(language, "text/plain")))

    def drop_content_type(self, request: Request, media_type: str) -> None:
        """Remove a Content-Type header the client sets anyway (form, JSON, multipart turned into form)."""
        request.headers = [
            (k, v) for k, v in request.headers if not (k.lower() == "content-type" and media_type in v.lower())
        ]


def _assemble(url: Mapping[str, Any]) -> str:
    """A raw URL from Postman's parts, for collections that leave `raw` out."""
    host = url.get("host")
    host_text = ".".join(text_of(h) for h in host) if isinstance(host, list) else text_of(host)
    path = url.get("path")
    segments = (
        [text_of(s.get("value") if isinstance(s, Mapping) else s) for s in path] if isinstance(path, list) else []
    )
    path_text = "/".join(segments) if isinstance(path, list) else text_of(path).lstrip("/")
    protocol = text_of(url.get("protocol"))
    port = text_of(url.get("port"))
    text = (f"{protocol}://" if protocol else "") + host_text + (f":{port}" if port else "")
    return text + ("/" + path_text if path_text else "")


def _with_scheme(url: str) -> str:
    """Postman lets a URL leave out `http://`; a collection needs a scheme (or a `{{base}}` variable)."""
    if not url or re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", url) or url.startswith(("{{", "/")):
        return url
    host = url.split("/", 1)[0].split(":", 1)[0].lower()
    return ("https://" if host.endswith("twilio.com") else "http://") + url
