"""Checks, expressions, captures and retry decisions on single exchanges (no network, no runner)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from twibench.collection import Expect, Retry
from twibench.exchange import Exchange, Response, SentRequest, Timings, TransportError
from twibench.runner import retry
from twibench.runner.capture import capture_values
from twibench.runner.checks import check_exchange, status_matches
from twibench.runner.expressions import Body, ExpressionError, compile_expression, lookup, values_equal

TWILIO_400 = {
    "code": 21211,
    "message": "The 'To' number 123 is not a valid phone number.",
    "more_info": "https://www.twilio.com/docs/errors/21211",
    "status": 400,
}


def exchange(
    status: int = 200,
    body: Any = None,
    headers: list[tuple[str, str]] | None = None,
    *,
    method: str = "GET",
    total_ms: float = 5.0,
    raw: bytes | None = None,
) -> Exchange:
    payload = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
    return Exchange(
        request=SentRequest(method, "https://api.twilio.com/x", "/x"),
        response=Response(status, "", headers or [("Content-Type", "application/json")], payload),
        timings=Timings(total_ms=total_ms),
    )


def failed(kind: str, method: str = "GET") -> Exchange:
    return Exchange(
        request=SentRequest(method, "https://api.twilio.com/x", "/x"),
        error=TransportError(kind, f"api.twilio.com:443 {kind}"),
    )


# ----- status and the default rule ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "code", "ok"),
    [(201, 201, True), (201, 200, False), ([200, 201], 201, True), ("2xx", 204, True), ("2xx", 302, False),
     (["4xx", 503], 503, True), (["4xx", 503], 500, False)],
)  # fmt: skip
def test_status_matches_codes_classes_and_lists(expected: Any, code: int, ok: bool) -> None:
    assert status_matches(expected, code) is ok


def test_status_failure_names_the_twilio_error() -> None:
    reasons = check_exchange(exchange(400, TWILIO_400), Expect(status=201))
    assert reasons == ["expected status 201, got 400 (Twilio error 21211 — Invalid 'To' phone number)"]


def test_without_expect_a_status_below_400_passes() -> None:
    assert check_exchange(exchange(302), None) == []
    assert check_exchange(exchange(404, {"code": 20404, "message": "nope", "status": 404}), None) == [
        "expected a status below 400, got 404 (Twilio error 20404 — Resource not found)"
    ]


def test_an_expect_without_status_can_check_an_error_body() -> None:
    assert check_exchange(exchange(400, TWILIO_400), Expect(json={"$.code": 21211})) == []


def test_list_and_class_are_spelled_out() -> None:
    assert check_exchange(exchange(404), Expect(status=[200, 201])) == ["expected status 200 or 201, got 404"]
    assert check_exchange(exchange(500), Expect(status="2xx")) == ["expected status 2xx, got 500"]


# ----- json, headers, max_ms ------------------------------------------------------------------------


def test_json_value_exists_and_absent() -> None:
    ex = exchange(200, {"status": "sending", "sid": "SM1", "error_code": None})
    expect = Expect(json={"$.status": "delivered", "$.sid": "exists", "$.secret": "absent", "$.error_code": None})
    assert check_exchange(ex, expect) == ["expected $.status == 'delivered', got 'sending'"]
    reasons = check_exchange(ex, Expect(json={"$.missing": "exists", "$.sid": "absent"}))
    assert reasons == [
        "expected $.missing to exist, but it matched nothing",
        "expected $.sid to be absent, got 'SM1'",
    ]


def test_a_number_equals_twilio_numeric_text_but_booleans_stay_strict() -> None:
    assert values_equal(2, "2") and values_equal("2", 2.0) and values_equal(None, None)
    assert not values_equal(True, "true") and not values_equal(1, True) and not values_equal("2", "2.0")
    assert values_equal({"a": [1, "x"]}, {"a": ["1", "x"]})
    assert check_exchange(exchange(200, {"num_media": "2"}), Expect(json={"$.num_media": 2})) == []


def test_several_matches_must_all_equal_unless_a_list_is_expected() -> None:
    ex = exchange(200, {"messages": [{"to": "+1"}, {"to": "+1"}, {"to": "+2"}]})
    assert check_exchange(ex, Expect(json={"$.messages[*].to": "+1"})) == [
        'expected $.messages[*].to == \'+1\', got 3 values: ["+1", "+1", "+2"]'
    ]
    assert check_exchange(ex, Expect(json={"$.messages[*].to": ["+1", "+1", "+2"]})) == []
    filtered = Expect(json={"$.messages[?@.to == '+2'].to": "+2"})
    assert check_exchange(ex, filtered) == []


def test_json_checks_on_a_body_that_is_not_json() -> None:
    ex = exchange(200, raw=b"<Response/>", headers=[("Content-Type", "application/xml")])
    assert check_exchange(ex, Expect(json={"$.sid": "exists"})) == [
        "expected $.sid to exist, but the body is not JSON (application/xml)"
    ]


def test_headers_and_max_ms() -> None:
    ex = exchange(200, {}, [("Content-Type", "application/json"), ("Twilio-Request-Id", "RQ1")], total_ms=2301)
    expect = Expect(headers={"twilio-request-id": "exists", "Content-Type": "text/html", "X-Nope": "1"}, max_ms=2000)
    assert check_exchange(ex, expect) == [
        "expected header Content-Type: 'text/html', got 'application/json'",
        "expected header X-Nope: '1', got no such header",
        "expected an answer within 2000 ms, took 2301 ms",
    ]


def test_expected_values_are_rendered_with_the_run_variables() -> None:
    ex = exchange(200, {"sid": "SM9"})
    render = lambda v: v.replace("{{sid}}", "SM9") if isinstance(v, str) else v  # noqa: E731
    assert check_exchange(ex, Expect(json={"$.sid": "{{sid}}"}), render) == []


def test_a_transport_failure_fails_with_its_own_sentence() -> None:
    assert check_exchange(failed("refused"), Expect(status=200)) == ["api.twilio.com:443 refused"]


# ----- expressions ----------------------------------------------------------------------------------


def test_expressions_are_rfc9535_jsonpath_headers_or_status() -> None:
    ex = exchange(201, {"sid": "SM1", "n": 3}, [("Twilio-Request-Id", "RQ1"), ("Content-Type", "application/json")])
    body = Body(ex)
    assert lookup(compile_expression("status"), body).values == [201]
    assert lookup(compile_expression("header:twilio-request-id"), body).values == ["RQ1"]
    assert lookup(compile_expression("$['sid']"), body).values == ["SM1"]
    for bad in ("$.[", "$.a b", "sid", "header:"):
        with pytest.raises(ExpressionError):
            compile_expression(bad)


def test_a_top_level_json_string_is_a_value_not_a_document() -> None:
    ex = exchange(200, "just text")
    assert lookup(compile_expression("$"), Body(ex)).values == ["just text"]


# ----- captures -------------------------------------------------------------------------------------


def test_captures_are_text_and_failed_captures_are_reasons() -> None:
    ex = exchange(201, {"sid": "SM1", "num": 3, "ok": True, "obj": {"a": 1}, "gone": None}, [("ETag", '"v1"')])
    found, reasons = capture_values(
        Body(ex),
        {"sid": "$.sid", "num": "$.num", "ok": "$.ok", "obj": "$.obj", "etag": "header:ETag", "code": "status"},
        {"gone": "$.gone", "missing": "$.missing"},
        "m.yaml#send",
    )
    assert {c.name: c.value for c in found} == {
        "sid": "SM1", "num": "3", "ok": "true", "obj": '{"a":1}', "etag": '"v1"', "code": "201",
    }  # fmt: skip
    assert all(not c.secret and c.source == "m.yaml#send" for c in found)
    assert reasons == [
        "capture_secret gone: $.gone matched JSON null",
        "capture_secret missing: $.missing matched nothing",
    ]


def test_capture_secret_flags_the_value() -> None:
    found, reasons = capture_values(Body(exchange(201, {"secret": "s3cr3t-value"})), {}, {"k": "$.secret"}, "k#c")
    assert reasons == [] and found[0].secret and found[0].value == "s3cr3t-value"


# ----- retry decisions ------------------------------------------------------------------------------


def zero() -> float:
    return 0.0


def test_retry_after_seconds_and_dates() -> None:
    now = datetime(2024, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert retry.parse_retry_after("3") == 3.0
    assert retry.parse_retry_after("Mon, 01 Jan 2024 12:00:05 GMT", now) == 5.0
    assert retry.parse_retry_after("Mon, 01 Jan 2024 11:00:00 GMT", now) == 0.0
    assert retry.parse_retry_after("soon") is None and retry.parse_retry_after(None) is None


def test_backoff_doubles_and_honours_retry_after() -> None:
    policy = retry.RetryPolicy.from_request(Retry(on=[503], max=5))
    waits = [retry.decide(policy, "GET", exchange(503), n, lambda: 1.0).wait for n in range(4)]
    assert waits == [0.5, 1.0, 2.0, 4.0]
    jittered = retry.decide(policy, "GET", exchange(503), 2, zero).wait
    assert jittered == 1.0  # half of 2.0: the jitter spreads waits over [50%, 100%]
    slow = exchange(503, headers=[("Retry-After", "7")])
    assert retry.decide(policy, "GET", slow, 0, zero).wait == 7.0
    too_slow = exchange(503, headers=[("Retry-After", "3600")])
    decision = retry.decide(policy, "GET", too_slow, 0, zero)
    assert not decision.retry and decision.note and "3600s" in decision.note


def test_retries_stop_at_max_and_only_for_listed_failures() -> None:
    policy = retry.RetryPolicy.from_request(Retry(on=[429], max=2))
    assert retry.decide(policy, "GET", exchange(429), 1, zero).retry
    end = retry.decide(policy, "GET", exchange(429), 2, zero)
    assert not end.retry and end.note == "gave up after 2 retries"
    assert not retry.decide(policy, "GET", exchange(503), 0, zero).retry
    assert not retry.decide(policy, "GET", failed("timeout"), 0, zero).retry
    assert not retry.decide(None, "GET", exchange(429), 0, zero).retry
    defaults = retry.RetryPolicy.from_request(Retry())
    assert defaults is not None and defaults.on == (429, 503, "transport") and defaults.max == 3


@pytest.mark.parametrize(
    ("failure", "post_retried"),
    [(exchange(429), True), (exchange(503), True), (exchange(500), False), (failed("refused"), True),
     (failed("dns"), True), (failed("timeout"), False), (failed("reset"), False), (failed("protocol"), False)],
)  # fmt: skip
def test_a_post_is_retried_only_when_provably_not_processed(failure: Exchange, post_retried: bool) -> None:
    policy = retry.RetryPolicy.from_request(Retry(on=[429, 500, 503, "transport"], max=3))
    assert retry.decide(policy, "GET", failure, 0, zero).retry
    decision = retry.decide(policy, "POST", failure, 0, zero)
    assert decision.retry is post_retried
    if not post_retried:
        assert decision.note is not None and decision.note.startswith("not retried: a POST")
