"""Twilio's error dictionary, offline: every code's title, causes and solutions, read lazily."""

from __future__ import annotations

import subprocess
import sys

import pytest

from twibench import twilio_errors


def test_the_whole_dictionary_is_bundled() -> None:
    codes = twilio_errors.dictionary()
    assert len(codes) == 1953
    assert all(info.title for info in codes.values())


@pytest.mark.parametrize(
    ("code", "title", "product"),
    [
        (21211, "Invalid 'To' Phone Number", ""),
        (30007, "Message filtered", "Programmable SMS"),
        (11200, "HTTP retrieval failure", ""),
        (12100, "Document parse failure", ""),
    ],
)
def test_known_codes(code: int, title: str, product: str) -> None:
    info = twilio_errors.lookup(code)
    assert info is not None
    assert info.title == title
    assert info.product == product
    assert info.url == f"https://www.twilio.com/docs/errors/{code}"


def test_text_is_plain_markdown_without_repeated_headings_or_entities() -> None:
    info = twilio_errors.lookup(12200)
    assert info is not None
    assert info.level == "WARNING"
    assert not info.description.startswith("#")
    assert "<Say> works" in info.causes  # &lt;Say&gt; decoded
    assert "\r" not in info.description + info.causes + info.solutions


def test_explain_gives_causes_solutions_and_the_link() -> None:
    text = twilio_errors.explain(30007)
    assert text.startswith("Twilio error 30007 — Message filtered (Programmable SMS)")
    assert "Possible causes:" in text and "Possible solutions:" in text
    assert text.endswith("Docs: https://www.twilio.com/docs/errors/30007")
    assert twilio_errors.explain(12200).startswith("Warning 12200 — Schema validation warning")


def test_unknown_codes_still_get_the_number_and_link() -> None:
    assert twilio_errors.lookup(999999) is None
    text = twilio_errors.explain(999999)
    assert "999999" in text and "https://www.twilio.com/docs/errors/999999" in text


def test_nothing_reads_the_dictionary_at_import() -> None:
    code = "import twibench.status, twibench.twilio_errors as t, sys; print(t._index is None)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_the_error_command_explains_codes_offline(capsys: pytest.CaptureFixture[str]) -> None:
    from twibench.cli import main

    assert main(["error", "30007", "999999"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Twilio error 30007 — Message filtered (Programmable SMS)")
    assert "https://www.twilio.com/docs/errors/999999" in out
    assert main(["error", "21211x"]) == 2
    assert "'21211x' is not a Twilio error code" in capsys.readouterr().err


def test_send_shows_a_resources_own_error_code(capsys: pytest.CaptureFixture[str]) -> None:
    import json as _json

    from twibench.cli.output import print_exchange
    from twibench.exchange import Exchange, Response, SentRequest

    body = _json.dumps({"sid": "SM1", "status": "undelivered", "error_code": 30007, "error_message": None})
    exchange = Exchange(request=SentRequest(method="GET", url="https://api.twilio.com/x", path="/x", body=b""))
    exchange.response = Response(200, "OK", [("Content-Type", "application/json")], body.encode())
    print_exchange(exchange, [])
    out = capsys.readouterr().out
    assert out.startswith("200 OK") and "Twilio error 30007 — Message filtered" in out
