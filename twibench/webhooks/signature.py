"""`X-Twilio-Signature`: compute it as Twilio does, check it, and explain a mismatch.

Twilio signs each webhook with the account's primary Auth Token (never an API key secret): the
signature is base64(HMAC-SHA1(token, URL + every form parameter as name + value, sorted by name, a
repeated name's values sorted too)). A JSON body is not signed directly: Twilio adds
`bodySHA256=<hex sha256 of the body>` to the URL's query and signs the URL. Twilio is inconsistent about
the default port, so a checker accepts the URL with and without `:443`/`:80`.

A mismatch almost always comes from the app reconstructing a different URL than Twilio requested
(http behind a TLS-terminating proxy, a port added or dropped, a trailing slash) or different
parameters (re-encoded, a JSON body hashed differently) or the wrong token (a subaccount's requests are
signed with the subaccount's own token). `diagnose` tries those variations to name the likely cause.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, quote, unquote, urlsplit, urlunsplit

HEADER = "X-Twilio-Signature"
Params = Iterable[tuple[str, str]] | Mapping[str, str]
Verdict = Literal["valid", "invalid", "unsigned"]


def _pairs(params: Params | None) -> list[tuple[str, str]]:
    if params is None:
        return []
    if isinstance(params, Mapping):
        return [(str(k), str(v)) for k, v in params.items()]
    return [(str(k), str(v)) for k, v in params]


def signed_string(url: str, params: Params | None = None) -> str:
    """The exact string Twilio signs: the URL, then each distinct `name` + `value`, sorted by name then value."""
    grouped: dict[str, set[str]] = {}
    for name, value in _pairs(params):
        grouped.setdefault(name, set()).add(value)
    return url + "".join(name + value for name in sorted(grouped) for value in sorted(grouped[name]))


def compute(url: str, params: Params | None, token: str) -> str:
    """The `X-Twilio-Signature` Twilio would send for this URL and form parameters."""
    digest = hmac.new(token.encode("utf-8"), signed_string(url, params).encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def body_hash(body: bytes) -> str:
    """The `bodySHA256` query value Twilio adds for a JSON body."""
    return hashlib.sha256(body).hexdigest()


def _with_port(url: str) -> str:
    parts = urlsplit(url)
    if parts.port is not None or not parts.hostname:
        return url
    port = 443 if parts.scheme == "https" else 80
    return urlunsplit(parts._replace(netloc=f"{parts.netloc}:{port}"))


def _without_port(url: str) -> str:
    parts = urlsplit(url)
    if parts.port is None:
        return url
    netloc = parts.netloc.rsplit(":", 1)[0]
    return urlunsplit(parts._replace(netloc=netloc))


def check(url: str, params: Params | None, signature: str | None, token: str, body: bytes | None = None) -> Verdict:
    """Check a received request's signature: "valid", "invalid", or "unsigned" when there is none.

    Args:
        url: the full URL the request was made to, as Twilio saw it (scheme, host, port, path, query).
        params: the form parameters of a POST (none for a GET or a JSON body).
        signature: the `X-Twilio-Signature` header, or None.
        token: the account's Auth Token.
        body: the raw body, when the URL carries `bodySHA256` (a JSON webhook).
    """
    if not signature:
        return "unsigned"
    expected_hash = dict(parse_qsl(urlsplit(url).query)).get("bodySHA256")
    if expected_hash is not None and body is not None:
        if not hmac.compare_digest(body_hash(body), expected_hash):
            return "invalid"
        params = None
    for candidate in {_without_port(url), _with_port(url)}:
        if hmac.compare_digest(compute(candidate, params, token), signature):
            return "valid"
    return "invalid"


@dataclass(frozen=True)
class Diagnosis:
    """What a checker learnt about a signature.

    Attributes:
        verdict: "valid", "invalid" or "unsigned".
        signed: the exact string that was signed for the URL as given.
        expected: the signature that string gives with the token.
        cause: when invalid, the variation of the request that does match ("the app saw http, Twilio
            signed https"), or None when no variation matches (wrong token or altered parameters).
        hints: the usual causes to check, for a mismatch with no matching variation.
    """

    verdict: Verdict
    signed: str
    expected: str
    cause: str | None
    hints: tuple[str, ...]


HINTS = (
    "Twilio signed the URL it requested: behind a proxy or tunnel, use the public https URL, not http://localhost",
    "a port added or dropped (:443 / :80, or the tunnel's local port) changes the URL",
    "a trailing slash, or a query string dropped by the framework, changes the URL",
    "parameters must be the form values as sent, decoded once: re-encoding or dropping empty ones breaks it",
    "a JSON webhook is signed through `bodySHA256` in the URL: hash the raw body bytes",
    "requests for a subaccount are signed with the subaccount's own Auth Token, never an API key secret",
)


def _variations(url: str, pairs: list[tuple[str, str]]) -> Iterable[tuple[str, str, list[tuple[str, str]]]]:
    """(cause, url, params) for each usual way an app's view of a request differs from Twilio's."""
    parts = urlsplit(url)
    other = "http" if parts.scheme == "https" else "https"
    for candidate in (parts._replace(scheme=other), urlsplit(_without_port(url))._replace(scheme=other)):
        yield f"the scheme: Twilio requested {other}://, the app used {parts.scheme}://", urlunsplit(candidate), pairs
    path = parts.path[:-1] if parts.path.endswith("/") else parts.path + "/"
    yield "a trailing slash on the path", urlunsplit(parts._replace(path=path)), pairs
    if parts.query:
        yield "the query string: Twilio's URL had no query", urlunsplit(parts._replace(query="")), pairs
    decoded = [(unquote(k), unquote(v)) for k, v in pairs]
    if decoded != pairs:
        yield "parameter encoding: the values were still URL-encoded", url, decoded
    encoded = [(k, quote(v, safe="")) for k, v in pairs]
    if encoded != pairs:
        yield "parameter encoding: Twilio signs decoded values", url, encoded
    non_empty = [(k, v) for k, v in pairs if v]
    if non_empty != pairs:
        yield "empty parameters were dropped or added", url, non_empty


def diagnose(url: str, params: Params | None, signature: str | None, token: str) -> Diagnosis:
    """Check a signature and, on a mismatch, find which usual mistake explains it."""
    pairs = _pairs(params)
    signed = signed_string(url, pairs)
    expected = compute(url, pairs, token)
    verdict = check(url, pairs, signature, token)
    if verdict != "invalid" or signature is None:
        return Diagnosis(verdict, signed, expected, None, ())
    for cause, other_url, other_pairs in _variations(url, pairs):
        if check(other_url, other_pairs, signature, token) == "valid":
            return Diagnosis(verdict, signed, expected, cause, ())
    return Diagnosis(verdict, signed, expected, None, HINTS)
