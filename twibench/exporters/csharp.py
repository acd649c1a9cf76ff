"""Export a request as a C# snippet (top-level statements): twilio-csharp where it is idiomatic.

Messages, Accounts and API Keys get the resource calls (`MessageResource.Create(to: new PhoneNumber(…),
…)`); other requests with credentials go through `TwilioClient.GetRestClient().Request(new Request(…))`;
a request without credentials, with a JSON or raw body, or with options the library cannot send uses
`System.Net.Http.HttpClient`, so the library never adds credentials the request did not have.
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
    c_string,
    camel,
    joined,
    profile_credentials,
    snippet_for,
)
from twibench.exporters.rendering import ACCOUNT_ENV, Env, ExportRequest, Text, credential_env
from twibench.profiles import Profile

_RESOURCES = {
    "messages": ("MessageResource", "Twilio.Rest.Api.V2010.Account", "message"),
    "accounts": ("AccountResource", "Twilio.Rest.Api.V2010", "account"),
    "keys": ("KeyResource", "Twilio.Rest.Api.V2010.Account", "key"),
    "new_keys": ("NewKeyResource", "Twilio.Rest.Api.V2010.Account", "key"),
}
_ACTIONS = {"create": "Create", "list": "Read", "fetch": "Fetch", "update": "Update", "delete": "Delete"}
_KEYWORDS = {"from", "params", "event", "object", "string", "base", "default", "operator", "in", "out", "ref"}


def cs_string(text: Text) -> str:
    """A C# expression for exported text: literals and `Environment.GetEnvironmentVariable("NAME")`."""
    return joined(text, c_string, lambda name: f"Environment.GetEnvironmentVariable({c_string(name)})")


def _value(argument: Argument, index: int) -> str | None:
    """The argument's value in the type twilio-csharp declares for it; None when we cannot write it."""
    literal = argument.literal(index)
    text = cs_string(argument.values[index])
    kind = argument.kind
    if kind in ("string", "enum"):  # the library's enums convert implicitly from strings
        return text
    if kind == "phone-number":
        return f"new PhoneNumber({text})"
    if kind == "uri":
        return f"new Uri({text})"
    if literal is None:
        return None
    if kind == "integer" and literal.lstrip("-").isdigit():
        return str(int(literal))
    if kind == "boolean" and literal.lower() in ("true", "false"):
        return literal.lower()
    if kind == "number":
        return f"decimal.Parse({c_string(literal)}, System.Globalization.CultureInfo.InvariantCulture)"
    if kind == "date-time":
        return f"DateTime.Parse({c_string(literal)}, System.Globalization.CultureInfo.InvariantCulture)"
    return None


def _element_type(kind: str) -> str:
    return {"uri": "Uri", "phone-number": "PhoneNumber"}.get(kind, "string")


def _init(profile: Profile, *, located: bool) -> list[str]:
    user, secret = credential_env(profile)
    args = [cs_string((Env(user),)), cs_string((Env(secret),))]
    if profile.kind == "api_key":
        args.append(cs_string((Env(ACCOUNT_ENV),)))
    lines = [f"TwilioClient.Init({', '.join(args)});"]
    if located and profile.region:
        lines.append(f"TwilioClient.SetRegion({c_string(profile.region)});")
    if located and profile.edge:
        lines.append(f"TwilioClient.SetEdge({c_string(profile.edge)});")
    return lines


def _helper(operation: Operation, profile: Profile) -> str | None:
    resource, namespace, result = _RESOURCES[operation.resource]
    arguments: list[str] = []
    if operation.sid is not None:
        arguments.append(f"pathSid: {cs_string(operation.sid)}")
    for argument in operation.arguments:
        values = [_value(argument, i) for i in range(len(argument.values))]
        if any(v is None for v in values):
            return None
        name = camel(argument.words())
        name = "@" + name if name in _KEYWORDS and name != "from" else name
        if argument.listed:
            shown = f"new List<{_element_type(argument.kind)}> {{ {', '.join(v for v in values if v)} }}"
        else:
            shown = str(values[0])
        arguments.append(f"{name}: {shown}")
    head = ["using System;", "using System.Collections.Generic;", "using Twilio;", f"using {namespace};"]
    head += ["using Twilio.Types;", "", *_init(profile, located=True), ""]
    call = f"{resource}.{_ACTIONS[operation.action]}("
    if arguments:
        call += "\n" + ",\n".join(f"    {a}" for a in arguments) + "\n"
    call += ");"
    if operation.action == "list":
        body = [
            f"var {result}s = {call}",
            f"foreach (var record in {result}s)",
            "{",
            "    Console.WriteLine(record.Sid);",
            "}",
        ]
    elif operation.action == "delete":
        body = [f"var deleted = {call}", "Console.WriteLine(deleted);"]
    else:
        body = [f"var {result} = {call}", f"Console.WriteLine({result}.Sid);"]
    return "\n".join([*head, *body]) + "\n"


