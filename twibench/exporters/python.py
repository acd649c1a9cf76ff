"""Export a request as a Python snippet: Twilio's helper library where it is idiomatic, httpx otherwise.

Messages, Accounts and API Keys get the official helper library's calls
(`client.messages.create(to=…, from_=…, body=…)`), as Twilio's docs show them; every other request gets
a plain httpx call. Either way the credentials come from `os.environ`, never from the snippet.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Collection as AbstractSet
from collections.abc import Mapping
from typing import Any

from twibench.collection import Request
from twibench.exporters.rendering import ACCOUNT_ENV, Env, ExportRequest, Text, credential_env, export_request
from twibench.profiles import Profile
from twibench.spec.openapi import snake_case

# operationId → (the resource expression, the method, how the result is called, whether it takes a SID)
_HELPER = {
    "CreateMessage": ("client.messages", "create", "message", False),
    "ListMessage": ("client.messages", "list", "message", False),
    "FetchMessage": ("client.messages", "fetch", "message", True),
    "UpdateMessage": ("client.messages", "update", "message", True),
    "DeleteMessage": ("client.messages", "delete", "deleted", True),
    "CreateAccount": ("client.api.v2010.accounts", "create", "account", False),
    "ListAccount": ("client.api.v2010.accounts", "list", "account", False),
    "FetchAccount": ("client.api.v2010.accounts", "fetch", "account", True),
    "UpdateAccount": ("client.api.v2010.accounts", "update", "account", True),
    "CreateNewKey": ("client.new_keys", "create", "key", False),
    "ListKey": ("client.keys", "list", "key", False),
    "FetchKey": ("client.keys", "fetch", "key", True),
    "UpdateKey": ("client.keys", "update", "key", True),
    "DeleteKey": ("client.keys", "delete", "deleted", True),
}
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")
_LIST_PARAMETERS = ("MediaUrl", "PersistentAction")
"""Parameters the helper library takes as a list even when there is one value."""


def python_string(text: Text) -> str:
    """A Python expression for exported text: a literal, `os.environ[...]`, or their concatenation."""
    parts = [repr(p) if isinstance(p, str) else f"os.environ[{p.name!r}]" for p in text if p != ""]
    return " + ".join(parts) or "''"


def python_value(value: Any) -> str:
    """A Python expression for a rendered JSON value (strings are `Text`)."""
    if isinstance(value, tuple):
        return python_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(python_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {python_value(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _keyword(name: str) -> str | None:
    """The helper library's argument for a Twilio parameter (`From` → `from_`, `DateSent<` → `date_sent_before`)."""
    suffix = "_before" if name.endswith("<") else "_after" if name.endswith(">") else ""
    word = snake_case(name.rstrip("<>")) + suffix
    if not _IDENTIFIER.fullmatch(word):
        return None
    return word + "_" if keyword.iskeyword(word) else word


def _client(profile: Profile) -> str:
    user, secret = credential_env(profile)
    args = [f"os.environ[{user!r}]", f"os.environ[{secret!r}]"]
    if profile.kind == "api_key":
        args.append(f"os.environ[{ACCOUNT_ENV!r}]")
    if profile.region:
        args.append(f"region={profile.region!r}")
    if profile.edge:
        args.append(f"edge={profile.edge!r}")
    return f"client = Client({', '.join(args)})"


def _typed(text: Text, kind: str | None) -> str:
    """A literal as the helper library wants it: `20` for an integer parameter, `True` for a boolean."""
    value = "".join(p for p in text if isinstance(p, str)) if all(isinstance(p, str) for p in text) else None
    if value is not None and kind == "integer" and re.fullmatch(r"-?\d+", value):
        return str(int(value))
    if value is not None and kind == "boolean" and value.lower() in ("true", "false"):
        return "True" if value.lower() == "true" else "False"
    return python_string(text)


