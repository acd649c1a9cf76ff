"""The outbound guard: nothing secret leaves for a host the profile does not allow.

Before a byte goes to a host the profile does not allow (and, for plain http, to a proxy it does not
allow), the whole request — URL, headers and body — is searched for every secret in play: the active
profile's secret, the sandbox's published tokens, and every `capture_secret` value, each in every
encoding `secret_forms.forms` knows. A match refuses the request with one sentence naming the host and
where the secret came from, never its value. This covers `auth: none` requests too: a collection cannot
capture a token and post it elsewhere. Requests that carry the profile's own credentials are held to the
host guard (`hostguard.check_host`) as before, plus the proxy rule.

`Client` installs `redirect_hook` so every redirect a request follows passes the same test (and a URL
check) before it is sent; a refused redirect is a transport failure of that request.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx

from twibench import hostguard, profiles, proxies, secret_forms
from twibench.hostguard import HostRefusedError, netloc_label
from twibench.profiles import Profile, ProfileError
from twibench.sandbox import credentials as sandbox_credentials
from twibench.urlcheck import url_problem

__all__ = [
    "Guard",
    "OutboundRefused",
    "Secret",
    "SecretRefusedError",
    "flight",
    "redirect_hook",
    "secrets_in_play",
]


class SecretRefusedError(HostRefusedError):
    """A request would carry a secret to a host (or proxy) the profile does not allow; nothing was sent."""


class OutboundRefused(httpx.RequestError):
    """A redirect (or a request sent without `prepare`) was stopped before it left; a transport failure."""

    def __init__(self, kind: str, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message, request=request)
        self.kind = kind


@dataclass(frozen=True)
class Secret:
    """A value that must not leave for an unallowed host, and a safe description of where it came from."""

    value: str
    source: str


def _profile_secret(
    profile: Profile, environ: Mapping[str, str] | None, prompt: profiles.SecretPrompt | None
) -> str | None:
    """The profile's secret if it is known without asking (a literal, a set env var, one the session keeps)."""
    if profile.secret.kept_by_session:  # never ask, read a keyring or run a command just to guard
        return prompt.typed(profile) if prompt is not None else None
    try:
        return profiles.resolve_secret(profile, environ=environ)
    except ProfileError:
        return None


def secrets_in_play(
    profile: Profile,
    values: Mapping[str, str],
    secret_names: Iterable[str] = (),
    environ: Mapping[str, str] | None = None,
    prompt: profiles.SecretPrompt | None = None,
) -> list[Secret]:
    """Every secret a request must not carry to an unallowed host (see the module docstring).

    `prompt` is the session whose typed secrets count (the profile's, when it was asked for).
    """
    found: list[Secret] = []
    value = _profile_secret(profile, environ, prompt)
    label = "Auth Token" if profile.kind == "auth_token" else "API Key Secret"
    if value:
        found.append(Secret(value, f"the {label} of profile '{profile.name}'"))
    found.append(Secret(sandbox_credentials.AUTH_TOKEN, "the sandbox's Auth Token"))
    found.append(Secret(sandbox_credentials.TEST_AUTH_TOKEN, "the sandbox's Test Auth Token"))
    for name in secret_names:
        if values.get(name):
            found.append(Secret(values[name], f"the captured secret {{{{{name}}}}}"))
    return [s for s in found if len(s.value) >= secret_forms.MIN_SECRET_LEN]


def _carries(texts: Iterable[str], secret: Secret) -> bool:
    views = [view for text in texts for view in secret_forms.normalised_views(text)]
    return any(form in view for form in secret_forms.forms(secret.value) for view in views)


