"""Export a request as a Go program: twilio-go where it is idiomatic, its generic request otherwise.

Messages, Accounts and API Keys get the typed calls (`client.Api.CreateMessage(params)` with
`params.SetTo(…)`); other requests with credentials go through the client's `Get`/`Post`/`Delete`,
which sign them the same way; a request without credentials, with a JSON or raw body, or with options the
library cannot send uses net/http, so the library never adds credentials the request did not have.
"""

from __future__ import annotations

from collections.abc import Collection as AbstractSet
from collections.abc import Mapping

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
from twibench.exporters.rendering import ACCOUNT_ENV, ExportRequest, Text, credential_env
from twibench.profiles import Profile

_TYPES = {"messages": "Message", "accounts": "Account", "keys": "Key", "new_keys": "NewKey"}
_NO_PARAMS = ("FetchAccount",)
"""Operations whose Go method takes no params struct."""
_TWILIO = '"github.com/twilio/twilio-go"'
_API = 'twilioApi "github.com/twilio/twilio-go/rest/api/v2010"'


def go_string(text: Text) -> str:
    """A Go expression for exported text: literals and `os.Getenv("NAME")`, joined with `+`."""
    return joined(text, c_string, lambda name: f"os.Getenv({c_string(name)})")


def _value(argument: Argument, index: int) -> str | None:
    """The value in the type twilio-go's setter takes; None for what needs parsing (dates, references)."""
    literal = argument.literal(index)
    if argument.kind in ("string", "enum", "phone-number", "uri"):
        return go_string(argument.values[index])
    if literal is None:
        return None
    if argument.kind == "integer" and literal.lstrip("-").isdigit():
        return str(int(literal))
    if argument.kind == "boolean" and literal.lower() in ("true", "false"):
        return literal.lower()
    if argument.kind == "number":
        try:
            return repr(float(literal))
        except ValueError:
            return None
    return None


def _program(imports: list[str], body: list[str], notes: list[str]) -> str:
    lines = ["package main", "", "import (", *[f"\t{name}" if name else "" for name in imports], ")", ""]
    lines += [f"// {note}" for note in notes]
    lines += ["func main() {", *[("\t" + line) if line else "" for line in body], "}"]
    return "\n".join(lines) + "\n"


def _client(profile: Profile, user: Text | None = None, secret: Text | None = None) -> list[str]:
    user_env, secret_env = credential_env(profile)
    fields = [
        f"Username: {go_string(user) if user else f'os.Getenv({c_string(user_env)})'},",
        f"Password: {go_string(secret) if secret else f'os.Getenv({c_string(secret_env)})'},",
    ]
    if profile.kind == "api_key":
        fields.append(f"AccountSid: os.Getenv({c_string(ACCOUNT_ENV)}),")
    return ["client := twilio.NewRestClientWithParams(twilio.ClientParams{", *[f"\t{f}" for f in fields], "})"]


_CHECK = ["if err != nil {", "\tfmt.Println(err.Error())", "\tos.Exit(1)", "}"]


def _helper(operation: Operation, profile: Profile) -> str | None:
    kind = _TYPES[operation.resource]
    verb = {"create": "Create", "list": "List", "fetch": "Fetch", "update": "Update", "delete": "Delete"}
    method = verb[operation.action] + kind
    body = _client(profile)
    if profile.region:
        body.append(f"client.SetRegion({c_string(profile.region)})")
    if profile.edge:
        body.append(f"client.SetEdge({c_string(profile.edge)})")
    body.append("")
    setters = []
    for argument in operation.arguments:
        values = [_value(argument, i) for i in range(len(argument.values))]
        if any(v is None for v in values):
            return None
        shown = "[]string{" + ", ".join(v for v in values if v) + "}" if argument.listed else str(values[0])
        if argument.listed and argument.kind not in ("string", "uri", "phone-number", "enum"):
            return None
        setters.append(f"params.Set{pascal(argument.words())}({shown})")
    args = [go_string(operation.sid)] if operation.sid is not None else []
    if operation.operation_id not in _NO_PARAMS:
        body.append(f"params := &twilioApi.{method}Params{{}}")
        body += setters
        args.append("params")
    elif setters:
        return None
    call = f"client.Api.{method}({', '.join(args)})"
    if operation.action == "delete":
        body += [f"err := {call}", *_CHECK, 'fmt.Println("deleted")']
    elif operation.action == "list":
        body += [f"records, err := {call}", *_CHECK, "for _, record := range records {"]
        body += ["\tif record.Sid != nil {", "\t\tfmt.Println(*record.Sid)", "\t}", "}"]
    else:
        body += [f"resp, err := {call}", *_CHECK, "if resp.Sid != nil {", "\tfmt.Println(*resp.Sid)", "}"]
    return _program(['"fmt"', '"os"', "", _TWILIO, _API], body, [])


