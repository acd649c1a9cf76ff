"""Export a request as a Ruby script: twilio-ruby where it is idiomatic, its generic request otherwise.

Messages, Accounts and API Keys get the resource calls (`client.messages.create(to: …, from: …)`);
other requests with credentials go through `client.request(host, port, method, uri, params, data, …)`;
a request without credentials, with a JSON or raw body, or with options the library cannot send uses
Net::HTTP, so the library never adds credentials the request did not have.
"""

from __future__ import annotations

from collections.abc import Collection as AbstractSet
from collections.abc import Mapping
from urllib.parse import urlsplit

from twibench.collection import Request
from twibench.exporters.curl import json_text
from twibench.exporters.operations import (
    Argument,
    Operation,
    double_quoted,
    joined,
    plain_value,
    profile_credentials,
    snake,
    snippet_for,
)
from twibench.exporters.rendering import ACCOUNT_ENV, Env, ExportRequest, Text, credential_env
from twibench.profiles import Profile

_RESOURCES = {
    "messages": ("client.messages", "message"),
    "accounts": ("client.api.v2010.accounts", "account"),
    "keys": ("client.keys", "key"),
    "new_keys": ("client.new_keys", "key"),
}
_ESCAPES = {"\\": "\\\\", '"': '\\"', "#": "\\#", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_METHODS = {"GET": "Get", "POST": "Post", "PUT": "Put", "PATCH": "Patch", "DELETE": "Delete", "HEAD": "Head"}


def ruby_literal(value: str) -> str:
    """A double-quoted Ruby string with every special character escaped (`#` too: no interpolation)."""
    return double_quoted(value, _ESCAPES)


def ruby_string(text: Text) -> str:
    """A Ruby expression for exported text: literals and `ENV.fetch("NAME")`, joined with `+`."""
    return joined(text, ruby_literal, lambda name: f"ENV.fetch({ruby_literal(name)})", empty='""')


def _value(argument: Argument, index: int) -> str:
    return plain_value(argument, index, ruby_string)


def _client(profile: Profile, *, located: bool) -> list[str]:
    user, secret = credential_env(profile)
    args = [ruby_string((Env(user),)), ruby_string((Env(secret),))]
    if profile.kind == "api_key" or (located and profile.region):
        args.append(ruby_string((Env(ACCOUNT_ENV),)) if profile.kind == "api_key" else "nil")
    if located and profile.region:
        args.append(ruby_literal(profile.region))
    lines = [f"client = Twilio::REST::Client.new({', '.join(args)})"]
    if located and profile.edge:
        lines.append(f"client.edge = {ruby_literal(profile.edge)}")
    return lines


def _script(requires: list[str], body: list[str], notes: list[str]) -> str:
    lines = [f"require {ruby_literal(name)}" for name in requires]
    lines += ["", *[f"# {note}" for note in notes], *body]
    return "\n".join(lines) + "\n"


def _helper(operation: Operation, profile: Profile) -> str:
    resource, result = _RESOURCES[operation.resource]
    target = resource if operation.sid is None else f"{resource}({ruby_string(operation.sid)})"
    arguments = []
    for argument in operation.arguments:
        values = [_value(argument, i) for i in range(len(argument.values))]
        shown = "[" + ", ".join(values) + "]" if argument.listed else values[0]
        arguments.append(f"{snake(argument.words())}: {shown}")
    action = {"list": "list", "delete": "delete"}.get(operation.action, operation.action)
    call = f"{target}.{action}" + (f"({', '.join(arguments)})" if arguments else "")
    body = [*_client(profile, located=True), ""]
    if operation.action == "list":
        body += [f"{call}.each do |record|", "  puts record.sid", "end"]
    elif operation.action == "delete":
        body += [f"deleted = {call}", "puts deleted"]
    else:
        body += [f"{result} = {call}", f"puts {result}.sid"]
    return _script(["twilio-ruby"], body, [])


def _hash(pairs: list[tuple[str, Text]]) -> str:
    grouped: dict[str, list[Text]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    items = [
        f"{ruby_literal(name)} => "
        + (ruby_string(texts[0]) if len(texts) == 1 else "[" + ", ".join(ruby_string(t) for t in texts) + "]")
        for name, texts in grouped.items()
    ]
    return "{ " + ", ".join(items) + " }" if items else "{}"


def _host_port(exported: ExportRequest) -> tuple[str, int]:
    parts = urlsplit(exported.base or "https://api.twilio.com")
    return parts.hostname or "api.twilio.com", parts.port or (443 if parts.scheme == "https" else 80)


def _library(exported: ExportRequest, profile: Profile) -> str:
    host, port = _host_port(exported)
    args = [ruby_literal(host), str(port), ruby_literal(exported.method), ruby_string(exported.url)]
    args += [_hash(exported.params), _hash(exported.form or []), _hash(exported.headers)]
    if exported.credentials is not None and not profile_credentials(exported, profile):
        args.append(f"[{ruby_string(exported.credentials[0])}, {ruby_string(exported.credentials[1])}]")
    body = [*_client(profile, located=False), "", "response = client.request("]
    body += [f"  {arg}," for arg in args[:-1]] + [f"  {args[-1]}", ")"]
    body += ["puts response.status_code", "puts response.body"]
    return _script(["twilio-ruby"], body, exported.notes)


def _pairs(pairs: list[tuple[str, Text]]) -> str:
    return "[" + ", ".join(f"[{ruby_literal(n)}, {ruby_string(v)}]" for n, v in pairs) + "]"


def _http(exported: ExportRequest) -> str:
    body = [f"uri = URI({ruby_string(exported.url)})"]
    if exported.params:
        body.append(f"uri.query = URI.encode_www_form({_pairs(exported.params)})")
    has_body = exported.form is not None or exported.json is not None or exported.body is not None
    if exported.method in _METHODS:
        body.append(f"request = Net::HTTP::{_METHODS[exported.method]}.new(uri)")
    else:
        flag = "true" if has_body else "false"
        body.append(f"request = Net::HTTPGenericRequest.new({ruby_literal(exported.method)}, {flag}, true, uri)")
    for name, value in exported.headers:
        body.append(f"request[{ruby_literal(name)}] = {ruby_string(value)}")
    has_type = any(name.lower() == "content-type" for name, _ in exported.headers)
    if exported.form is not None:
        body.append(f"request.body = URI.encode_www_form({_pairs(exported.form)})")
        if not has_type:
            body.append('request["Content-Type"] = "application/x-www-form-urlencoded"')
    elif exported.json is not None:
        body.append(f"request.body = {ruby_string(json_text(exported.json))}")
        if not has_type:
            body.append('request["Content-Type"] = "application/json"')
    elif exported.body is not None:
        body.append(f"request.body = {ruby_string(exported.body)}")
    if exported.credentials is not None:
        user, secret = exported.credentials
        body.append(f"request.basic_auth({ruby_string(user)}, {ruby_string(secret)})")
    options = ['use_ssl: uri.scheme == "https"']
    if exported.timeout is not None:
        options += [f"open_timeout: {exported.timeout:g}", f"read_timeout: {exported.timeout:g}"]
    body.append(f"response = Net::HTTP.start(uri.host, uri.port, {', '.join(options)}) do |http|")
    body += ["  http.request(request)", "end", 'puts response.code + " " + response.message', "puts response.body"]
    notes = list(exported.notes)
    if exported.follow_redirects:
        notes.append('Net::HTTP does not follow redirects: read response["Location"] to follow one')
    return _script(["net/http", "uri"], body, notes)


def to_ruby(
    request: Request,
    profile: Profile,
    values: Mapping[str, str],
    *,
    secret_names: AbstractSet[str] = (),
) -> str:
    """A Ruby script for the request (twilio-ruby, or Net::HTTP; see the module docstring).

    Raises:
        UnknownVariableError: a variable has no value.
        ExportError: the snippet would reveal a secret.
    """
    return snippet_for(request, profile, values, secret_names, _helper, _library, _http)
