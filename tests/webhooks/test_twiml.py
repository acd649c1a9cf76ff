"""TwiML checks: a corpus of documents written from Twilio's docs, and broken ones with line:col."""

from __future__ import annotations

import pytest

from twibench.webhooks import twiml

VALID = {
    "say-and-play": (
        "voice",
        """<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <Say voice="woman" language="en-US" loop="2">Hello from your pals at the sandbox.</Say>
  <Play loop="10">https://api.twilio.com/cowbell.mp3</Play>
</Response>""",
    ),
    "gather-then-fallback": (
        "voice",
        """<Response>
  <Gather input="speech dtmf" timeout="3" numDigits="1" action="/menu" method="POST">
    <Say>Press 1 for sales, or 2 for support.</Say>
  </Gather>
  <Say>We didn't receive any input. Goodbye!</Say>
</Response>""",
    ),
    "dial-a-number": (
        "voice",
        """<Response><Dial callerId="+15005550006" timeout="20" record="record-from-answer">
  <Number sendDigits="wwww1928">+14155551212</Number>
</Dial></Response>""",
    ),
    "conference": ("voice", "<Response><Dial><Conference>Room 1234</Conference></Dial></Response>"),
    "record-and-hangup": (
        "voice",
        '<Response><Say>Leave a message.</Say><Record maxLength="30" finishOnKey="#" action="/done"/>'
        "<Hangup/></Response>",
    ),
    "reject-busy": ("voice", '<Response><Reject reason="busy"/></Response>'),
    "pause-redirect": ("voice", '<Response><Pause length="2"/><Redirect method="POST">/next</Redirect></Response>'),
    "ssml": (
        "voice",
        '<Response><Say voice="Polly.Joanna">Hi <break strength="x-weak" time="100ms"/>'
        '<emphasis level="moderate">there</emphasis></Say></Response>',
    ),
    "stream": ("voice", '<Response><Connect><Stream url="wss://example.com/audio"/></Connect></Response>'),
    "empty": ("voice", "<Response/>"),
    "sms-reply": ("messaging", "<Response><Message>Thanks for your message!</Message></Response>"),
    "mms-reply": (
        "messaging",
        "<Response><Message><Body>Store Location: 123 Easy St.</Body>"
        "<Media>https://demo.twilio.com/owl.png</Media></Message></Response>",
    ),
    "sms-two-replies": (
        "messaging",
        '<Response><Message to="+15005550006">One</Message><Message>Two</Message></Response>',
    ),
}


@pytest.mark.parametrize("name", list(VALID))
def test_documents_from_twilios_docs_are_valid(name: str) -> None:
    kind, doc = VALID[name]
    report = twiml.check(doc)
    assert report.kind == kind
    assert report.problems == (), [str(p) for p in report.problems]
    assert report.ok and report.verdict() == f"valid {kind} TwiML"


BROKEN = [
    # (document, line, column, severity, code, words in the message)
    ("<Response><Say>unclosed</Response>", 1, 26, "error", 12100, "cannot be parsed"),
    ("<Response>\n  <Sya>Hi</Sya>\n</Response>", 2, 3, "error", 12200, "<Sya> is not a voice TwiML element"),
    ("<Response><say>Hi</say></Response>", 1, 11, "error", 12200, "case-sensitive: did you mean <Say>?"),
    ("<Response><Dial><Say>x</Say></Dial></Response>", 1, 17, "error", 12200, "<Say> is not allowed inside <Dial>"),
    ("<Reponse><Say>x</Say></Reponse>", 1, 1, "error", 12200, "root element must be <Response>"),
    ('<Response><Play loopz="2">a.mp3</Play></Response>', 1, 11, "warning", 12200, "did you mean 'loop'"),
    ("<Response><Hangup>now</Hangup></Response>", 1, 11, "warning", 12200, "takes no text"),
    ('<!DOCTYPE r [<!ENTITY x "y">]><Response>&x;</Response>', 1, 13, "error", 12100, "DOCTYPE"),
    ("", 1, 1, "error", 12100, "no element found"),
    ("<Response>" + "<Say>" * 80 + "</Say>" * 80 + "</Response>", 1, 326, "error", 12100, "deeper than 64"),
]


@pytest.mark.parametrize(("doc", "line", "column", "severity", "code", "words"), BROKEN)
def test_broken_documents_name_line_column_and_element(
    doc: str, line: int, column: int, severity: str, code: int, words: str
) -> None:
    report = twiml.check(doc)
    problem = report.problems[0]
    assert (problem.line, problem.column, problem.severity, problem.code) == (line, column, severity, code)
    assert words in problem.message
    assert report.ok == (severity == "warning")
    assert str(problem).startswith(f"{line}:{column}: {severity}: ")


def test_a_messaging_verb_in_a_voice_document_is_an_error() -> None:
    report = twiml.check("<Response><Message>hi</Message></Response>", kind="voice")
    assert not report.ok and "<Message> is not a voice TwiML element" in report.problems[0].message


def test_a_billion_laughs_is_refused_without_expansion() -> None:
    doc = (
        '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY a{i} "{"&a;" * 10}">' for i in range(9))
        + "]><Response><Say>&a8;</Say></Response>"
    )
    report = twiml.check(doc)
    assert not report.ok and report.problems[0].code == 12100


def test_the_verdict_counts_problems() -> None:
    report = twiml.check('<Response><Sya/><Play loopz="1">x</Play></Response>')
    assert report.verdict() == "invalid voice TwiML: 1 error, 1 warning"


def test_the_parse_tree_keeps_text_attributes_and_positions() -> None:
    root = twiml.parse('<Response>\n<Gather numDigits="1"><Say>Press 1</Say></Gather></Response>')
    gather = root.children[0]
    assert (gather.name, gather.attributes, gather.line, gather.column) == ("Gather", {"numDigits": "1"}, 2, 1)
    assert gather.children[0].text == "Press 1"
