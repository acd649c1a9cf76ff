"""Collection files (DESIGN §2): loading with located errors, folders, FILE#ID, and writing them back."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from twibench.collection import (
    METHODS,
    Auth,
    Collection,
    Expect,
    Poll,
    Request,
    RequestRefError,
    Retry,
    collection_files,
    find_request,
    load_collection,
    load_paths,
    parse_collection,
    parse_duration,
    slug,
)
from twibench.collection.writer import (
    SaveError,
    dump_collection,
    group_pairs,
    same_request,
    save_collection,
    save_request,
)
from twibench.errors import FileErrors, TwibenchError

DESIGN_EXAMPLE = """\
name: Messages                                   # required; shown in the tree
description: Send, read, redact and delete SMS.  # optional (markdown)
docs: https://www.twilio.com/docs/messaging/api/message-resource
sandbox_only: false                              # true: refuse to run/send with any profile but the sandbox
variables:                                       # defaults; profiles, captures and --var override them
  to: "+15558675310"
requests:
  - name: Send an SMS                            # required, unique in the file
    id: send-sms                                 # optional; default: the slug of name
    method: POST                                 # GET (default) POST DELETE PUT PATCH HEAD OPTIONS
    url: /2010-04-01/Accounts/{{account_sid}}/Messages.json   # a path: joined to the profile's API base
    form:                                        # application/x-www-form-urlencoded, order kept
      To: "{{to}}"
      From: "+15005550006"
      Body: "Your total is $5"                   # `$` is never special
      MediaUrl: [https://example.com/a.png, https://example.com/b.png]   # a list repeats the key
    headers: {Accept: application/json}
    capture: {message_sid: $.sid}                # see §6
    expect: {status: 201}                        # see §6
    docs: https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
  - name: Fetch the message
    id: fetch
    url: /2010-04-01/Accounts/{{account_sid}}/Messages/{{message_sid}}.json
    params: {PageSize: 20}                       # query string; a list repeats the key
"""


def write(folder: Path, text: str, name: str = "c.yaml") -> Path:
    """Write a dedented collection file and return its path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load(folder: Path, text: str) -> Collection:
    return load_collection(write(folder, text))


def one_request(folder: Path, body: str) -> Request:
    """Load a collection holding one request whose keys are `body` (indented under `- `)."""
    lines = textwrap.dedent(body).strip("\n").splitlines()
    text = "name: T\nrequests:\n  - " + "\n    ".join(lines) + "\n"
    return load_collection(write(folder, text)).requests[0]


def problems(folder: Path, text: str) -> list[str]:
    """The `line:col: message` of every error loading `text` (the path prefix checked and removed)."""
    path = write(folder, text)
    with pytest.raises(FileErrors) as info:
        load_collection(path)
    out = []
    for error in info.value.errors:
        rendered = str(error)
        assert rendered.startswith(f"{path}:{error.line}:{error.column}: ")
        assert "\n" not in rendered
        out.append(f"{error.line}:{error.column}: {error.message}")
    return out


def request_problems(folder: Path, body: str) -> list[str]:
    lines = textwrap.dedent(body).strip("\n").splitlines()
    return problems(folder, "name: T\nrequests:\n  - " + "\n    ".join(lines) + "\n")


# --------------------------------------------------------------------------------------------------
# Helpers: slug and durations
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Unknown var", "unknown-var"),
        ("Send an SMS", "send-an-sms"),
        ("  --Fetch (one) message!--  ", "fetch-one-message"),
        ("Créer un message", "cr-er-un-message"),
        ("日本", ""),
    ],
)
def test_slug_follows_the_documented_rule(name: str, expected: str) -> None:
    assert slug(name) == expected


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("500ms", 0.5), ("2s", 2.0), ("1m", 60.0), ("1.5", 1.5), (" 30 ", 30.0), (".25s", 0.25), (10, 10.0), (0.5, 0.5)],
)
def test_parse_duration_accepts_seconds_and_units(text: str | float, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["soon", "2h", "-1", "1 m s", "", "ms", True, float("inf"), -3])
def test_parse_duration_rejects_anything_else(text: str | float) -> None:
    with pytest.raises(ValueError, match="500ms"):
        parse_duration(text)


# --------------------------------------------------------------------------------------------------
# The collection level
# --------------------------------------------------------------------------------------------------


def test_the_design_example_loads(tmp_path: Path) -> None:
    collection = load(tmp_path, DESIGN_EXAMPLE)
    assert collection.name == "Messages"
    assert collection.description == "Send, read, redact and delete SMS."
    assert collection.docs == "https://www.twilio.com/docs/messaging/api/message-resource"
    assert collection.sandbox_only is False
    assert collection.variables == {"to": "+15558675310"}
    send, fetch = collection.requests
    assert (send.id, send.method, send.explicit_id, send.line) == ("send-sms", "POST", True, 8)
    assert send.form == [
        ("To", "{{to}}"),
        ("From", "+15005550006"),
        ("Body", "Your total is $5"),
        ("MediaUrl", "https://example.com/a.png"),
        ("MediaUrl", "https://example.com/b.png"),
    ]
    assert send.headers == [("Accept", "application/json")]
    assert send.capture == {"message_sid": "$.sid"}
    assert send.expect == Expect(status=201)
    assert fetch.method == "GET"
    assert fetch.params == [("PageSize", "20")]
    assert collection.get("fetch") is fetch
    assert collection.get("nope") is None


def test_defaults_of_a_minimal_request(tmp_path: Path) -> None:
    collection = load(tmp_path, "name: M\nrequests:\n  - {name: List accounts, url: /2010-04-01/Accounts.json}\n")
    request = collection.requests[0]
    assert request == Request(
        name="List accounts", id="list-accounts", url="/2010-04-01/Accounts.json", explicit_id=False, line=3
    )
    assert request.auth == Auth(mode="profile")
    assert collection.path == tmp_path / "c.yaml"
    assert collection.variables == {}


def test_an_empty_request_list_is_a_valid_collection(tmp_path: Path) -> None:
    assert load(tmp_path, "name: New\nrequests: []\n").requests == []


def test_variables_keep_the_text_that_was_written(tmp_path: Path) -> None:
    collection = load(
        tmp_path,
        """\
        name: V
        variables:
          PageSize: 020
          flag: yes
          off: Off
          price: 1.50
          day: 2024-01-01
          hex: 0x1F
          plain: $5 and {{{{ not a var
          quoted: "+15005550006"
        requests: []
        """,
    )
    assert collection.variables == {
        "PageSize": "020",
        "flag": "yes",
        "off": "Off",
        "price": "1.50",
        "day": "2024-01-01",
        "hex": "0x1F",
        "plain": "$5 and {{{{ not a var",
        "quoted": "+15005550006",
    }


def test_variable_problems(tmp_path: Path) -> None:
    assert problems(
        tmp_path,
        """\
        name: V
        variables:
          empty: ~
          list: [a, b]
          my var: x
        requests: []
        """,
    ) == [
        "3:10: variable 'empty' is empty (null); expected text (write \"\" for empty text)",
        "4:9: variable 'list' must be text, not a list",
        "5:3: variable 'my var' cannot be used as {{my var}}; use letters, digits, '_', '.' and '-', "
        "starting with a letter or '_'",
    ]


