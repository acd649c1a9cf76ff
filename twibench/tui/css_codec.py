"""Textual's parsed CSS (its rule sets) as JSON-ready lists and back, for `tui.css_cache`.

Parsing the CSS of the first frame's widgets and app.tcss takes ~9 ms of a ~190 ms start; building the same
rule sets from this form takes under 1 ms. What comes back must be exactly what Textual's parser made (the
tests compare every source of every widget), and it is read from a file, so decoding accepts only what the
parser can produce: every value's type is the one its style property holds, and checked — enum names
against Textual's own lists, numbers finite and in range, colours in 0-255. Anything else refuses the entry
(`Refused`), and the caller parses the CSS as usual.

One entry is `[styles, rule sets]`: `styles` lists each distinct `Styles` once as `[rules, important]` (nested
rules share one `Styles` among the rule sets of a comma-separated selector, as the parser made them), and a
rule set is `[selector sets, index into styles, is_default_rules, tie_breaker]`, a selector set
`[selectors, specificity]`, a selector `[name, combinator, type, pseudo classes, specificity, advance]`.
Style values are JSON scalars, or `[tag, ...]` lists: `t` tuple, `l` list, `c` Color, `s` Scalar,
`o` ScalarOffset, `p` Spacing, `y` layout (by name).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from textual.color import Color
from textual.css import constants
from textual.css.model import CombinatorType, RuleSet, Selector, SelectorSet, SelectorType
from textual.css.scalar import Scalar, ScalarOffset, Unit
from textual.css.styles import RULE_NAMES, Styles, StylesBase
from textual.geometry import Spacing
from textual.layout import Layout
from textual.layouts.factory import LAYOUT_MAP

__all__ = ["Refused", "decode", "encode"]

MAX_NUMBER = 1_000_000
"""The largest size, offset or count an entry may hold (the parser reads larger ones; no stylesheet has them)."""
MAX_NAME = 128
"""The longest name (selector, layer) or text value an entry may hold."""


class Refused(ValueError):
    """The rule sets (or the entry) are not ones this form holds exactly."""


# --- encoding --------------------------------------------------------------------------------------------


def encode(rule_sets: list[RuleSet]) -> list[Any]:
    """`rule_sets` (one CSS source as the parser made them) as JSON-ready lists; `Refused` if any cannot be."""
    styles: list[Any] = []
    index: dict[int, int] = {}
    encoded: list[Any] = []
    for rule_set in rule_sets:
        if rule_set.errors:
            raise Refused("a rule set with errors")
        style = rule_set.styles
        if id(style) not in index:
            index[id(style)] = len(styles)
            styles.append([{name: _value(value) for name, value in style._rules.items()}, sorted(style.important)])
        selector_sets = [
            [[_selector(selector) for selector in selector_set.selectors], list(selector_set.specificity)]
            for selector_set in rule_set.selector_set
        ]
        encoded.append([selector_sets, index[id(style)], rule_set.is_default_rules, rule_set.tie_breaker])
    return [styles, encoded]


def _selector(selector: Selector) -> list[Any]:
    return [
        selector.name,
        selector.combinator.value,
        selector.type.value,
        sorted(selector.pseudo_classes),
        list(selector.specificity),
        selector.advance,
    ]


def _value(value: object) -> Any:
    kind = type(value)
    if value is None or kind in (bool, int, float, str):
        return value
    if kind is Color:
        assert isinstance(value, Color)
        return ["c", *value]
    if kind is Scalar:
        assert isinstance(value, Scalar)
        return ["s", value.value, value.unit.value, value.percent_unit.value]
    if kind is ScalarOffset:
        assert isinstance(value, ScalarOffset)
        return ["o", _value(value.x), _value(value.y)]
    if kind is Spacing:
        assert isinstance(value, Spacing)
        return ["p", *value]
    if kind is tuple or kind is list:
        assert isinstance(value, tuple | list)
        return ["t" if kind is tuple else "l", [_value(item) for item in value]]
    if isinstance(value, Layout) and LAYOUT_MAP.get(value.name) is kind:
        return ["y", value.name]
    raise Refused(f"a value of type {kind.__name__}")


# --- decoding --------------------------------------------------------------------------------------------

_COMBINATORS = {member.value: member for member in CombinatorType}
_SELECTOR_TYPES = {member.value: member for member in SelectorType}
_UNITS = {member.value: member for member in Unit}


def decode(entry: Any) -> list[RuleSet]:
    """The rule sets of an entry `encode` made (read back from JSON); `Refused` for anything else."""
    if not (type(entry) is list and len(entry) == 2 and type(entry[0]) is list and type(entry[1]) is list):
        raise Refused("shape")
    styles = [_styles(item) for item in entry[0]]
    rule_sets: list[RuleSet] = []
    for item in entry[1]:
        if not (type(item) is list and len(item) == 4 and type(item[0]) is list and item[0]):
            raise Refused("rule set")
        selector_sets, style_index, is_default, tie_breaker = item
        if not (type(style_index) is int and 0 <= style_index < len(styles)):
            raise Refused("styles index")
        if type(is_default) is not bool or not _small_int(tie_breaker):
            raise Refused("rule set flags")
        rule_set = RuleSet(
            [_selector_set(selector_set) for selector_set in selector_sets],
            styles[style_index],
            [],
            is_default_rules=is_default,
            tie_breaker=tie_breaker,
        )
        rule_set._post_parse()  # selector names and pseudo classes, as the parser sets them
        rule_sets.append(rule_set)
    return rule_sets


def _styles(item: Any) -> Styles:
    if not (type(item) is list and len(item) == 2 and type(item[0]) is dict and type(item[1]) is list):
        raise Refused("styles")
    rules, important = item
    decoded: dict[str, Any] = {}
    for name, raw in rules.items():
        check = _CHECKS.get(name)
        if check is None:
            raise Refused(f"rule {name!r}")
        value = _decoded(raw) if type(raw) is list else raw
        if not check(value):
            raise Refused(f"value of {name!r}")
        decoded[name] = value
    if not all(type(name) is str and name in _CHECKS for name in important):
        raise Refused("important")
    return Styles(None, _rules=decoded, important=set(important))  # type: ignore[arg-type]  # RulesMap: a TypedDict


def _selector_set(item: Any) -> SelectorSet:
    if not (type(item) is list and len(item) == 2 and type(item[0]) is list and item[0]):
        raise Refused("selector set")
    selectors = [_selector_of(raw) for raw in item[0]]
    advances = [raw[5] for raw in item[0]]
    selector_set = SelectorSet(selectors, _specificity(item[1]))
    for selector, advance in zip(selectors, advances, strict=True):  # as the parser left them
        selector.advance = advance
    return selector_set


def _selector_of(raw: Any) -> Selector:
    if not (type(raw) is list and len(raw) == 6):
        raise Refused("selector")
    name, combinator, selector_type, pseudo_classes, specificity, advance = raw
    if not (
        _name(name)
        and _member(combinator, _COMBINATORS)
        and _member(selector_type, _SELECTOR_TYPES)
        and type(pseudo_classes) is list
        and (not pseudo_classes or all(_name(pseudo) for pseudo in pseudo_classes))
        and advance in (0, 1)
        and type(advance) is int
    ):
        raise Refused("selector")
    return Selector(
        name, _COMBINATORS[combinator], _SELECTOR_TYPES[selector_type], set(pseudo_classes), _specificity(specificity)
    )


def _specificity(raw: Any) -> tuple[int, int, int]:
    if type(raw) is list and len(raw) == 3:
        ids, classes, types = raw
        if type(ids) is int and type(classes) is int and type(types) is int and 0 <= min(raw) <= max(raw) <= MAX_NUMBER:
            return (ids, classes, types)
    raise Refused("specificity")


def _decoded(raw: Any) -> Any:
    """A style value from its JSON form; only the tags above, each with the parts its type takes."""
    if type(raw) is not list:
        return raw
    if not raw or type(raw[0]) is not str:
        raise Refused("value")
    tag, parts = raw[0], raw[1:]
    if tag == "c" and len(parts) == 6:
        red, green, blue, alpha, ansi, auto = parts
        if not (
            type(red) is int
            and type(green) is int
            and type(blue) is int
            and 0 <= red <= 255
            and 0 <= green <= 255
            and 0 <= blue <= 255
            and _fraction(alpha)
            and (ansi is None or (type(ansi) is int and -1 <= ansi <= 255))
            and type(auto) is bool
        ):
            raise Refused("colour")
        return Color(red, green, blue, alpha, ansi, auto)
    if tag == "s" and len(parts) == 3:
        value, unit, percent_unit = parts
        if not (_number(value) and _member(unit, _UNITS) and _member(percent_unit, _UNITS)):
            raise Refused("scalar")
        return Scalar(value, _UNITS[unit], _UNITS[percent_unit])
    if tag == "o" and len(parts) == 2:
        x, y = (_decoded(part) for part in parts)
        if not (type(x) is Scalar and type(y) is Scalar):
            raise Refused("offset")
        return ScalarOffset(x, y)
    if tag == "p" and len(parts) == 4:
        if not all(_small_int(part) for part in parts):
            raise Refused("spacing")
        return Spacing(*parts)
    if tag in ("t", "l") and len(parts) == 1 and type(parts[0]) is list and len(parts[0]) <= 64:
        items = [_decoded(part) for part in parts[0]]
        if any(type(item) in (tuple, list) for item in items):  # the parser nests no deeper
            raise Refused("nested")
        return tuple(items) if tag == "t" else items
    if tag == "y" and len(parts) == 1 and type(parts[0]) is str and parts[0] in LAYOUT_MAP:
        return LAYOUT_MAP[parts[0]]()
    raise Refused("value")


# --- what each style property holds -----------------------------------------------------------------------


def _member(value: Any, table: dict[int, Any]) -> bool:
    """An int key of `table` (not a bool, which would match 1 and 0; not a list, which cannot be looked up)."""
    return type(value) is int and value in table


def _small_int(value: Any) -> bool:
    return type(value) is int and -MAX_NUMBER <= value <= MAX_NUMBER


def _number(value: Any) -> bool:
    return type(value) in (int, float) and math.isfinite(value) and -MAX_NUMBER <= value <= MAX_NUMBER


def _fraction(value: Any) -> bool:
    return type(value) in (int, float) and 0 <= value <= 1


def _name(value: Any) -> bool:
    return type(value) is str and 0 < len(value) <= MAX_NAME and value.isprintable()


def _one_of(valid: set[str] | frozenset[str], *, none: bool = False) -> Callable[[Any], bool]:
    return lambda value: (value is None and none) or (type(value) is str and value in valid)


def _flags(value: Any) -> bool:
    return type(value) is str and len(value) <= MAX_NAME and set(value.split()) <= constants.VALID_STYLE_FLAGS


def _edged(valid: set[str] | frozenset[str] | None) -> Callable[[Any], bool]:
    """A (name, Color) pair: borders, outlines, keylines ("" is `none`); a hatch's name is its character."""
    return lambda value: (
        type(value) is tuple
        and len(value) == 2
        and type(value[0]) is str
        and (value[0] in valid if valid is not None else 0 < len(value[0]) <= 4)
        and type(value[1]) is Color
    )


