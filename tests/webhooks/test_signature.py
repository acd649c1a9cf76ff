"""X-Twilio-Signature: ours must equal what Twilio's own RequestValidator computes and accepts."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from twibench.webhooks import signature

TOKEN = "12345678901234567890123456789012"
URL = "https://mycompany.example/myapp.php?foo=1&bar=2"
PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+12349013030",
    "Digits": "1234",
    "From": "+12349013030",
    "To": "+18005551212",
}

names = st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=12)
values = st.text(max_size=20)
urls = st.builds(
    lambda scheme, host, port, path, query: f"{scheme}://{host}{port}/{path}{query}",
    st.sampled_from(["http", "https"]),
    st.sampled_from(["example.com", "127.0.0.1", "abc.ngrok.app"]),
    st.sampled_from(["", ":443", ":80", ":8080"]),
    st.text(alphabet=string.ascii_lowercase + "/", max_size=10),
    st.sampled_from(["", "?a=1", "?bodySHA256=x&b=%20"]),
)


def test_the_signed_string_is_the_url_then_sorted_names_and_values() -> None:
    assert signature.signed_string("https://a.example/x", [("b", "2"), ("a", "1"), ("b", "1")]) == (
        "https://a.example/xa1b1b2"
    )


@settings(max_examples=200, deadline=None)
@given(url=urls, params=st.dictionaries(names, values, max_size=6), token=st.text(min_size=1, max_size=40))
def test_compute_matches_twilios_request_validator(url: str, params: dict[str, str], token: str) -> None:
    ours = signature.compute(url, params, token)
    assert ours == RequestValidator(token).compute_signature(url, params)
    assert RequestValidator(token).validate(url, params, ours)
    assert signature.check(url, params, ours, token) == "valid"


@settings(max_examples=100, deadline=None)
@given(url=urls, params=st.dictionaries(names, values, max_size=6), wrong=st.text(min_size=1, max_size=40))
def test_check_agrees_with_twilio_on_forged_signatures(url: str, params: dict[str, str], wrong: str) -> None:
    forged = signature.compute(url, params, wrong + "x")
    expected = RequestValidator(TOKEN).validate(url, params, forged)
    assert (signature.check(url, params, forged, TOKEN) == "valid") == expected


def test_the_default_port_is_accepted_both_ways_as_twilio_does() -> None:
    sig = signature.compute("https://example.com/sms", PARAMS, TOKEN)
    assert signature.check("https://example.com:443/sms", PARAMS, sig, TOKEN) == "valid"
    assert RequestValidator(TOKEN).validate("https://example.com:443/sms", PARAMS, sig)


def test_json_bodies_are_signed_through_body_sha256() -> None:
    body = b'{"property": "value", "boolean": true}'
    url = f"https://mycompany.example/myapp?bodySHA256={signature.body_hash(body)}"
    sig = signature.compute(url, None, TOKEN)
    assert signature.check(url, None, sig, TOKEN, body=body) == "valid"
    assert RequestValidator(TOKEN).validate(url, body.decode(), sig)
    assert signature.check(url, None, sig, TOKEN, body=body + b" ") == "invalid"


def test_no_header_is_unsigned() -> None:
    assert signature.check(URL, PARAMS, None, TOKEN) == "unsigned"
    assert signature.check(URL, PARAMS, "", TOKEN) == "unsigned"


class TestDiagnose:
    def sig(self, url: str = URL, params: dict[str, str] = PARAMS) -> str:
        return signature.compute(url, params, TOKEN)

    def test_a_valid_signature_has_no_cause(self) -> None:
        d = signature.diagnose(URL, PARAMS, self.sig(), TOKEN)
        assert (d.verdict, d.cause, d.hints) == ("valid", None, ())
        assert d.signed.startswith(URL + "CallSidCA1234567890ABCDECaller+12349013030")

    def test_http_behind_a_proxy(self) -> None:
        d = signature.diagnose(URL.replace("https", "http"), PARAMS, self.sig(), TOKEN)
        assert d.verdict == "invalid"
        assert d.cause is not None and "scheme" in d.cause

    def test_any_port_on_the_apps_url_is_accepted_as_twilios_validator_does(self) -> None:
        url = "https://mycompany.example:3000/myapp.php?foo=1&bar=2"
        assert signature.diagnose(url, PARAMS, self.sig(), TOKEN).verdict == "valid"
        assert RequestValidator(TOKEN).validate(url, PARAMS, self.sig())

    def test_a_trailing_slash(self) -> None:
        d = signature.diagnose("https://mycompany.example/myapp.php/?foo=1&bar=2", PARAMS, self.sig(), TOKEN)
        assert d.cause == "a trailing slash on the path"

    def test_re_encoded_parameters(self) -> None:
        encoded = {**PARAMS, "From": "%2B12349013030"}
        d = signature.diagnose(URL, encoded, self.sig(), TOKEN)
        assert d.cause is not None and "encoding" in d.cause

    def test_the_wrong_token_lists_the_usual_causes(self) -> None:
        d = signature.diagnose(URL, PARAMS, signature.compute(URL, PARAMS, "another-accounts-token"), TOKEN)
        assert d.verdict == "invalid" and d.cause is None
        assert any("subaccount" in hint for hint in d.hints)