def _grouped(pairs: list[tuple[str, Text]]) -> dict[str, list[Text]]:
    """Repeated names gathered into lists, in order of first appearance."""
    grouped: dict[str, list[Text]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    return grouped


def _helper_snippet(
    request: Request, exported: ExportRequest, profile: Profile, merged: Mapping[str, str]
) -> str | None:
    """The helper-library snippet, or None when the request is not one of its idiomatic calls."""
    from twibench import variables
    from twibench.spec import docs as spec_docs

    doc = spec_docs.find_operation(request.method, request.url)
    if doc is None or doc.operation_id not in _HELPER or request.auth.mode != "profile":
        return None
    if exported.headers or exported.json is not None or exported.body is not None or not exported.account_is_profile:
        return None
    if not exported.base.endswith("twilio.com") or exported.follow_redirects or exported.timeout is not None:
        return None
    resource, method, result, takes_sid = _HELPER[doc.operation_id]
    kinds = {p.name: p.items if p.type == "array" else p.type for p in doc.parameters}
    arguments: list[str] = []
    for name, texts in _grouped([*exported.params, *(exported.form or [])]).items():
        keyword = _keyword(name)
        if keyword is None:
            return None
        listed = name in _LIST_PARAMETERS or len(texts) > 1
        values = [_typed(t, kinds.get(name)) for t in texts]
        shown = "[" + ", ".join(values) + "]" if listed else values[0]
        arguments.append(f"{keyword}={shown}")
    target = resource
    if takes_sid:
        template = spec_docs.path_arguments(doc, request.url).get("Sid")
        if template is None:
            return None
        sid = variables.render(template, merged, "the URL's Sid")
        shown_sid = python_string((Env(ACCOUNT_ENV),)) if sid == profile.account_sid else repr(sid)
        target = f"{resource}({shown_sid})"
    call = f"{target}.{method}({', '.join(arguments)})"
    lines = ["import os", "", "from twilio.rest import Client", "", _client(profile)]
    if method == "list":
        lines += [f"for {result} in {call}:", f"    print({result}.sid)"]
    elif method == "delete":
        lines += [f"{result} = {call}", f"print({result})"]
    else:
        lines += [f"{result} = {call}", f"print({result}.sid)"]
    return "\n".join(lines) + "\n"


def _httpx_snippet(exported: ExportRequest) -> str:
    args = [repr(exported.method), python_string(exported.url)]
    if exported.params:
        args.append("params=[" + ", ".join(f"({n!r}, {python_string(v)})" for n, v in exported.params) + "]")
    if exported.headers:
        args.append("headers=[" + ", ".join(f"({n!r}, {python_string(v)})" for n, v in exported.headers) + "]")
    if exported.form is not None:
        items = [
            f"{n!r}: " + (python_string(v[0]) if len(v) == 1 else "[" + ", ".join(python_string(x) for x in v) + "]")
            for n, v in _grouped(exported.form).items()
        ]
        args.append("data={" + ", ".join(items) + "}")
    elif exported.json is not None:
        args.append(f"json={python_value(exported.json)}")
    elif exported.body is not None:
        args.append(f"content={python_string(exported.body)}")
    if exported.credentials is not None:
        user, secret = exported.credentials
        args.append(f"auth=({python_string(user)}, {python_string(secret)})")
    if exported.follow_redirects:
        args.append("follow_redirects=True")
    if exported.timeout is not None:
        args.append(f"timeout={exported.timeout!r}")
    lines = ["import os", "", "import httpx", ""]
    lines += [f"# {note}" for note in exported.notes]
    lines.append("response = httpx.request(")
    lines += [f"    {arg}," for arg in args]
    lines += [")", "print(response.status_code, response.reason_phrase)", "print(response.text)"]
    return "\n".join(lines) + "\n"


def to_python(
    request: Request,
    profile: Profile,
    values: Mapping[str, str],
    *,
    secret_names: AbstractSet[str] = (),
) -> str:
    """A runnable Python snippet for the request (helper library or httpx; see the module docstring).

    Raises:
        UnknownVariableError: a variable has no value.
        ExportError: the snippet would reveal a secret.
    """
    exported = export_request(request, profile, values, secret_names=secret_names)
    merged = {**profile.builtin_variables(), **values}
    return _helper_snippet(request, exported, profile, merged) or _httpx_snippet(exported)
