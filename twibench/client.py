"""Build the HTTP request from (request, profile, variables), send it with httpx, return an Exchange.

This is the one sending path: the CLI, the TUI, history replay and the runner all call `Client.send`.
Problems in the input (unknown variable, missing secret, a host the profile does not allow) raise a
TwibenchError before a byte is sent; failures on the wire come back as data in `Exchange.error`.
"""

from __future__ import annotations

import asyncio
import base64
import json
import socket
import ssl
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx

from twibench import __version__, outbound, profiles, proxies, regions, urlcheck, variables
from twibench.bodydecode import BodyDecoder, DecodeError
from twibench.collection import Request
from twibench.exchange import Exchange, Response, SentRequest, Timings, TransportError
from twibench.profiles import Profile, SecretPrompt
from twibench.urlcheck import RequestBuildError

DEFAULT_TIMEOUT = 30.0
MAX_BODY_BYTES = 64 * 1024 * 1024
USER_AGENT = f"twibench/{__version__}"


__all__ = ["Client", "Prepared", "RequestBuildError", "classify", "prepare", "send_once", "values_for"]


@dataclass
class Prepared:
    """A request ready for the wire (credentials included; redact before showing)."""

    method: str
    url: str
    path: str
    headers: list[tuple[str, str]]
    body: bytes
    timeout: float
    follow_redirects: bool
    profile: Profile
    credentials: tuple[str, str] | None
    guard: outbound.Guard | None = None
    """The secrets in play, so the redirects this request follows pass the same guard."""