def _values(name: str, pairs: list[tuple[str, Text]]) -> list[str]:
    lines = [f"{name} := url.Values{{}}"]
    lines += [f"{name}.Add({c_string(n)}, {go_string(v)})" for n, v in pairs]
    return lines


def _headers(pairs: list[tuple[str, Text]]) -> str:
    if not pairs:
        return "map[string]interface{}{}"
    return "map[string]interface{}{" + ", ".join(f"{c_string(n)}: {go_string(v)}" for n, v in pairs) + "}"


def _library(exported: ExportRequest, profile: Profile) -> str:
    other = exported.credentials is not None and not profile_credentials(exported, profile)
    credentials = exported.credentials if other and exported.credentials is not None else (None, None)
    body = [*_client(profile, credentials[0], credentials[1]), ""]
    target = go_string(exported.url)
    if exported.method == "GET":
        body += _values("query", exported.params)
        call = f"client.Get({target}, query, {_headers(exported.headers)})"
    else:
        if exported.params:
            body += _values("query", exported.params)
            target += ' + "?" + query.Encode()'
        if exported.method == "POST":
            body += _values("data", exported.form or [])
            call = f"client.Post({target}, data, {_headers(exported.headers)})"
        else:
            call = f"client.Delete({target}, nil, {_headers(exported.headers)})"
    body += [f"resp, err := {call}", *_CHECK, "defer resp.Body.Close()", "body, _ := io.ReadAll(resp.Body)"]
    body += ["fmt.Println(resp.Status)", "fmt.Println(string(body))"]
    uses_url = exported.method in ("GET", "POST") or bool(exported.params)
    imports = ['"fmt"', '"io"', *(['"net/url"'] if uses_url else []), '"os"', "", _TWILIO]
    return _program(imports, body, exported.notes)


def _http(exported: ExportRequest) -> str:
    imports = {'"fmt"', '"io"', '"net/http"', '"os"'}
    body: list[str] = []
    target = go_string(exported.url)
    if exported.params:
        imports.add('"net/url"')
        body += _values("query", exported.params)
        target += ' + "?" + query.Encode()'
    payload = "nil"
    headers = list(exported.headers)
    has_type = any(name.lower() == "content-type" for name, _ in headers)
    if exported.form is not None:
        imports |= {'"net/url"', '"strings"'}
        body += _values("form", exported.form)
        payload = "strings.NewReader(form.Encode())"
        if not has_type:
            headers.append(("Content-Type", ("application/x-www-form-urlencoded",)))
    elif exported.json is not None:
        imports.add('"strings"')
        payload = f"strings.NewReader({go_string(json_text(exported.json))})"
        if not has_type:
            headers.append(("Content-Type", ("application/json",)))
    elif exported.body is not None:
        imports.add('"strings"')
        payload = f"strings.NewReader({go_string(exported.body)})"
    body += [f"req, err := http.NewRequest({c_string(exported.method)}, {target}, {payload})", *_CHECK]
    body += [f"req.Header.Add({c_string(n)}, {go_string(v)})" for n, v in headers]
    if exported.credentials is not None:
        user, secret = exported.credentials
        body.append(f"req.SetBasicAuth({go_string(user)}, {go_string(secret)})")
    fields = []
    if exported.timeout is not None:
        imports.add('"time"')
        fields.append(f"Timeout: {round(exported.timeout * 1000)} * time.Millisecond,")
    if not exported.follow_redirects:
        fields.append("CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },")
    body += ["client := &http.Client{", *[f"\t{f}" for f in fields], "}"]
    body += ["resp, err := client.Do(req)", *_CHECK, "defer resp.Body.Close()", "body, _ := io.ReadAll(resp.Body)"]
    body += ["fmt.Println(resp.Status)", "fmt.Println(string(body))"]
    return _program(sorted(imports), body, exported.notes)


def to_go(
    request: Request,
    profile: Profile,
    values: Mapping[str, str],
    *,
    secret_names: AbstractSet[str] = (),
) -> str:
    """A Go program for the request (twilio-go, or net/http; see the module docstring).

    Raises:
        UnknownVariableError: a variable has no value.
        ExportError: the snippet would reveal a secret.
    """
    return snippet_for(request, profile, values, secret_names, _helper, _library, _http)
