"""Malformed collection files: each one gives exactly one located, one-line error naming what was expected.

The fixtures live in tests/corpus/collections/; the table below is the contract for each of them. A file
added to the folder without a row here fails `test_every_fixture_has_a_row`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from twibench.collection import load_collection, load_paths
from twibench.errors import FileErrors

CORPUS = Path(__file__).parent / "corpus" / "collections"

# fixture name → (line, column, a phrase the message must contain)
EXPECTED: dict[str, tuple[int, int, str]] = {
    "auth_wrong_shape.yaml": (5, 11, "'auth' must be none or {basic:"),
    "bad_capture.yaml": (5, 28, "expected a JSONPath such as $.sid, header:Name or status, not 'sid'"),
    "bad_duration.yaml": (5, 14, "'timeout' must be a duration such as 30, 500ms, 2s or 1m"),
    "bad_expect_status.yaml": (5, 22, "'expect.status' must be a status such as 201"),
    "bad_id.yaml": (4, 9, "the id 'send sms now' is not usable in FILE#ID"),
    "billion_laughs.yaml": (7, 58, "json holds more than 100000 values (YAML aliases repeat it)"),
    "binary.yaml": (1, 13, "this is a binary file (NUL byte); expected YAML text"),
    "body_without_content_type.yaml": (6, 5, "a raw 'body' needs a Content-Type header"),
    "comments_only.yaml": (1, 1, "the file is empty; expected a collection with name: and requests:"),
    "deep_nesting.yaml": (5, 1008, "exceeded maximum nesting depth"),
    "bom_non_utf8.yaml": (3, 14, "the file is not UTF-8 text (byte 0xe9); save it as UTF-8"),  # counted after the BOM
    "duplicate_ids.yaml": (7, 9, "the request id 'send' is already used by the request at line 3"),
    "duplicate_implicit_ids.yaml": (5, 11, "the request id 'send-sms' is already used by the request at line 3"),
    "duplicate_key.yaml": (6, 5, "duplicate key 'url' (first written at line 4)"),
    "duplicate_names.yaml": (6, 11, "another request is already named 'Send an SMS' (line 3)"),
    "empty.yaml": (1, 1, "the file is empty; expected a collection with name: and requests:"),
    "form_value_null.yaml": (8, 12, "form value 'Body' is empty (null)"),
    "json_infinity.yaml": (6, 19, "json.limit is inf, which JSON cannot hold"),
    "literal_authorization.yaml": (7, 22, "a literal Authorization header would put a credential in the file"),
    "literal_secret.yaml": (5, 58, 'files never hold secrets; use {basic: ["{{key_sid}}", "{{key_secret}}"]}'),
    "missing_name.yaml": (1, 1, "missing 'name:'"),
    "missing_requests.yaml": (1, 1, "missing 'requests:'"),
    "missing_url.yaml": (3, 5, "missing 'url:'"),
    "name_not_text.yaml": (1, 7, "'name' must be text, not a mapping"),
    "non_utf8.yaml": (1, 10, "the file is not UTF-8 text (byte 0xe9); save it as UTF-8"),
    "poll_without_until.yaml": (5, 11, "'poll' needs until:"),
    "python_tag.yaml": (4, 10, "python/object/apply:os.system' is not allowed"),
    "request_not_mapping.yaml": (5, 5, "each request must be a mapping with name: and url:, not text"),
    "requests_not_list.yaml": (3, 3, "'requests' must be a list of requests, not a mapping"),
    "sandbox_only_not_bool.yaml": (2, 15, "'sandbox_only' must be true or false, not text"),
    "syntax_error.yaml": (6, 9, "invalid YAML: did not find expected ',' or '}'"),
    "tab_indent.yaml": (4, 1, "a tab character here; YAML indents with spaces only"),
    "top_level_list.yaml": (1, 1, "expected a collection (a mapping with name: and requests:), not a list"),
    "top_level_scalar.yaml": (1, 1, "expected a collection (a mapping with name: and requests:), not text"),
    "two_bodies.yaml": (7, 5, "'json' conflicts with 'form' (line 6); a request has at most one of form, json or body"),
    "unclosed_quote.yaml": (3, 11, "a quoted string starts here and is never closed"),
    "unknown_method.yaml": (4, 13, "unknown method 'FETCH'; expected one of GET, POST, DELETE, PUT, PATCH, HEAD"),
    "unknown_request_key.yaml": (4, 5, "unknown key 'methd' (did you mean 'method'?); a request takes: name, id"),
    "unknown_top_key.yaml": (2, 1, "unknown key 'requets' (did you mean 'requests'?)"),
    "url_password.yaml": (4, 10, "the url holds a literal password, and files never hold secrets"),
    "variable_null.yaml": (4, 8, "variable 'from' is empty (null)"),
}


def test_every_fixture_has_a_row() -> None:
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(EXPECTED)
    assert len(EXPECTED) >= 25


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_malformed_file_gives_one_located_error(name: str) -> None:
    line, column, phrase = EXPECTED[name]
    path = CORPUS / name
    with pytest.raises(FileErrors) as info:
        load_collection(path)
    [error] = info.value.errors
    rendered = str(error)
    assert rendered.startswith(f"{path}:{line}:{column}: "), rendered
    assert phrase in error.message
    assert "\n" not in rendered
    assert str(info.value) == rendered


def test_the_corpus_as_a_folder_reports_every_file_and_loads_none() -> None:
    result = load_paths([CORPUS])
    assert result.collections == []
    assert sorted(e.path.name for e in result.errors) == sorted(EXPECTED)


def test_a_10_mb_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    requests = "".join(f"  - {{name: r{i:07d}, url: /x}}\n" for i in range(360_000))  # 30 bytes each
    path.write_text("name: Huge\nrequests:\n" + requests)
    assert path.stat().st_size > 10 * 1024 * 1024
    with pytest.raises(FileErrors) as info:
        load_collection(path)
    [error] = info.value.errors
    assert str(error).startswith(f"{path}:1:1: the file is 10.8 MB; YAML files over 5 MB are refused")
