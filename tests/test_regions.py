"""Regions and edges: a region alone takes its default edge, and every product host follows the profile."""

from __future__ import annotations

from pathlib import Path

import pytest

from twibench import regions
from twibench.client import prepare
from twibench.collection import Request
from twibench.profiles import Profile, SecretRef, load_profiles

ACCOUNT = "AC" + "0" * 32


@pytest.mark.parametrize(
    ("region", "edge", "expected"),
    [
        ("ie1", None, ("ie1", "dublin", "region ie1 without an edge uses its default edge, dublin")),
        ("AU1", None, ("au1", "sydney", "region au1 without an edge uses its default edge, sydney")),
        (None, "tokyo", ("us1", "tokyo", None)),
        ("us1", None, (None, None, None)),
        ("ie1", "frankfurt", ("ie1", "frankfurt", None)),
        ("zz1", None, ("zz1", None, "region zz1 has no known default edge; set `edge:` in the profile")),
        (None, None, (None, None, None)),
    ],
)
def test_resolve(region: str | None, edge: str | None, expected: tuple[str | None, ...]) -> None:
    assert regions.resolve(region, edge) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://verify.twilio.com/v2/Services", "https://verify.dublin.ie1.twilio.com/v2/Services"),
        ("https://api.sydney.au1.twilio.com/2010-04-01/Accounts.json", "https://api.dublin.ie1.twilio.com/2010-04-01/Accounts.json"),
        ("https://example.com/x", "https://example.com/x"),
    ],
)  # fmt: skip
def test_every_product_host_follows_the_region(url: str, expected: str) -> None:
    assert regions.regional_url(url, "ie1", None) == expected
    assert regions.regional_url(url, None, None) == url


def test_a_live_profile_sends_product_urls_to_its_region() -> None:
    profile = Profile(name="eu", kind="auth_token", account_sid=ACCOUNT, username=ACCOUNT,
                      secret=SecretRef(literal="f" * 32), region="ie1")  # fmt: skip
    prepared = prepare(Request(name="s", id="s", url="https://verify.twilio.com/v2/Services"), profile, {})
    assert prepared.url == "https://verify.dublin.ie1.twilio.com/v2/Services"
    relative = prepare(Request(name="a", id="a", url="/2010-04-01/Accounts.json"), profile, {})
    assert relative.url == "https://api.dublin.ie1.twilio.com/2010-04-01/Accounts.json"


def test_a_region_without_an_edge_is_noted_once_when_profiles_load(tmp_path: Path) -> None:
    path = tmp_path / "profiles.yaml"
    path.write_text(f"profiles:\n  eu:\n    account_sid: {ACCOUNT}\n    auth_token: {{env: T}}\n    region: ie1\n")
    loaded = load_profiles(path, environ={})
    assert loaded.warnings == ["profile 'eu': region ie1 without an edge uses its default edge, dublin"]
    assert loaded.get("eu").api_base() == "https://api.dublin.ie1.twilio.com"


def test_regional_hosts_are_recognised() -> None:
    assert regions.is_regional("api.dublin.ie1.twilio.com") and not regions.is_regional("api.twilio.com")


def test_a_20003_from_a_regional_host_hints_at_per_region_credentials(capsys: pytest.CaptureFixture[str]) -> None:
    from twibench.cli.output import print_exchange
    from twibench.exchange import Exchange, Response, SentRequest

    url = "https://api.dublin.ie1.twilio.com/2010-04-01/Accounts/AC1.json"
    body = b'{"code": 20003, "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003"}'
    exchange = Exchange(request=SentRequest(method="GET", url=url, path="/x", body=b""))
    exchange.response = Response(401, "UNAUTHORIZED", [("Content-Type", "application/json")], body)
    print_exchange(exchange, [])
    assert "Hint: api.dublin.ie1.twilio.com is a regional host" in capsys.readouterr().out
    assert regions.credentials_hint("https://api.twilio.com/x", 401, 20003) is None
    assert regions.credentials_hint(url, 404, 20404) is None