def values_for(
    profile: Profile,
    collection_variables: Mapping[str, str] | None = None,
    captured: Mapping[str, str] | None = None,
    overrides: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Merge variables in the documented precedence: collection < profile < captured < --var."""
    return variables.merge(collection_variables, profile.builtin_variables(), captured, overrides)


def _render_pairs(pairs: list[tuple[str, str]], values: Mapping[str, str], what: str) -> list[tuple[str, str]]:
    return [
        (variables.render(k, values, f"{what} name '{k}'"), variables.render(v, values, f"{what} field '{k}'"))
        for k, v in pairs
    ]


def _render_json(value: Any, values: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return variables.render(value, values, "json body")
    if isinstance(value, list):
        return [_render_json(v, values) for v in value]
    if isinstance(value, dict):
        return {variables.render(str(k), values, "json key"): _render_json(v, values) for k, v in value.items()}
    return value


def _has_header(headers: list[tuple[str, str]], name: str) -> bool:
    return any(k.lower() == name.lower() for k, _ in headers)


def prepare(
    request: Request,
    profile: Profile,
    values: Mapping[str, str],
    *,
    prompt: SecretPrompt | None = None,
    environ: Mapping[str, str] | None = None,
    secret_names: Iterable[str] = (),
) -> Prepared:
    """Render templates, join the URL to the profile's base, encode the body, apply credentials, guard it all.

    Args:
        request: the request model (templates unrendered).
        profile: the active profile.
        values: merged variables (see values_for); the profile's built-ins fill in any that are missing.
        prompt: the session that asks for a `{prompt: true}` secret once and keeps it (`sending.PromptedSecrets`).
        environ: environment for `{env: NAME}` secrets and the proxy variables.
        secret_names: variables whose values are secrets (`capture_secret`): never sent to an unallowed host.

    Raises:
        UnknownVariableError, ProfileError, HostRefusedError (SecretRefusedError), RequestBuildError; their
        messages never contain a rendered value.
    """
    merged = {**profile.builtin_variables(), **values}
    url = variables.render(request.url.strip(), merged, "url")
    twilio_url: str | None = None
    if url.startswith(("http://", "https://")):
        base = None
        urlcheck.parse_target(url, request.name)  # the URL as written is checked, whatever serves it
        routed = _sandbox_route(profile, url)
        if routed is not None:
            # The sandbox serves every product: https://verify.twilio.com/v2/X → {sandbox}/verify/v2/X.
            twilio_url, url = url, routed
        elif (profile.region or profile.edge) and profile.base_url is None:
            url = regions.regional_url(url, profile.region, profile.edge)  # verify.dublin.ie1.twilio.com
    elif url.startswith("/"):
        base = profile.api_base()
        url = base + url
    else:
        raise RequestBuildError(
            f"request '{request.name}': url must be a path starting with / or an absolute http(s) URL; nothing was sent"
        )
    urlcheck.parse_target(url, request.name)
    params = _render_pairs(request.params, merged, "params")
    if params:
        parts = urlsplit(url)
        query = "&".join(q for q in (parts.query, urlencode(params)) if q)
        url = urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))
        urlcheck.parse_target(url, request.name)
    headers = _render_pairs(request.headers, merged, "headers")
    for name, value in headers:
        urlcheck.check_header(name, value, request.name)
    body = b""
    if request.form is not None:
        body = urlencode(_render_pairs(request.form, merged, "form")).encode("ascii")
        if not _has_header(headers, "content-type"):
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
    elif request.json is not None:
        body = json.dumps(_render_json(request.json, merged), ensure_ascii=False).encode("utf-8")
        if not _has_header(headers, "content-type"):
            headers.append(("Content-Type", "application/json"))
    elif request.body is not None:
        body = variables.render(request.body, merged, "body").encode("utf-8")
    if not _has_header(headers, "user-agent"):
        headers.append(("User-Agent", USER_AGENT))
    credentials: tuple[str, str] | None = None
    if request.auth.mode == "profile":
        credentials = (profile.username, profiles.resolve_secret(profile, prompt, environ))
    elif request.auth.mode == "basic":
        credentials = (
            variables.render(request.auth.user, merged, "auth user"),
            variables.render(request.auth.secret, merged, "auth secret"),
        )
    if credentials is not None:
        token = base64.b64encode(f"{credentials[0]}:{credentials[1]}".encode()).decode("ascii")
        headers = [(k, v) for k, v in headers if k.lower() != "authorization"]
        headers.append(("Authorization", f"Basic {token}"))
    guard = outbound.Guard(
        profile, outbound.secrets_in_play(profile, merged, secret_names, environ, prompt), merged, environ
    )
    refusal = guard.refusal(url, headers, body, credentials=credentials is not None, what=f"request '{request.name}'")
    if refusal is not None:
        raise (profiles.HostRefusedError if credentials is not None else outbound.SecretRefusedError)(refusal)
    if base is None:
        path = url
        try:
            live_base = profile.static_base() if profile.base_url_provider is None else None
        except ValueError:
            live_base = None
        if live_base and url.startswith(live_base + "/"):
            path = url[len(live_base) :]
    else:
        path = url[len(base) :]
    if twilio_url is not None:
        path = twilio_url  # history replays re-route it: to Twilio with a live profile, here with the sandbox
    return Prepared(
        method=request.method,
        url=url,
        path=path,
        headers=headers,
        body=body,
        timeout=request.timeout if request.timeout is not None else DEFAULT_TIMEOUT,
        follow_redirects=request.follow_redirects,
        profile=profile,
        credentials=credentials,
        guard=guard,
    )


def _sandbox_route(profile: Profile, url: str) -> str | None:
    """Where the sandbox serves a Twilio URL (any product host), for the sandbox profile; else None."""
    if not profile.is_sandbox:
        return None
    from twibench.spec.index import sandbox_path  # only absolute URLs with the sandbox profile need it

    path = sandbox_path(url)
    return None if path is None else profile.api_base() + path


class _Trace:
    """Collects httpcore trace events into per-phase timings."""

    def __init__(self) -> None:
        self.marks: dict[str, float] = {}

    async def __call__(self, event: str, info: Mapping[str, Any]) -> None:
        # "http11.send_request_headers.started" → "send_request_headers.started" (same for http2).
        _, _, key = event.partition(".")
        self.marks.setdefault(key, time.perf_counter())

    def phases(self, end: float) -> dict[str, float]:
        m = self.marks
        out: dict[str, float] = {}

        def span(name: str, start: str, stop: str | float) -> None:
            stop_t = m.get(stop) if isinstance(stop, str) else stop
            if start in m and stop_t is not None:
                out[name] = round((stop_t - m[start]) * 1000, 3)

        span("connect", "connect_tcp.started", "connect_tcp.complete")
        span("tls", "start_tls.started", "start_tls.complete")
        span("send", "send_request_headers.started", "send_request_body.complete")
        span("wait", "send_request_body.complete", "receive_response_headers.complete")
        span("receive", "receive_response_headers.complete", end)
        return out


def classify(exc: Exception, url: str) -> TransportError:
    """Turn an httpx failure into a TransportError with one sentence naming the host."""
    netloc = urlsplit(url).netloc or url
    text = str(exc) or exc.__class__.__name__
    if isinstance(exc, outbound.OutboundRefused):
        return TransportError(exc.kind, str(exc))
    if isinstance(exc, httpx.TimeoutException):
        what = {
            httpx.ConnectTimeout: "connecting",
            httpx.ReadTimeout: "waiting for the answer",
            httpx.WriteTimeout: "sending",
            httpx.PoolTimeout: "waiting for a free connection",
        }.get(type(exc), "waiting")
        return TransportError("timeout", f"{netloc} timed out while {what}")
    if isinstance(exc, httpx.TooManyRedirects):
        return TransportError("redirects", f"{netloc} redirected too many times")
    if isinstance(exc, httpx.ConnectError):
        causes = _causes(exc)
        lowered = " ".join(str(c) for c in causes).lower()
        if any(isinstance(c, ConnectionRefusedError) for c in causes):
            return TransportError("refused", f"{netloc} refused the connection (is the server running?)")
        if any(isinstance(c, socket.gaierror) for c in causes):
            return TransportError("dns", f"the host name in {netloc} could not be resolved")
        if any(isinstance(c, ssl.SSLError) for c in causes) or "ssl" in lowered or "certificate" in lowered:
            return TransportError("tls", f"the TLS handshake with {netloc} failed: {text}")
        if any(s in lowered for s in ("name or service", "nodename", "getaddrinfo", "name resolution", "no address")):
            return TransportError("dns", f"the host name in {netloc} could not be resolved")
        if "refused" in lowered or "errno 111" in lowered:
            return TransportError("refused", f"{netloc} refused the connection (is the server running?)")
        return TransportError("connect", f"could not connect to {netloc}: {text}")
    if isinstance(exc, httpx.RemoteProtocolError):
        return TransportError("protocol", f"{netloc} broke the HTTP protocol: {text}")
    if isinstance(exc, httpx.ReadError | httpx.WriteError | httpx.NetworkError):
        return TransportError("reset", f"the connection to {netloc} was reset: {text}")
    return TransportError("error", f"the request to {netloc} failed: {text}")


def _header_pairs(headers: httpx.Headers) -> list[tuple[str, str]]:
    """Header pairs as they were written on the wire (original case, repeats kept)."""
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in headers.raw]


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and its chain of causes (anyio wraps the OSError that says what happened)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        if isinstance(current, BaseExceptionGroup):
            chain.extend(current.exceptions)
        current = current.__cause__ or current.__context__
    return chain


class Client:
    """Sends requests; one reused httpx.AsyncClient per profile, created lazily."""

    def __init__(self, transport: httpx.AsyncBaseTransport | None = None, max_body: int = MAX_BODY_BYTES) -> None:
        self._transport = transport
        self._max_body = max_body
        self._clients: dict[str, httpx.AsyncClient] = {}

    def _client_for(self, profile: Profile) -> httpx.AsyncClient:
        client = self._clients.get(profile.name)
        if client is None or client.is_closed:
            # Proxies come from the environment through ProxyRouter (loopback never goes through one);
            # every request, redirects included, passes the outbound guard's hook before it leaves.
            client = httpx.AsyncClient(
                timeout=DEFAULT_TIMEOUT,
                follow_redirects=False,
                trust_env=False,
                transport=self._transport or proxies.ProxyRouter(),
                event_hooks={"request": [outbound.redirect_hook]},
            )
            self._clients[profile.name] = client
        return client

    async def send(
        self,
        request: Request,
        profile: Profile,
        values: Mapping[str, str],
        *,
        collection: str | None = None,
        prompt: SecretPrompt | None = None,
        secret_names: Iterable[str] = (),
    ) -> Exchange:
        """Prepare and send one request; see `prepare` for the errors raised before sending.

        `secret_names` names the variables holding secrets (captured with `capture_secret`): the guard
        refuses to carry them, like the profile's secret, to a host the profile does not allow.
        """
        if profile.base_url_provider is not None:
            # Starting the sandbox blocks for a moment: keep the event loop free.
            await asyncio.to_thread(profile.api_base)
        prepared = prepare(request, profile, values, prompt=prompt, secret_names=secret_names)
        with outbound.flight(prepared.guard, prepared.url):
            try:
                exchange = await self.send_prepared(prepared)
            except (httpx.InvalidURL, ValueError, OverflowError) as exc:
                # A URL httpx still cannot use (prepare checked it): a failure of this request, told
                # without the exception's text, which may quote a rendered value.
                sent = SentRequest(method=prepared.method, url=prepared.url, path=prepared.path, body=prepared.body)
                exchange = Exchange(request=sent, profile=profile.name)
                netloc = urlsplit(prepared.url).netloc
                exchange.error = TransportError("error", f"the request to {netloc} failed ({exc.__class__.__name__})")
        exchange.collection = collection
        exchange.request_id = request.id
        exchange.name = request.name
        return exchange

    async def send_prepared(self, prepared: Prepared) -> Exchange:
        """Send a prepared request; transport failures become `Exchange.error`.

        `prepared.timeout` bounds the whole exchange — connecting, every redirect, the headers and the
        last byte of the body — not only each read: a server that drips a byte a second cannot hold
        the request past its deadline. The body is read raw and decoded here (see `bodydecode`), so a
        small compressed body can never inflate past `max_body`.
        """
        client = self._client_for(prepared.profile)
        trace = _Trace()
        sent = SentRequest(method=prepared.method, url=prepared.url, path=prepared.path, body=prepared.body)
        exchange = Exchange(request=sent, profile=prepared.profile.name)
        start = time.perf_counter()
        try:
            http_request = client.build_request(
                prepared.method,
                prepared.url,
                headers=prepared.headers,
                content=prepared.body or None,
                timeout=prepared.timeout,
                extensions={"trace": trace},
            )
            sent.headers = _header_pairs(http_request.headers)
            async with asyncio.timeout(prepared.timeout):
                exchange.response = await self._exchange(client, http_request, prepared.follow_redirects)
            end = time.perf_counter()
        except TimeoutError:
            end = time.perf_counter()
            netloc = urlsplit(prepared.url).netloc or prepared.url
            exchange.error = TransportError(
                "timeout", f"{netloc} did not answer in full within the {prepared.timeout:g} s timeout"
            )
        except (httpx.HTTPError, OSError, DecodeError) as exc:
            end = time.perf_counter()
            if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
                raise RequestBuildError("the url is not a valid http(s) URL; nothing was sent") from None
            if isinstance(exc, DecodeError):
                netloc = urlsplit(prepared.url).netloc or prepared.url
                exchange.error = TransportError("protocol", f"{netloc} sent a body that is {exc}")
            else:
                exchange.error = classify(exc if isinstance(exc, Exception) else Exception(str(exc)), prepared.url)
        exchange.timings = Timings(total_ms=(end - start) * 1000, phases=trace.phases(end))
        return exchange

    async def _exchange(self, client: httpx.AsyncClient, request: httpx.Request, follow: bool) -> Response:
        """Send, follow redirects ourselves (httpx would read each redirect's body whole), read the body."""
        redirects = 0
        while True:
            response = await client.send(request, stream=True, follow_redirects=False)
            try:
                if follow and response.next_request is not None:
                    redirects += 1
                    if redirects > client.max_redirects:
                        raise httpx.TooManyRedirects("Exceeded maximum allowed redirects.", request=request)
                    request = response.next_request
                    continue
                if response.is_stream_consumed:  # built in memory (httpx.MockTransport): decoded already
                    decoder = BodyDecoder(None, self._max_body)
                    chunks = [decoder.feed(response.content)]
                else:
                    decoder = BodyDecoder(response.headers.get("content-encoding"), self._max_body)
                    chunks = []
                    async for raw in response.aiter_raw():
                        chunks.append(decoder.feed(raw))
                        if decoder.truncated:
                            break
                    else:
                        chunks.append(decoder.flush())
                return Response(
                    status=response.status_code,
                    reason=response.reason_phrase,
                    headers=_header_pairs(response.headers),
                    body=b"".join(chunks),
                    truncated=decoder.truncated,
                    http_version=response.http_version,
                    note=decoder.note,
                )
            finally:
                await response.aclose()

    async def aclose(self) -> None:
        """Close every pooled connection."""
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()


def send_once(
    request: Request,
    profile: Profile,
    values: Mapping[str, str],
    *,
    collection: str | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    prompt: SecretPrompt | None = None,
) -> Exchange:
    """Send one request from synchronous code (the CLI) and close the connection afterwards.

    `prompt` asks for a `{prompt: true}` secret (the command's `sending.PromptedSecrets`).
    """

    async def run() -> Exchange:
        client = Client(transport=transport)
        try:
            return await client.send(request, profile, values, collection=collection, prompt=prompt)
        finally:
            await client.aclose()

    return asyncio.run(run())
