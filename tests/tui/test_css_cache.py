"""The parsed-CSS cache: a second start parses no CSS and looks the same; a damaged or hostile file is a miss."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
import textual.css.stylesheet
from textual.app import App
from textual.css.model import RuleSet

import twibench.tui
from tests.tui.conftest import first_screen_ready, sandbox_app, settle
from twibench.tui import css_cache
from twibench.tui.css_cache import FILE_NAME, CachedStylesheet, CssCache

CSS = "Label { color: $accent; width: 1fr; border: round red; }"
WHERE = ("twibench/example.py", "Example.DEFAULT_CSS")


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Where from each CSS source Textual's parser reads (every parse of every stylesheet)."""
    seen: list[str] = []
    parse = textual.css.stylesheet.parse

    def spy(scope: str, css: str, read_from: tuple[str, str], *args: Any, **kwargs: Any) -> Any:
        seen.append(read_from[1] or read_from[0])
        return parse(scope, css, read_from, *args, **kwargs)

    monkeypatch.setattr(textual.css.stylesheet, "parse", spy)
    return seen


def sheet(file: Path, variables: dict[str, str] | None = None) -> CachedStylesheet:
    return CachedStylesheet(CssCache(file), variables=variables or App().get_css_variables())


def rules_css(stylesheet: CachedStylesheet, css: str = CSS) -> list[str]:
    return [rule_set.css for rule_set in stylesheet._parse_rules(css, WHERE, True, 0, "Label")]


def test_a_source_is_parsed_once_then_read_from_the_file(tmp_path: Path, parses: list[str]) -> None:
    file = tmp_path / "cache" / FILE_NAME
    first = sheet(file)
    expected = rules_css(first)
    assert parses == ["Example.DEFAULT_CSS"]
    assert first.css_cache.save()
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert stat.S_IMODE(file.parent.stat().st_mode) == 0o700
    assert not first.css_cache.save(), "nothing new: nothing written"

    second = sheet(file)
    assert rules_css(second) == expected
    assert parses == ["Example.DEFAULT_CSS"], "the second stylesheet parsed nothing"


def test_other_theme_variables_are_another_entry(tmp_path: Path, parses: list[str]) -> None:
    file = tmp_path / FILE_NAME
    first = sheet(file)
    rules = rules_css(first)
    first.css_cache.save()
    other = sheet(file, {**App().get_css_variables(), "accent": "#123456"})  # another theme's accent
    assert rules_css(other) != rules
    assert "#123456" in rules_css(other)[0]
    assert len(parses) == 2


