"""Export a request as a curl command that reads the credentials from the environment.

The command is the one Twilio's docs would show: the real API host, one `--data-urlencode` per form
field (curl encodes the value, so `+`, `&`, `=`, quotes and newlines arrive intact), and `-u` with
`$TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN` (or the API key pair) — never a secret.
"""

from __future__ import annotations

import json
from collections.abc import Collection as AbstractSet
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote_plus

from twibench.collection import Request
from twibench.exporters import shell
from twibench.exporters.rendering import Env, ExportRequest, Text, export_request
from twibench.profiles import Profile


def _encode(text: Text) -> Text:
    """URL-encode the literal parts of a query value; references stay for the shell to expand."""
    return tuple(quote_plus(p, safe="") if isinstance(p, str) else p for p in text)


def _query(exported: ExportRequest) -> Text:
    pieces: list[str | Env] = []
    for index, (name, value) in enumerate(exported.params):
        pieces.append(("?" if index == 0 else "&") + quote_plus(name) + "=")
        pieces.extend(_encode(value))
    return tuple(pieces)


def json_text(value: Any) -> Text:
    """The JSON body as text, with references inside strings kept as references."""
    marks: dict[str, Env] = {}

    def plain(item: Any) -> Any:
        if isinstance(item, tuple):
            out = ""
            for part in item:
                if isinstance(part, Env):
                    key = f"\ue000{len(marks)}\ue001"
                    marks[key] = part
                    out += key
                else:
                    out += part
            return out
        if isinstance(item, list):
            return [plain(v) for v in item]
        if isinstance(item, dict):
            return {k: plain(v) for k, v in item.items()}
        return item

    text = json.dumps(plain(value), ensure_ascii=False)
    pieces: list[str | Env] = []
    for chunk in _split_marks(text, marks):
        pieces.append(chunk)
    return tuple(pieces)


def _split_marks(text: str, marks: dict[str, Env]) -> list[str | Env]:
    if not marks:
        return [text]
    out: list[str | Env] = []
    rest = text
    while rest:
        positions = [(rest.find(key), key) for key in marks if key in rest]
        if not positions:
            out.append(rest)
            break
        at, key = min(positions)
        if at:
            out.append(rest[:at])
        out.append(marks[key])
        rest = rest[at + len(key) :]
    return out


def render_curl(exported: ExportRequest) -> str:
    """The curl command for an already rendered request."""
    first = ["curl"]
    if exported.method == "HEAD":
        first.append("--head")
    elif exported.method != "GET" or any(b is not None for b in (exported.form, exported.json, exported.body)):
        first += ["-X", exported.method]
    first.append(shell.quote(exported.url + _query(exported)))
    lines = [first]
    for name, value in exported.headers:
        lines.append(["-H", shell.quote((f"{name}: ", *value))])
    has_type = any(name.lower() == "content-type" for name, _ in exported.headers)
    if exported.form is not None:
        for name, value in exported.form:
            lines.append(["--data-urlencode", shell.quote((f"{quote_plus(name)}=", *value))])
    elif exported.json is not None:
        if not has_type:
            lines.append(["-H", shell.quote(("Content-Type: application/json",))])
        lines.append(["--data-raw", shell.quote(json_text(exported.json))])
    elif exported.body is not None:
        lines.append(["--data-raw", shell.quote(exported.body)])
    if exported.credentials is not None:
        user, secret = exported.credentials
        lines.append(["-u", shell.quote((*user, ":", *secret))])
    if exported.follow_redirects:
        lines.append(["-L"])
    if exported.timeout is not None:
        lines.append(["--max-time", f"{exported.timeout:g}"])
    comments = [f"# {note}" for note in exported.notes]
    return "\n".join([*comments, shell.command(lines)])


def to_curl(
    request: Request,
    profile: Profile,
    values: Mapping[str, str],
    *,
    secret_names: AbstractSet[str] = (),
) -> str:
    """The request as a curl command; credentials and the profile's account come from the environment.

    Args:
        request: the request (templates unrendered).
        profile: decides the host and the credential variables ($TWILIO_AUTH_TOKEN or the API key pair).
        values: the merged variables, as for sending (`client.values_for`).
        secret_names: variables holding captured secrets, written as environment references.

    Raises:
        UnknownVariableError: a variable has no value.
        ExportError: the command would reveal a secret.
    """
    return render_curl(export_request(request, profile, values, secret_names=secret_names))
