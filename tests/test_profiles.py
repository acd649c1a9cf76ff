"""Profiles: the file format, built-ins, secret sources, the host guard, and safe writing."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from twibench import profiles
from twibench.errors import FileErrors
from twibench.profiles import HostRefusedError, Profile, ProfileError, SecretRef
from twibench.sandbox import credentials

AC = "AC0123456789abcdef0123456789abcdef"
SK = "SK0123456789abcdef0123456789abcdef"


def write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text)
    path.chmod(mode)
    return path


def test_builtins_without_file(home: Path) -> None:
    ps = profiles.load_profiles(environ={})
    assert list(ps.profiles) == ["sandbox"]
    assert ps.default == "sandbox"
    sandbox = ps.get()
    assert sandbox.is_sandbox and not sandbox.is_live
    assert sandbox.account_sid == credentials.ACCOUNT_SID
    # "local sandbox", followed by its address once a sandbox runs in this process (an earlier test's)
    assert sandbox.describe().startswith(
        f"sandbox · Auth Token · {credentials.ACCOUNT_SID[:4]}…{credentials.ACCOUNT_SID[-4:]} · local sandbox"
    )


def test_env_profile_from_auth_token_and_from_api_key(home: Path) -> None:
    ps = profiles.load_profiles(environ={"TWILIO_ACCOUNT_SID": AC, "TWILIO_AUTH_TOKEN": "tok-123456"})
    env = ps.get("env")
    assert env.kind == "auth_token" and env.username == AC and env.secret == SecretRef(env="TWILIO_AUTH_TOKEN")
    assert ps.default == "sandbox", "environment variables never make a live account the default"
    ps = profiles.load_profiles(
        environ={
            "TWILIO_ACCOUNT_SID": AC,
            "TWILIO_API_KEY": SK,
            "TWILIO_API_SECRET": "sec-123456",
            "TWILIO_REGION": "ie1",
            "TWILIO_EDGE": "dublin",
        }
    )
    env = ps.get("env")
    assert env.kind == "api_key" and env.username == SK and env.account_sid == AC
    assert env.api_base() == "https://api.dublin.ie1.twilio.com"


def test_file_with_both_kinds_and_default(home: Path) -> None:
    write(
        home / "profiles.yaml",
        f"""
default: live
profiles:
  live:
    account_sid: {AC}
    auth_token: {{env: MY_TOKEN}}
    variables: {{from: "+15017122661", n: 007}}
  ireland-key:
    account_sid: {AC}
    api_key: {SK}
    api_secret: {{prompt: true}}
    region: ie1
    edge: dublin
    allowed_hosts: [127.0.0.1]
