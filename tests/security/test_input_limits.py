"""Input beyond any sensible size or depth is a located, one-sentence error — never a crash that hides the rest.

Python refuses to read an integer of more than 4300 digits; an OpenAPI document nested 100,000 deep
overflows any recursive reader; a base URL with port 99999 only fails when a request is sent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.security.cli_run import SEND_SMS, one_sentence, run_cli
from twibench import collection, profiles, settings, yamlload
from twibench.errors import FileErrors, LocatedError
from twibench.spec.openapi import MAX_NESTING, SpecError, parse_document, read_operations

HUGE = "9" * 5000
AC = "AC" + "a" * 32


def test_a_5000_digit_number_in_a_collection_is_located(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(f"name: Big\nrequests:\n  - name: a\n    url: /x\n    timeout: {HUGE}\n")
    with pytest.raises(FileErrors) as caught:
        collection.load_collection(path)
    assert [str(e) for e in caught.value.errors] == [
        f"{path}:5:14: a number with 5000 digits is too long; a number here has at most 4300 digits"
    ]


@pytest.mark.parametrize("text", ["0x" + "f" * 5000, "0b" + "1" * 20000, ":".join(["59"] * 3000)])
def test_huge_numbers_in_other_notations_are_refused_too(tmp_path: Path, text: str) -> None:
    with pytest.raises(LocatedError, match="is too long"):
        yamlload.parse(tmp_path / "x.yaml", f"n: {text}\n")


def test_numbers_beyond_a_float_are_not_durations_or_settings(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a 400-digit number"):
        collection.parse_duration(10**399)
    config = tmp_path / "config.yaml"
    config.write_text(f"sandbox:\n  delivery_seconds: {'9' * 400}\nhistory:\n  max_entries: {2**64}\n")
    with pytest.raises(FileErrors) as caught:
        settings.load_settings(config)
    assert [str(e) for e in caught.value.errors] == [
        f"{config}:2:21: sandbox.delivery_seconds: expected a number ≥ 0, got a 400-digit number",
        f"{config}:4:16: history.max_entries: expected a whole number ≥ 0, got a 20-digit number",
    ]


def test_check_reports_every_broken_file_and_still_checks_the_good_ones(home: Path) -> None:
    folder = home / "cols"
    folder.mkdir()
    (folder / "a-good.yaml").write_text(SEND_SMS)
    (folder / "b-huge.yaml").write_text(f"name: B\nrequests:\n  - name: b\n    url: /x\n    timeout: {HUGE}\n")
    (folder / "c-deep.yaml").write_text("name: C\nrequests:\n  - name: c\n    url: /x\n    json: " + "[" * 20000)
    (folder / "d-good.yaml").write_text(SEND_SMS.replace("Messages", "More"))
    result = run_cli(home, "check", "cols")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("cols/b-huge.yaml:5:14: a number with 5000 digits is too long")
    assert lines[1].startswith("cols/c-deep.yaml:")
    assert lines[2] == "twibench check: 2 problem(s); 2 collection(s), 2 request(s) ok"
    assert "Traceback" not in result.stderr and "unexpected error" not in result.stderr


def test_run_on_a_folder_with_a_huge_number_names_it_and_sends_nothing(home: Path) -> None:
    (home / "cols").mkdir()
    (home / "cols" / "a.yaml").write_text(SEND_SMS)
    (home / "cols" / "b.yaml").write_text(f"name: B\nrequests:\n  - name: b\n    url: /x\n    timeout: {HUGE}\n")
    result = run_cli(home, "run", "cols")
    assert result.returncode == 2
    assert one_sentence(result.stderr).startswith("cols/b.yaml:5:14: a number with 5000 digits")
    assert not (home / "history.sqlite3").exists()


def test_a_huge_number_in_config_yaml_is_located_for_send(home: Path) -> None:
    (home / "sms.yaml").write_text(SEND_SMS)
    (home / "config.yaml").write_text(f"history:\n  max_entries: {HUGE}\n")
    result = run_cli(home, "send", "sms.yaml#send-sms")
    assert result.returncode == 2
    assert one_sentence(result.stderr).startswith(f"{home / 'config.yaml'}:2:16: a number with 5000 digits")


def _nested(depth: int) -> str:
    return json.dumps({"openapi": "3.0.0", "paths": {"/x": {"get": {"x-deep": "HERE"}}}}).replace(
        '"HERE"', "[" * depth + "]" * depth
    )


@pytest.mark.parametrize("depth", [MAX_NESTING, 999, 100_000])
def test_an_openapi_document_nested_too_deep_is_refused(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "deep.json"
    with pytest.raises(SpecError) as caught:
        parse_document(_nested(depth), path)
    assert str(caught.value) == (
        f"{path}: the document nests more than {MAX_NESTING} levels deep; API descriptions never do"
    )


def test_a_deep_yaml_openapi_document_is_refused_too(tmp_path: Path) -> None:
    text = "openapi: 3.0.0\npaths:\n  /x:\n    get:\n      x: " + "[" * 100_000 + "]" * 100_000 + "\n"
    with pytest.raises(SpecError, match="nests more than"):
        parse_document(text, tmp_path / "deep.yaml")


def test_a_schema_that_includes_itself_through_allof_ends(tmp_path: Path) -> None:
    document = {
        "openapi": "3.0.0",
        "paths": {"/x": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/c/A"}}}}}}},
        "c": {"A": {"allOf": [{"$ref": "#/c/A"}], "properties": {"Name": {"type": "string"}}}},
    }
    (operation,) = read_operations(parse_document(json.dumps(document), tmp_path / "loop.json"))
    assert [p.name for p in operation.parameters] == ["Name"]


def test_import_openapi_of_a_100k_deep_document_exits_2_with_one_sentence(home: Path) -> None:
    (home / "deep.json").write_text(_nested(100_000))
    result = run_cli(home, "import", "openapi", "deep.json", "-o", "out")
    assert result.returncode == 2
    assert one_sentence(result.stderr) == (
        f"twibench: deep.json: the document nests more than {MAX_NESTING} levels deep; API descriptions never do"
    )
    assert not (home / "out").exists()


@pytest.mark.parametrize(
    ("base_url", "problem"),
    [
        ("http://127.0.0.1:99999", "the port in 127.0.0.1:99999 is not a number from 1 to 65535"),
        ("http://127.0.0.1:0", "port 0 cannot be connected to"),
        ("ftp://example.test", "expected a base URL starting with http:// or https://"),
        ("example.test", "expected a base URL starting with http:// or https://"),
        ("http://user:pw@example.test", "a base URL cannot carry a user name or password"),
        ("http://example.test/api", "a base URL has no path (got /api)"),
        ("http://example.test?x=1", "a base URL has no query"),
        ("http://example.test#top", "a base URL has no query"),
        ("http://:8080", "the base URL has no host name"),
        ("http://exa mple.test", "a base URL cannot contain spaces"),
    ],
)
def test_a_bad_base_url_is_a_located_error_at_load(home: Path, base_url: str, problem: str) -> None:
    path = home / "profiles.yaml"
    path.write_text(f"profiles:\n  p:\n    account_sid: {AC}\n    auth_token: {{env: T}}\n    base_url: '{base_url}'\n")
    with pytest.raises(FileErrors) as caught:
        profiles.load_profiles(path)
    (error,) = caught.value.errors
    assert str(error).startswith(f"{path}:5:15: profile 'p': base_url: {problem}")


@pytest.mark.parametrize("base_url", ["http://127.0.0.1:8080", "https://api.example.test/", "http://[::1]:1"])
def test_a_good_base_url_loads(home: Path, base_url: str) -> None:
    path = home / "profiles.yaml"
    path.write_text(f"profiles:\n  p:\n    account_sid: {AC}\n    auth_token: {{env: T}}\n    base_url: '{base_url}'\n")
    assert profiles.load_profiles(path).get("p").base_url == base_url.rstrip("/")
