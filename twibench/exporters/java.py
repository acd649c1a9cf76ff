"""Export a request as a Java class: twilio-java where it is idiomatic, its generic request otherwise.

Messages, Accounts and API Keys get the resource builders (`Message.creator(new PhoneNumber(…), …)
.create()`); other requests with credentials go through `Twilio.getRestClient().request(new Request(…))`;
a request without credentials, with a JSON or raw body, or with options the library cannot send uses
`java.net.http.HttpClient`, so the library never adds credentials the request did not have.
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
    joined,
    pascal,
    profile_credentials,
    snippet_for,
)
from twibench.exporters.rendering import ACCOUNT_ENV, Env, ExportRequest, Text, credential_env
from twibench.profiles import Profile

_RESOURCES = {
    "messages": ("Message", "com.twilio.rest.api.v2010.account.Message", "message"),
    "accounts": ("Account", "com.twilio.rest.api.v2010.Account", "account"),
    "keys": ("Key", "com.twilio.rest.api.v2010.account.Key", "key"),
    "new_keys": ("NewKey", "com.twilio.rest.api.v2010.account.NewKey", "key"),
}
_BUILDERS = {
    "create": ("creator", "create"),
    "list": ("reader", "read"),
    "fetch": ("fetcher", "fetch"),
    "update": ("updater", "update"),
    "delete": ("deleter", "delete"),
}


def java_string(text: Text) -> str:
    """A Java expression for exported text: literals and `System.getenv("NAME")`, joined with `+`."""
    return joined(text, c_string, lambda name: f"System.getenv({c_string(name)})")


def _value(argument: Argument, index: int, imports: set[str]) -> str | None:
    """The value in the type twilio-java declares; None when we cannot write it (enums, dates, references)."""
    literal = argument.literal(index)
    text = java_string(argument.values[index])
    kind = argument.kind
    if kind == "string":
        return text
    if kind == "phone-number":
        imports.add("com.twilio.type.PhoneNumber")
        return f"new PhoneNumber({text})"
    if kind == "uri":
        imports.add("java.net.URI")
        return f"URI.create({text})"
    if literal is None:
        return None
    if kind == "integer" and literal.lstrip("-").isdigit():
        return str(int(literal))
    if kind == "boolean" and literal.lower() in ("true", "false"):
        return literal.lower()
    if kind == "number":
        imports.add("java.math.BigDecimal")
        return f"new BigDecimal({c_string(literal)})"
    return None


def _init(profile: Profile, *, located: bool) -> list[str]:
    user, secret = credential_env(profile)
    names = [user, secret] + ([ACCOUNT_ENV] if profile.kind == "api_key" else [])
    lines = [f"Twilio.init({', '.join(java_string((Env(n),)) for n in names)});"]
    if located and profile.region:
        lines.append(f"Twilio.setRegion({c_string(profile.region)});")
    if located and profile.edge:
        lines.append(f"Twilio.setEdge({c_string(profile.edge)});")
    return lines


def _class(imports: set[str], body: list[str], throws: bool = False) -> str:
    lines = [f"import {name};" for name in sorted(imports)]
    lines += ["", "public class Example {"]
    lines.append("    public static void main(String[] args)" + (" throws Exception" if throws else "") + " {")
    lines += [("        " + line) if line else "" for line in body]
    lines += ["    }", "}"]
    return "\n".join(lines) + "\n"


def _creator_arguments(operation: Operation, rest: list[Argument], imports: set[str]) -> list[str] | None:
    """`Message.creator(to, from|messagingServiceSid, body|mediaUrl)`: the required arguments, taken out of `rest`."""
    if operation.operation_id != "CreateMessage":
        return []
    by_name = {a.name: a for a in rest}
    sender = by_name.get("From") or by_name.get("MessagingServiceSid")
    content = by_name.get("Body") or by_name.get("MediaUrl")
    to = by_name.get("To")
    if to is None or sender is None or content is None or to.listed or sender.listed:
        return None
    chosen = [to, sender, content]
    shown = []
    for argument in chosen:
        values = [_value(argument, i, imports) for i in range(len(argument.values))]
        if any(v is None for v in values):
            return None
        if argument.listed:
            imports.add("java.util.Arrays")
            shown.append(f"Arrays.asList({', '.join(v for v in values if v)})")
        else:
            shown.append(str(values[0]))
        rest.remove(argument)
    return shown


def _helper(operation: Operation, profile: Profile) -> str | None:
    resource, qualified, result = _RESOURCES[operation.resource]
    imports = {"com.twilio.Twilio", qualified}
    rest = list(operation.arguments)
    first = _creator_arguments(operation, rest, imports) if operation.action == "create" else []
    if first is None:
        return None
    if operation.sid is not None:
        first = [java_string(operation.sid)]
    builder, verb = _BUILDERS[operation.action]
    chain = [f"{resource}.{builder}({', '.join(first)})"]
    for argument in rest:
        values = [_value(argument, i, imports) for i in range(len(argument.values))]
        if any(v is None for v in values):
            return None
        if argument.listed:
            imports.add("java.util.Arrays")
            shown = f"Arrays.asList({', '.join(v for v in values if v)})"
        else:
            shown = str(values[0])
        chain.append(f".set{pascal(argument.words())}({shown})")
    chain.append(f".{verb}();")
    call = [chain[0], *["    " + link for link in chain[1:]]]
    body = [*_init(profile, located=True), ""]
    if operation.action == "list":
        imports.add("com.twilio.base.ResourceSet")
        body += [f"ResourceSet<{resource}> {result}s = {call[0]}", *call[1:]]
        body += [f"for ({resource} record : {result}s) {{", "    System.out.println(record.getSid());", "}"]
    elif operation.action == "delete":
        body += [f"boolean deleted = {call[0]}", *call[1:], "System.out.println(deleted);"]
    else:
        body += [f"{resource} {result} = {call[0]}", *call[1:], f"System.out.println({result}.getSid());"]
    return _class(imports, body)


def _library(exported: ExportRequest, profile: Profile) -> str:
    imports = {"com.twilio.Twilio", "com.twilio.http.HttpMethod", "com.twilio.http.Request", "com.twilio.http.Response"}
    body = [f"// {note}" for note in exported.notes] + _init(profile, located=False)
    client = "Twilio.getRestClient()"
    if exported.credentials is not None and not profile_credentials(exported, profile):
        imports.add("com.twilio.http.TwilioRestClient")
        user, secret = exported.credentials
        body.append(
            f"TwilioRestClient client = new TwilioRestClient.Builder({java_string(user)}, {java_string(secret)})"
        )
        body.append("    .build();")
        client = "client"
    body.append(f"Request request = new Request(HttpMethod.{exported.method}, {java_string(exported.url)});")
    for name, value in exported.params:
        body.append(f"request.addQueryParam({c_string(name)}, {java_string(value)});")
    for name, value in exported.form or []:
        body.append(f"request.addPostParam({c_string(name)}, {java_string(value)});")
    for name, value in exported.headers:
        body.append(f"request.addHeaderParam({c_string(name)}, {java_string(value)});")
    body += [f"Response response = {client}.request(request);", "System.out.println(response.getStatusCode());"]
    body.append("System.out.println(response.getContent());")
    return _class(imports, body)


def _encoded(text: Text) -> str:
    return f"URLEncoder.encode({java_string(text)}, StandardCharsets.UTF_8)"


def _http(exported: ExportRequest) -> str:
    imports = {"java.net.URI", "java.net.http.HttpClient", "java.net.http.HttpRequest", "java.net.http.HttpResponse"}
    imports.add("java.nio.charset.StandardCharsets")
    body = [f"// {note}" for note in exported.notes]
    url = java_string(exported.url)
    for index, (name, value) in enumerate(exported.params):
        imports.add("java.net.URLEncoder")
        url += f" + {c_string(('?' if index == 0 else '&') + quote_plus(name) + '=')} + {_encoded(value)}"
    body.append(f"String url = {url};")
    publisher = "HttpRequest.BodyPublishers.noBody()"
    headers = list(exported.headers)
    if exported.form is not None:
        imports.add("java.net.URLEncoder")
        parts = [
            f"{c_string(('&' if i else '') + quote_plus(n) + '=')} + {_encoded(v)}"
            for i, (n, v) in enumerate(exported.form)
        ]
        body.append("String form = " + ("\n    + ".join(parts) or '""') + ";")
        publisher = "HttpRequest.BodyPublishers.ofString(form)"
        if not any(n.lower() == "content-type" for n, _ in headers):
            headers.append(("Content-Type", ("application/x-www-form-urlencoded",)))
    elif exported.json is not None:
        publisher = f"HttpRequest.BodyPublishers.ofString({java_string(json_text(exported.json))})"
        if not any(n.lower() == "content-type" for n, _ in headers):
            headers.append(("Content-Type", ("application/json",)))
    elif exported.body is not None:
        publisher = f"HttpRequest.BodyPublishers.ofString({java_string(exported.body)})"
    chain = ["HttpRequest request = HttpRequest.newBuilder(URI.create(url))"]
    chain.append(f"    .method({c_string(exported.method)}, {publisher})")
    for name, value in headers:
        chain.append(f"    .header({c_string(name)}, {java_string(value)})")
    if exported.credentials is not None:
        imports.add("java.util.Base64")
        user, secret = exported.credentials
        pair = f'({java_string(user)} + ":" + {java_string(secret)}).getBytes(StandardCharsets.UTF_8)'
        chain.append(f'    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString({pair}))')
    if exported.timeout is not None:
        imports.add("java.time.Duration")
        chain.append(f"    .timeout(Duration.ofMillis({round(exported.timeout * 1000)}))")
    chain.append("    .build();")
    body += chain
    redirect = "NORMAL" if exported.follow_redirects else "NEVER"
    body.append(f"HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.{redirect}).build();")
    body.append("HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());")
    body += ["System.out.println(response.statusCode());", "System.out.println(response.body());"]
    return _class(imports, body, throws=True)


def to_java(
    request: Request,
    profile: Profile,
    values: Mapping[str, str],
    *,
    secret_names: AbstractSet[str] = (),
) -> str:
    """A Java class for the request (twilio-java, or java.net.http; see the module docstring).

    Raises:
        UnknownVariableError: a variable has no value.
        ExportError: the snippet would reveal a secret.
    """
    return snippet_for(request, profile, values, secret_names, _helper, _library, _http)
