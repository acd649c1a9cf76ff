"""Export a request as a Node.js snippet: twilio-node where it is idiomatic, its generic request otherwise.

Messages, Accounts and API Keys get the helper library's resource calls
(`client.messages.create({ to, from, body })`), as Twilio's docs show them. Other requests with
credentials go through `client.request({ method, uri, params, data })`, which signs them the same way.
A request without credentials, with a JSON or raw body, or with options the library cannot send is
written with Node's own `fetch`, so the library never adds credentials the request did not have.
"""

from __future__ import annotations

import json
from collections.abc import Collection as AbstractSet
from collections.abc import Mapping
from typing import Any

from twibench.collection import Request
from twibench.exporters.operations import (
    Argument,
    Operation,
    c_string,
    camel,
    joined,
    profile_credentials,
    snippet_for,
)
from twibench.exporters.rendering import ACCOUNT_ENV, ExportRequest, Text, credential_env
from twibench.profiles import Profile

_RESOURCES = {
    "messages": ("client.messages", "message"),
    "accounts": ("client.api.v2010.accounts", "account"),
    "keys": ("client.keys", "key"),
    "new_keys": ("client.newKeys", "key"),
}
_ACTIONS = {"create": "create", "list": "list", "fetch": "fetch", "update": "update", "delete": "remove"}


def js_string(text: Text) -> str:
    """A JavaScript expression for exported text: literals and `process.env.NAME`, joined with `+`."""
    return joined(text, c_string, lambda name: f"process.env.{name}")