def test_variables_must_be_a_mapping(tmp_path: Path) -> None:
    assert problems(tmp_path, "name: V\nvariables: [a]\nrequests: []\n") == [
        "2:12: 'variables' must be a mapping of name: value, not a list"
    ]


def test_top_level_problems_are_all_reported(tmp_path: Path) -> None:
    assert problems(
        tmp_path,
        """\
        descripton: typo
        sandbox_only: sometimes
        docs: [a]
        request: []
        """,
    ) == [
        "1:1: unknown key 'descripton' (did you mean 'description'?); a collection takes: name, description, "
        "docs, sandbox_only, variables, requests",
        "1:1: missing 'name:' (the collection's name, shown in the tree)",
        "2:15: 'sandbox_only' must be true or false, not text",
        "3:7: 'docs' must be text, not a list",
        "4:1: unknown key 'request' (did you mean 'requests'?); a collection takes: name, description, docs, "
        "sandbox_only, variables, requests",
    ]


def test_sandbox_only_true(tmp_path: Path) -> None:
    assert load(tmp_path, "name: S\nsandbox_only: true\nrequests: []\n").sandbox_only is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "1:1: the file is empty; expected a collection with name: and requests:"),
        ("# only a comment\n\n", "1:1: the file is empty; expected a collection with name: and requests:"),
        ("~\n", "1:1: the document is null; expected a collection with name: and requests:"),
        ("- name: a\n", "1:1: expected a collection (a mapping with name: and requests:), not a list"),
        ("just text\n", "1:1: expected a collection (a mapping with name: and requests:), not text"),
        ("name: ''\nrequests: []\n", "1:7: 'name' is empty; expected the collection's name, shown in the tree"),
        ("name: x\nrequests: {a: 1}\n", "2:11: 'requests' must be a list of requests, not a mapping"),
        ("name: x\nrequests:\n", "2:10: 'requests' must be a list of requests, not null"),
        ("name: x\nrequests: [text]\n", "2:12: each request must be a mapping with name: and url:, not text"),
    ],
)
def test_whole_file_shapes(tmp_path: Path, text: str, expected: str) -> None:
    assert problems(tmp_path, text) == [expected]


# --------------------------------------------------------------------------------------------------
# Request keys
# --------------------------------------------------------------------------------------------------


def test_unknown_request_key_suggests_the_closest(tmp_path: Path) -> None:
    [problem] = request_problems(tmp_path, "name: a\nurl: /a\nmethd: POST")
    assert problem.startswith("5:5: unknown key 'methd' (did you mean 'method'?); a request takes: name, id,")
    [problem] = request_problems(tmp_path, "name: a\nurl: /a\nzzz: 1")
    assert "unknown key 'zzz'; a request takes: name, id, description, method, url" in problem


def test_name_and_url_are_required(tmp_path: Path) -> None:
    assert request_problems(tmp_path, "method: GET") == [
        "3:5: missing 'name:' (the request's name, shown in the tree)",
        "3:5: missing 'url:' (a path such as /2010-04-01/Accounts.json or a URL)",
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("name: ' '\nurl: /a", "3:11: 'name' is empty; expected the request's name, shown in the tree"),
        ('name: "a\\nb"\nurl: /a', "3:11: 'name' must be a single line"),
        ("name: [a]\nurl: /a", "3:11: 'name' must be text, not a list"),
        ("name: a\nurl: ''", "4:10: 'url' is empty; expected a path such as /2010-04-01/Accounts.json or a URL"),
        ("name: a\nurl: {a: 1}", "4:10: 'url' must be text, not a mapping"),
        ("name: a\nurl: /a\ndescription: [x]", "5:18: 'description' must be text, not a list"),
    ],
)
def test_text_fields(tmp_path: Path, body: str, expected: str) -> None:
    assert request_problems(tmp_path, body) == [expected]


def test_scalar_names_keep_their_source_text(tmp_path: Path) -> None:
    request = one_request(tmp_path, "name: 404\nurl: /x")
    assert (request.name, request.id) == ("404", "404")


def test_id_defaults_to_the_slug_and_may_be_explicit(tmp_path: Path) -> None:
    collection = load(
        tmp_path,
        """\
        name: I
        requests:
          - {name: Send an SMS, url: /a}
          - {name: Fetch, id: fetch-one, url: /b}
          - {name: Other, id: other, url: /c}
        """,
    )
    assert [(r.id, r.explicit_id) for r in collection.requests] == [
        ("send-an-sms", False),
        ("fetch-one", True),
        ("other", True),
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("name: a\nid: send sms\nurl: /a", "4:9: the id 'send sms' is not usable in FILE#ID"),
        ("name: a\nid: a#b\nurl: /a", "4:9: the id 'a#b' is not usable in FILE#ID"),
        ("name: a\nid: -a\nurl: /a", "4:9: the id '-a' is not usable in FILE#ID"),
        ("name: a\nid: ~\nurl: /a", "4:9: 'id' is empty (null)"),
        ("name: 日本\nurl: /a", "3:11: the name '日本' has no ASCII letters or digits to make a default id"),
    ],
)
def test_bad_ids(tmp_path: Path, body: str, expected: str) -> None:
    [problem] = request_problems(tmp_path, body)
    assert problem.startswith(expected)


def test_names_and_ids_are_unique_in_a_file(tmp_path: Path) -> None:
    assert problems(
        tmp_path,
        """\
        name: U
        requests:
          - {name: Send SMS, url: /a}
          - {name: Send SMS, url: /b}
          - {name: send-sms, url: /c}
          - {name: Other, id: x, url: /d}
          - {name: Another, id: x, url: /e}
        """,
    ) == [
        "4:12: another request is already named 'Send SMS' (line 3); names must be unique in a file",
        "5:12: the request id 'send-sms' is already used by the request at line 3; give this request an id: "
        "(ids must be unique in a file)",
        "7:25: the request id 'x' is already used by the request at line 6; give this request another id "
        "(ids must be unique in a file)",
    ]


@pytest.mark.parametrize("written", ["post", "Post", "POST", " patch "])
def test_method_is_case_insensitive(tmp_path: Path, written: str) -> None:
    request = one_request(tmp_path, f"name: a\nurl: /a\nmethod: '{written}'")
    assert request.method == written.strip().upper()
    assert request.method in METHODS


def test_unknown_method_names_the_allowed_ones(tmp_path: Path) -> None:
    assert request_problems(tmp_path, "name: a\nurl: /a\nmethod: FETCH") == [
        "5:13: unknown method 'FETCH'; expected one of GET, POST, DELETE, PUT, PATCH, HEAD, OPTIONS"
    ]