def test_another_textual_or_twibench_is_a_miss(
    tmp_path: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / FILE_NAME
    first = sheet(file)
    rules_css(first)
    first.css_cache.save()
    monkeypatch.setattr(css_cache, "__version__", "99.0")
    css_cache._stamp.cache_clear()
    try:
        rules_css(sheet(file))
    finally:
        css_cache._stamp.cache_clear()
    assert len(parses) == 2


def test_a_damaged_entry_is_parsed_again_and_replaced(tmp_path: Path, parses: list[str]) -> None:
    file = tmp_path / FILE_NAME
    first = sheet(file)
    expected = rules_css(first)
    first.css_cache.save()
    stamp, entries = json.loads(file.read_text())
    (key,) = entries
    entry = json.loads(entries[key])
    entry[0][0][0]["color"] = ["c", 999, 0, 0, 1.0, None, False]  # no colour has a channel of 999
    entries[key] = json.dumps(entry)
    file.write_text(json.dumps([stamp, entries]))

    second = sheet(file)
    assert rules_css(second) == expected
    assert len(parses) == 2
    assert second.css_cache.save()
    third = sheet(file)
    assert rules_css(third) == expected
    assert len(parses) == 2, "the rewritten entry is good"


@pytest.mark.parametrize("kind", ["not json", "binary", "wrong shape", "empty", "a folder", "a fifo", "too large"])
def test_a_hostile_file_is_an_empty_cache(tmp_path: Path, parses: list[str], kind: str) -> None:
    file = tmp_path / FILE_NAME
    if kind == "not json":
        file.write_text('["stamp", {')
    elif kind == "binary":
        file.write_bytes(b"\x00\xff\xfe" * 100)
    elif kind == "wrong shape":
        file.write_text(json.dumps({"a": 1}))
    elif kind == "empty":
        file.write_text("")
    elif kind == "a folder":
        file.mkdir()
    elif kind == "a fifo":
        os.mkfifo(file)  # reading must not wait for a writer
    else:
        file.write_text(" " * (css_cache.MAX_BYTES + 1))
    stylesheet = sheet(file)
    assert rules_css(stylesheet)
    assert parses == ["Example.DEFAULT_CSS"]


def test_an_unwritable_folder_changes_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    stylesheet = sheet(blocker / FILE_NAME)
    rules_css(stylesheet)
    assert not stylesheet.css_cache.save()
    assert blocker.read_text() == "x"


def test_past_the_entry_limit_only_entries_this_run_used_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(css_cache, "MAX_ENTRIES", 2)
    file = tmp_path / FILE_NAME
    first = sheet(file)
    for colour in ("red", "green", "blue"):
        rules_css(first, f"Label {{ color: {colour}; }}")
    first.css_cache.save()
    assert len(json.loads(file.read_text())[1]) == 3  # all three were used by this run
    second = sheet(file)
    rules_css(second, "Label { color: green; }")
    rules_css(second, "Label { color: white; }")
    second.css_cache.save()
    assert len(json.loads(file.read_text())[1]) == 2  # green (read) and white (new); red and blue dropped


async def test_a_second_start_parses_no_css_and_looks_the_same(
    home: Path, collections: Path, parses: list[str]
) -> None:
    # `home`: an empty TWIBENCH_HOME, so the cache folder starts empty.
    shots = []
    for _ in range(2):
        app = sandbox_app([collections])
        assert isinstance(app.stylesheet, CachedStylesheet)
        parses.clear()
        async with app.run_test(size=(120, 35)) as pilot:
            # Both starts wait until the screen is final (tabs built, docs rendered), so both parse or read
            # the same sources.
            await first_screen_ready(pilot)
            shots.append(app.export_screenshot())
            before_exit = list(parses)
        if not shots[1:]:
            assert "app.tcss" in "".join(before_exit), "the first start parsed app.tcss"
    assert before_exit == [], "the second start parsed nothing: its CSS came from the cache"
    assert shots[0] == shots[1]


def comparable(rule_sets: list[RuleSet]) -> list[tuple[Any, ...]]:
    """Each rule set's selectors, rules (a layout by its class: Textual makes one per rule) and weight."""
    return [
        (
            rule_set.selectors,
            {name: type(value) if name == "layout" else value for name, value in rule_set.styles._rules.items()},
            rule_set.styles.important,
            rule_set.is_default_rules,
            rule_set.tie_breaker,
        )
        for rule_set in rule_sets
    ]


def plain_rules(stylesheet: CachedStylesheet) -> list[tuple[Any, ...]]:
    """The rules Textual's own stylesheet makes of the same sources and variables."""
    plain = textual.css.stylesheet.Stylesheet(variables=stylesheet._variables)
    plain.source = dict(stylesheet.source)
    plain.reparse()
    return comparable(plain.rules)


async def test_a_dialog_s_first_opening_parses_only_its_own_css(
    home: Path, collections: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Textual re-parses every source when a screen brings CSS (dialogs.tcss). Through the cache only the new
    # sources are parsed (the dialog's file and its widgets' CSS; `home`: an empty cache folder, so they are
    # not in it), none of the ~40 the stylesheet had, and the rules are Textual's own.
    parsed: list[tuple[Any, ...]] = []
    parse = textual.css.stylesheet.parse

    def spy(scope: str, css: str, read_from: tuple[str, str], **kwargs: Any) -> Any:
        parsed.append((css, read_from, kwargs["is_default_rules"], kwargs["tie_breaker"], scope))
        return parse(scope, css, read_from, **kwargs)

    monkeypatch.setattr(textual.css.stylesheet, "parse", spy)
    app = sandbox_app([collections])
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, lambda: bool(app.screen.query("#form-table") and app.screen.query("#body-viewer")))
        had = {(css, where, *rest) for where, (css, *rest) in app.stylesheet.source.items()}
        parsed.clear()
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        assert (Path(twibench.tui.__file__).parent / "dialogs" / "dialogs.tcss").read_text() in [p[0] for p in parsed]
        assert not had & set(parsed), "no source the stylesheet already had was parsed again"
        assert len(had) > 30
        stylesheet = app.stylesheet
        assert isinstance(stylesheet, CachedStylesheet)
        assert comparable(stylesheet.rules) == plain_rules(stylesheet)


async def test_a_theme_change_gives_textual_s_rules(collections: Path) -> None:
    app = sandbox_app([collections])
    async with app.run_test(size=(120, 35)) as pilot:
        await pilot.pause()
        before = comparable(app.stylesheet.rules)
        app.theme = "textual-light"
        await pilot.pause()
        stylesheet = app.stylesheet
        assert isinstance(stylesheet, CachedStylesheet)
        after = comparable(stylesheet.rules)
        assert after != before
        assert after == plain_rules(stylesheet)
