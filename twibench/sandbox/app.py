"""The Starlette application: authentication, routing, parameters, rendering, ETags, Twilio headers.

Handlers are synchronous and run on the event loop: each is a few SQLite statements on an open
connection (tens of microseconds), far cheaper than a hop to a worker thread. Every answer — success,
Twilio error or unexpected failure — is a complete Twilio-shaped response, never a traceback.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
import traceback
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route as StarletteRoute

from twibench.sandbox import accounts, call_lab, media, routes
from twibench.sandbox.addr import INFO_PATH
from twibench.sandbox.auth import authenticate
from twibench.sandbox.call import Call, Context, Format, Params, Principal, Reply
from twibench.sandbox.clock import Clock, FixedClock, RealClock
from twibench.sandbox.config import SandboxConfig
from twibench.sandbox.errors import (
    ApiError,
    method_not_allowed,
    not_found,
    not_implemented,
    test_credentials_forbidden,
    unauthorized,
)
from twibench.sandbox.generic import dispatch
from twibench.sandbox.guard import Guard
from twibench.sandbox.params import (
    MAX_BODY_BYTES,
    check_content_type,
    json_params,
    parse_form,
    parse_query,
    too_large,
)
from twibench.sandbox.representation import CONTENT_TYPES, render, render_error
from twibench.sandbox.sids import SidFactory
from twibench.sandbox.store import Store

API_PREFIX = "/2010-04-01/"
SANDBOX_VERIFY = "/_sandbox/verify/"
"""Sandbox-only: `GET /_sandbox/verify/{ServiceSid}/{To}` reads a pending Verify code (see sandbox.verify)."""
DRAIN_LIMIT = 16 * MAX_BODY_BYTES
"""An oversized body is read (and dropped) up to this size so the client sees the 413, not a reset."""
KEY_DETAIL = "Standard API keys cannot access the Accounts or Keys resources; use the Auth Token."
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def create_app(config: SandboxConfig, store: Store | None = None, clock: Clock | None = None) -> Starlette:
    """Build the sandbox application for `config`.

    Args:
        config: where the state lives and how the sandbox behaves.
        store: an already open state file (default: open `config.db_path`).
        clock: where "now" comes from (default: fixed in deterministic mode, else the wall clock); tests
            pass a clock they can move forward instead of sleeping.
    """
    if clock is None:
        clock = FixedClock() if config.deterministic else RealClock()
    from twibench.sandbox.dispatcher import Dispatcher

    context = Context(config, store or Store(config.db_path), clock, SidFactory(deterministic=config.deterministic))
    context.dispatcher = Dispatcher(config, clock)
    context.dispatcher.kick()  # jobs a previous sandbox on this state file left due are sent now
    handler = SandboxHandler(context)
    app = Starlette(
        routes=[StarletteRoute("/{path:path}", handler.handle, methods=METHODS)],
        middleware=[Middleware(Guard, limit=config.concurrency_limit, request_ids=context.sids.request_id)],
    )
    app.state.sandbox = context
    return app


class SandboxHandler:
    """Answers every request of one sandbox."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def handle(self, request: Request) -> Response:
        """Route, authenticate, run the resource handler and render; errors become Twilio errors."""
        path: str = request.scope["path"]
        stem, fmt = routes.split_format(path)
        head = request.method == "HEAD"
        try:
            if path.startswith("/_twibench/"):
                return self._internal(path)
            if path.startswith(call_lab.PREFIX):
                fmt = "json"
                principal = authenticate(request.headers.get("authorization"), self.ctx.store.conn)
                params = await self._params(request, request.method)
                lab = Call(request.method, path, fmt, {}, params, principal, _origin(request), self.ctx)
                return self._respond(call_lab.handle(lab), fmt, request, head)
            if path.startswith(SANDBOX_VERIFY):
                fmt = "json"
                principal = authenticate(request.headers.get("authorization"), self.ctx.store.conn)
                return self._respond(verify_code_reply(self.ctx, principal, path), fmt, request, head)
            found = routes.match(stem) if path.startswith(API_PREFIX) else None
            if found is None:
                target = dispatch.resolve(path, stem)
                if target is None:
                    fmt = "json"
                    if path.startswith(API_PREFIX):
                        authenticate(request.headers.get("authorization"), self.ctx.store.conn)
                    raise not_implemented(path)
                if not target.is_api:
                    fmt = "json"
                return await self._spec_driven(request, target, path, fmt, head)
            route, args = found
            principal = authenticate(request.headers.get("authorization"), self.ctx.store.conn)
            if not accounts.reachable(self.ctx.store.conn, principal.account_sid, args.get("account")):
                raise not_found(path)
            method = "GET" if head else request.method
            handler = route.methods.get(method)
            if handler is None:
                raise method_not_allowed(request.method, route.allowed)
            if principal.kind == "test" and method not in route.test_credentials:
                raise test_credentials_forbidden()
            if principal.kind == "api_key" and route.main_credentials_only:
                raise unauthorized(KEY_DETAIL)
            params = await self._params(request, method)
            call = Call(method, path, fmt, args, params, principal, _origin(request), self.ctx)
            return self._respond(handler(call), fmt, request, head)
        except ApiError as error:
            return self._error(error, fmt, head)
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                return self._crash(fmt, head)
            busy = ApiError(503, 20503, "The sandbox state file is busy; try again", headers={"Retry-After": "1"})
            return self._error(busy, fmt, head)
        except Exception:
            return self._crash(fmt, head)

    async def _spec_driven(
        self, request: Request, target: dispatch.Target, path: str, fmt: Format, head: bool
    ) -> Response:
        """A path of a bundled spec with no hand-written route: the generic layer or a product's override."""
        principal = authenticate(request.headers.get("authorization"), self.ctx.store.conn)
        if not accounts.reachable(self.ctx.store.conn, principal.account_sid, target.args.get("AccountSid")):
            raise not_found(path)
        method = "GET" if head else request.method
        handler = dispatch.handler(target, method)
        if handler is None:
            allowed = sorted(
                {m.upper() for m in target.item.operations} | ({"HEAD"} if "get" in target.item.operations else set())
            )
            raise method_not_allowed(request.method, allowed)
        if (
            principal.kind == "test"
            and (target.label, target.item.template, method) not in dispatch.TEST_CREDENTIAL_OPS
        ):
            raise test_credentials_forbidden()
        params = await self._params(request, method, json_body=True)
        call = Call(method, path, fmt, target.args, params, principal, _origin(request), self.ctx)
        return self._respond(handler(target, call), fmt, request, head)

    async def _params(self, request: Request, method: str, *, json_body: bool = False) -> Params:
        """Query parameters, or the form body of a POST (a JSON object too where a spec says so)."""
        if method not in ("POST", "PUT", "PATCH") or (method != "POST" and not json_body):
            return parse_query(request.scope.get("query_string", b""))
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > DRAIN_LIMIT:
            raise too_large()
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > DRAIN_LIMIT:
                raise too_large()
            if size <= MAX_BODY_BYTES:
                chunks.append(chunk)
        if size > MAX_BODY_BYTES:
            raise too_large()
        body = b"".join(chunks)
        if not body:
            return Params()
        content_type = request.headers.get("content-type") or ""
        if json_body and "json" in content_type.partition(";")[0].lower():
            return json_params(body)
        check_content_type(content_type)
        return parse_form(body)

    def _respond(self, reply: Reply, fmt: Format, request: Request, head: bool) -> Response:
        headers = dict(reply.headers)
        if reply.payload is None:
            return Response(b"", status_code=reply.status, headers=headers)
        body = render(reply.payload, fmt, reply.element, reply.records_key)
        content_type = CONTENT_TYPES[fmt]
        if reply.content_type and fmt == "json":
            content_type = f"{reply.content_type}; charset=utf-8"
        if reply.cacheable:
            etag = '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
            headers["ETag"] = etag
            if _matches(request.headers.get("if-none-match"), etag):
                return Response(b"", status_code=304, headers=headers)
        return _response(body, reply.status, content_type, headers, head)

    def _error(self, error: ApiError, fmt: Format, head: bool) -> Response:
        body, content_type = render_error(error.body(), fmt)
        return _response(body, error.status, content_type, dict(error.headers), head)

    def _crash(self, fmt: Format, head: bool) -> Response:
        if self.ctx.config.log_errors:
            traceback.print_exc(file=sys.stderr)
        return self._error(ApiError(500, 20500, "An internal server error has occurred"), fmt, head)

    def _internal(self, path: str) -> Response:
        if path == INFO_PATH:
            info: dict[str, Any] = {
                "service": "twibench-sandbox",
                "pid": os.getpid(),
                "db": str(self.ctx.config.db_path.resolve()),
                "deterministic": self.ctx.config.deterministic,
            }
            return Response(json.dumps(info), media_type="application/json")
        if path.startswith(media.CONTENT_PATH):
            content = media.content(self.ctx.store.conn, path.removeprefix(media.CONTENT_PATH))
            if content is not None:
                return Response(content, media_type=media.CONTENT_TYPE)
        raise not_found(path)


