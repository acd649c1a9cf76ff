"""Snippets for every helper library Twilio publishes: parsed by each language's tree-sitter grammar.

Every request of every shipped collection, and a set of awkward requests (quotes, `$`, `#{}`, newlines,
line separators, repeated fields, JSON and raw bodies, no credentials, other credentials, region/edge,
timeouts), is exported in Node, C#, Java, PHP, Ruby and Go; each snippet must parse without an ERROR or
MISSING node and must not contain a secret. The idiomatic Messages calls are checked by their text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from twibench import cli, exporters
from twibench.collection import Auth, Request, load_paths
from twibench.exporters import ExportError
from twibench.profiles import Profile, SecretRef
from twibench.variables import UnknownVariableError

ts = pytest.importorskip("tree_sitter")

ROOT = Path(__file__).resolve().parent.parent
ACCOUNT = "AC0123456789abcdef0123456789abcdef"
TOKEN = "f00dfacef00dfacef00dfacef00dface"
KEY_SECRET = "ks-" + "7" * 29
MESSAGES = "/2010-04-01/Accounts/{{account_sid}}/Messages.json"
MESSAGE = "/2010-04-01/Accounts/{{account_sid}}/Messages/{{message_sid}}.json"
SID = "SM0123456789abcdef0123456789abcdef"
LANGUAGES = ("node", "csharp", "java", "php", "ruby", "go")

LIVE = Profile(name="live", kind="auth_token", account_sid=ACCOUNT, username=ACCOUNT, secret=SecretRef(literal=TOKEN))
KEY = Profile(
    name="key",
    kind="api_key",
    account_sid=ACCOUNT,
    username="SK" + "1" * 32,
    secret=SecretRef(literal=TOKEN),
    region="ie1",
    edge="dublin",
)


@cache
def grammar(language: str) -> Any:
    modules = {
        "node": ("tree_sitter_javascript", "language"),
        "csharp": ("tree_sitter_c_sharp", "language"),
        "java": ("tree_sitter_java", "language"),
        "php": ("tree_sitter_php", "language_php"),
        "ruby": ("tree_sitter_ruby", "language"),
        "go": ("tree_sitter_go", "language"),
    }
    name, function = modules[language]
    module = pytest.importorskip(name)
    return ts.Language(getattr(module, function)())


def problems(language: str, source: str) -> list[str]:
    """Every ERROR or MISSING node of the parse, as `line:column kind`."""
    tree = ts.Parser(grammar(language)).parse(source.encode("utf-8"))
    found: list[str] = []

    def walk(node: Any) -> Iterator[Any]:
        yield node
        for child in node.children:
            yield from walk(child)

    for node in walk(tree.root_node):
        if node.is_error or node.is_missing:
            row, column = node.start_point
            found.append(f"{row + 1}:{column + 1} {'MISSING' if node.is_missing else 'ERROR'} {node.type}")
    return found


def export(language: str) -> Callable[..., str]:
    function: Callable[..., str] = exporters.LANGUAGES[language]
    return function


AWKWARD = [
    Request(
        name="Send",
        id="send",
        method="POST",
        url=MESSAGES,
        form=[
            ("To", "+15558675310"),
            ("From", "{{from}}"),
            ("Body", 'It\'s $5 "#{x}" ${y} {$z} \\u000a \\ \n\r\t\x1b \u2028\u2029\x85 ✓ 😀'),
            ("MediaUrl", "https://x/1.png"),
            ("MediaUrl", "https://x/2.png"),
            ("ProvideFeedback", "true"),
            ("MaxPrice", "0.5"),
            ("ContentRetention", "retain"),
        ],
    ),
    Request(
        name="List", id="list", url=MESSAGES, params=[("To", "+1555"), ("PageSize", "20"), ("DateSent<", "2024-01-01")]
    ),
    Request(name="Fetch", id="fetch", url=MESSAGE),
    Request(name="Delete", id="delete", method="DELETE", url=MESSAGE),
    Request(name="Redact", id="redact", method="POST", url=MESSAGE, form=[("Body", "")]),
    Request(name="Me", id="me", url="/2010-04-01/Accounts/{{account_sid}}.json"),
    Request(name="Sub", id="sub", method="POST", url="/2010-04-01/Accounts.json", form=[("FriendlyName", "a'b")]),
    Request(name="Key", id="key", method="POST", url="/2010-04-01/Accounts/{{account_sid}}/Keys.json"),
    Request(
        name="Call",
        id="call",
        method="POST",
        url="/2010-04-01/Accounts/{{account_sid}}/Calls.json?x=1",
        params=[("Q", "a b&c"), ("Q", "2")],
        headers=[("X-Trace", 'say "hi" $HOME')],
        form=[("To", "+1"), ("StatusCallbackEvent", "ringing"), ("StatusCallbackEvent", "answered")],
    ),
    Request(
        name="Signed",
        id="signed",
        url=MESSAGES,
        auth=Auth(mode="basic", user="{{key_sid}}", secret="{{key_secret}}"),
    ),
    Request(
        name="Json",
        id="json",
        method="PATCH",
        url="https://example.com/hook",
        auth=Auth(mode="none"),
        json={"a": ["{{from}}", 1, 2.5, True, None], "b": {"c": 'q"uote\n'}},
        timeout=2.5,
        follow_redirects=True,
    ),
    Request(
        name="Raw",
        id="raw",
        method="PUT",
        url="https://example.com/raw",
        body="<x a='1'>{{from}}</x>",
        headers=[("Content-Type", "text/xml")],
    ),
    Request(name="Head", id="head", method="HEAD", url="https://example.com/", auth=Auth(mode="none")),
    Request(name="Empty form", id="empty", method="POST", url="https://example.com/f", form=[]),
]
VALUES = {
    "from": "+15005550006", "message_sid": SID, "key_sid": "SK" + "2" * 32, "key_secret": KEY_SECRET,
    "call_sid": "CA" + "3" * 32,
}  # fmt: skip


def captured_placeholders(requests: list[Request]) -> dict[str, str]:
    """A stand-in for every value the collection captures at run time (`{{call_sid}}`, `{{code}}`…)."""
    names = {name for r in requests for name in [*r.capture, *r.capture_secret]}
    return {name: ("XX" + "0" * 32 if name.endswith("_sid") else "123456") for name in names}


def shipped_requests() -> list[tuple[str, Request, dict[str, str]]]:
    loaded = load_paths([ROOT / "collections"])
    assert loaded.errors == []
    return [
        (c.name, r, captured_placeholders(c.requests) | dict(c.variables))
        for c in loaded.collections
        for r in c.requests
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_shipped_request_parses_in_every_language_without_secrets(language: str) -> None:
    from twibench.sandbox import credentials

    sandbox_like = Profile(
        name="live",
        kind="auth_token",
        account_sid=credentials.ACCOUNT_SID,
        username=credentials.ACCOUNT_SID,
        secret=SecretRef(literal=credentials.AUTH_TOKEN),
    )
    requests = shipped_requests()
    assert len(requests) >= 20, "the shipped collections are all here"
    for collection, request, variables in requests:
        values = VALUES | variables | sandbox_like.builtin_variables()
        snippet = export(language)(request, sandbox_like, values, secret_names={"key_secret"})
        assert problems(language, snippet) == [], f"{collection}#{request.id} in {language}:\n{snippet}"
        assert credentials.AUTH_TOKEN not in snippet and KEY_SECRET not in snippet


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("profile", [LIVE, KEY], ids=["auth-token", "api-key-region-edge"])
def test_awkward_requests_parse(language: str, profile: Profile) -> None:
    for request in AWKWARD:
        snippet = export(language)(request, profile, VALUES, secret_names={"key_secret"})
        assert problems(language, snippet) == [], f"{request.id} in {language}:\n{snippet}"
        assert TOKEN not in snippet and KEY_SECRET not in snippet


def test_a_syntax_error_is_seen() -> None:
    """The check itself works: a broken snippet has an ERROR or MISSING node in every grammar."""
    broken = {
        "node": "client.messages.create({ to: '+1' ;",
        "csharp": "var x = MessageResource.Create(to: ;",
        "java": "public class E { void m() { int x = ; } }",
        "php": "<?php $client->messages->create([;",
        "ruby": "client.messages.create(to: ",
        "go": "package main\nfunc main() { x := }",
    }
    for language, source in broken.items():
        assert problems(language, source), language


SEND = Request(
    name="Send",
    id="send",
    method="POST",
    url=MESSAGES,
    form=[("To", "+15558675310"), ("From", "{{from}}"), ("Body", "Hi")],
)
LIST = Request(name="List", id="list", url=MESSAGES, params=[("To", "+15558675310"), ("PageSize", "20")])
FETCH = Request(name="Fetch", id="fetch", url=MESSAGE)
DELETE = Request(name="Delete", id="delete", method="DELETE", url=MESSAGE)

IDIOMATIC = {
    "node": [
        "const client = twilio(process.env.TWILIO_ACCOUNT_SID, process.env.TWILIO_AUTH_TOKEN);",
        'const message = await client.messages.create({\n    to: "+15558675310",\n    from: "+15005550006",\n'
        '    body: "Hi",\n  });',
        'const messages = await client.messages.list({\n    to: "+15558675310",\n    pageSize: 20,\n  });',
        f'const message = await client.messages("{SID}").fetch();',
        f'const removed = await client.messages("{SID}").remove();',
    ],
    "csharp": [
        'TwilioClient.Init(Environment.GetEnvironmentVariable("TWILIO_ACCOUNT_SID"), '
        'Environment.GetEnvironmentVariable("TWILIO_AUTH_TOKEN"));',
        'var message = MessageResource.Create(\n    to: new PhoneNumber("+15558675310"),\n'
        '    from: new PhoneNumber("+15005550006"),\n    body: "Hi"\n);',
        'var messages = MessageResource.Read(\n    to: new PhoneNumber("+15558675310"),\n    pageSize: 20\n);',
        f'var message = MessageResource.Fetch(\n    pathSid: "{SID}"\n);',
        f'var deleted = MessageResource.Delete(\n    pathSid: "{SID}"\n);',
    ],
    "java": [
        'Twilio.init(System.getenv("TWILIO_ACCOUNT_SID"), System.getenv("TWILIO_AUTH_TOKEN"));',
        'Message message = Message.creator(new PhoneNumber("+15558675310"), new PhoneNumber("+15005550006"), "Hi")',
        'ResourceSet<Message> messages = Message.reader()\n            .setTo(new PhoneNumber("+15558675310"))\n'
        "            .setPageSize(20)\n            .read();",
        f'Message message = Message.fetcher("{SID}")\n            .fetch();',
        f'boolean deleted = Message.deleter("{SID}")\n            .delete();',
    ],
    "php": [
        '$client = new Client(getenv("TWILIO_ACCOUNT_SID"), getenv("TWILIO_AUTH_TOKEN"));',
        '$message = $client->messages->create("+15558675310", ["from" => "+15005550006", "body" => "Hi"]);',
        '$messages = $client->messages->read(["to" => "+15558675310"], null, 20);',
        f'$message = $client->messages("{SID}")->fetch();',
        f'$deleted = $client->messages("{SID}")->delete();',
    ],
    "ruby": [
        'client = Twilio::REST::Client.new(ENV.fetch("TWILIO_ACCOUNT_SID"), ENV.fetch("TWILIO_AUTH_TOKEN"))',
        'message = client.messages.create(to: "+15558675310", from: "+15005550006", body: "Hi")',
        'client.messages.list(to: "+15558675310", page_size: 20).each do |record|',
        f'message = client.messages("{SID}").fetch',
        f'deleted = client.messages("{SID}").delete',
    ],
    "go": [
        'Username: os.Getenv("TWILIO_ACCOUNT_SID"),',
        'params := &twilioApi.CreateMessageParams{}\n\tparams.SetTo("+15558675310")\n\tparams.SetFrom("+15005550006")\n'
        '\tparams.SetBody("Hi")\n\tresp, err := client.Api.CreateMessage(params)',
        "params.SetPageSize(20)\n\trecords, err := client.Api.ListMessage(params)",
        f'resp, err := client.Api.FetchMessage("{SID}", params)',
        f'err := client.Api.DeleteMessage("{SID}", params)',
    ],
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_messages_create_list_fetch_delete_are_idiomatic(language: str) -> None:
    client, create, listing, fetch, delete = IDIOMATIC[language]
    function = export(language)
    sent = function(SEND, LIVE, VALUES)
    assert client in sent and create in sent, sent
    assert listing in function(LIST, LIVE, VALUES)
    assert fetch in function(FETCH, LIVE, VALUES)
    assert delete in function(DELETE, LIVE, VALUES)


GENERIC = {
    "node": ["client.request({", 'method: "post",', '"StatusCallbackEvent": ["ringing", "answered"],'],
    "csharp": ["new Request(HttpMethod.Post, ", 'request.AddPostParam("StatusCallbackEvent", "answered");'],
    "java": ["new Request(HttpMethod.POST, ", 'request.addPostParam("StatusCallbackEvent", "answered");'],
    "php": ["$client->request(", '"StatusCallbackEvent" => ["ringing", "answered"]'],
    "ruby": ["client.request(", '"StatusCallbackEvent" => ["ringing", "answered"]'],
    "go": ["client.Post(", 'data.Add("StatusCallbackEvent", "answered")'],
}
PLAIN_HTTP = {
    "node": "await fetch(url, {",
    "csharp": "await http.SendAsync(request);",
    "java": "HttpClient.newBuilder()",
    "php": "curl_init(",
    "ruby": "Net::HTTP.start(",
    "go": "http.NewRequest(",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_other_requests_use_the_generic_call_and_unsigned_ones_plain_http(language: str) -> None:
    function = export(language)
    call = next(r for r in AWKWARD if r.id == "call")
    text = function(call, LIVE, VALUES)
    assert all(piece in text for piece in GENERIC[language]), text
    unsigned = Request(name="Hook", id="hook", url="https://example.com/hook", auth=Auth(mode="none"))
    plain = function(unsigned, LIVE, VALUES)
    assert PLAIN_HTTP[language] in plain, plain
    assert "TWILIO_AUTH_TOKEN" not in plain and "TWILIO_ACCOUNT_SID" not in plain, "no credentials to another host"


@pytest.mark.parametrize("language", LANGUAGES)
def test_unknown_variables_and_secrets_are_refused(language: str) -> None:
    function = export(language)
    with pytest.raises(UnknownVariableError, match="message_sid"):
        function(FETCH, LIVE, {})
    leaky = Request(name="Leak", id="leak", method="POST", url=MESSAGES, form=[("Body", "{{pasted}}")])
    with pytest.raises(ExportError, match="secret of profile 'live'"):
        function(leaky, LIVE, {"pasted": f"token {TOKEN}"})


@pytest.mark.parametrize("language", LANGUAGES)
def test_cli_export_language(
    language: str, home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ref = f"{ROOT / 'collections' / 'messages.yaml'}#send-sms"
    assert cli.main(["export", language, ref]) == 0
    out = capsys.readouterr().out
    assert problems(language, out) == [] and "+15558675310" in out
    assert cli.main(["export", language, f"{ROOT / 'collections' / 'messages.yaml'}#fetch"]) == 2
    err = capsys.readouterr().err
    assert "message_sid" in err and "Traceback" not in err