""",
    )
    ps = profiles.load_profiles(environ={})
    assert ps.default == "live"
    live = ps.get()
    assert live.kind == "auth_token" and live.is_live
    assert live.variables == {"from": "+15017122661", "n": "007"}
    assert live.builtin_variables()["account_sid"] == AC
    key = ps.get("ireland-key")
    assert key.kind == "api_key" and key.username == SK and key.secret.prompt
    assert key.host_label() == "api.dublin.ie1.twilio.com"
    assert "SK01…cdef" in key.describe()


@pytest.mark.parametrize(
    ("region", "edge", "host"),
    [(None, None, "api.twilio.com"), ("ie1", None, "api.dublin.ie1.twilio.com"),
     (None, "sydney", "api.sydney.us1.twilio.com"), ("au1", "sydney", "api.sydney.au1.twilio.com"),
     ("au1", None, "api.sydney.au1.twilio.com"), ("us1", None, "api.twilio.com"), ("xx9", None, "api.xx9.twilio.com")],
)  # fmt: skip
def test_region_edge_hosts(region: str | None, edge: str | None, host: str) -> None:
    assert profiles.twilio_host(region, edge) == host


@pytest.mark.parametrize(
    ("text", "line", "col", "phrase"),
    [
        ("profiles:\n  p:\n    account_sid: AC123\n    auth_token: xlongsecret\n", 3, 18, "expected an Account SID"),
        (f"profiles:\n  p:\n    account_sid: {AC}\n    auth_tokn: x\n", 4, 5, "unknown key 'auth_tokn'"),
        (f"profiles:\n  p:\n    account_sid: {AC}\n", 3, 5, "auth_token is required"),
        (f"profiles:\n  p:\n    account_sid: {AC}\n    auth_token: {{env: 5}}\n", 4, 17, "expected a literal"),
        (f"profiles:\n  sandbox:\n    account_sid: {AC}\n    auth_token: xlongsecret\n", 2, 3, "built-in"),
        (
            f"default: nope\nprofiles:\n  p:\n    account_sid: {AC}\n    auth_token: xlongsecret\n",
            1,
            10,
            "'nope' is not a profile",
        ),
        (f"profiles:\n  p:\n    account_sid: {AC}\n    api_key: SKnope\n    api_secret: x\n", 4, 14, "API Key SID"),
        ("- a\n- b\n", 1, 1, "expected a mapping"),
        ("profiles: [1]\n", 1, 11, "expected a mapping of profile name"),
        (f"profiles:\n  p:\n    account_sid: {AC}\n    auth_token: xlongsecret\n    region: X\n", 5, 13, "region"),
    ],
)
def test_profile_file_errors_are_located(home: Path, text: str, line: int, col: int, phrase: str) -> None:
    path = write(home / "profiles.yaml", text)
    with pytest.raises(FileErrors) as info:
        profiles.load_profiles(environ={})
    first = info.value.errors[0]
    assert (first.path, first.line, first.column) == (path, line, col), str(first)
    assert phrase in first.message


def test_secret_sources(home: Path) -> None:
    p = Profile("p", "auth_token", AC, AC, SecretRef(env="MY_TOKEN"))
    assert profiles.resolve_secret(p, environ={"MY_TOKEN": "abc123456"}) == "abc123456"
    with pytest.raises(ProfileError, match=r"\$MY_TOKEN, which is not set"):
        profiles.resolve_secret(p, environ={})
    asked = Profile("q", "auth_token", AC, AC, SecretRef(prompt=True))
    with pytest.raises(ProfileError, match="no terminal"):
        profiles.resolve_secret(asked)  # nothing to ask with: profiles never reads the terminal itself


def guard_profile(**kwargs: object) -> Profile:
    return Profile("live", "auth_token", AC, AC, SecretRef(literal="x" * 32), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("url", "allowed", "ok"),
    [
        ("https://api.twilio.com/2010-04-01/Accounts.json", [], True),
        ("https://messaging.twilio.com/v1/Services", [], True),
        ("http://api.twilio.com/2010-04-01/Accounts.json", [], False),
        ("https://twilio.com.evil.example/x", [], False),
        ("https://eviltwilio.com/x", [], False),
        ("http://127.0.0.1:8080/x", [], False),
        ("http://127.0.0.1:8080/x", ["127.0.0.1"], True),
        ("https://127.0.0.1:9999/x", ["127.0.0.1"], True),
        ("http://127.0.0.1:8080/x", ["127.0.0.1:8080"], True),
        ("http://127.0.0.1:8081/x", ["127.0.0.1:8080"], False),
        ("http://localhost:8080/x", ["127.0.0.1"], False),
    ],
)
def test_host_guard(url: str, allowed: list[str], ok: bool) -> None:
    profile = guard_profile(allowed_hosts=allowed)
    if ok:
        profiles.check_host(profile, url)
    else:
        with pytest.raises(HostRefusedError, match="refusing to send the credentials"):
            profiles.check_host(profile, url)


def test_base_url_host_is_allowed_exactly() -> None:
    profile = guard_profile(base_url="http://127.0.0.1:8080")
    profiles.check_host(profile, "http://127.0.0.1:8080/2010-04-01/Accounts.json")
    with pytest.raises(HostRefusedError):
        profiles.check_host(profile, "http://127.0.0.1:8081/x")


def test_sandbox_guard_allows_only_its_address() -> None:
    profile = Profile(
        "sandbox", "auth_token", AC, AC, SecretRef(literal="t" * 32), builtin=True,
        base_url_provider=lambda: "http://127.0.0.1:5000",
    )  # fmt: skip
    profiles.check_host(profile, "http://127.0.0.1:5000/2010-04-01/Accounts.json")
    for url in ("http://127.0.0.1:5001/x", "https://api.twilio.com/x"):
        with pytest.raises(HostRefusedError, match="sandbox"):
            profiles.check_host(profile, url)


def test_save_is_0600_atomic_and_round_trips(home: Path) -> None:
    ps = profiles.load_profiles(environ={})
    ps.profiles["live"] = Profile("live", "auth_token", AC, AC, SecretRef(env="TWILIO_AUTH_TOKEN"))
    ps.profiles["key"] = Profile(
        "key",
        "api_key",
        AC,
        SK,
        SecretRef(literal="literal-secret-1"),
        region="ie1",
        edge="dublin",
        variables={"from": "+1555"},
    )
    ps.default = "live"
    path = profiles.save_profiles(ps)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in home.iterdir() if p.name.startswith(".profiles")] == [], "no temp file left behind"
    again = profiles.load_profiles(environ={})
    assert again.default == "live"
    assert again.get("key").secret.literal == "literal-secret-1"
    assert again.get("key").variables == {"from": "+1555"}
    assert again.get("live").secret.env == "TWILIO_AUTH_TOKEN"
    assert again.warnings == []


def test_world_readable_file_with_literal_secret_warns(home: Path) -> None:
    write(home / "profiles.yaml", f"profiles:\n  p:\n    account_sid: {AC}\n    auth_token: literal-123456\n", 0o644)
    ps = profiles.load_profiles(environ={})
    assert len(ps.warnings) == 1 and "chmod 600" in ps.warnings[0]
    assert "literal-123456" not in ps.warnings[0]
    (home / "profiles.yaml").chmod(0o600)
    assert profiles.load_profiles(environ={}).warnings == []


def test_unknown_profile_names_the_known_ones(home: Path) -> None:
    with pytest.raises(ProfileError, match="unknown profile 'nope'; known profiles: sandbox"):
        profiles.load_profiles(environ={}).get("nope")


def test_known_secrets_lists_available_pairs(home: Path) -> None:
    write(home / "profiles.yaml", f"profiles:\n  p:\n    account_sid: {AC}\n    auth_token: {{env: TOK}}\n")
    ps = profiles.load_profiles(environ={})
    pairs = profiles.known_secrets(ps, environ={"TOK": "from-env-123"})
    assert (AC, "from-env-123") in pairs
    assert (credentials.ACCOUNT_SID, credentials.AUTH_TOKEN) in pairs


def test_an_unquoted_all_digit_auth_token_is_its_text(home: Path) -> None:
    """`auth_token: 0123456789…` (YAML reads a number) is accepted as the token it obviously is (item 5)."""
    write(home / "profiles.yaml", f"profiles:\n  work:\n    account_sid: {AC}\n    auth_token: 0012345678901234\n")
    profile = profiles.load_profiles(environ={}).get("work")
    assert profile.secret.literal == "0012345678901234"


def test_a_broken_profiles_file_opens_with_the_builtins_and_is_never_overwritten(home: Path) -> None:
    """The app opens with the sandbox and says what is wrong; saving profiles refuses to lose the file."""
    path = write(home / "profiles.yaml", "profiles:\n  work:\n    account_sid: nope\n")
    ps = profiles.load_profiles_or_builtins(environ={})
    assert list(ps.profiles) == ["sandbox"]
    assert ps.broken is not None and "profiles.yaml:3" in ps.broken and "restart" in ps.broken
    assert ps.warnings == [ps.broken]
    with pytest.raises(ProfileError, match="did not load"):
        profiles.save_profiles(ps)
    assert path.read_text() == "profiles:\n  work:\n    account_sid: nope\n"


def test_a_loopback_base_url_is_local_not_live(home: Path) -> None:
    """LOCAL for a profile on this machine, LIVE only for remote hosts, SANDBOX for the built-in (item 4)."""
    base = dict(name="p", kind="auth_token", account_sid=AC, username=AC, secret=SecretRef(env="X"))
    local = Profile(**base, base_url="http://127.0.0.1:8787")  # type: ignore[arg-type]
    named = Profile(**base, base_url="http://localhost:9000")  # type: ignore[arg-type]
    remote = Profile(**base, base_url="https://mock.example.test")  # type: ignore[arg-type]
    twilio = Profile(**base)  # type: ignore[arg-type]
    assert [p.badge for p in (local, named, remote, twilio)] == ["LOCAL", "LOCAL", "LIVE", "LIVE"]
    assert not local.is_live and remote.is_live
    sandbox = profiles.load_profiles(environ={}).get("sandbox")
    assert sandbox.badge == "SANDBOX"
