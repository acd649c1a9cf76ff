"""Textual's parsed CSS survives the cache's JSON form exactly, and the form refuses what the parser never makes."""

from __future__ import annotations

import copy
import importlib
import json
import pkgutil
import random
from pathlib import Path
from typing import Any

import pytest
import textual.widgets
from textual.app import App
from textual.css.model import RuleSet
from textual.css.parse import parse
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode

import twibench.tui
from twibench.tui import css_codec
from twibench.tui.css_codec import Refused, decode, encode

APP_TCSS = Path(twibench.tui.__file__).parent / "app.tcss"


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def every_source() -> dict[str, str]:
    """app.tcss and the DEFAULT_CSS of every widget class Textual and twibench define (~120 sources)."""
    for package in (textual.widgets, twibench.tui):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(module.name)
    sources = {"app.tcss": APP_TCSS.read_text()}
    for cls in _subclasses(DOMNode):
        css = cls.__dict__.get("DEFAULT_CSS")
        if css:
            sources[f"{cls.__module__}.{cls.__qualname__}"] = css
    return sources


SOURCES = every_source()
VARIABLES = Stylesheet(variables=App().get_css_variables())._variable_tokens


def parsed(css: str, name: str = "x") -> list[RuleSet]:
    return list(parse(name, css, ("file.py", name), variable_tokens=VARIABLES, is_default_rules=True, tie_breaker=2))


def through_json(rule_sets: list[RuleSet]) -> list[RuleSet]:
    return decode(json.loads(json.dumps(encode(rule_sets))))


def comparable(rule_sets: list[RuleSet]) -> list[tuple[Any, ...]]:
    """Every field the parser sets; a layout compares by class (Textual makes a new one per rule)."""
    out = []
    for rule_set in rule_sets:
        rules = {
            name: (type(value) if type(value).__module__.startswith("textual.layouts") else value)
            for name, value in rule_set.styles._rules.items()
        }
        out.append(
            (
                rule_set.selector_set,
                [[selector.advance for selector in selectors.selectors] for selectors in rule_set.selector_set],
                rules,
                rule_set.styles.important,
                rule_set.errors,
                rule_set.is_default_rules,
                rule_set.tie_breaker,
                rule_set.selector_names,
                rule_set.pseudo_classes,
            )
        )
    return out


def test_every_widget_source_comes_back_exactly() -> None:
    assert len(SOURCES) > 100
    for name, css in SOURCES.items():
        rule_sets = parsed(css, name)
        assert comparable(through_json(rule_sets)) == comparable(rule_sets), name


def test_rule_sets_that_shared_their_styles_still_share_them() -> None:
    # A nested rule under a comma-separated selector: the parser gives both rule sets one Styles.
    rule_sets = parsed("A, B { & .x { color: red; } }")
    assert rule_sets[-1].styles is rule_sets[-2].styles
    back = through_json(rule_sets)
    assert back[-1].styles is back[-2].styles
    assert comparable(back) == comparable(rule_sets)


def test_a_source_with_errors_is_not_encoded() -> None:
    rule_sets = parsed("A { width: banana; }")
    assert rule_sets[0].errors
    with pytest.raises(Refused):
        encode(rule_sets)


def entry() -> list[Any]:
    rule_sets = parsed(
        "A > .b:focus, #c { color: $accent 50%; width: 1fr; margin: 1 2; border: round red; layout: grid; "
        "grid-columns: 1fr 2; offset: 1 2; text-style: bold; display: none; opacity: 50%; }"
    )
    return json.loads(json.dumps(encode(rule_sets)))


def styles_of(data: list[Any]) -> dict[str, Any]:
    rules: dict[str, Any] = data[0][0][0]
    return rules


def selector_of(data: list[Any]) -> list[Any]:
    selector: list[Any] = data[1][0][0][0][0][0]
    return selector