def verify_code_reply(ctx: Context, principal: Principal, path: str) -> Reply:
    """The live Verify code of `/_sandbox/verify/{ServiceSid}/{To}` for the caller's account, else 404."""
    from twibench.sandbox import verify

    service, _, to = path.removeprefix(SANDBOX_VERIFY).partition("/")
    found = verify.current_code(ctx.store.conn, principal.account_sid, service, to, ctx.clock.now())
    if found is None:
        raise not_found(path)
    return Reply(payload=found)


def _response(body: bytes, status: int, content_type: str, headers: dict[str, str], head: bool) -> Response:
    """A response; for HEAD, the same headers (Content-Length included) without the body."""
    headers["Content-Type"] = content_type
    if head:
        headers["Content-Length"] = str(len(body))
        return Response(b"", status_code=status, headers=headers)
    return Response(body, status_code=status, headers=headers)


def _origin(request: Request) -> str:
    """`scheme://host:port` as the client addressed us (the Host header), without building a URL object."""
    host = request.headers.get("host")
    if not host:
        server = request.scope.get("server") or ("127.0.0.1", 80)
        host = f"{server[0]}:{server[1]}"
    return f"{request.scope.get('scheme', 'http')}://{host}"


def _matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 weak comparison against an If-None-Match list; `*` matches any current representation."""
    if not if_none_match:
        return False
    for candidate in if_none_match.split(","):
        tag = candidate.strip()
        if tag == "*" or tag.removeprefix("W/") == etag:
            return True
    return False