def test_params_headers_and_form_are_ordered_pairs(tmp_path: Path) -> None:
    request = one_request(
        tmp_path,
        """\
        name: a
        url: /a
        method: POST
        params: {PageSize: 020, Status: [queued, sent], On: yes}
        headers: {Accept: application/json, X-Many: [1, 2]}
        form:
          To: "{{to}}"
          Price: 1.50
          Body: Your total is $5
          Empty: ""
          MediaUrl:
            - https://example.com/a.png
            - https://example.com/b.png
          Last: true
        """,
    )
    assert request.params == [("PageSize", "020"), ("Status", "queued"), ("Status", "sent"), ("On", "yes")]
    assert request.headers == [("Accept", "application/json"), ("X-Many", "1"), ("X-Many", "2")]
    assert request.form == [
        ("To", "{{to}}"),
        ("Price", "1.50"),
        ("Body", "Your total is $5"),
        ("Empty", ""),
        ("MediaUrl", "https://example.com/a.png"),
        ("MediaUrl", "https://example.com/b.png"),
        ("Last", "true"),
    ]


def test_an_empty_form_is_kept_apart_from_no_form(tmp_path: Path) -> None:
    assert one_request(tmp_path, "name: a\nurl: /a\nmethod: POST\nform: {}").form == []
    assert one_request(tmp_path, "name: a\nurl: /a").form is None


def test_pair_value_problems(tmp_path: Path) -> None:
    assert request_problems(
        tmp_path,
        """\
        name: a
        url: /a
        method: POST
        params: [a, b]
        form:
          To: ~
          Empty: []
          Nested: {a: 1}
          Deep: [x, [y]]
          NullItem: [x, ~]
        """,
    ) == [
        "6:13: 'params' must be a mapping of name: value (a list value repeats the name), not a list",
        "8:11: form value 'To' is empty (null); expected text (write \"\" for empty text)",
        "9:14: form value 'Empty' is an empty list; remove it or give a value",
        "10:15: form value 'Nested' must be text or a list of text, not a mapping",
        "11:17: form value 'Deep' must be a list of text, not of a list",
        "12:21: form value 'NullItem' is empty (null); expected text (write \"\" for empty text)",
    ]


def test_header_problems(tmp_path: Path) -> None:
    assert request_problems(
        tmp_path,
        """\
        name: a
        url: /a
        headers:
          Content Type: text/plain
          X-Two-Lines: "a\\nb"
          Authorization: Basic QUMxMjM6c2VjcmV0
          proxy-authorization: "Bearer {{token}} extra"
        """,
    ) == [
        "6:7: 'Content Type' is not a valid HTTP header name",
        "7:20: the value of header 'X-Two-Lines' must be a single line",
        "8:22: a literal Authorization header would put a credential in the file, and files never hold "
        'secrets; use auth: {basic: ["{{key_sid}}", "{{key_secret}}"]} or a single {{variable}} reference',
        "9:28: a literal proxy-authorization header would put a credential in the file, and files never hold "
        'secrets; use auth: {basic: ["{{key_sid}}", "{{key_secret}}"]} or a single {{variable}} reference',
    ]


def test_an_authorization_header_may_be_one_variable(tmp_path: Path) -> None:
    request = one_request(tmp_path, 'name: a\nurl: /a\nheaders: {authorization: "{{ bearer }}"}')
    assert request.headers == [("authorization", "{{ bearer }}")]


def test_json_keeps_yaml_types(tmp_path: Path) -> None:
    request = one_request(
        tmp_path,
        """\
        name: a
        url: /a
        method: POST
        json:
          to: "+15005550006"
          count: 20
          ratio: 0.5
          ok: true
          nothing: null
          list: [1, "2", {x: y}]
        """,
    )
    assert request.json == {
        "to": "+15005550006",
        "count": 20,
        "ratio": 0.5,
        "ok": True,
        "nothing": None,
        "list": [1, "2", {"x": "y"}],
    }
    assert type(request.json) is dict
    assert request.has_json
    assert one_request(tmp_path, "name: a\nurl: /a\njson: [1]").json == [1]
    assert one_request(tmp_path, "name: a\nurl: /a\njson: false").json is False


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("~", "5:11: 'json' is null; give the JSON body, or remove the key"),
        ("{when: 2024-01-01}", "5:18: json.when is a date, which JSON cannot hold; quote it to send text"),
        ("[1, .inf]", "5:15: json[1] is inf, which JSON cannot hold; quote it to send text"),
        ("{a: !!binary aGk=}", "5:15: json.a is binary data, which JSON cannot hold"),
        ("!!set {a, b}", "5:11: json is a set, which JSON cannot hold"),
    ],
)
def test_json_problems(tmp_path: Path, value: str, expected: str) -> None:
    assert request_problems(tmp_path, f"name: a\nurl: /a\njson: {value}") == [expected]


def test_json_nested_too_deeply(tmp_path: Path) -> None:
    value = "[" * 150 + "]" * 150
    [problem] = request_problems(tmp_path, f"name: a\nurl: /a\njson: {value}")
    assert problem == "5:112: json is nested more than 100 levels deep"


def test_yaml_aliases_cannot_make_a_huge_body(tmp_path: Path) -> None:
    """A "billion laughs" file is small on disk; expanding it into a body must be refused, quickly."""
    lines = ["      - &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"      - &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    text = "name: B\nrequests:\n  - name: a\n    url: /a\n    json:\n" + "\n".join(lines) + "\n"
    [problem] = problems(tmp_path, text)
    assert "json holds more than 100000 values (YAML aliases repeat it)" in problem


def test_only_one_body(tmp_path: Path) -> None:
    assert request_problems(
        tmp_path,
        """\
        name: a
        url: /a
        json: {a: 1}
        form: {a: 1}
        headers: {Content-Type: text/plain}
        body: raw
        """,
    ) == [
        "6:5: 'form' conflicts with 'json' (line 5); a request has at most one of form, json or body",
        "8:5: 'body' conflicts with 'json' (line 5); a request has at most one of form, json or body",
    ]


def test_raw_body_needs_a_content_type(tmp_path: Path) -> None:
    assert request_problems(tmp_path, "name: a\nurl: /a\nbody: hello") == [
        "5:5: a raw 'body' needs a Content-Type header, e.g. headers: {Content-Type: text/plain}"
    ]
    request = one_request(tmp_path, "name: a\nurl: /a\nheaders: {content-type: text/xml}\nbody: <a/>")
    assert request.body == "<a/>"


def test_auth_forms(tmp_path: Path) -> None:
    assert one_request(tmp_path, "name: a\nurl: /a\nauth: none").auth == Auth(mode="none")
    request = one_request(tmp_path, 'name: a\nurl: /a\nauth: {basic: ["{{key_sid}}", "{{ key_secret }}"]}')
    assert request.auth == Auth(mode="basic", user="{{key_sid}}", secret="{{ key_secret }}")
    request = one_request(tmp_path, 'name: a\nurl: /a\nauth: {basic: [SK123, "{{key_secret}}"]}')
    assert request.auth == Auth(mode="basic", user="SK123", secret="{{key_secret}}")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            '{basic: ["{{key_sid}}", hunter2]}',
            "5:35: the basic-auth secret must be one {{variable}} reference, because files never hold secrets; "
            'use {basic: ["{{key_sid}}", "{{key_secret}}"]}',
        ),
        (
            '{basic: ["{{sid}}", "pre{{secret}}"]}',
            "5:31: the basic-auth secret must be one {{variable}} reference, because files never hold secrets",
        ),
        ("{basic: [a]}", "5:19: 'auth.basic' must be a list of two: user and secret"),
        ("{basic: [a, ~]}", "5:23: the basic-auth secret is empty (null)"),
        ("{bearer: x}", "5:12: unknown key 'bearer'; auth takes: basic"),
        ("profile", "5:11: 'auth' must be none or {basic:"),
        ("[none]", "5:11: 'auth' must be none or {basic:"),
    ],
)
def test_auth_problems(tmp_path: Path, value: str, expected: str) -> None:
    [problem] = request_problems(tmp_path, f"name: a\nurl: /a\nauth: {value}")
    assert problem.startswith(expected)