def js_value(value: Any) -> str:
    """A JavaScript expression for a rendered JSON value (strings are `Text`)."""
    if isinstance(value, tuple):
        return js_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(js_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{c_string(str(k))}: {js_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(value)


def _typed(argument: Argument, index: int) -> str:
    literal = argument.literal(index)
    if literal is not None and argument.kind in ("integer", "number"):
        try:
            return json.dumps(int(literal) if argument.kind == "integer" else float(literal))
        except ValueError:
            pass
    if literal is not None and argument.kind == "boolean" and literal.lower() in ("true", "false"):
        return literal.lower()
    return js_string(argument.values[index])


def _client(profile: Profile, *, located: bool) -> str:
    user, secret = credential_env(profile)
    options: list[str] = []
    if profile.kind == "api_key":
        options.append(f"accountSid: process.env.{ACCOUNT_ENV}")
    if located and profile.region:
        options.append(f"region: {c_string(profile.region)}")
    if located and profile.edge:
        options.append(f"edge: {c_string(profile.edge)}")
    args = [f"process.env.{user}", f"process.env.{secret}"]
    if options:
        args.append("{ " + ", ".join(options) + " }")
    return f"const client = twilio({', '.join(args)});"


def _main(body: list[str], notes: list[str], head: list[str]) -> str:
    lines = [*head, *[f"// {note}" for note in notes], "async function main() {"]
    lines += ["  " + line if line else "" for line in body]
    lines += ["}", "", "main();"]
    return "\n".join(lines) + "\n"


def _helper(operation: Operation, profile: Profile) -> str:
    resource, result = _RESOURCES[operation.resource]
    target = resource if operation.sid is None else f"{resource}({js_string(operation.sid)})"
    call = f"{target}.{_ACTIONS[operation.action]}("
    if operation.arguments:
        fields = []
        for argument in operation.arguments:
            values = [_typed(argument, i) for i in range(len(argument.values))]
            shown = "[" + ", ".join(values) + "]" if argument.listed else values[0]
            fields.append(f"  {camel(argument.words())}: {shown},")
        body = [f"const {_plural(result, operation)} = await {call}{{", *fields, "});"]
    else:
        body = [f"const {_plural(result, operation)} = await {call});"]
    if operation.action == "list":
        body.append(f"{result}s.forEach(({result}) => console.log({result}.sid));")
    elif operation.action == "delete":
        body.append("console.log(removed);")
    else:
        body.append(f"console.log({result}.sid);")
    head = ['const twilio = require("twilio");', "", _client(profile, located=True), ""]
    return _main(body, [], head)


def _plural(result: str, operation: Operation) -> str:
    if operation.action == "list":
        return result + "s"
    return "removed" if operation.action == "delete" else result


def _object(pairs: list[tuple[str, Text]], indent: str) -> list[str]:
    grouped: dict[str, list[Text]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    lines = []
    for name, texts in grouped.items():
        shown = js_string(texts[0]) if len(texts) == 1 else "[" + ", ".join(js_string(t) for t in texts) + "]"
        lines.append(f"{indent}{c_string(name)}: {shown},")
    return lines


def _library(exported: ExportRequest, profile: Profile) -> str:
    body = ["const response = await client.request({"]
    body.append(f"  method: {c_string(exported.method.lower())},")
    body.append(f"  uri: {js_string(exported.url)},")
    if exported.params:
        body += ["  params: {", *_object(exported.params, "    "), "  },"]
    if exported.form is not None:
        body += ["  data: {", *_object(exported.form, "    "), "  },"]
    if exported.headers:
        body += ["  headers: {", *_object(exported.headers, "    "), "  },"]
    if exported.credentials is not None and not profile_credentials(exported, profile):
        body.append(f"  username: {js_string(exported.credentials[0])},")
        body.append(f"  password: {js_string(exported.credentials[1])},")
    body += ["});", "console.log(response.statusCode);", "console.log(response.body);"]
    head = ['const twilio = require("twilio");', "", _client(profile, located=False), ""]
    return _main(body, exported.notes, head)


def _fetch(exported: ExportRequest) -> str:
    body = [f"const url = new URL({js_string(exported.url)});"]
    for name, value in exported.params:
        body.append(f"url.searchParams.append({c_string(name)}, {js_string(value)});")
    headers = [(c_string(name), js_string(value)) for name, value in exported.headers]
    has_type = any(name.lower() == "content-type" for name, _ in exported.headers)
    payload = None
    if exported.form is not None:
        pairs = ", ".join(f"[{c_string(n)}, {js_string(v)}]" for n, v in exported.form)
        payload = f"new URLSearchParams([{pairs}])"
    elif exported.json is not None:
        payload = f"JSON.stringify({js_value(exported.json)})"
        if not has_type:
            headers.append((c_string("Content-Type"), c_string("application/json")))
    elif exported.body is not None:
        payload = js_string(exported.body)
    if exported.credentials is not None:
        user, secret = exported.credentials
        token = f'Buffer.from({js_string(user)} + ":" + {js_string(secret)}).toString("base64")'
        headers.append((c_string("Authorization"), f'"Basic " + {token}'))
    body.append("const response = await fetch(url, {")
    body.append(f"  method: {c_string(exported.method)},")
    if headers:
        body += ["  headers: [", *[f"    [{n}, {v}]," for n, v in headers], "  ],"]
    if payload is not None:
        body.append(f"  body: {payload},")
    body.append(f"  redirect: {c_string('follow' if exported.follow_redirects else 'manual')},")
    if exported.timeout is not None:
        body.append(f"  signal: AbortSignal.timeout({round(exported.timeout * 1000)}),")
    body += ["});", "console.log(response.status, response.statusText);", "console.log(await response.text());"]
    return _main(body, exported.notes, [])


def to_node(
    request: Request,
    profile: Profile,
    values: Mapping[str, str],
    *,
    secret_names: AbstractSet[str] = (),
) -> str:
    """A runnable Node.js snippet for the request (twilio-node, or fetch; see the module docstring).

    Raises:
        UnknownVariableError: a variable has no value.
        ExportError: the snippet would reveal a secret.
    """
    return snippet_for(request, profile, values, secret_names, _helper, _library, _fetch)