@dataclass
class Guard:
    """The secrets of one request and the profile whose hosts may receive them."""

    profile: Profile
    secrets: Sequence[Secret]
    values: Mapping[str, str] = field(default_factory=dict)
    environ: Mapping[str, str] | None = None

    def find(self, url: str, headers: Iterable[tuple[str, str]], body: bytes) -> Secret | None:
        """The first secret the request carries, in any encoding, or None."""
        haystacks = [url, *(f"{name}: {value}" for name, value in headers), body.decode("utf-8", "replace")]
        for secret in self.secrets:
            if _carries(haystacks, secret):
                return secret
        return None

    def _carrier(self, secret: Secret) -> str:
        names = [name for name, value in self.values.items() if value and _carries([value], secret)]
        return f" (in {', '.join('{{' + n + '}}' for n in sorted(names))})" if names else ""

    def refusal(
        self, url: str, headers: Sequence[tuple[str, str]], body: bytes, *, credentials: bool, what: str
    ) -> str | None:
        """Why the request must not go (one sentence, no value), or None.

        Args:
            url: the full URL (validated).
            headers: the headers as they will be written (Authorization included).
            body: the body bytes.
            credentials: the request carries the profile's (or `auth:`) credentials.
            what: how to name the request in the sentence, e.g. "request 'Post it'".
        """
        target = hostguard.split_url(url)
        if target is None:
            return f"refusing to send {what}: the url is not an http(s) URL with a host"
        scheme, host, port = target
        proxy = proxies.proxy_for(url, self.environ) if scheme == "http" else None
        secret = None if credentials else self.find(url, headers, body)
        if not credentials and secret is None:
            return None
        carried = "the credentials of profile " + repr(self.profile.name) if credentials else None
        if secret is not None:
            carried = secret.source + self._carrier(secret)
        if not hostguard.host_allows(self.profile, url):
            if credentials:
                try:
                    hostguard.check_host(self.profile, url)
                except HostRefusedError as exc:
                    return str(exc)
            return (
                f"refusing to send {what} to {netloc_label(host, port)}: it carries {carried}, and profile "
                f"'{self.profile.name}' does not allow that host; nothing was sent"
            )
        if proxy is not None and not hostguard.host_allows(self.profile, proxy):
            split = hostguard.split_url(proxy)
            shown = netloc_label(split[1], split[2]) if split else "from the environment"
            variable = proxies.proxy_variable(url, self.environ) or "HTTP_PROXY"
            return (
                f"refusing to send {what} over plain http through the proxy {shown} (${variable}): it carries "
                f"{carried} and the profile does not allow the proxy; use https, add "
                f"{netloc_label(host, port)} to NO_PROXY or the proxy to allowed_hosts"
            )
        return None


_FLIGHT: contextvars.ContextVar[_Flight | None] = contextvars.ContextVar("twibench_flight", default=None)


@dataclass
class _Flight:
    guard: Guard
    origin: str
    sent: int = 0


@contextmanager
def flight(guard: Guard | None, url: str) -> Iterator[None]:
    """`with outbound.flight(guard, url):` — the redirects of the request sent inside pass the guard."""
    target = hostguard.split_url(url)
    origin = netloc_label(target[1], target[2]) if target else "the server"
    token = _FLIGHT.set(_Flight(guard, origin) if guard is not None else None)
    try:
        yield
    finally:
        _FLIGHT.reset(token)


def _request_body(request: httpx.Request) -> bytes:
    stream = request.stream
    if isinstance(stream, httpx.ByteStream):
        return b"".join(stream)
    return b""


async def redirect_hook(request: httpx.Request) -> None:
    """httpx `request` event hook: check every request about to leave (redirects included).

    Raises:
        OutboundRefused: an invalid redirect target, or one that would carry a secret or credentials to
            a host (or proxy) the profile does not allow.
    """
    current = _FLIGHT.get()
    first = current is None or current.sent == 0
    if current is not None:
        current.sent += 1
    origin = current.origin if current is not None else "the server"
    url = str(request.url)
    problem, _target = url_problem(url)
    if problem is not None:
        message = f"the url {problem}" if first else f"{origin} redirected to a URL that {problem}; not followed"
        raise OutboundRefused("redirects" if not first else "invalid", message, request=request)
    if first or current is None:
        return
    headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw]
    credentials = any(name.lower() == "authorization" for name, _ in headers)
    reason = current.guard.refusal(
        url, headers, _request_body(request), credentials=credentials, what=f"the redirect from {origin}"
    )
    if reason is not None:
        raise OutboundRefused("redirects", reason.replace("; nothing was sent", "") + "; not followed", request=request)
