"""Saving one request changes only the lines of what the user edited (issue 12 item 1).

For every request of every shipped collection and of collections imported from curl, Postman and
OpenAPI samples, and for every field the editor can change (method, URL, name, docs, each
params/headers/form row: its value, its name, a new row, a removed row), an edit is saved and then:
the lines the diff removes or changes are all inside that field's lines in the original; reloading gives
the edited request and every other request unchanged. Hypothesis varies the typed text (digits,
YAML-looking words, quotes, `#`, `{{var}}`…) with a bounded number of examples.
"""

from __future__ import annotations

import copy
import difflib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twibench.collection import Request, load_collection
from twibench.collection.writer import same_request, save_request
from twibench.importers.curl import import_curl
from twibench.importers.openapi import import_openapi
from twibench.importers.postman import import_postman

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "collections").glob("*.yaml"))
FIELDS = ("method", "url", "name", "docs", "params", "headers", "form")


def _imported(folder: Path) -> list[Path]:
    """Collections made by the three importers, as a new user would make them."""
    curl = folder / "curl.yaml"
    import_curl(
        "curl -X POST https://api.twilio.com/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/Messages.json "
        "--data-urlencode 'To=+15558675310' --data-urlencode 'Body=Hi there' -d PageSize=20 "
        "-H 'Accept: application/json' -u $TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN",
        curl,
    )
    import_curl("curl 'https://api.twilio.com/2010-04-01/Accounts/AC123/Calls.json?PageSize=50&Status=busy'", curl)
    postman = import_postman(ROOT / "tests/fixtures/postman/examples-v2.1.0/formdata-body.json", folder / "postman")
    openapi = import_openapi(
        ROOT / "twibench/data/twilio-oai/twilio_api_v2010.json.gz",
        folder / "openapi",
        path_prefix="/2010-04-01/Accounts/{AccountSid}/Messages",
    )
    return [curl, *postman.files, *openapi.files]


@pytest.fixture(scope="module")
def collection_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Every shipped collection plus imported ones (copied, never edited in place)."""
    folder = tmp_path_factory.mktemp("imported")
    return [*SHIPPED, *_imported(folder)]


def _line_range(text: str, index: int, field: str, row: int | None) -> tuple[int, int, int, int]:
    """(first, last) line of the field (or of one row of it) and (first, last) line of the request."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    requests = next(v for k, v in root.value if k.value == "requests")
    item = requests.value[index]
    lines = text.splitlines()

    def last(node: yaml.Node, floor: int) -> int:
        end = node.end_mark.line if node.end_mark.column > 0 else node.end_mark.line - 1
        while end > floor and (not lines[end].strip() or lines[end].lstrip().startswith("#")):
            end -= 1
        return end

    first_line, last_line = item.start_mark.line, last(item, item.start_mark.line)
    for key, value in item.value:
        if key.value == field:
            if row is not None and isinstance(value, yaml.MappingNode) and row < len(value.value):
                row_key, row_value = value.value[row]
                return row_key.start_mark.line, last(row_value, row_key.start_mark.line), first_line, last_line
            return key.start_mark.line, last(value, key.start_mark.line), first_line, last_line
    return -1, -1, first_line, last_line  # the field is not written yet: only insertions are allowed


def _check_exact(
    path: Path, tmp: Path, index: int, field: str, row: int | None, edit: Callable[[Request], None]
) -> None:
    """Apply `edit` to request `index`, save it, and check the diff and the reload."""
    target = tmp / path.name
    shutil.copyfile(path, target)
    before_text = target.read_text(encoding="utf-8")
    collection = load_collection(target)
    old = collection.requests[index]
    new = copy.deepcopy(old)
    edit(new)
    if same_request(old, new):
        return
    save_request(collection, new, target)
    after_text = target.read_text(encoding="utf-8")
    first, last, req_first, req_last = _line_range(before_text, index, field, row)
    if field == "name":  # renaming may add `id:` right after it, so references to the old id hold
        last = max(last, first + 1)
    before, after = before_text.splitlines(), after_text.splitlines()
    for tag, i1, i2, _j1, _j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if tag == "insert":
            assert req_first <= i1 <= req_last + 1, f"{path.name}: {field} inserted lines outside the request"
            continue
        assert first <= i1 and i2 - 1 <= last, (
            f"{path.name} request {index} {field}: changed lines {i1 + 1}-{i2} outside {first + 1}-{last + 1}\n"
            + "".join(difflib.unified_diff(before_text.splitlines(True), after_text.splitlines(True)))
        )
    assert after_text.endswith("\n") == before_text.endswith("\n")
    reloaded = load_collection(target)
    assert same_request(reloaded.requests[index], new)
    others = [r for i, r in enumerate(reloaded.requests) if i != index]
    expected = [r for i, r in enumerate(collection.requests) if i != index]
    assert len(others) == len(expected) and all(same_request(a, b) for a, b in zip(others, expected, strict=True))


