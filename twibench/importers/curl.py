"""Import a curl command (as Twilio's docs and browsers write them) as a collection request.

`parse_curl` is what the TUI's paste handler calls; `import_curl` adds the request to a collection file.
Shell variables are read the way Twilio's docs use them: `$TWILIO_ACCOUNT_SID` becomes `{{account_sid}}`,
and `-u` is never written to the file. Credentials from environment variables map to the active profile;
literal ones are dropped with a warning that says which kind of profile should hold them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote_plus, unquote_plus, urlsplit

from twibench.collection import METHODS, Auth, Collection, Pairs, Request, slug
from twibench.importers import shellwords
from twibench.importers.curl_parser import CurlCommand, CurlError, CurlParser, Data
from twibench.importers.naming import UniqueNames, clean_name
from twibench.importers.shellwords import Ref, Token
from twibench.redact import mask_sid
from twibench.spec.urls import collection_url, is_twilio_url
from twibench.variables import is_pure_reference

__all__ = ["CurlError", "CurlImport", "import_curl", "looks_like_curl", "parse_curl"]

_LOOKS_LIKE_CURL = re.compile(r"\s*(?:\$\s+)?curl(?:\s|\\?$)")
_PROMPT = re.compile(r"\s*\$\s+(?=curl\b)")
_STANDARD_CREDENTIALS = {("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"), ("TWILIO_API_KEY", "TWILIO_API_SECRET")}
_TEMPLATE = re.compile(r"\{\{[^{}]*\}\}")
_LITERAL_ACCOUNT = re.compile(r"\$(?:TWILIO_ACCOUNT_SID\b|\{TWILIO_ACCOUNT_SID\})")
_CREDENTIAL_HEADERS = ("authorization", "proxy-authorization")
_FORM_TYPE = "application/x-www-form-urlencoded"


def looks_like_curl(text: str) -> bool:
    """True when pasted text is a curl command (`curl …`, optionally after a `$ ` prompt)."""
    return bool(_LOOKS_LIKE_CURL.match(text))


def parse_curl(command: str, *, read_files: bool = True) -> tuple[Request, list[str]]:
    """The request a curl command sends, as a collection Request, and warnings for the user.

    Warnings say what was changed or left out (a dropped literal secret, `-k`, a shell variable that
    became a `{{variable}}`); they never contain a secret.

    Raises:
        CurlError: not a curl command, an unknown or unsupported option, no URL or several URLs; an
            `@file` that is not a regular file or is over 1 MB, or any `@file` when `read_files` is False.
        ShellSyntaxError: an unterminated quote.
    """
    split = shellwords.split_words(_PROMPT.sub("", command, count=1))
    parser = CurlParser(read_files=read_files)
    parsed = parser.parse(split.words)
    if split.stopped_at:
        parser.warn(f"everything from the unquoted '{split.stopped_at}' on was ignored: it is not part of the request")
    return _Builder(parsed, parser).request(), parser.warnings


@dataclass
class CurlImport:
    """The result of `import_curl`: the request as saved (its name and id made unique) and warnings."""

    request: Request
    collection: Collection
    warnings: list[str]


def import_curl(command: str, path: Path | None = None, name: str | None = None) -> CurlImport:
    """Parse `command` and append its request to the collection file at `path` (created when missing).

    The existing file is loaded first (a broken file stops the import), the new request gets a name and
    id not yet used there, and the file is rewritten atomically with the rest of it unchanged. With no
    `path`, nothing is written and `collection` is a new one-request collection to print.

    Raises:
        CurlError, ShellSyntaxError: the command cannot be imported.
        FileErrors: the existing file does not load.
        SaveError: the result would not load back (nothing is written).
    """
    from twibench.collection import load_collection
    from twibench.collection import writer as collection_io

    request, warnings = parse_curl(command)
    if name is not None:
        request.name = clean_name(name, request.name)
        request.id = slug(request.name) or "request"
    if path is None or not path.exists():
        target = path or Path("imported.yaml")
        request = UniqueNames().claim(request)
        title = target.stem.replace("-", " ").replace("_", " ").strip().capitalize() or "Imported"
        collection = Collection(name=title, path=target, requests=[request])
        if path is not None:
            collection_io.save_collection(collection, path)
        return CurlImport(request, collection, warnings)
    existing = load_collection(path)
    request = UniqueNames(existing.requests).claim(request)
    collection_io.save_request(existing, request, path)
    existing.requests.append(request)
    return CurlImport(request, existing, warnings)


class _Builder:
    """Turns a parsed curl command into a Request."""

    def __init__(self, command: CurlCommand, parser: CurlParser) -> None:
        self.command = command
        self.parser = parser

    def request(self) -> Request:
        command = self.command
        if not command.urls:
            raise CurlError("the curl command has no URL")
        if len(command.urls) > 1:
            raise CurlError(f"the curl command has {len(command.urls)} URLs; import one request at a time")
        url, params, url_user = self.url(self.quoted_account(command.urls[0]))
        method = self.method()
        request = Request(name="", id="", method=method, url=url, params=params)
        request.headers = self.headers()
        self.body(request)
        request.auth = self.auth(command.user if command.user is not None else url_user, url)
        request.follow_redirects = command.follow
        request.timeout = command.timeout
        request.name = _default_name(method, url)
        request.id = slug(request.name) or "request"
        return request

    def quoted_account(self, url: str) -> str:
        """`$TWILIO_ACCOUNT_SID` left in the URL by single quotes still means the account (what else?)."""
        fixed = _LITERAL_ACCOUNT.sub("{{account_sid}}", url)
        if fixed != url:
            self.parser.warn(
                "$TWILIO_ACCOUNT_SID was in single quotes, where a shell would not expand it; it was read as "
                "{{account_sid}}"
            )
        return fixed

    def method(self) -> str:
        command = self.command
        if command.method is not None:
            if command.method not in METHODS:
                raise CurlError(f"-X {command.method}: twibench sends {', '.join(METHODS)}")
            return command.method
        if command.head:
            return "HEAD"
        return "POST" if command.data and not command.get else "GET"

    def url(self, text: str) -> tuple[str, Pairs, list[Token] | None]:
        """(collection URL, query params, credentials written in the URL) for the command's URL."""
        if "://" not in text.split("?", 1)[0]:
            host = text.split("/", 1)[0].lower()
            text = ("https://" if host.endswith("twilio.com") else "http://") + text
        # `{{variables}}` may hold `?`, `#` or `@`: find the URL's parts with them masked, same length.
        masked = _TEMPLATE.sub(lambda m: "x" * len(m.group(0)), text)
        fragment = masked.find("#")
        if fragment >= 0:
            text, masked = text[:fragment], masked[:fragment]
        query_start = masked.find("?")
        query = text[query_start + 1 :] if query_start >= 0 else ""
        if query_start >= 0:
            text, masked = text[:query_start], masked[:query_start]
        parts = urlsplit(masked)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            raise CurlError(f"{text!r} is not an http(s) URL")
        start = len(parts.scheme) + 3
        netloc, path = text[start : start + len(parts.netloc)], text[start + len(parts.netloc) :]
        user: list[Token] | None = None
        if "@" in netloc:
            userinfo, _, netloc = netloc.rpartition("@")
            user = [unquote_plus(userinfo)]
        base = f"{parts.scheme.lower()}://{netloc}{path}"
        params = parse_qsl(query, keep_blank_values=True)
        return collection_url(base), params, user

    def headers(self) -> Pairs:
        headers: Pairs = []
        for name, value in self.command.headers:
            if name.lower() in _CREDENTIAL_HEADERS and not is_pure_reference(value):
                self.parser.warn(
                    f"the {name} header was not written (files never hold secrets); twibench sends the active "
                    "profile's credentials"
                )
                continue
            headers.append((name, value))
        if self.command.json:
            for name in ("Content-Type", "Accept"):
                if not _header(headers, name):
                    headers.append((name, "application/json"))
        return headers

    def body(self, request: Request) -> None:
        data = self.command.data
        if not data:
            return
        if self.command.get:
            for piece in data:
                request.params += [piece.pair] if piece.pair else parse_qsl(piece.raw or "", keep_blank_values=True)
            return
        content_type = (_header(request.headers, "Content-Type") or "").split(";")[0].strip().lower()
        joined = "&".join(_encoded(piece) for piece in data)
        if content_type == "application/json" or content_type.endswith("+json"):
            try:
                request.json = json.loads(joined)
            except ValueError:
                request.body = joined
            else:
                if content_type == "application/json":
                    request.headers = [(k, v) for k, v in request.headers if k.lower() != "content-type"]
            return
        form = self.form(data) if content_type in ("", _FORM_TYPE) else None
        if form is None:
            request.body = joined
            if not content_type:
                request.headers.append(("Content-Type", _FORM_TYPE))
            return
        request.form = form
        request.headers = [(k, v) for k, v in request.headers if k.lower() != "content-type"]

    def form(self, data: list[Data]) -> Pairs | None:
        """The data as form fields, or None when some piece is not `name=value` (then it is a raw body)."""
        pairs: Pairs = []
        for piece in data:
            if piece.pair is not None:
                pairs.append(piece.pair)
                continue
            for segment in (piece.raw or "").split("&"):
                if not segment:
                    continue
                name, sep, value = segment.partition("=")
                if not sep:
                    return None
                if value.startswith("+") and value[1:2].isdigit():
                    self.parser.warn(
                        f"in {piece.option} data a '+' means a space, so {unquote_plus(name)}={value} is sent as "
                        f"{unquote_plus(value)!r} (as curl would send it); use --data-urlencode to send a '+'"
                    )
                pairs.append((unquote_plus(name), unquote_plus(value)))
        return pairs

    def auth(self, user: list[Token] | None, url: str) -> Auth:
        """Credentials never reach the file: env-var credentials and literal ones map to the profile."""
        if user is None:
            return Auth() if is_twilio_url(url) else Auth(mode="none")
        name, secret = _split_user(user)
        if secret is None:
            self.parser.warn("-u without a password was ignored; twibench sends the active profile's credentials")
            return Auth()
        refs = (
            (name[0].name, secret[0].name)
            if len(name) == 1 and len(secret) == 1 and isinstance(name[0], Ref) and isinstance(secret[0], Ref)
            else None
        )
        if refs in _STANDARD_CREDENTIALS:
            return Auth()
        if refs is not None:
            if not is_twilio_url(url):
                return Auth(mode="basic", user="{{" + refs[0].lower() + "}}", secret="{{" + refs[1].lower() + "}}")
            self.parser.warn(
                f"-u ${refs[0]}:${refs[1]} was replaced by the active profile's credentials; a profile can read "
                f"its secret from ${refs[1]} (twibench profiles add NAME … --secret-env {refs[1]})"
            )
            return Auth()
        if not any(isinstance(t, str) and t for t in secret):
            self.parser.warn("-u was replaced by the active profile's credentials")
            return Auth()
        self.parser.warn(_literal_secret_warning(name))
        return Auth()