def test_a_password_in_the_url_is_a_secret_in_the_file(tmp_path: Path) -> None:
    [problem] = request_problems(tmp_path, "name: a\nurl: https://AC1:token@api.twilio.com/x")
    assert problem.startswith("4:10: the url holds a literal password, and files never hold secrets")
    request = one_request(tmp_path, "name: a\nurl: 'https://{{sid}}:{{token}}@api.twilio.com/x'")
    assert request.url == "https://{{sid}}:{{token}}@api.twilio.com/x"


@pytest.mark.parametrize(
    ("value", "seconds"), [("30", 30.0), ("500ms", 0.5), ("2s", 2.0), ("1m", 60.0), ("0.25", 0.25)]
)
def test_timeout_durations(tmp_path: Path, value: str, seconds: float) -> None:
    assert one_request(tmp_path, f"name: a\nurl: /a\ntimeout: {value}").timeout == pytest.approx(seconds)


@pytest.mark.parametrize("value", ["soon", "0", "-1", "true", "[1]", "2h"])
def test_bad_timeouts(tmp_path: Path, value: str) -> None:
    [problem] = request_problems(tmp_path, f"name: a\nurl: /a\ntimeout: {value}")
    assert problem.startswith("5:14: 'timeout' must be a duration such as 30, 500ms, 2s or 1m (more than zero)")


def test_follow_redirects(tmp_path: Path) -> None:
    assert one_request(tmp_path, "name: a\nurl: /a\nfollow_redirects: true").follow_redirects is True
    assert request_problems(tmp_path, "name: a\nurl: /a\nfollow_redirects: 1") == [
        "5:23: 'follow_redirects' must be true or false, not a number"
    ]


def test_captures(tmp_path: Path) -> None:
    request = one_request(
        tmp_path,
        """\
        name: a
        url: /a
        capture: {sid: $.sid, rid: "header:Twilio-Request-Id", code: status}
        capture_secret: {key_secret: $.secret}
        """,
    )
    assert request.capture == {"sid": "$.sid", "rid": "header:Twilio-Request-Id", "code": "status"}
    assert request.capture_secret == {"key_secret": "$.secret"}


def test_capture_problems(tmp_path: Path) -> None:
    assert request_problems(
        tmp_path,
        """\
        name: a
        url: /a
        capture: {sid: sid, 2x: $.a, h: "header:", n: ~, twice: $.a}
        capture_secret: {twice: $.sid}
        """,
    ) == [
        "5:20: capture 'sid': expected a JSONPath such as $.sid, header:Name or status, not 'sid'",
        "5:25: the captured variable '2x' cannot be used as {{2x}}; use letters, digits, '_', '.' and '-', "
        "starting with a letter or '_'",
        "5:37: capture 'h': expected a JSONPath such as $.sid, header:Name or status, not 'header:'",
        "5:51: capture 'n' is empty (null); expected text (write \"\" for empty text)",
        "6:22: 'twice' is captured twice (capture and capture_secret); keep one",
    ]


def test_expect_poll_retry(tmp_path: Path) -> None:
    request = one_request(
        tmp_path,
        """\
        name: a
        url: /a
        expect:
          status: [200, 2XX]
          json: {$.status: queued, $.sid: exists, $.n: 3}
          headers: {Content-Type: application/json, X-Count: 1}
          max_ms: 2000
        poll: {until: {$.status: delivered}, every: 1s, timeout: 20}
        retry: {on: [429, 503, transport], max: 3}
        """,
    )
    assert request.expect == Expect(
        status=[200, "2xx"],
        json={"$.status": "queued", "$.sid": "exists", "$.n": 3},
        headers={"Content-Type": "application/json", "X-Count": "1"},
        max_ms=2000,
    )
    assert request.poll == Poll(until={"$.status": "delivered"}, every=1.0, timeout=20.0)
    assert request.retry == Retry(on=[429, 503, "transport"], max=3)
    single = one_request(tmp_path, "name: a\nurl: /a\nexpect: {status: 2xx}\nretry: {on: 503}")
    assert (single.expect, single.retry) == (Expect(status="2xx"), Retry(on=[503]))
    # Written keys only: an empty `expect` is not the same as none (it skips the status rule).
    assert one_request(tmp_path, "name: a\nurl: /a\nexpect: {}").expect == Expect()


def test_runner_key_problems(tmp_path: Path) -> None:
    assert request_problems(
        tmp_path,
        """\
        name: a
        url: /a
        expect: {status: 99, body: x, json: {sid: 1}, max_ms: -5}
        poll: {every: 0s, timeout: soon}
        retry: {on: [429, later], max: -1, backoff: 2}
        """,
    ) == [
        "5:22: 'expect.status' must be a status such as 201, a class such as 2xx, or a list of them, not 99",
        "5:26: unknown key 'body'; expect takes: status, json, headers, max_ms",
        "5:42: 'expect.json': expected a JSONPath such as $.status, header:Name or status, not 'sid'",
        "5:59: 'expect.max_ms' must be a number of milliseconds, not -5",
        "6:11: 'poll' needs until: {EXPR: value}, the condition that ends the polling",
        "6:19: 'poll.every' must be a duration such as 30, 500ms, 2s or 1m (more than zero), not '0s'",
        "6:32: 'poll.timeout' must be a duration such as 30, 500ms, 2s or 1m (more than zero), not 'soon'",
        "7:23: 'retry.on' must be a status such as 201, a class such as 2xx, the word transport, or a list of them",
        "7:36: 'retry.max' must be a whole number of retries, not -1",
        "7:40: unknown key 'backoff'; retry takes: on, max",
    ]
    assert request_problems(tmp_path, "name: a\nurl: /a\nexpect: [200]") == [
        "5:13: 'expect' must be a mapping with status:, json:, headers: or max_ms:, not a list"
    ]
    assert request_problems(tmp_path, "name: a\nurl: /a\npoll: {until: {}}") == [
        "5:19: 'poll.until' is empty; give at least one expression: value"
    ]


