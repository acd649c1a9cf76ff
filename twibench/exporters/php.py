"""Export a request as a PHP script: twilio-php where it is idiomatic, its generic request otherwise.

Messages, Accounts and API Keys get the resource calls (`$client->messages->create($to, [...])`);
other requests with credentials go through `$client->request($method, $uri, $params, $data, …)`; a
request without credentials, with a JSON or raw body, or with options the library cannot send uses PHP's
curl extension, so the library never adds credentials the request did not have.
"""

from __future__ import annotations

from collections.abc import Collection as AbstractSet
from collections.abc import Mapping
from urllib.parse import quote_plus

from twibench.collection import Request
from twibench.exporters.curl import json_text
from twibench.exporters.operations import (
    Argument,
    Operation,
    camel,
    double_quoted,
    joined,
    plain_value,
    profile_credentials,
    snippet_for,
)
from twibench.exporters.rendering import ACCOUNT_ENV, Env, ExportRequest, Text, credential_env
from twibench.profiles import Profile

_RESOURCES = {
    "messages": ("$client->messages", "$message"),
    "accounts": ("$client->api->v2010->accounts", "$account"),
    "keys": ("$client->keys", "$key"),
    "new_keys": ("$client->newKeys", "$key"),
}
_ACTIONS = {"create": "create", "list": "read", "fetch": "fetch", "update": "update", "delete": "delete"}
_ESCAPES = {"\\": "\\\\", '"': '\\"', "$": "\\$", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def php_literal(value: str) -> str:
    """A double-quoted PHP string with every special character escaped (`$` too: no interpolation)."""
    return double_quoted(value, _ESCAPES)


def php_string(text: Text) -> str:
    """A PHP expression for exported text: literals and `getenv("NAME")`, joined with `.`."""
    return joined(text, php_literal, lambda name: f"getenv({php_literal(name)})", plus=" . ", empty='""')


def _value(argument: Argument, index: int) -> str:
    return plain_value(argument, index, php_string)


def _client(profile: Profile, *, located: bool) -> list[str]:
    user, secret = credential_env(profile)
    args = [php_string((Env(user),)), php_string((Env(secret),))]
    if profile.kind == "api_key" or (located and profile.region):
        args.append(php_string((Env(ACCOUNT_ENV),)) if profile.kind == "api_key" else "null")
    if located and profile.region:
        args.append(php_literal(profile.region))
    lines = [f"$client = new Client({', '.join(args)});"]
    if located and profile.edge:
        lines.append(f"$client->setEdge({php_literal(profile.edge)});")
    return lines


def _script(body: list[str], notes: list[str], *, library: bool) -> str:
    lines = ["<?php", ""]
    if library:
        lines += ['require_once __DIR__ . "/vendor/autoload.php";', "", "use Twilio\\Rest\\Client;", ""]
    lines += [f"// {note}" for note in notes]
    return "\n".join([*lines, *body]) + "\n"


def _array(items: list[tuple[str, str]]) -> str:
    return "[" + ", ".join(f"{php_literal(k)} => {v}" for k, v in items) + "]"


def _helper(operation: Operation, profile: Profile) -> str | None:
    resource, result = _RESOURCES[operation.resource]
    target = resource if operation.sid is None else f"{resource}({php_string(operation.sid)})"
    positional: list[str] = []
    options: list[tuple[str, str]] = []
    page_size: str | None = None
    for argument in operation.arguments:
        values = [_value(argument, i) for i in range(len(argument.values))]
        shown = "[" + ", ".join(values) + "]" if argument.listed else values[0]
        if operation.operation_id == "CreateMessage" and argument.name == "To" and not argument.listed:
            positional.append(shown)
        elif operation.action == "list" and argument.name == "PageSize":
            page_size = shown
        else:
            options.append((camel(argument.words()), shown))
    if operation.operation_id == "CreateMessage" and not positional:
        return None  # create() takes `To` first
    arguments = list(positional)
    if options or page_size is not None:
        arguments.append(_array(options))
    if page_size is not None:
        arguments += ["null", page_size]
    call = f"{target}->{_ACTIONS[operation.action]}({', '.join(arguments)});"
    body = [*_client(profile, located=True), ""]
    if operation.action == "list":
        body += [f"{result}s = {call}", f"foreach ({result}s as $record) {{", "    echo $record->sid . PHP_EOL;", "}"]
    elif operation.action == "delete":
        body += [f"$deleted = {call}", "var_dump($deleted);"]
    else:
        body += [f"{result} = {call}", f"echo {result}->sid . PHP_EOL;"]
    return _script(body, [], library=True)


def _pairs(pairs: list[tuple[str, Text]]) -> str:
    grouped: dict[str, list[Text]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    items = [
        (name, php_string(texts[0]) if len(texts) == 1 else "[" + ", ".join(php_string(t) for t in texts) + "]")
        for name, texts in grouped.items()
    ]
    return _array(items)


def _library(exported: ExportRequest, profile: Profile) -> str:
    args = [php_literal(exported.method), php_string(exported.url), _pairs(exported.params)]
    args += [_pairs(exported.form or []), _pairs(exported.headers)]
    if exported.credentials is not None and not profile_credentials(exported, profile):
        args += [php_string(exported.credentials[0]), php_string(exported.credentials[1])]
    body = [*_client(profile, located=False), "", "$response = $client->request("]
    body += [f"    {arg}," for arg in args]
    body += [");", "echo $response->getStatusCode() . PHP_EOL;", "echo json_encode($response->getContent()) . PHP_EOL;"]
    return _script(body, exported.notes, library=True)


def _encoded_pairs(pairs: list[tuple[str, Text]]) -> str:
    return "[" + ", ".join(f"{php_literal(quote_plus(n) + '=')} . urlencode({php_string(v)})" for n, v in pairs) + "]"


def _http(exported: ExportRequest) -> str:
    url = php_string(exported.url)
    if exported.params:
        url += f' . "?" . implode("&", {_encoded_pairs(exported.params)})'
    body = [f"$ch = curl_init({url});"]
    if exported.method == "HEAD":
        body.append("curl_setopt($ch, CURLOPT_NOBODY, true);")
    else:
        body.append(f"curl_setopt($ch, CURLOPT_CUSTOMREQUEST, {php_literal(exported.method)});")
    headers = [php_string((f"{name}: ", *value)) for name, value in exported.headers]
    has_type = any(name.lower() == "content-type" for name, _ in exported.headers)
    payload = None
    if exported.form is not None:
        payload = f'implode("&", {_encoded_pairs(exported.form)})'
    elif exported.json is not None:
        payload = php_string(json_text(exported.json))
        if not has_type:
            headers.append(php_literal("Content-Type: application/json"))
    elif exported.body is not None:
        payload = php_string(exported.body)
    if headers:
        body.append(f"curl_setopt($ch, CURLOPT_HTTPHEADER, [{', '.join(headers)}]);")
    if payload is not None:
        body.append(f"curl_setopt($ch, CURLOPT_POSTFIELDS, {payload});")
    if exported.credentials is not None:
        user, secret = exported.credentials
        body.append(f'curl_setopt($ch, CURLOPT_USERPWD, {php_string(user)} . ":" . {php_string(secret)});')
    if exported.follow_redirects:
        body.append("curl_setopt($ch, CURLOPT_FOLLOWLOCATION, true);")
    if exported.timeout is not None:
        body.append(f"curl_setopt($ch, CURLOPT_TIMEOUT_MS, {round(exported.timeout * 1000)});")
    body += ["curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);", "$body = curl_exec($ch);"]
    body += ["echo curl_getinfo($ch, CURLINFO_RESPONSE_CODE) . PHP_EOL;", "echo $body . PHP_EOL;"]
    return _script(body, exported.notes, library=False)


def to_php(
    request: Request,
    profile: Profile,
    values: Mapping[str, str],
    *,
    secret_names: AbstractSet[str] = (),
) -> str:
    """A PHP script for the request (twilio-php, or the curl extension; see the module docstring).

    Raises:
        UnknownVariableError: a variable has no value.
        ExportError: the snippet would reveal a secret.
    """
    return snippet_for(request, profile, values, secret_names, _helper, _library, _http)
