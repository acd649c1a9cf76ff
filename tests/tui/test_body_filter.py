"""The body viewer's JSONPath filter without the UI: matches as a document, counts, errors, bounds."""

from __future__ import annotations

import json

import pytest

from tests.tui.test_body_document import document_of
from twibench.selection import SelectError
from twibench.workbench import body_filter
from twibench.workbench.body_document import Lines
from twibench.workbench.body_filter import parse_shown, run_filter

DOC = {"messages": [{"sid": "SM1", "to": "+1555"}, {"sid": "SM2", "to": "+1666"}, {"sid": "SM3"}], "page": 0}


def parsed() -> object:
    return parse_shown(document_of(json.dumps(DOC).encode(), "application/json", batch_lines=5))


def test_matches_become_a_pretty_json_document_with_a_count() -> None:
    result = run_filter("$.messages[*].sid", parsed())
    assert result is not None and result.error is None and result.document is not None
    assert (result.count, result.shown, result.summary) == (3, 3, "3 matches")
    assert json.loads("\n".join(Lines(result.document))) == ["SM1", "SM2", "SM3"]
    assert result.document.note == "filter $.messages[*].sid: 3 matches (escape shows the whole body)"
    objects = run_filter("$.messages[?@.to]", parsed())
    assert objects is not None and objects.document is not None
    assert json.loads("\n".join(Lines(objects.document))) == DOC["messages"][:2]  # type: ignore[index]
    assert objects.document.value_at(1) == '{\n  "sid": "SM1",\n  "to": "+1555"\n}'


def test_no_match_and_one_match_are_said_plainly() -> None:
    none = run_filter("$.absent", parsed())
    assert none is not None and none.summary == "no match"
    assert none.document is not None and list(Lines(none.document)) == ["[]"]
    one = run_filter("$.page", parsed())
    assert one is not None and one.summary == "1 match"


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("$.messages[", "the filter '$.messages[' is not a valid JSONPath (RFC 9535)"),
        ("messages", "the filter 'messages' is not a JSONPath: it must start with $"),
    ],
)
def test_a_bad_expression_is_one_sentence(expression: str, message: str) -> None:
    result = run_filter(expression, parsed())
    assert result is not None and result.document is None
    assert result.error is not None and result.error.startswith(message) and "\n" not in result.error


def test_a_non_json_body_says_filtering_needs_json() -> None:
    with pytest.raises(SelectError, match="filtering needs a JSON body, and this one is shown as xml"):
        parse_shown(document_of(b"<Response/>", "text/xml", batch_lines=5))


def test_the_shown_matches_are_bounded_but_the_count_is_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(body_filter, "MAX_SHOWN", 2)
    result = run_filter("$.messages[*].sid", parsed())
    assert result is not None and result.document is not None
    assert (result.count, result.shown) == (3, 2)
    assert result.summary == "showing 2 of 3 matches"
    assert json.loads("\n".join(Lines(result.document))) == ["SM1", "SM2"]


def test_a_cancelled_filter_stops_between_matches() -> None:
    calls = iter([False, True])
    assert run_filter("$.messages[*].sid", parsed(), lambda: next(calls)) is None
