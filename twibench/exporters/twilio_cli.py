"""Export a request as a twilio-cli command (`twilio api:core:messages:create --to … --body …`).

twilio-cli generates one command per operation of Twilio's OpenAPI specs: the topic is the API
(`api:core` for 2010-04-01, `api:messaging:v1`…) followed by the resource path in kebab case, the
command is the action (create, fetch, list, update, remove), and each parameter is a kebab-case flag.
twilio-cli authenticates with its own active profile (or the TWILIO_* environment variables), so the
command holds no credentials at all.

A request twilio-cli cannot express — not an operation of the bundled specs, a JSON or raw body, custom
headers, credentials other than the profile's — has no equivalent: `to_twilio_cli` returns None and
`twibench export twilio-cli` says so (exit 2) rather than print a command that does something else.
"""

from __future__ import annotations

import re
from collections.abc import Collection as AbstractSet
from collections.abc import Mapping

from twibench import variables
from twibench.collection import Request
from twibench.exporters import shell
from twibench.exporters.rendering import ACCOUNT_ENV, Env, Text, export_request
from twibench.profiles import Profile
from twibench.spec.openapi import OperationDoc, split_words

_ACTIONS = {"Create": "create", "Fetch": "fetch", "List": "list", "Update": "update", "Delete": "remove"}
_VERSION = re.compile(r"^(?:\d{4}-\d{2}-\d{2}|v\d+)$")
_PARAM = re.compile(r"\{[^{}/]+\}")
_HARMLESS_HEADERS = ("accept", "user-agent")


def kebab(name: str) -> str:
    """`MediaUrl` → `media-url`; `DateSent<` → `date-sent-before`; `DateSent>` → `date-sent-after`."""
    suffix = "-before" if name.endswith("<") else "-after" if name.endswith(">") else ""
    return "-".join(w.lower() for w in split_words(name.rstrip("<>"))) + suffix


def command_name(doc: OperationDoc) -> str | None:
    """`api:core:messages:create` for CreateMessage; None when the action cannot be told."""
    prefix = re.match(r"[A-Z][a-z]+", doc.operation_id or "")
    action = _ACTIONS.get(prefix.group(0)) if prefix else None
    if action is None:
        return None
    host = doc.server.split("://", 1)[-1].split(".", 1)[0]
    segments = [s for s in doc.path.split("/") if s]
    version = segments.pop(0) if segments and _VERSION.match(segments[0]) else ""
    if host == "api" and version == "2010-04-01":
        topic = ["api", "core"]
        if len(segments) > 2 and segments[0] == "Accounts" and _PARAM.fullmatch(segments[1]):
            segments = segments[2:]
    else:
        topic = ["api", host] + ([version] if version else [])
    resources = [kebab(s.removesuffix(".json")) for s in segments if not _PARAM.search(s.removesuffix(".json"))]
    return ":".join([*topic, *resources, action])


def _flag_value(value: Text) -> str:
    return shell.quote(value)


def missing_reason(request: Request) -> str | None:
    """Why twilio-cli has no command for the request, or None when it has one."""
    from twibench.spec import docs as spec_docs

    doc = spec_docs.find_operation(request.method, request.url)
    if doc is None:
        return f"{request.method} {request.url} is not an operation of Twilio's bundled API specs"
    if request.auth.mode != "profile":
        return "it does not use the profile's credentials, and twilio-cli always does"
    if request.json is not None or request.body is not None:
        return "it sends a JSON or raw body, and twilio-cli sends form parameters only"
    custom = [name for name, _ in request.headers if name.lower() not in _HARMLESS_HEADERS]
    if custom:
        return f"it sets the header {custom[0]}, which twilio-cli cannot send"
    if command_name(doc) is None:
        return f"twilio-cli has no command for the operation {doc.operation_id or doc.title}"
    return None


def to_twilio_cli(
    request: Request,
    profile: Profile,
    values: Mapping[str, str],
    *,
    secret_names: AbstractSet[str] = (),
) -> str | None:
    """The twilio-cli command for the request, or None when twilio-cli has no equivalent (see above).

    Raises:
        UnknownVariableError: a variable has no value.
        ExportError: the command would reveal a secret.
    """
    from twibench.spec import docs as spec_docs

    doc = spec_docs.find_operation(request.method, request.url)
    name = command_name(doc) if doc is not None else None
    if doc is None or name is None or missing_reason(request) is not None:
        return None
    exported = export_request(request, profile, values, secret_names=secret_names)
    merged = {**profile.builtin_variables(), **values}
    flags: list[list[str]] = []
    for param, template in spec_docs.path_arguments(doc, request.url).items():
        rendered = variables.render(template, merged, f"the URL's {param}")
        if param == "AccountSid" and rendered == profile.account_sid:
            continue  # twilio-cli fills in its profile's account
        shown: Text = (Env(ACCOUNT_ENV),) if rendered == profile.account_sid else (rendered,)
        flags.append([f"--{kebab(param)}", _flag_value(shown)])
    for param, value in [*exported.params, *(exported.form or [])]:
        flags.append([f"--{kebab(param)}", _flag_value(value)])
    return shell.command([["twilio", name], *flags])