def _split_user(tokens: list[Token]) -> tuple[list[Token], list[Token] | None]:
    """Split `-u` at its first literal ':' into user and secret tokens (secret None when there is none)."""
    for index, token in enumerate(tokens):
        if isinstance(token, str) and ":" in token:
            before, _, after = token.partition(":")
            head: list[Token] = [*tokens[:index], before] if before else list(tokens[:index])
            tail: list[Token] = [after, *tokens[index + 1 :]] if after else list(tokens[index + 1 :])
            return head, tail
    return list(tokens), None


def _literal_secret_warning(user: list[Token]) -> str:
    """Which profile kind would hold the dropped credentials, named without the secret."""
    literal = "".join(t for t in user if isinstance(t, str))
    ref = next((t.name for t in user if isinstance(t, Ref)), "")
    shown = mask_sid(literal) if literal else f"${ref}" if ref else "the user"
    if literal.startswith("SK") or ref == "TWILIO_API_KEY":
        kind = "an API Key profile"
        how = f"twibench profiles add NAME --account-sid AC… --api-key {shown} --secret-env TWILIO_API_SECRET"
    elif literal.startswith("AC") or ref == "TWILIO_ACCOUNT_SID":
        kind = "an Auth Token profile"
        how = f"twibench profiles add NAME --account-sid {shown} --secret-env TWILIO_AUTH_TOKEN"
    else:
        kind = "a profile"
        how = "twibench profiles add NAME … --secret-env VARIABLE"
    return (
        f"the literal secret given with -u for {shown} was not written (files never hold secrets); twibench "
        f"sends the active profile's credentials, so keep these in {kind}: {how}"
    )


def _header(headers: Pairs, name: str) -> str | None:
    return next((v for k, v in headers if k.lower() == name.lower()), None)


def _encoded(piece: Data) -> str:
    if piece.pair is not None:
        return f"{quote_plus(piece.pair[0])}={quote_plus(piece.pair[1])}"
    return piece.raw or ""


def _default_name(method: str, url: str) -> str:
    """The operation's title when the URL is a Twilio API operation ("Create message"), else METHOD + path end."""
    from twibench.spec import docs as spec_docs

    doc = spec_docs.find_operation(method, url)
    if doc is not None:
        return doc.title
    path = url if url.startswith("/") else url.split("://", 1)[-1].partition("/")[2]
    segments = [s for s in path.split("/") if s and "{{" not in s]
    last = segments[-1].removesuffix(".json") if segments else url.split("://", 1)[-1].split("/")[0]
    return clean_name(f"{method} {last}", method)