def damaged(change: str) -> list[Any]:
    data = entry()
    rules, selector = styles_of(data), selector_of(data)
    changes = {
        "unknown rule": lambda: rules.update(bogus=1),
        "enum outside Textual's list": lambda: rules.update(display="sideways"),
        "colour channel out of range": lambda: rules["color"].__setitem__(1, 300),
        "colour alpha above one": lambda: rules["color"].__setitem__(4, 2.5),
        "colour of the wrong arity": lambda: rules.update(color=["c", 1, 2]),
        "a scalar that is not finite": lambda: rules["width"].__setitem__(1, float("inf")),
        "a huge scalar": lambda: rules["width"].__setitem__(1, 10**12),
        "an unknown unit": lambda: rules["width"].__setitem__(2, 99),
        "a text where a scalar goes": lambda: rules.update(width="1fr"),
        "spacing of floats": lambda: rules.update(margin=["p", 1.5, 0, 0, 0]),
        "an unknown layout": lambda: rules.update(layout=["y", "os.system"]),
        "an unknown tag": lambda: rules.update(color=["pickle", "x"]),
        "a border style Textual lacks": lambda: rules["border_top"][1].__setitem__(0, "zigzag"),
        "text style flags Textual lacks": lambda: rules.update(text_style="bold evil"),
        "nested tuples": lambda: rules.update(grid_columns=["l", [["l", [["l", []]]]]]),
        "a tuple too long": lambda: rules.update(grid_columns=["l", [["s", 1, 1, 1]] * 65]),
        "an important rule that does not exist": lambda: data[0][0][1].append("bogus"),
        "an unknown combinator": lambda: selector.__setitem__(1, 7),
        "an unknown selector type": lambda: selector.__setitem__(2, 0),
        "a negative specificity": lambda: selector.__setitem__(4, [-1, 0, 0]),
        "a control character in a name": lambda: selector.__setitem__(0, "a\x1b[2J"),
        "an empty selector set": lambda: data[1][0][0].__setitem__(0, []),
        "a styles index out of range": lambda: data[1][0].__setitem__(1, 5),
        "a string flag": lambda: data[1][0].__setitem__(2, "yes"),
        "not a list": lambda: data.__setitem__(0, {}),
    }
    changes[change]()
    return data


@pytest.mark.parametrize(
    "change",
    [
        "unknown rule",
        "enum outside Textual's list",
        "colour channel out of range",
        "colour alpha above one",
        "colour of the wrong arity",
        "a scalar that is not finite",
        "a huge scalar",
        "an unknown unit",
        "a text where a scalar goes",
        "spacing of floats",
        "an unknown layout",
        "an unknown tag",
        "a border style Textual lacks",
        "text style flags Textual lacks",
        "nested tuples",
        "a tuple too long",
        "an important rule that does not exist",
        "an unknown combinator",
        "an unknown selector type",
        "a negative specificity",
        "a control character in a name",
        "an empty selector set",
        "a styles index out of range",
        "a string flag",
        "not a list",
    ],
)
def test_an_entry_unlike_any_the_parser_makes_is_refused(change: str) -> None:
    decode(entry())  # the undamaged entry decodes
    with pytest.raises(Refused):
        decode(damaged(change))


def test_random_damage_is_refused_or_decodes_to_checked_values() -> None:
    # 2,000 random edits of a valid entry: each either decodes (an edit to a value its check accepts, such
    # as another number) or is refused with Refused — never another exception, never a hang.
    rng = random.Random(15)
    replacements: list[Any] = [None, True, -1, 0, 2**70, 1e308, "x", "", [], {}, ["c"], ["s", 1, 1, 1], [[[]]]]
    base = entry()
    outcomes = {"refused": 0, "decoded": 0}
    for _ in range(2000):
        data = copy.deepcopy(base)
        holder: Any = data
        while True:  # walk down to a random container, then replace one of its items
            keys = list(holder) if isinstance(holder, dict) else list(range(len(holder)))
            if not keys:
                break
            key = rng.choice(keys)
            if isinstance(holder[key], list | dict) and rng.random() < 0.7:
                holder = holder[key]
                continue
            holder[key] = rng.choice(replacements)
            break
        try:
            decode(data)
        except Refused:
            outcomes["refused"] += 1
        else:
            outcomes["decoded"] += 1
    assert outcomes["refused"] > 100 and outcomes["decoded"] > 100, outcomes  # the edits hit both ways


def test_the_checks_cover_every_rule_the_parser_writes() -> None:
    written = {name for css in SOURCES.values() for rule_set in parsed(css) for name in rule_set.styles._rules}
    assert written <= set(css_codec._CHECKS)
