"""`{{name}}` templating: rendering, escapes, unknown names, precedence."""

from __future__ import annotations

import pytest

from twibench import variables
from twibench.variables import UnknownVariableError


def test_render_with_spaces_and_repeats() -> None:
    assert variables.render("/A/{{ sid }}/B/{{sid}}.json", {"sid": "AC1"}) == "/A/AC1/B/AC1.json"


def test_dollar_is_never_special() -> None:
    assert variables.render("Your total is $5 and ${HOME} $x", {}) == "Your total is $5 and ${HOME} $x"


def test_escape_writes_literal_braces() -> None:
    assert variables.render("{{{{name}}", {"name": "x"}) == "{{name}}"
    assert variables.names("{{{{name}} {{other}}") == ["other"]


def test_unknown_variable_names_variable_and_field() -> None:
    with pytest.raises(UnknownVariableError) as info:
        variables.render("/Messages/{{message_sid}}.json", {}, "url")
    assert info.value.name == "message_sid"
    assert str(info.value) == "unknown variable 'message_sid' in url; define it with --var message_sid=VALUE"


def test_merge_precedence_lowest_first() -> None:
    merged = variables.merge({"a": "collection", "b": "collection"}, {"b": "profile"}, None, {"c": "var"})
    assert merged == {"a": "collection", "b": "profile", "c": "var"}


def test_references_give_offsets_for_highlighting() -> None:
    spans = list(variables.references("x{{a}}y{{ b }}"))
    assert [(s.start, s.end, s.name) for s in spans] == [(1, 6, "a"), (7, 14, "b")]


def test_pure_reference() -> None:
    assert variables.is_pure_reference("{{ key_secret }}")
    assert not variables.is_pure_reference("abc{{x}}")
    assert not variables.is_pure_reference("literal")


@pytest.mark.parametrize("text", ["novalue", "=x", "bad name=1"])
def test_parse_assignment_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="--var expects name=value"):
        variables.parse_assignment(text)


def test_parse_assignment_keeps_equals_in_value() -> None:
    assert variables.parse_assignment("body=a=b") == ("body", "a=b")