def _library(exported: ExportRequest, profile: Profile) -> str:
    method = exported.method.capitalize()
    lines = ["using System;", "using Twilio;", "using Twilio.Clients;", "using Twilio.Http;", ""]
    lines += [f"// {note}" for note in exported.notes]
    lines += _init(profile, located=False)
    client = "TwilioClient.GetRestClient()"
    if exported.credentials is not None and not profile_credentials(exported, profile):
        user, secret = exported.credentials
        lines.append(f"var client = new TwilioRestClient({cs_string(user)}, {cs_string(secret)});")
        client = "client"
    lines.append(f"var request = new Request(HttpMethod.{method}, {cs_string(exported.url)});")
    for name, value in exported.params:
        lines.append(f"request.AddQueryParam({c_string(name)}, {cs_string(value)});")
    for name, value in exported.form or []:
        lines.append(f"request.AddPostParam({c_string(name)}, {cs_string(value)});")
    for name, value in exported.headers:
        lines.append(f"request.AddHeaderParam({c_string(name)}, {cs_string(value)});")
    lines += [f"var response = {client}.Request(request);", "Console.WriteLine((int)response.StatusCode);"]
    lines.append("Console.WriteLine(response.Content);")
    return "\n".join(lines) + "\n"


def _query(exported: ExportRequest) -> str:
    url = cs_string(exported.url)
    for index, (name, value) in enumerate(exported.params):
        prefix = ("?" if index == 0 else "&") + quote_plus(name) + "="
        url += f" + {c_string(prefix)} + Uri.EscapeDataString({cs_string(value)})"
    return url


def _http(exported: ExportRequest) -> str:
    lines = ["using System;", "using System.Collections.Generic;", "using System.Net.Http;"]
    lines += ["using System.Net.Http.Headers;", "using System.Text;", ""]
    lines += [f"// {note}" for note in exported.notes]
    redirects = "true" if exported.follow_redirects else "false"
    lines.append(f"using var http = new HttpClient(new HttpClientHandler {{ AllowAutoRedirect = {redirects} }});")
    if exported.timeout is not None:
        lines.append(f"http.Timeout = TimeSpan.FromMilliseconds({round(exported.timeout * 1000)});")
    lines.append(
        f"var request = new HttpRequestMessage(new HttpMethod({c_string(exported.method)}), {_query(exported)});"
    )
    content_type: Text | None = None
    if exported.form is not None:
        pairs = ", ".join(f"new KeyValuePair<string, string>({c_string(n)}, {cs_string(v)})" for n, v in exported.form)
        lines.append(
            f"request.Content = new FormUrlEncodedContent(new List<KeyValuePair<string, string>> {{ {pairs} }});"
        )
    elif exported.json is not None:
        lines.append(f"request.Content = new StringContent({cs_string(json_text(exported.json))}, Encoding.UTF8);")
        content_type = ("application/json",)
    elif exported.body is not None:
        lines.append(f"request.Content = new StringContent({cs_string(exported.body)}, Encoding.UTF8);")
    for name, value in exported.headers:
        if name.lower() == "content-type" and (exported.json is not None or exported.body is not None):
            content_type = value
            continue
        lines.append(f"request.Headers.TryAddWithoutValidation({c_string(name)}, {cs_string(value)});")
    if content_type is not None:
        lines.append('request.Content!.Headers.Remove("Content-Type");')
        lines.append(f'request.Content.Headers.TryAddWithoutValidation("Content-Type", {cs_string(content_type)});')
    if exported.credentials is not None:
        user, secret = exported.credentials
        token = f'Convert.ToBase64String(Encoding.UTF8.GetBytes({cs_string(user)} + ":" + {cs_string(secret)}))'
        lines.append(f'request.Headers.Authorization = new AuthenticationHeaderValue("Basic", {token});')
    lines += [
        "var response = await http.SendAsync(request);",
        'Console.WriteLine((int)response.StatusCode + " " + response.ReasonPhrase);',
        "Console.WriteLine(await response.Content.ReadAsStringAsync());",
    ]
    return "\n".join(lines) + "\n"


def to_csharp(
    request: Request,
    profile: Profile,
    values: Mapping[str, str],
    *,
    secret_names: AbstractSet[str] = (),
) -> str:
    """A C# snippet for the request (twilio-csharp, or HttpClient; see the module docstring).

    Raises:
        UnknownVariableError: a variable has no value.
        ExportError: the snippet would reveal a secret.
    """
    return snippet_for(request, profile, values, secret_names, _helper, _library, _http)
