"""What the helper-library exporters share: which Twilio operation a request is, with typed arguments.

Twilio's helper libraries (twilio-node, -csharp, -java, -php, -ruby, -go) all generate one call per
operation of the same OpenAPI specs, so the decision "is this request `CreateMessage` with these
parameters?" is made once here, from the bundled spec, exactly as `python.py` makes it. Each language
module then only spells the call (`client.messages.create({...})`, `MessageResource.Create(...)`).

A request that is not one of those operations, or that the idiomatic call cannot reproduce exactly
(custom headers, another account, a JSON body, a parameter the library types in a way we do not write),
gets no `Operation`; the language module then writes the library's generic request call, or the
language's own HTTP client when the library would add credentials the request must not send.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from collections.abc import Collection as AbstractSet
from dataclasses import dataclass

from twibench.collection import Request
from twibench.exporters.rendering import ACCOUNT_ENV, Env, ExportRequest, Text, credential_env, export_request
from twibench.profiles import Profile
from twibench.spec.openapi import split_words

# operationId → (resource, action, whether the call takes the SID)
_RESOURCES = {
    "CreateMessage": ("messages", "create", False),
    "ListMessage": ("messages", "list", False),
    "FetchMessage": ("messages", "fetch", True),
    "UpdateMessage": ("messages", "update", True),
    "DeleteMessage": ("messages", "delete", True),
    "CreateAccount": ("accounts", "create", False),
    "ListAccount": ("accounts", "list", False),
    "FetchAccount": ("accounts", "fetch", True),
    "UpdateAccount": ("accounts", "update", True),
    "CreateNewKey": ("new_keys", "create", False),
    "ListKey": ("keys", "list", False),
    "FetchKey": ("keys", "fetch", True),
    "UpdateKey": ("keys", "update", True),
    "DeleteKey": ("keys", "delete", True),
}
_NOT_ARGUMENTS = ("Page", "PageToken")
"""List parameters the libraries page through themselves: a request setting them is sent generically."""
LIST_PARAMETERS = ("MediaUrl", "PersistentAction")
"""Parameters the helper libraries take as a list even when there is one value."""
_URI_LISTS = ("MediaUrl",)
"""List parameters whose items the libraries type as URIs (the spec index keeps only the item type)."""
LIBRARY_METHODS = ("GET", "POST", "DELETE")
"""The methods every helper library's generic request call can send (Twilio's API uses only these)."""


@dataclass(frozen=True)
class Argument:
    """One parameter of the idiomatic call."""

    name: str
    """Twilio's name: `To`, `MediaUrl`, `DateSent<`."""
    values: tuple[Text, ...]
    kind: str
    """`string`, `phone-number`, `uri`, `integer`, `boolean`, `number`, `date-time` or `enum`."""
    listed: bool
    """Passed as a list (a list parameter, or a name repeated in the request)."""

    def words(self) -> list[str]:
        """`DateSent<` → [Date, Sent, Before]: the words each language joins in its own case."""
        suffix = ["Before"] if self.name.endswith("<") else ["After"] if self.name.endswith(">") else []
        return [*split_words(self.name.rstrip("<>")), *suffix]

    def literal(self, index: int = 0) -> str | None:
        """The value as plain text when it has no environment reference (for typed literals)."""
        text = self.values[index]
        return "".join(p for p in text if isinstance(p, str)) if all(isinstance(p, str) for p in text) else None


@dataclass(frozen=True)
class Operation:
    """A request that is one of the helper libraries' idiomatic calls."""

    operation_id: str
    resource: str
    """`messages`, `accounts`, `keys` or `new_keys`."""
    action: str
    """`create`, `list`, `fetch`, `update` or `delete`."""
    sid: Text | None
    arguments: tuple[Argument, ...]


def camel(words: list[str]) -> str:
    """[Media, Url] → mediaUrl."""
    return words[0].lower() + "".join(w[:1].upper() + w[1:].lower() for w in words[1:])


def pascal(words: list[str]) -> str:
    """[Media, Url] → MediaUrl."""
    return "".join(w[:1].upper() + w[1:].lower() for w in words)


def snake(words: list[str]) -> str:
    """[Media, Url] → media_url."""
    return "_".join(w.lower() for w in words)


def _kind(doc_type: str, doc_format: str | None, items: str | None, enum: tuple[str, ...]) -> str:
    if enum:
        return "enum"
    if doc_type == "array":
        return items or "string"
    if doc_format in ("phone-number", "uri", "date-time"):
        return doc_format
    return doc_type