def test_every_problem_of_a_file_is_reported_in_order(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
        name: Many
        requests:
          - name: a
            url: /a
            method: fetch
          - name: b
            body: x
          - name: c
            url: /c
            timeout: later
        """,
    )
    assert [p.split(":")[0] for p in found] == ["5", "6", "7", "10"]
    assert len(found) == 4


def test_dollar_is_never_special(tmp_path: Path) -> None:
    request = one_request(tmp_path, "name: a\nurl: /a/$x\nparams: {q: $HOME, p: '${x}'}")
    assert request.url == "/a/$x"
    assert request.params == [("q", "$HOME"), ("p", "${x}")]


def test_yaml_level_errors_come_from_the_safe_loader(tmp_path: Path) -> None:
    assert problems(tmp_path, "name: a\nname: b\nrequests: []\n") == [
        "2:1: duplicate key 'name' (first written at line 1)"
    ]
    [problem] = problems(tmp_path, "name: !!python/object/apply:os.system [echo]\nrequests: []\n")
    assert problem.startswith("1:7: the tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed")


def test_parse_collection_reads_text(tmp_path: Path) -> None:
    collection = parse_collection("name: t\nrequests: [{name: a, url: /a}]\n", tmp_path / "virtual.yaml")
    assert collection.requests[0].id == "a"
    with pytest.raises(FileErrors, match=r"virtual\.yaml:1:1: the file is empty"):
        parse_collection("", tmp_path / "virtual.yaml")


# --------------------------------------------------------------------------------------------------
# Files and folders
# --------------------------------------------------------------------------------------------------


def _tree(root: Path) -> None:
    write(root, "name: B\nrequests: []\n", "b.yaml")
    write(root, "name: A\nrequests: []\n", "a.yml")
    write(root, "name: Sub\nrequests: []\n", "sub/c.yaml")
    write(root, "name: Deeper\nrequests: []\n", "sub/deeper/d.yaml")
    write(root, "name: Hidden\nrequests: []\n", ".hidden/h.yaml")
    write(root, "name: Dotfile\nrequests: []\n", ".editor-backup.yaml")
    write(root, "not yaml at all: [", "notes.txt")


def test_folders_load_recursively_sorted_skipping_hidden(tmp_path: Path) -> None:
    _tree(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in collection_files(tmp_path)] == [
        "a.yml",
        "b.yaml",
        "sub/c.yaml",
        "sub/deeper/d.yaml",
    ]
    result = load_paths([tmp_path])
    assert [c.name for c in result.collections] == ["A", "B", "Sub", "Deeper"]
    assert result.errors == []
    assert result.ok


def test_a_broken_file_does_not_hide_the_others(tmp_path: Path) -> None:
    _tree(tmp_path)
    write(tmp_path, "name: Broken\nrequests:\n  - name: x\n    method: FETCH\n    url: /x\n", "sub/broken.yaml")
    write(tmp_path, "name: [\n", "sub/syntax.yaml")
    result = load_paths([tmp_path])
    assert [c.name for c in result.collections] == ["A", "B", "Sub", "Deeper"]
    assert [str(e).split(": ", 1)[0] for e in result.errors] == [
        f"{tmp_path / 'sub' / 'broken.yaml'}:4:13",
        f"{tmp_path / 'sub' / 'syntax.yaml'}:2:1",
    ]
    assert not result.ok


def test_files_and_missing_paths(tmp_path: Path) -> None:
    _tree(tmp_path)
    missing = tmp_path / "nope"
    result = load_paths([tmp_path / "b.yaml", missing, str(tmp_path / "notes.txt"), tmp_path / "b.yaml"])
    assert [c.name for c in result.collections] == ["B"]
    assert str(result.errors[0]) == f"{missing}:1:1: no such file or folder"
    assert result.errors[1].path == tmp_path / "notes.txt"  # a file named explicitly is read whatever its name
    assert len(result.errors) == 2


def test_a_file_inside_a_named_folder_loads_once(tmp_path: Path) -> None:
    _tree(tmp_path)
    result = load_paths([tmp_path / "sub", tmp_path / "sub" / "c.yaml"])
    assert [c.name for c in result.collections] == ["Sub", "Deeper"]


def test_an_empty_folder_loads_nothing(tmp_path: Path) -> None:
    assert load_paths([tmp_path]).collections == []


def test_an_unreadable_file_is_a_located_error(tmp_path: Path) -> None:
    folder = tmp_path / "x.yaml"
    folder.mkdir()
    with pytest.raises(FileErrors, match=r"x\.yaml:1:1: cannot read the file"):
        load_collection(folder)


# --------------------------------------------------------------------------------------------------
# FILE#ID
# --------------------------------------------------------------------------------------------------


def test_find_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, DESIGN_EXAMPLE, "collections/messages.yaml")
    collection, request = find_request("collections/messages.yaml#fetch", base=tmp_path)
    assert (collection.name, request.id) == ("Messages", "fetch")
    monkeypatch.chdir(tmp_path / "collections")
    assert find_request("messages.yaml#send-sms")[1].method == "POST"
    absolute = tmp_path / "collections" / "messages.yaml"
    assert find_request(f"{absolute}#fetch", base=Path("/elsewhere"))[1].id == "fetch"


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("messages.yaml", "'messages.yaml' is not a request reference; expected FILE#ID"),
        ("messages.yaml#", "is not a request reference; expected FILE#ID"),
        ("#fetch", "is not a request reference; expected FILE#ID"),
        ("messages.yaml#fech", "has no request 'fech'; did you mean 'fetch'? available ids: send-sms, fetch"),
        ("messages.yaml#zzz", "has no request 'zzz'; available ids: send-sms, fetch"),
        ("missing.yaml#fetch", "missing.yaml: no such collection file"),
        (".#fetch", "is a folder; expected a collection file"),
    ],
)
def test_find_request_errors(tmp_path: Path, ref: str, message: str) -> None:
    write(tmp_path, DESIGN_EXAMPLE, "messages.yaml")
    with pytest.raises(RequestRefError) as info:
        find_request(ref, base=tmp_path)
    assert message in str(info.value)
    assert "\n" not in str(info.value)
    assert isinstance(info.value, TwibenchError)


def test_find_request_in_a_broken_file_reports_its_errors(tmp_path: Path) -> None:
    write(tmp_path, "name: x\n", "bad.yaml")
    with pytest.raises(FileErrors, match=r"bad\.yaml:1:1: missing 'requests:'"):
        find_request("bad.yaml#a", base=tmp_path)
    write(tmp_path, "name: x\nrequests: []\n", "empty.yaml")
    with pytest.raises(RequestRefError, match="has no requests"):
        find_request("empty.yaml#a", base=tmp_path)


# --------------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------------


def test_dump_writes_the_design_style(tmp_path: Path) -> None:
    collection = load(tmp_path, DESIGN_EXAMPLE)
    assert dump_collection(collection) == textwrap.dedent(
        """\
        name: Messages
        description: Send, read, redact and delete SMS.
        docs: https://www.twilio.com/docs/messaging/api/message-resource
        variables:
          to: "+15558675310"
        requests:
          - name: Send an SMS
            id: send-sms
            method: POST
            url: /2010-04-01/Accounts/{{account_sid}}/Messages.json
            headers: {Accept: application/json}
            form:
              To: "{{to}}"
              From: "+15005550006"
              Body: Your total is $5
              MediaUrl: ["https://example.com/a.png", "https://example.com/b.png"]
            capture: {message_sid: $.sid}
            expect: {status: 201}
            docs: https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
          - name: Fetch the message
            id: fetch
            url: /2010-04-01/Accounts/{{account_sid}}/Messages/{{message_sid}}.json
            params: {PageSize: "20"}
        """
    )


def test_dump_quotes_what_would_load_as_something_else(tmp_path: Path) -> None:
    awkward = ["yes", "No", "020", "+15005550006", "1e3", "0x1F", "1_000", "~", "null", "", "{{x}}", "{{{{",
               "2024-01-01", "- a", "a: b", "#hash", "'q'", '"dq"', "tab\there", " lead", "trail ", "=", "<<",
               "multi\nline\n", "no newline\nat end", "ünïcödé ✓", "$5", "*star", "&amp", "!bang", "%pct", "@at",
               "`tick", "|pipe", ">gt", "[x]", "?", ":"]  # fmt: skip
    request = Request(
        name="Awkward",
        id="awkward",
        method="POST",
        url="/a",
        params=[(f"p{i}", value) for i, value in enumerate(awkward)],
        form=[(value or "empty", value) for value in awkward],
    )
    collection = Collection(name="yes", path=tmp_path / "w.yaml", requests=[request],
                            variables={f"v{i}": value for i, value in enumerate(awkward)})  # fmt: skip
    text = dump_collection(collection)
    assert 'name: "yes"' in text
    assert 'p2: "020"' in text
    reloaded = parse_collection(text, tmp_path / "w.yaml")
    assert reloaded.variables == collection.variables
    assert reloaded.name == "yes"
    assert same_request(reloaded.requests[0], request)


def test_dump_leaves_out_defaults_and_writes_ids_only_when_needed(tmp_path: Path) -> None:
    collection = Collection(
        name="D",
        path=tmp_path / "d.yaml",
        requests=[
            Request(name="Plain one", id="plain-one", url="/a"),
            Request(name="Named", id="custom", url="/b"),
            Request(name="Explicit", id="explicit", url="/c", explicit_id=True),
        ],
    )
    assert dump_collection(collection) == textwrap.dedent(
        """\
        name: D
        requests:
          - name: Plain one
            url: /a
          - name: Named
            id: custom
            url: /b
          - name: Explicit
            id: explicit
            url: /c
        """
    )
    assert dump_collection(Collection(name="E", path=tmp_path / "e.yaml")) == "name: E\nrequests: []\n"


def test_dump_groups_repeated_names_and_writes_every_key(tmp_path: Path) -> None:
    request = Request(
        name="Everything",
        id="everything",
        method="patch",
        url="https://messaging.twilio.com/v1/Services",
        description="Line one.\nLine two.\n",
        docs="https://www.twilio.com/docs",
        params=[("a", "1"), ("b", "2"), ("a", "3")],
        headers=[("Content-Type", "text/plain")],
        body="raw {{x}}",
        auth=Auth(mode="basic", user="{{key_sid}}", secret="{{key_secret}}"),
        timeout=0.5,
        follow_redirects=True,
        capture={"sid": "$.sid"},
        capture_secret={"secret": "$.secret"},
        expect=Expect(status=[200, "2xx"], json={"$.a": None, "$.b": [1, 2.5]}, max_ms=1500),
        poll=Poll(until={"$.status": "delivered"}, every=1.0, timeout=20.0),
        retry=Retry(on=[429, "transport"], max=3),
    )
    collection = Collection(name="All", path=tmp_path / "all.yaml", requests=[request], sandbox_only=True)
    text = dump_collection(collection)
    assert text.splitlines()[1] == "sandbox_only: true"
    keys = [
        line.split(":")[0].strip() for line in text.splitlines() if line.startswith(("  - ", "    ")) and line[4] != " "
    ]
    assert keys == [
        "- name",  # no id: it is the slug of the name
        "description",
        "method",
        "url",
        "params",
        "headers",
        "auth",
        "body",
        "timeout",
        "follow_redirects",
        "capture",
        "capture_secret",
        "expect",
        "poll",
        "retry",
        "docs",
    ]
    assert '    params:\n      a: ["1", "3"]\n      b: "2"\n' in text
    assert '    auth: {basic: ["{{key_sid}}", "{{key_secret}}"]}' in text
    assert "    timeout: 0.5" in text
    reloaded = parse_collection(text, collection.path).requests[0]
    assert same_request(reloaded, request)
    assert reloaded.params == [("a", "1"), ("a", "3"), ("b", "2")]
    assert group_pairs(reloaded.params) == group_pairs(request.params)


def test_save_collection_writes_a_file_that_loads_back(tmp_path: Path) -> None:
    collection = load(tmp_path, DESIGN_EXAMPLE)
    target = tmp_path / "out" / "copy.yaml"
    save_collection(collection, target)
    reloaded = load_collection(target)
    assert all(same_request(a, b) for a, b in zip(reloaded.requests, collection.requests, strict=True))
    assert reloaded.variables == collection.variables
    assert [p.name for p in target.parent.iterdir()] == ["copy.yaml"]  # no temporary file left behind


def test_save_collection_refuses_what_would_not_load(tmp_path: Path) -> None:
    target = tmp_path / "bad.yaml"
    target.write_text("name: old\nrequests: []\n")
    collection = Collection(name="New", path=target, requests=[Request(name="No url", id="no-url")])
    with pytest.raises(SaveError, match=r"bad\.yaml: not saved, because the result would not load: line 4: "):
        save_collection(collection)
    assert target.read_text() == "name: old\nrequests: []\n"


# --------------------------------------------------------------------------------------------------
# Saving one request in place
# --------------------------------------------------------------------------------------------------

COMMENTED = """\
# Collection header comment
name: Demo   # eol name
variables:
  to: "+15558675310"   # a test number
  PageSize: 020
requests:
  # before A
  - name: A
    url: /a
    headers: {X: y}  # eol h
    # after A (about B)
  - name: B   # eol B
    id: b
    url: /b
    form:
      To: "{{to}}"
      # inside form
      Body: hi   # eol body
    # after B

  # standalone before C
  - name: C
    url: /c
    description: |
      lit
# end of file
"""


def _saved(tmp_path: Path, change: str, **kwargs: object) -> tuple[str, Collection]:
    path = write(tmp_path, COMMENTED, "demo.yaml")
    collection = load_collection(path)
    a, b, c = collection.requests
    edits: dict[str, tuple[Collection, Request]] = {
        "a-url": (collection, replace(a, url="/a2")),
        "b-form": (collection, replace(b, form=[("To", "x"), ("To", "yes")])),
        "b-rename": (collection, replace(b, id="b2", name="B two")),
        "c-json": (collection, replace(c, method="POST", json={"n": 20, "big": 2.5e20, "s": "020"})),
        "new": (collection, Request(name="D", id="d", url="/d", params=[("On", "yes")])),
    }
    target_collection, request = edits[change]
    save_request(target_collection, request, path, **kwargs)  # type: ignore[arg-type]
    return path.read_text(), load_collection(path)


def test_save_request_changes_only_that_request(tmp_path: Path) -> None:
    text, reloaded = _saved(tmp_path, "a-url")
    assert text == COMMENTED.replace("    url: /a\n", "    url: /a2\n")
    assert reloaded.requests[0].url == "/a2"


def test_save_request_keeps_comments_around_a_replaced_body(tmp_path: Path) -> None:
    text, reloaded = _saved(tmp_path, "b-form")
    # Only the edited rows' lines change: the comment line between them stays where it was.
    assert text == COMMENTED.replace(
        '      To: "{{to}}"\n      # inside form\n      Body: hi   # eol body\n',
        '      To: [x, "yes"]\n      # inside form\n',
    )
    assert reloaded.requests[1].form == [("To", "x"), ("To", "yes")]


def test_save_request_under_a_new_id(tmp_path: Path) -> None:
    text, reloaded = _saved(tmp_path, "b-rename", original_id="b")
    assert text == COMMENTED.replace("  - name: B   # eol B\n    id: b\n", "  - name: B two   # eol B\n    id: b2\n")
    assert [r.id for r in reloaded.requests] == ["a", "b2", "c"]


def test_save_request_adds_keys_near_their_neighbours(tmp_path: Path) -> None:
    text, reloaded = _saved(tmp_path, "c-json")
    assert text == COMMENTED.replace(
        "  - name: C\n    url: /c\n",
        '  - name: C\n    method: POST\n    url: /c\n    json: {n: 20, big: 2.5e+20, s: "020"}\n',
    )
    assert reloaded.requests[2].json == {"n": 20, "big": 2.5e20, "s": "020"}


def test_save_request_appends_a_new_request(tmp_path: Path) -> None:
    text, reloaded = _saved(tmp_path, "new")
    assert text == COMMENTED.replace(
        "      lit\n# end of file\n", '      lit\n  - name: D\n    url: /d\n    params: {"On": "yes"}\n# end of file\n'
    )
    assert reloaded.requests[3].params == [("On", "yes")]
    assert reloaded.variables["PageSize"] == "020"


def test_save_request_keeps_a_different_indentation_style(tmp_path: Path) -> None:
    original = "name: Flat\nrequests:\n- name: A   # keep me\n  url: /a\n- name: B\n  url: /b\n  params:\n    x: 1\n"
    path = write(tmp_path, original, "flat.yaml")
    collection = load_collection(path)
    save_request(collection, replace(collection.requests[0], url="/new"), path)
    assert path.read_text() == original.replace("url: /a", "url: /new")


def test_save_request_replaces_a_flow_style_request_whole(tmp_path: Path) -> None:
    path = write(tmp_path, "name: F  # c\nrequests: [{name: A, url: /a}]\n", "flow.yaml")
    collection = load_collection(path)
    save_request(collection, replace(collection.requests[0], url="/b"), path)
    assert load_collection(path).requests[0].url == "/b"
    assert "# c" in path.read_text()


def test_save_request_into_an_empty_list(tmp_path: Path) -> None:
    path = write(tmp_path, "# new file\nname: E\nrequests: []\n", "empty.yaml")
    collection = load_collection(path)
    save_request(collection, Request(name="First", id="first", url="/f"), path)
    assert path.read_text() == "# new file\nname: E\nrequests:\n  - name: First\n    url: /f\n"


def test_save_request_creates_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    collection = Collection(name="New", path=path, requests=[Request(name="Old", id="old", url="/o")])
    save_request(collection, Request(name="Made", id="made", url="/m"), path)
    assert [r.id for r in load_collection(path).requests] == ["old", "made"]


def test_save_request_refuses_a_broken_file_or_a_broken_result(tmp_path: Path) -> None:
    path = write(tmp_path, "name: B\nrequests: {}\n", "broken.yaml")
    with pytest.raises(FileErrors):
        save_request(load_collection(write(tmp_path, DESIGN_EXAMPLE)), Request(name="x", id="x", url="/x"), path)
    good = write(tmp_path, DESIGN_EXAMPLE, "good.yaml")
    collection = load_collection(good)
    with pytest.raises(SaveError, match="another request is already named 'Send an SMS'"):
        save_request(collection, replace(collection.requests[1], name="Send an SMS"), good)
    with pytest.raises(SaveError, match="'url' is empty"):
        save_request(collection, replace(collection.requests[1], url=""), good)
    assert good.read_text() == DESIGN_EXAMPLE


def test_save_request_keeps_unchanged_values_as_written(tmp_path: Path) -> None:
    path = write(tmp_path, DESIGN_EXAMPLE, "messages.yaml")
    collection = load_collection(path)
    send = collection.requests[0]
    save_request(collection, replace(send, capture={"message_sid": "$.sid", "status": "$.status"}), path)
    text = path.read_text()
    assert text == DESIGN_EXAMPLE.replace(
        "    capture: {message_sid: $.sid}                # see §6\n",
        "    capture: {message_sid: $.sid, status: $.status}                # see §6\n",
    )


# --------------------------------------------------------------------------------------------------
# Round trips (hypothesis): model → dump_collection / save_request → load_collection → the same model
# --------------------------------------------------------------------------------------------------

AWKWARD = [
    "yes", "No", "on", "OFF", "true", "null", "~", "", " ", "020", "0x1F", "0o17", "1e3", "1_000", ".5", "-.inf",
    "+15005550006", "$5", "Your total is $5", "${HOME}", "{{to}}", "{{ to }}", "{{{{", "}}", "{{{{x}}", "a: b",
    "- a", "#x", "a #b", "'single'", '"double"', "back\\slash", "tab\there", " lead", "trail ", "=", "<<", "*a",
    "&a", "!t", "%p", "@x", "`x", "|", ">", "[x]", "{x}", "?", ":", ",", "2024-01-01", "12:30:00", "ünïcødé ✓ 日本",
    "line\nbreak", "trailing\n", "\n", "cr\rhere", "nul\x00inside", "bom\ufeff", "nel\x85", "ls\u2028", "emoji 🎉",
]  # fmt: skip
no_breaks = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r\x85\u2028\u2029"))
any_text = st.one_of(st.sampled_from(AWKWARD), st.text(max_size=12))
line_text = st.one_of(st.sampled_from([a for a in AWKWARD if not any(c in a for c in "\n\r")]), no_breaks)
var_names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_.\-]{0,8}", fullmatch=True)
request_ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,10}", fullmatch=True)
pair_names = st.one_of(st.sampled_from(["To", "From", "Body", "MediaUrl", "On", "020"]), st.text(max_size=6))
pairs = st.lists(st.tuples(pair_names, any_text), max_size=6)
header_names = st.one_of(
    st.sampled_from(["Accept", "X-Twilio-Thing", "Content-Type"]),
    st.from_regex(r"[A-Za-z0-9!#$%&'*+.^_`|~-]{1,10}", fullmatch=True),
)
header_pairs = st.lists(st.tuples(header_names, line_text), max_size=4).filter(
    lambda hs: all(n.lower() not in ("authorization", "proxy-authorization") for n, _ in hs)
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | any_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(any_text, inner, max_size=3),
    max_leaves=8,
)
expressions = st.one_of(
    st.sampled_from(["$.sid", "status", "header:Twilio-Request-Id"]), st.text(max_size=8).map(lambda s: "$." + s)
)
durations = st.floats(min_value=0.001, max_value=3600, allow_nan=False, allow_infinity=False)
statuses = st.one_of(st.integers(100, 599), st.sampled_from(["1xx", "2xx", "3xx", "4xx", "5xx"]))


@st.composite
def requests_(draw: st.DrawFn, name: str | None = None) -> Request:
    """A valid request whose every field is drawn, awkward values included."""
    if name is None:
        name = draw(line_text.filter(lambda s: bool(s.strip())))
    explicit = draw(st.booleans()) or not slug(name)
    request = Request(
        name=name,
        id=draw(request_ids) if explicit else slug(name),
        explicit_id=explicit,
        method=draw(st.sampled_from(METHODS)),
        url=draw(st.sampled_from(["/2010-04-01/Accounts/{{account_sid}}/", "https://api.twilio.com/", "{{base}}/"]))
        + draw(no_breaks),
        description=draw(st.none() | any_text.filter(bool)),
        docs=draw(st.none() | line_text.filter(lambda s: bool(s.strip()))),
        params=draw(pairs),
        headers=draw(header_pairs),
        timeout=draw(st.none() | durations),
        follow_redirects=draw(st.booleans()),
        capture=draw(st.dictionaries(var_names, expressions, max_size=2)),
        expect=draw(st.none() | st.builds(Expect, status=statuses | st.lists(statuses, min_size=1, max_size=3))),
        poll=draw(
            st.none()
            | st.builds(
                Poll,
                until=st.dictionaries(expressions, json_values, min_size=1, max_size=2),
                every=st.none() | durations,
            )
        ),
        retry=draw(
            st.none()
            | st.builds(
                Retry, on=st.lists(statuses | st.just("transport"), min_size=1, max_size=3), max=st.integers(0, 9)
            )
        ),
    )
    request.capture_secret = {
        k: v for k, v in draw(st.dictionaries(var_names, expressions, max_size=2)).items() if k not in request.capture
    }
    body = draw(st.sampled_from(["none", "form", "json", "body"]))
    if body == "form":
        request.form = draw(pairs)
    elif body == "json":
        request.json = draw(json_values.filter(lambda v: v is not None))
    elif body == "body":
        request.body = draw(any_text)
        request.headers.append(("Content-Type", "text/plain"))
    auth = draw(st.sampled_from(["profile", "none", "basic"]))
    if auth == "basic":
        request.auth = Auth(
            mode="basic", user=draw(st.sampled_from(["{{key_sid}}", "SK123", "a b"])), secret="{{ key_secret }}"
        )
    elif auth == "none":
        request.auth = Auth(mode="none")
    return request


@st.composite
def collections_(draw: st.DrawFn) -> Collection:
    names = draw(st.lists(line_text.filter(lambda s: bool(s.strip())), max_size=4, unique=True))
    requests = [draw(requests_(name)) for name in names]
    ids = [r.id for r in requests]
    assume(len(set(ids)) == len(ids))
    return Collection(
        name=draw(line_text.filter(lambda s: bool(s.strip()))),
        path=Path("generated.yaml"),
        requests=requests,
        description=draw(st.none() | any_text.filter(bool)),
        docs=draw(st.none() | line_text.filter(lambda s: bool(s.strip()))),
        sandbox_only=draw(st.booleans()),
        variables=draw(st.dictionaries(var_names, any_text, max_size=5)),
    )


def _same_collection(a: Collection, b: Collection) -> bool:
    return (
        (a.name, a.description, a.docs, a.sandbox_only, a.variables)
        == (b.name, b.description, b.docs, b.sandbox_only, b.variables)
        and len(a.requests) == len(b.requests)
        and all(same_request(x, y) for x, y in zip(a.requests, b.requests, strict=True))
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(collections_())
def test_dump_then_load_gives_the_same_collection(collection: Collection) -> None:
    text = dump_collection(collection)
    reloaded = parse_collection(text, collection.path)
    assert _same_collection(reloaded, collection), text
    assert dump_collection(reloaded) == text  # the writer is stable


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
)
@given(request=requests_(), replace_b=st.booleans())
def test_save_request_then_load_gives_the_request_and_keeps_the_rest(
    tmp_path: Path, request: Request, replace_b: bool
) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(COMMENTED)
    before = load_collection(path)
    others = [r for r in before.requests if not (replace_b and r.id == "b")]
    assume(all(r.name != request.name and r.id != request.id for r in others))
    save_request(before, request, path, original_id="b" if replace_b else None)
    after = load_collection(path)
    position = 1 if replace_b else 3
    assert same_request(after.requests[position], request)
    rest = [r for i, r in enumerate(after.requests) if i != position]
    assert all(same_request(x, y) for x, y in zip(rest, others, strict=True))
    text = path.read_text()
    for comment in ("# Collection header comment", "# eol name", "# a test number", "# before A", "# eol h",
                    "# after A (about B)", "# standalone before C", "# end of file"):  # fmt: skip
        assert comment in text
    assert after.variables == before.variables


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
)
@given(collection=collections_(), data=st.data())
def test_save_request_into_a_written_file_keeps_every_other_request(
    tmp_path: Path, collection: Collection, data: st.DataObject
) -> None:
    """ruamel re-emits the untouched requests: whatever the writer wrote must survive that unchanged."""
    assume(collection.requests)
    path = tmp_path / "written.yaml"
    path.write_text(dump_collection(collection))
    index = data.draw(st.integers(0, len(collection.requests) - 1))
    old = collection.requests[index]
    new = data.draw(requests_(old.name))
    new.id = old.id
    new.explicit_id = old.explicit_id
    save_request(collection, new, path)
    after = load_collection(path)
    expected = [new if i == index else r for i, r in enumerate(collection.requests)]
    assert all(same_request(a, b) for a, b in zip(after.requests, expected, strict=True))
    assert after.variables == collection.variables


def test_save_request_treats_cleared_fields_as_absent(tmp_path: Path) -> None:
    """The TUI clears a field to "" and types methods in any case; the file just drops the key."""
    path = write(tmp_path, "name: x\nrequests:\n  - name: a\n    url: /a\n    description: old\n    docs: https://x\n")
    collection = load_collection(path)
    save_request(collection, replace(collection.requests[0], description="", docs="", method="post"), path)
    assert path.read_text() == "name: x\nrequests:\n  - name: a\n    method: POST\n    url: /a\n"
