"""A request rendered for export: real host, variables filled in, credentials as environment variables.

Snippets leave twibench (pasted into a terminal, a script, a ticket), so they must never carry a secret.
Every exporter works from an `ExportRequest`, where the account in the URL and every credential are
references to environment variables (`Env`), and everything else is literal text. Each exporter then
writes those references in its own language: `"$TWILIO_ACCOUNT_SID"` for the shell,
`os.environ["TWILIO_ACCOUNT_SID"]` for Python.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection as AbstractSet
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from twibench import variables
from twibench.collection import Pairs, Request
from twibench.errors import TwibenchError
from twibench.profiles import Profile, twilio_host

ACCOUNT_ENV = "TWILIO_ACCOUNT_SID"
_OPEN, _CLOSE = "\ue000", "\ue001"  # private-use characters: never in a real value, untouched by json.dumps
_MARK = re.compile(f"{_OPEN}([A-Za-z_][A-Za-z0-9_]*){_CLOSE}")
_CREDENTIAL_HEADERS = ("authorization", "proxy-authorization")
_MIN_SECRET = 6


class ExportError(TwibenchError):
    """The request cannot be exported safely (it would reveal a secret) or at all."""


@dataclass(frozen=True)
class Env:
    """A reference to an environment variable in exported text."""

    name: str


Text = tuple[str | Env, ...]
"""Exported text: literal pieces and environment references, in order."""


@dataclass
class ExportRequest:
    """A request ready to be written as a snippet; see the module docstring."""

    method: str
    base: str
    """The URL's scheme and host (`https://api.twilio.com`), or "" when the URL is a template host."""
    url: Text
    """The full URL without the query."""
    params: list[tuple[str, Text]] = field(default_factory=list)
    headers: list[tuple[str, Text]] = field(default_factory=list)
    form: list[tuple[str, Text]] | None = None
    json: Any = None
    """The JSON body, with string values as `Text`."""
    body: Text | None = None
    credentials: tuple[Text, Text] | None = None
    follow_redirects: bool = False
    timeout: float | None = None
    account_is_profile: bool = True
    """True when `{{account_sid}}` is the profile's account (written as $TWILIO_ACCOUNT_SID)."""
    notes: list[str] = field(default_factory=list)
    """What was left out, for the snippet's comments."""


def credential_env(profile: Profile) -> tuple[str, str]:
    """The environment variables people already keep Twilio credentials in, for this profile's kind."""
    if profile.kind == "api_key":
        return "TWILIO_API_KEY", "TWILIO_API_SECRET"
    return ACCOUNT_ENV, "TWILIO_AUTH_TOKEN"


def env_name(variable: str) -> str:
    """`key_secret` → `KEY_SECRET`: the environment variable standing for a twibench variable."""
    return re.sub(r"[^A-Za-z0-9_]", "_", variable).upper()


def split_text(text: str) -> Text:
    """Rendered text (with environment marks) as literal pieces and `Env` references."""
    pieces: list[str | Env] = []
    last = 0
    for match in _MARK.finditer(text):
        if match.start() > last:
            pieces.append(text[last : match.start()])
        pieces.append(Env(match.group(1)))
        last = match.end()
    if last < len(text) or not pieces:
        pieces.append(text[last:])
    return tuple(pieces)


def plain(text: Text) -> str:
    """The text with each environment reference as `$NAME` (for messages and matching)."""
    return "".join(p if isinstance(p, str) else f"${p.name}" for p in text)


def api_base(profile: Profile) -> str:
    """The real API host for the profile: its base_url, or the Twilio region/edge host.

    The sandbox profile has no fixed address (it changes between runs), so its snippets use the Twilio
    host they are meant for; swap the host to try one against a running `twibench sandbox`.
    """
    if profile.base_url and profile.base_url_provider is None:
        return profile.base_url.rstrip("/")
    return "https://" + twilio_host(profile.region, profile.edge)