def _grouped(pairs: list[tuple[str, Text]]) -> dict[str, list[Text]]:
    grouped: dict[str, list[Text]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    return grouped


def find(request: Request, exported: ExportRequest, profile: Profile, values: Mapping[str, str]) -> Operation | None:
    """The idiomatic operation for the request, or None (see the module docstring)."""
    from twibench import variables
    from twibench.spec import docs as spec_docs

    doc = spec_docs.find_operation(request.method, request.url)
    if doc is None or doc.operation_id not in _RESOURCES or request.auth.mode != "profile":
        return None
    if exported.headers or exported.json is not None or exported.body is not None or not exported.account_is_profile:
        return None
    if not exported.base.endswith("twilio.com") or exported.follow_redirects or exported.timeout is not None:
        return None
    resource, action, takes_sid = _RESOURCES[doc.operation_id]
    params = {p.name: p for p in doc.parameters if p.location in ("query", "form")}
    arguments: list[Argument] = []
    for name, texts in _grouped([*exported.params, *(exported.form or [])]).items():
        param = params.get(name)
        if param is None or name in _NOT_ARGUMENTS or not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*[<>]?", name):
            return None
        kind = "uri" if name in _URI_LISTS else _kind(param.type, param.format, param.items, param.enum)
        listed = param.type == "array" or name in LIST_PARAMETERS or len(texts) > 1
        arguments.append(Argument(name, tuple(texts), kind, listed))
    sid: Text | None = None
    if takes_sid:
        template = spec_docs.path_arguments(doc, request.url).get("Sid")
        if template is None:
            return None
        merged = {**profile.builtin_variables(), **values}
        rendered = variables.render(template, merged, "the URL's Sid")
        sid = (Env(ACCOUNT_ENV),) if rendered == profile.account_sid else (rendered,)
    return Operation(doc.operation_id, resource, action, sid, tuple(arguments))


def library_can_send(exported: ExportRequest) -> bool:
    """True when the helper library's generic request call sends exactly this request.

    It always adds credentials, so a request without them (`auth: none`) must not go through it; and
    it sends form parameters only, with the methods Twilio's API uses.
    """
    return (
        exported.credentials is not None
        and exported.json is None
        and exported.body is None
        and exported.method in LIBRARY_METHODS
        and not exported.follow_redirects
        and exported.timeout is None
    )


def profile_credentials(exported: ExportRequest, profile: Profile) -> bool:
    """True when the request signs with the profile's own credentials (the client's), not other ones."""
    user, secret = credential_env(profile)
    return exported.credentials == ((Env(user),), (Env(secret),))


def prepare(
    request: Request,
    profile: Profile,
    values: Mapping[str, str],
    secret_names: AbstractSet[str],
) -> tuple[ExportRequest, Operation | None]:
    """Render the request for export and find its idiomatic operation.

    Raises:
        UnknownVariableError: a variable has no value.
        ExportError: the snippet would reveal a secret.
    """
    exported = export_request(request, profile, values, secret_names=secret_names)
    return exported, find(request, exported, profile, values)


def snippet_for(
    request: Request,
    profile: Profile,
    values: Mapping[str, str],
    secret_names: AbstractSet[str],
    helper: Callable[[Operation, Profile], str | None],
    library: Callable[[ExportRequest, Profile], str],
    http: Callable[[ExportRequest], str],
) -> str:
    """The one choice every helper-library exporter makes: the library's idiomatic call for a known
    operation (when the language can write it), else its generic request call when that sends exactly
    this request, else the language's own HTTP client (so no Twilio credentials go to another host).

    Raises:
        UnknownVariableError: a variable has no value.
        ExportError: the snippet would reveal a secret.
    """
    exported, operation = prepare(request, profile, values, secret_names)
    snippet = helper(operation, profile) if operation is not None else None
    if snippet is not None:
        return snippet
    if library_can_send(exported):
        return library(exported, profile)
    return http(exported)


def plain_value(argument: Argument, index: int, string: Callable[[Text], str]) -> str:
    """For dynamically typed languages: an integer or boolean literal bare (`20`, `true`), else `string(…)`."""
    literal = argument.literal(index)
    if literal is not None and argument.kind == "integer" and literal.lstrip("-").isdigit():
        return str(int(literal))
    if literal is not None and argument.kind == "boolean" and literal.lower() in ("true", "false"):
        return literal.lower()
    return string(argument.values[index])


def double_quoted(value: str, escapes: Mapping[str, str]) -> str:
    """A double-quoted literal for PHP or Ruby: `escapes` for the language's specials (its interpolation
    sigil included), `\\u{…}` for control characters and line separators."""
    out = []
    for char in value:
        if char in escapes:
            out.append(escapes[char])
        elif ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F or char in "\u2028\u2029":
            out.append(f"\\u{{{ord(char):x}}}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def c_string(text: str) -> str:
    """A double-quoted literal valid in JavaScript, C#, Java and Go (JSON escapes; line separators escaped)."""
    import json

    quoted = json.dumps(text, ensure_ascii=False)
    for char in ("\u0085", "\u2028", "\u2029"):
        quoted = quoted.replace(char, f"\\u{ord(char):04x}")
    return quoted


def joined(
    text: Text, literal: Callable[[str], str], env: Callable[[str], str], plus: str = " + ", empty: str = '""'
) -> str:
    """Exported text as an expression: literals via `literal`, references via `env`, joined with `plus`."""
    merged: list[str | Env] = []
    for piece in text:
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        elif piece != "":
            merged.append(piece)
    parts = [literal(p) if isinstance(p, str) else env(p.name) for p in merged]
    return plus.join(parts) or empty
