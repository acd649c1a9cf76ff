"""config.yaml: documented defaults, every setting, and one located error per problem (corpus below)."""

from __future__ import annotations

from pathlib import Path

import pytest

from twibench.errors import FileErrors
from twibench.settings import HistorySettings, SandboxSettings, Settings, load_settings

CORPUS = Path(__file__).parent / "corpus" / "settings"

# fixture name → (line, column, a phrase the message must contain)
EXPECTED: dict[str, tuple[int, int, str]] = {
    "binary.yaml": (1, 9, "this is a binary file (NUL byte)"),
    "bool_for_number.yaml": (2, 21, "sandbox.delivery_seconds: expected a number ≥ 0, got True"),
    "concurrency_zero.yaml": (2, 22, "sandbox.concurrency_limit: expected a whole number ≥ 1, got 0"),
    "delivery_nan.yaml": (2, 21, "sandbox.delivery_seconds: expected a number ≥ 0, got nan"),
    "duplicate_key.yaml": (2, 1, "duplicate key 'theme' (first written at line 1)"),
    "fractional_body_cap.yaml": (2, 13, "history.body_cap: expected a whole number ≥ 0, got 1.5"),
    "history_not_mapping.yaml": (1, 10, "history: expected a mapping"),
    "keymap_empty_keys.yaml": (2, 9, "keymap.send: expected keys such as 'ctrl+j,f5'"),
    "keymap_not_mapping.yaml": (1, 9, "keymap: expected a mapping of binding id → keys"),
    "max_bytes_text.yaml": (2, 14, "history.max_bytes: expected a whole number ≥ 0, got '500MB'"),
    "negative_max_entries.yaml": (2, 16, "history.max_entries: expected a whole number ≥ 0, got -5"),
    "non_utf8.yaml": (1, 11, "the file is not UTF-8 text (byte 0xe9)"),
    "python_tag.yaml": (1, 8, "python/name:os.system' is not allowed"),
    "syntax_error.yaml": (3, 1, "invalid YAML: did not find expected ',' or ']'"),
    "tab_indent.yaml": (2, 1, "a tab character here; YAML indents with spaces only"),
    "theme_not_text.yaml": (1, 8, "theme: expected a theme name"),
    "top_level_list.yaml": (1, 1, "expected a mapping of settings (history:, sandbox:, …)"),
    "unknown_history_key.yaml": (3, 3, "unknown setting 'history.max_age'; expected one of: max_entries, max_bytes"),
    "webhook_hosts_url.yaml": (2, 18, "sandbox.webhook_hosts: expected a list of host names"),
    "unknown_setting.yaml": (1, 1, "unknown setting 'histroy'; expected one of: history, sandbox, theme, keymap"),
}


def test_every_fixture_has_a_row() -> None:
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_malformed_settings_give_one_located_error(name: str) -> None:
    line, column, phrase = EXPECTED[name]
    path = CORPUS / name
    with pytest.raises(FileErrors) as info:
        load_settings(path)
    [error] = info.value.errors
    assert str(error).startswith(f"{path}:{line}:{column}: "), str(error)
    assert phrase in error.message
    assert "\n" not in str(error)


def test_a_missing_file_means_the_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "config.yaml")
    assert settings == Settings()
    assert settings.history == HistorySettings(max_entries=10_000, max_bytes=500 * 1024 * 1024, body_cap=2 * 1024**2)
    assert settings.sandbox == SandboxSettings(delivery_seconds=2.0, concurrency_limit=20)
    assert (settings.theme, settings.keymap) == ("textual-dark", {})


@pytest.mark.parametrize("text", ["", "# nothing yet\n", "history:\nsandbox:\n"])
def test_empty_files_and_sections_mean_the_defaults(tmp_path: Path, text: str) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(text)
    assert load_settings(path) == Settings()


def test_every_setting_is_read(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(
        "history:\n  max_entries: 50\n  max_bytes: 1048576\n  body_cap: 0\n"
        "sandbox:\n  delivery_seconds: 0\n  concurrency_limit: 3\n  webhook_hosts: [App.Example, 'h:8080']\n"
        "theme: ' nord '\n"
        "keymap:\n  send: ' ctrl+j,f5 '\n  quit: ctrl+q\n"
    )
    settings = load_settings(path)
    assert settings.history == HistorySettings(max_entries=50, max_bytes=1_048_576, body_cap=0)
    assert settings.sandbox == SandboxSettings(
        delivery_seconds=0.0, concurrency_limit=3, webhook_hosts=["app.example", "h:8080"]
    )
    assert isinstance(settings.sandbox.delivery_seconds, float)
    assert settings.theme == "nord"
    assert settings.keymap == {"send": "ctrl+j,f5", "quit": "ctrl+q"}


def test_a_partial_file_keeps_the_other_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("sandbox:\n  delivery_seconds: 0.5\n")
    settings = load_settings(path)
    assert settings.sandbox.delivery_seconds == 0.5
    assert settings.sandbox.concurrency_limit == 20
    assert settings.history == HistorySettings()


def test_every_problem_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("history:\n  max_entries: -1\n  body_cap: lots\ntheme: ''\ncolour: red\n")
    with pytest.raises(FileErrors) as info:
        load_settings(path)
    assert [f"{e.line}:{e.column}" for e in info.value.errors] == ["2:16", "3:13", "4:8", "5:1"]


def test_the_default_path_is_under_twibench_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWIBENCH_HOME", str(tmp_path))
    (tmp_path / "config.yaml").write_text("theme: monokai\n")
    assert load_settings().theme == "monokai"


def test_a_folder_in_place_of_the_file_is_a_located_error(tmp_path: Path) -> None:
    folder = tmp_path / "config.yaml"
    folder.mkdir()
    with pytest.raises(FileErrors, match=r"config\.yaml:1:1: cannot read the file"):
        load_settings(folder)