class _Renderer:
    def __init__(self, values: Mapping[str, str], secret_names: AbstractSet[str]) -> None:
        self.values = dict(values)
        for name in secret_names:
            self.values[name] = f"{_OPEN}{env_name(name)}{_CLOSE}"

    def text(self, template: str, where: str) -> Text:
        return split_text(variables.render(template, self.values, where))

    def pairs(self, pairs: Pairs, what: str) -> list[tuple[str, Text]]:
        return [
            (variables.render(k, self.values, f"{what} name '{k}'"), self.text(v, f"{what} '{k}'")) for k, v in pairs
        ]

    def json(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value, "json body")
        if isinstance(value, list):
            return [self.json(v) for v in value]
        if isinstance(value, dict):
            return {variables.render(str(k), self.values, "json key"): self.json(v) for k, v in value.items()}
        return value


def export_request(
    request: Request,
    profile: Profile,
    values: Mapping[str, str],
    *,
    secret_names: AbstractSet[str] = (),
) -> ExportRequest:
    """Render `request` for export with `profile`, without any secret.

    Args:
        request: the request (templates unrendered).
        profile: decides the host (region/edge) and which environment variables hold the credentials.
        values: the merged variables (`client.values_for`); the profile's built-ins fill in missing ones.
        secret_names: variables whose values are secrets (captured with `capture_secret`): written as
            environment references (`KEY_SECRET`) instead of their values.

    Raises:
        UnknownVariableError: a variable has no value.
        ExportError: the result would still contain one of the profile's secrets.
    """
    merged = {**profile.builtin_variables(), **values}
    account_is_profile = merged.get("account_sid") == profile.account_sid
    if account_is_profile:
        merged["account_sid"] = f"{_OPEN}{ACCOUNT_ENV}{_CLOSE}"
    renderer = _Renderer(merged, secret_names)
    raw_url = variables.render(request.url.strip(), renderer.values, "url")
    base = ""
    if raw_url.startswith("/"):
        base = api_base(profile)
        raw_url = base + raw_url
    elif re.match(r"https?://", raw_url):
        base = "/".join(raw_url.split("/", 3)[:3])
    exported = ExportRequest(
        method=request.method.upper(),
        base=base,
        url=split_text(raw_url),
        params=renderer.pairs(request.params, "params"),
        follow_redirects=request.follow_redirects,
        timeout=request.timeout,
        account_is_profile=account_is_profile,
    )
    for name, value in request.headers:
        if name.lower() in _CREDENTIAL_HEADERS:
            exported.notes.append(f"the {name} header is left out: credentials come from environment variables")
            continue
        exported.headers.append((name, renderer.text(value, f"header '{name}'")))
    if request.form is not None:
        exported.form = renderer.pairs(request.form, "form field")
    elif request.json is not None:
        exported.json = renderer.json(request.json)
    elif request.body is not None:
        exported.body = renderer.text(request.body, "body")
    exported.credentials = _credentials(request, profile)
    _refuse_secrets(exported, profile)
    return exported


def _credentials(request: Request, profile: Profile) -> tuple[Text, Text] | None:
    if request.auth.mode == "none":
        return None
    if request.auth.mode == "profile":
        user, secret = credential_env(profile)
        return (Env(user),), (Env(secret),)
    parts: list[Text] = []
    for template in (request.auth.user, request.auth.secret):
        names = variables.names(template)
        if variables.is_pure_reference(template) and names:
            parts.append((Env(env_name(names[0])),))
        else:  # a literal user name (the loader guarantees the secret is a reference)
            parts.append((template,))
    return parts[0], parts[1]


def _literal_strings(value: Any) -> list[str]:
    if isinstance(value, tuple):
        return [p for p in value if isinstance(p, str)]
    if isinstance(value, list):
        return [s for v in value for s in _literal_strings(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _literal_strings(v)]
    return []


def _refuse_secrets(exported: ExportRequest, profile: Profile) -> None:
    """Stop an export that would carry the profile's secret (e.g. pasted into a --var value)."""
    ref = profile.secret
    secret = ref.literal or (os.environ.get(ref.env, "") if ref.env else "")
    if len(secret) < _MIN_SECRET:
        return
    texts = [exported.url, exported.body or (), *(v for _, v in exported.params), *(v for _, v in exported.headers)]
    texts += [v for _, v in exported.form or ()]
    literals = [s for text in texts for s in _literal_strings(text)] + _literal_strings(exported.json)
    if any(secret in s for s in literals):
        raise ExportError(
            f"not exported: the request would contain the secret of profile '{profile.name}'; "
            "reference credentials through the profile instead of variables"
        )
