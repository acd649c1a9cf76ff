"""Which Postman variables hold secrets, so an import never writes their values (files never hold secrets).

A variable is secret when its name says so (token, secret, password, pwd, credential, private key…),
or when the collection uses it as a credential: a basic-auth password, any setting of another auth
scheme but its user/key name, an `Authorization` header value, or a URL's `user:password@`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from twibench.secret_fields import is_secret_field
from twibench.variables import references

_SECRET_WORDS = ("token", "secret", "passw", "pwd", "credential", "private_key", "privatekey")
# Settings of an auth scheme that name or place a credential rather than hold one.
_NOT_SECRET_SETTINGS = {"basic": {"username"}, "apikey": {"key", "in"}, "digest": {"username"}}
_USERINFO = re.compile(r"://[^/?#@:]*:([^/?#@]*)@")


def secret_named(name: str) -> bool:
    """True when a variable's name says it holds a secret (`TWILIO_AUTH_TOKEN`, `apiSecret`, `pwd`…)."""
    lowered = name.lower()
    return is_secret_field(name) or any(word in lowered for word in _SECRET_WORDS)


def _auth_settings(auth: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    kind = str(auth.get("type"))
    raw = auth.get(kind)
    if isinstance(raw, list):
        pairs = [(str(i.get("key")), i.get("value")) for i in raw if isinstance(i, Mapping)]
    elif isinstance(raw, Mapping):
        pairs = [(str(k), v) for k, v in raw.items()]
    else:
        return
    skip = _NOT_SECRET_SETTINGS.get(kind, set())
    yield from ((key, value) for key, value in pairs if key not in skip)


def _refs(value: Any) -> set[str]:
    return {span.name for span in references(value)} if isinstance(value, str) else set()


def credential_variables(node: Any) -> set[str]:
    """Names of the variables the Postman document uses as credentials, anywhere in it."""
    found: set[str] = set()
    if isinstance(node, Mapping):
        auth = node.get("auth")
        if isinstance(auth, Mapping):
            for _, value in _auth_settings(auth):
                found |= _refs(value)
        headers = node.get("header")
        for row in headers if isinstance(headers, list) else ():
            if isinstance(row, Mapping) and str(row.get("key", "")).lower() in ("authorization", "proxy-authorization"):
                found |= _refs(row.get("value"))
        url = node.get("url")
        raw = url.get("raw") if isinstance(url, Mapping) else url
        if isinstance(raw, str):
            for match in _USERINFO.finditer(raw):
                found |= _refs(match.group(1))
        for value in node.values():
            found |= credential_variables(value)
    elif isinstance(node, list):
        for value in node:
            found |= credential_variables(value)
    return found