def _colour(value: Any) -> bool:
    return value is None or type(value) is Color


_BY_PROPERTY: dict[str, Callable[[Any], bool]] = {
    "BooleanProperty": lambda value: type(value) is bool,
    "ColorProperty": _colour,
    "ScrollbarColorProperty": _colour,
    "BoxProperty": _edged(constants.VALID_BORDER | {""}),
    "KeylineProperty": _edged(constants.VALID_KEYLINE | {""}),
    "HatchProperty": _edged(None),
    "DockProperty": _one_of(constants.VALID_EDGE, none=True),
    "SplitProperty": _one_of(constants.VALID_EDGE, none=True),
    "FractionalProperty": _fraction,
    "IntegerProperty": _small_int,
    "LayoutProperty": lambda value: isinstance(value, Layout),
    "NameProperty": _name,
    "NameListProperty": lambda value: type(value) is tuple and all(_name(item) for item in value),
    "OffsetProperty": lambda value: type(value) is ScalarOffset,
    "ScalarListProperty": lambda value: type(value) in (tuple, list) and all(type(item) is Scalar for item in value),
    "ScalarProperty": lambda value: value is None or type(value) is Scalar,
    "SpacingProperty": lambda value: type(value) is Spacing,
    "StyleFlagsProperty": _flags,
}


def _checks() -> dict[str, Callable[[Any], bool]]:
    """A check for every rule the parser writes, from the kind of style property that reads it."""
    checks: dict[str, Callable[[Any], bool]] = {}
    for name in RULE_NAMES:
        prop = StylesBase.__dict__.get(name)
        kind = type(prop).__name__
        valid = getattr(prop, "_valid_values", None)
        if isinstance(valid, set | frozenset):  # string enums (display, overflow, text-wrap, ...)
            checks[name] = _one_of(valid)
        elif kind in _BY_PROPERTY:
            checks[name] = _BY_PROPERTY[kind]
        if kind in ("ColorProperty", "ScrollbarColorProperty"):
            checks[f"auto_{name}"] = _BY_PROPERTY["BooleanProperty"]  # "auto 90%" colours keep a flag beside
    return checks


_CHECKS = _checks()