def _edits(request: Request, value: str) -> list[tuple[str, int | None, Callable[[Request], None]]]:
    """Every editable field of `request`, each with an edit that types `value` into it."""
    one_line = value.replace("\n", " ").strip() or "x"
    edits: list[tuple[str, int | None, Callable[[Request], None]]] = [
        ("method", None, lambda r: setattr(r, "method", "DELETE" if r.method != "DELETE" else "PATCH")),
        ("url", None, lambda r: setattr(r, "url", f"/2010-04-01/{one_line.replace(' ', '')}.json")),
        ("name", None, lambda r: setattr(r, "name", f"{r.name} {one_line}")),
        ("docs", None, lambda r: setattr(r, "docs", one_line)),
    ]
    for table in ("params", "headers", "form"):
        pairs = getattr(request, table) or []
        names = list(dict.fromkeys(name for name, _ in pairs))
        for row, name in enumerate(names):
            if sum(1 for n, _ in pairs if n == name) > 1:
                continue  # a repeated name is a list; its rows are edited as one field below

            def set_value(r: Request, t: str = table, n: str = name) -> None:
                setattr(r, t, [(k, value if k == n else v) for k, v in getattr(r, t)])

            def rename(r: Request, t: str = table, n: str = name) -> None:
                setattr(r, t, [("X-Renamed" if k == n else k, v) for k, v in getattr(r, t)])

            def remove(r: Request, t: str = table, n: str = name) -> None:
                setattr(r, t, [(k, v) for k, v in getattr(r, t) if k != n])

            # Removing the only row removes the whole key.
            edits += [(table, row, set_value), (table, row, rename), (table, row if len(names) > 1 else None, remove)]
        edits.append((table, None, lambda r, t=table: setattr(r, t, [*(getattr(r, t) or []), ("X-Added", one_line)])))
    return edits


SWEEP_PARTS = 4
"""The sweep is cut into parts (every fourth file each), so that test workers share it."""


@pytest.mark.parametrize("part", range(SWEEP_PARTS))
@pytest.mark.parametrize("value", ["5", "a: b # c", "two\nlines"])
def test_every_request_every_field_saves_exactly(
    collection_files: list[Path], tmp_path: Path, value: str, part: int
) -> None:
    """The exhaustive sweep: every request, every field, one edit each, for a few typical values."""
    for path in collection_files[part::SWEEP_PARTS]:
        for index, request in enumerate(load_collection(path).requests):
            for field, row, edit in _edits(request, value):
                if field == "headers" and ("\n" in value or value == ""):
                    continue
                _check_exact(path, tmp_path, index, field, row, edit)


_TEXT = st.text(
    alphabet=st.sampled_from(list("0123456789abcXYZ :#'\"{}[],-+.%&*!|>\n")), max_size=12
) | st.sampled_from(["null", "yes", "~", "020", "1e3", "- a", "? x", "@home", "`x`", " lead", "trail "])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), value=_TEXT)
def test_any_typed_value_saves_exactly(
    collection_files: list[Path], tmp_path: Path, data: st.DataObject, value: str
) -> None:
    """Whatever text is typed into a param/form value, URL, name or docs, only that field's lines change."""
    path = data.draw(st.sampled_from(collection_files))
    requests = load_collection(path).requests
    index = data.draw(st.integers(0, len(requests) - 1))
    candidates = [e for e in _edits(requests[index], value) if e[0] != "headers"]
    field, row, edit = data.draw(st.sampled_from(candidates))
    _check_exact(path, tmp_path, index, field, row, edit)


def test_number_stays_a_number_and_nothing_else_moves(tmp_path: Path) -> None:
    """The reported case: PageSize 20 → 5 on 'List messages sent to a number' is one changed line."""
    target = tmp_path / "messages.yaml"
    shutil.copyfile(ROOT / "collections/messages.yaml", target)
    before = target.read_text(encoding="utf-8")
    collection = load_collection(target)
    index = next(i for i, r in enumerate(collection.requests) if r.name == "List messages sent to a number")
    new = copy.deepcopy(collection.requests[index])
    new.params = [(k, "5" if k == "PageSize" else v) for k, v in new.params]
    save_request(collection, new, target)
    after = target.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert changed == [("      PageSize: 20", "      PageSize: 5")]


def test_new_request_is_written_where_the_tree_shows_it(tmp_path: Path) -> None:
    """A new request saved at a position lands there in the file, with nothing else changed."""
    target = tmp_path / "messages.yaml"
    shutil.copyfile(ROOT / "collections/messages.yaml", target)
    before = target.read_text(encoding="utf-8")
    collection = load_collection(target)
    request = Request(name="Fetch one", id="fetch-one", url="/2010-04-01/Accounts/{{account_sid}}.json")
    save_request(collection, request, target, position=1)
    reloaded = load_collection(target)
    assert [r.id for r in reloaded.requests] == [
        collection.requests[0].id,
        "fetch-one",
        *[r.id for r in collection.requests[1:]],
    ]
    removed = [line for line in difflib.ndiff(before.splitlines(), target.read_text().splitlines()) if line[:1] == "-"]
    assert removed == []
