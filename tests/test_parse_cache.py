"""The parse cache (twibench.collection.parse_cache): a hit is exactly a fresh parse; anything else is a miss.

A hit must give `check_collection` the very tree `yamlload.parse` gives (values, types, every mark and raw
text), so the model, later error positions and exact saves cannot tell them apart. Every damaged, stale
or hostile entry is a silent miss: the file is parsed as today and the entry written again.
"""

from __future__ import annotations

import datetime
import json
import math
import os
import stat
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from twibench import paths, yamlload
from twibench.collection import load_collection, load_paths
from twibench.collection import parse_cache as pc
from twibench.collection.parse_cache import ParseCache
from twibench.errors import FileErrors
from twibench.workbench.workspace import Workspace
from twibench.yamlload import LocDict, LocList

ROOT = Path(__file__).resolve().parents[1]

RICH = """\
# Every kind of value a collection holds: block text, flow style, numbers, dates, non-ASCII text.
name: Rich — ünïcödé 📞
description: |
  Two lines
  of markdown.
variables:
  from: "+15005550006"
  count: 020
  flag: yes
  day: 2024-01-31
  at: 2001-12-14t21:59:43.10-05:00
  ratio: .nan
  top: -.inf
requests:
  - name: Send
    id: send
    method: POST
    url: /2010-04-01/Accounts/{{account_sid}}/Messages.json
    headers: {X-Note: "é 😀", X-Num: 7}
    form:
      To: ["+15005550006", "+15005550001"]
      Body: >
        folded
        text
  - name: Json
    id: json
    method: POST
    url: https://example.com/hook
    json:
      nested: {list: [1, 2.5, -0.0, true, null, "x"], empty: {}, none: []}
      big: 123456789012345678901234567890
    timeout: 1.5
"""


def same_tree(a: Any, b: Any, where: str = "$") -> None:
    """Assert `a` and `b` are the same YAML tree: types, values, and every mark and raw text."""
    assert type(a) is type(b), where
    if isinstance(a, LocDict):
        assert list(a) == list(b), where
        assert (a.start, a.key_marks, a.value_marks, a.raw) == (b.start, b.key_marks, b.value_marks, b.raw), where
        assert list(a.key_marks) == list(b.key_marks) and list(a.raw) == list(b.raw), where
        for key in a:
            same_tree(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, LocList):
        assert (len(a), a.start, a.marks, a.raw) == (len(b), b.start, b.marks, b.raw), where
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            same_tree(x, y, f"{where}[{index}]")
    else:
        assert a == b or (a != a and b != b), where  # NaN is itself
        assert repr(a) == repr(b), where  # -0.0 and 0.0, tz offsets


@pytest.fixture
def cache(tmp_path: Path) -> ParseCache:
    return ParseCache(tmp_path / "cache")


@pytest.fixture
def rich(tmp_path: Path) -> Path:
    path = tmp_path / "rich.yaml"
    path.write_text(RICH, encoding="utf-8")
    return path


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file `yamlload.parse` is asked to parse, in order (it still parses them)."""
    seen: list[Path] = []
    real = yamlload.parse

    def spy(path: Path, text: str) -> Any:
        seen.append(path)
        return real(path, text)

    monkeypatch.setattr(yamlload, "parse", spy)
    return seen


def entries(cache: ParseCache) -> list[Path]:
    return sorted(cache.folder.glob("*")) if cache.folder.exists() else []


# ----- hits ------------------------------------------------------------------------------------------


def test_a_hit_is_the_parsed_tree_and_the_same_collection(rich: Path, cache: ParseCache, parses: list[Path]) -> None:
    first = load_collection(rich, cache)
    assert parses == [rich] and len(entries(cache)) == 1
    second = load_collection(rich, cache)
    assert parses == [rich], "the second load came from the cache"
    assert second == first == load_collection(rich)
    text = rich.read_text(encoding="utf-8")
    cached = cache.get(rich, text)
    same_tree(cached, yamlload.parse(rich, text))
    assert isinstance(cached["variables"]["day"], datetime.date)
    assert cached["variables"]["at"].utcoffset() == datetime.timedelta(hours=-5)


def test_without_the_json_accelerator_a_hit_is_the_same(
    rich: Path, cache: ParseCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_collection(rich, cache)
    fast = cache.get(rich, RICH)
    monkeypatch.setitem(sys.modules, "_json", None)  # `from _json import …` now fails: json.loads reads it
    slow = cache.get(rich, RICH)
    same_tree(slow, fast)
    same_tree(slow, yamlload.parse(rich, RICH))
    assert math.isnan(slow["variables"]["ratio"]) and slow["variables"]["top"] == -math.inf


def test_every_shipped_collection_comes_back_exactly(cache: ParseCache) -> None:
    files = sorted((ROOT / "collections").glob("*.yaml"))
    fresh = load_paths(files, cache)
    assert fresh.ok and len(entries(cache)) == len(files)
    assert load_paths(files, cache).collections == fresh.collections
    for file in files:
        text = file.read_text(encoding="utf-8")
        same_tree(cache.get(file, text), yamlload.parse(file, text), file.name)


def test_two_spellings_of_a_path_share_one_entry(
    rich: Path, cache: ParseCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_collection(rich, cache)
    monkeypatch.chdir(rich.parent)
    assert cache.entry_file(Path("rich.yaml")) == cache.entry_file(rich)
    assert cache.get(Path("./rich.yaml"), RICH) is not None


def test_a_hit_reports_errors_where_a_parse_does(
    rich: Path, cache: ParseCache, parses: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from twibench.collection import schema

    load_collection(rich, cache)
    # A rule that refuses what the cached tree holds: its errors come from the cached marks.
    monkeypatch.setattr(schema, "TOP_KEYS", ("name", "requests"))
    with pytest.raises(FileErrors) as from_cache:
        load_collection(rich, cache)
    assert parses == [rich], "the cached tree was checked"
    with pytest.raises(FileErrors) as from_parse:
        load_collection(rich)
    assert from_cache.value.errors == from_parse.value.errors
    assert [str(e).split(": unknown key")[0] for e in from_cache.value.errors] == [f"{rich}:3:1", f"{rich}:6:1"]


def test_a_collection_from_the_cache_saves_exactly(rich: Path, cache: ParseCache) -> None:
    from twibench.collection import writer

    load_collection(rich, cache)
    collection = load_collection(rich, cache)  # from the cache
    request = collection.requests[0]
    request.url = "/2010-04-01/Accounts/{{account_sid}}/Calls.json"
    writer.save_request(collection, request, rich)
    assert rich.read_text(encoding="utf-8") == RICH.replace("/Messages.json", "/Calls.json"), "only that line"


# ----- misses ----------------------------------------------------------------------------------------


def test_an_edited_file_misses_and_its_entry_is_rewritten(rich: Path, cache: ParseCache, parses: list[Path]) -> None:
    load_collection(rich, cache)
    edited = RICH.replace("id: send", "id: sent")  # one byte
    rich.write_text(edited, encoding="utf-8")
    assert cache.get(rich, edited) is None
    assert load_collection(rich, cache).requests[0].id == "sent"
    assert parses == [rich, rich]
    same_tree(cache.get(rich, edited), yamlload.parse(rich, edited))
    assert cache.get(rich, RICH) is None, "one entry per file: the old text no longer hits"


def rewrite(mutate: Callable[[list[Any]], Any]) -> Callable[[bytes], bytes]:
    """An entry damage that edits the decoded JSON (stamp, digest and tree) and writes it back."""

    def damage(payload: bytes) -> bytes:
        entry = json.loads(payload)
        result = mutate(entry)
        return json.dumps(entry if result is None else result).encode()

    return damage


def _first_mapping(entry: list[Any]) -> list[Any]:
    body: list[Any] = entry[2]["d"]
    return body


def _variables(entry: list[Any]) -> list[Any]:
    top = _first_mapping(entry)
    body: list[Any] = top[3][top[0].index("variables")]["d"]
    return body


DAMAGES: dict[str, Callable[[bytes], bytes]] = {
    "empty": lambda payload: b"",
    "truncated": lambda payload: payload[: len(payload) // 2],
    "one byte short": lambda payload: payload[:-1],
    "not JSON": lambda payload: b"\x80\x81 not json",
    "more after the document": lambda payload: payload + b"[]",
    "not ASCII": lambda payload: payload.replace(b"Rich", "Rïch".encode()),
    "oversized": lambda payload: payload[:-1] + b" " * (9 * len(RICH) + pc.SLACK_BYTES) + b"]",
    "other version": lambda payload: payload.replace(pc.__version__.encode(), b"0.0.0-other", 1),
    "other format": lambda payload: payload.replace(f"twibench-parse-cache/{pc.FORMAT}/".encode(), b"x/9/", 1),
    "other text": rewrite(lambda e: e.__setitem__(1, "0" * 40)),
    "a plain object": rewrite(lambda e: [e[0], e[1], {"name": "Rich", "requests": []}]),
    "a list at the top": rewrite(lambda e: [e[0], e[1], {"s": [[1, 1], [], []]}]),
    "two entries": rewrite(lambda e: [*e, e[2]]),
    "unknown tag": rewrite(lambda e: [e[0], e[1], {"x": e[2]["d"]}]),
    "two tags": rewrite(lambda e: [e[0], e[1], {"d": e[2]["d"], "s": [[1, 1], [], []]}]),
    "a key that is a number": rewrite(lambda e: _first_mapping(e)[0].__setitem__(0, 1)),
    "a duplicate key": rewrite(lambda e: _first_mapping(e)[0].__setitem__(1, "name")),
    "a mark that is text": rewrite(lambda e: _first_mapping(e)[1].__setitem__(2, "1")),
    "a mark that is a float": rewrite(lambda e: _first_mapping(e)[1].__setitem__(2, 1.0)),
    "a mark that is true": rewrite(lambda e: _first_mapping(e)[1].__setitem__(2, True)),
    "a mark of zero": rewrite(lambda e: _first_mapping(e)[1].__setitem__(3, 0)),
    "a mark past the file": rewrite(lambda e: _first_mapping(e)[1].__setitem__(4, 10**6)),
    "a huge mark": rewrite(lambda e: _first_mapping(e)[1].__setitem__(4, 10**300)),
    "a mark missing": rewrite(lambda e: _first_mapping(e)[1].pop()),
    "a mark too many": rewrite(lambda e: _first_mapping(e)[1].append(1)),
    "marks that are pairs": rewrite(lambda e: _first_mapping(e).__setitem__(1, [[1, 1]] * len(_first_mapping(e)[1]))),
    "a raw that is a number": rewrite(lambda e: _first_mapping(e)[2].__setitem__(0, 5)),
    "raw text beside a list": rewrite(lambda e: _first_mapping(e)[2].__setitem__(-1, "requests")),
    "no raw text beside a scalar": rewrite(lambda e: _first_mapping(e)[2].__setitem__(0, None)),
    "no raw text in a mapping of scalars": rewrite(lambda e: _variables(e)[2].__setitem__(0, None)),
    "a plain list value": rewrite(lambda e: _first_mapping(e)[3].__setitem__(0, ["a"])),
    "a value missing": rewrite(lambda e: _first_mapping(e)[3].pop()),
    "a bad timestamp": rewrite(lambda e: _first_mapping(e)[3].__setitem__(0, {"t": ["not a date"]})),
    "a timestamp that is a number": rewrite(lambda e: _first_mapping(e)[3].__setitem__(0, {"t": [20240131]})),
    "a huge number": lambda payload: payload.replace(b"123456789012345678901234567890", b"9" * 5000),
}


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=list(DAMAGES))
def test_a_damaged_entry_is_a_silent_miss_and_is_rewritten(
    rich: Path, cache: ParseCache, parses: list[Path], damage: Callable[[bytes], bytes]
) -> None:
    expected = load_collection(rich, cache)
    entry = cache.entry_file(rich)
    good = entry.read_bytes()
    damaged = damage(good)
    assert damaged != good, "the damage changed the entry"
    entry.write_bytes(damaged)
    assert cache.get(rich, RICH) is None
    assert load_collection(rich, cache) == expected
    assert parses == [rich, rich], "the file was parsed again"
    assert entry.read_bytes() == good, "and its entry written again"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_an_entry_that_is_not_a_regular_file_is_a_miss_without_waiting(rich: Path, cache: ParseCache) -> None:
    load_collection(rich, cache)
    entry = cache.entry_file(rich)
    entry.unlink()
    os.mkfifo(entry)  # opening it for reading would wait for a writer forever
    found: list[Any] = []
    reader = threading.Thread(target=lambda: found.append(cache.get(rich, RICH)), daemon=True)
    reader.start()
    reader.join(timeout=30)  # a hang guard, not a timing
    assert found == [None]
    assert load_collection(rich, cache) == load_collection(rich)
    assert stat.S_ISREG(entry.stat().st_mode), "the entry was written again, as a file"
    entry.unlink()
    entry.mkdir()
    assert load_collection(rich, cache) == load_collection(rich), "a folder in its place changes nothing"


def test_a_huge_number_is_refused_even_when_python_reads_any_length(
    rich: Path, cache: ParseCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_collection(rich, cache)
    entry = cache.entry_file(rich)
    entry.write_bytes(entry.read_bytes().replace(b"123456789012345678901234567890", b"9" * 5000))
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)  # json now reads the number: the cache's own bound must refuse it
    try:
        assert cache.get(rich, RICH) is None
    finally:
        sys.set_int_max_str_digits(limit)


def _nested(depth: int) -> dict[str, Any]:
    tree: dict[str, Any] = {"s": [[1, 1], [], []]}
    for _ in range(depth):
        tree = {"s": [[1, 1, 1, 1], [None], [tree]]}
    return {"d": [["requests"], [1, 1, 1, 1, 1, 1], [None], [tree]]}


@pytest.mark.parametrize("depth", [pc.MAX_DEPTH + 1, 20_000], ids=["over the bound", "past the interpreter"])
def test_deep_nesting_is_refused(rich: Path, cache: ParseCache, depth: int) -> None:
    load_collection(rich, cache)
    entry = cache.entry_file(rich)
    stamp, digest, _tree = json.loads(entry.read_bytes())
    if depth < 1000:
        entry.write_text(json.dumps([stamp, digest, _nested(depth)]))
    else:  # deeper than json.dumps can write: the text itself, within the size bound
        entry.write_text(json.dumps([stamp, digest, None])[:-5] + "[" * depth + "]" * depth + "]")
    assert entry.stat().st_size <= pc._limit(RICH)
    assert cache.get(rich, RICH) is None


def test_nesting_within_the_bound_is_read(rich: Path, cache: ParseCache) -> None:
    load_collection(rich, cache)
    entry = cache.entry_file(rich)
    stamp, digest, _tree = json.loads(entry.read_bytes())
    entry.write_text(json.dumps([stamp, digest, _nested(pc.MAX_DEPTH - 2)]))
    assert isinstance(cache.get(rich, RICH), LocDict)  # the shape is right: the bound, not the shape, refused above


# ----- what is never written ------------------------------------------------------------------------


def test_a_file_with_errors_is_never_written_and_reports_them_every_time(tmp_path: Path, cache: ParseCache) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: Bad\nrequests:\n  - name: R\n    url: https://user:hunter2@example.com/x\n")
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: Broken\nrequests: [\n")
    reports = []
    for _ in range(2):
        result = load_paths([bad, broken], cache)
        reports.append([str(error) for error in result.errors])
    assert reports[0] == reports[1]
    assert reports[0][0].startswith(f"{bad}:4:10: the url holds a literal password")
    assert reports[0][1].startswith(f"{broken}:3:1: invalid YAML")
    assert entries(cache) == []


def test_a_tree_the_format_cannot_hold_is_not_written_and_still_loads(
    tmp_path: Path, cache: ParseCache, parses: list[Path]
) -> None:
    shared = tmp_path / "shared.yaml"  # an alias of a mapping: one object twice, which JSON would copy
    shared.write_text(
        "name: Shared\nrequests:\n  - name: A\n    url: /a\n    json: &body {a: 1}\n"
        "  - name: B\n    url: /b\n    json: *body\n"
    )
    first = load_collection(shared, cache)
    assert entries(cache) == []
    assert load_collection(shared, cache) == first and parses == [shared, shared]


def test_a_too_deep_or_too_large_tree_is_not_written(tmp_path: Path, cache: ParseCache) -> None:
    # A YAML alias of a long text can make a small file a huge tree: the entry stays within its bound.
    deep = LocDict()
    node: Any = deep
    for _ in range(pc.MAX_DEPTH + 1):
        child = LocDict()
        node["k"], node.raw = child, {}
        node.key_marks["k"] = node.value_marks["k"] = (1, 1)
        node = child
    path = tmp_path / "x.yaml"
    cache.put(path, "x: 1\n", deep)
    assert entries(cache) == []
    for size, written in ((pc.SLACK_BYTES, 0), (10, 1)):
        tree = LocDict()
        tree["k"] = tree.raw["k"] = "v" * size
        tree.key_marks["k"] = tree.value_marks["k"] = (1, 1)
        cache.put(path, "k: *long\n", tree)
        assert len(entries(cache)) == written


def test_an_unwritable_cache_changes_nothing(rich: Path, tmp_path: Path, parses: list[Path]) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    for folder in (blocker, blocker / "cache"):
        cache = ParseCache(folder)
        assert load_collection(rich, cache) == load_collection(rich)
        assert cache.get(rich, RICH) is None
    assert blocker.read_text() == "a file where the cache folder would be"


def test_a_full_disk_changes_nothing(rich: Path, cache: ParseCache, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pc, "write_atomic", full)
    assert load_collection(rich, cache) == load_collection(rich)
    assert entries(cache) == []


# ----- where and how entries are kept ----------------------------------------------------------------


def test_entries_are_private(rich: Path, cache: ParseCache) -> None:
    load_collection(rich, cache)
    assert stat.S_IMODE(cache.folder.stat().st_mode) == 0o700
    [entry] = entries(cache)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert entry.name == cache.entry_file(rich).name and entry.suffix == ".json"
    stamp, digest, _tree = json.loads(entry.read_text(encoding="ascii"))
    assert digest == pc.digest(RICH.encode()), "the file's text is not kept, only its digest"
    source = pc.digest(Path(yamlload.__file__).read_bytes(), 8)
    assert stamp == f"twibench-parse-cache/{pc.FORMAT}/{pc.__version__}/{source}", "yamlload's source is in the stamp"


def test_past_the_entry_limit_the_oldest_entries_go_and_nothing_else(
    tmp_path: Path, cache: ParseCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One entry per collection file ever loaded: without a bound, a cache folder only grows.
    monkeypatch.setattr(pc, "MAX_ENTRIES", 4)
    files = []
    for number in range(4):
        file = tmp_path / f"c{number}.yaml"
        file.write_text(RICH.replace("Rich", f"Rich {number}", 1), encoding="utf-8")
        load_collection(file, cache)
        os.utime(cache.entry_file(file), ns=(10**18 + number, 10**18 + number))  # written in this order
        files.append(file)
    beside = cache.folder / "textual-css.json"  # the CSS cache's file shares the folder
    beside.write_text("[]")
    assert len(entries(cache)) == 5
    files[0].write_text(RICH.replace("Rich", "Rich edited", 1), encoding="utf-8")
    load_collection(files[0], cache)  # an edited file: its entry is rewritten (now), and nothing is pruned
    assert len(entries(cache)) == 5
    newest = tmp_path / "c4.yaml"
    newest.write_text(RICH, encoding="utf-8")
    load_collection(newest, cache)  # the fifth entry: down to three (3/4 of 4), the oldest written go
    kept = {cache.entry_file(f) for f in (files[3], files[0], newest)}  # files[1] and files[2] went
    assert set(entries(cache)) == kept | {beside}
    assert beside.read_text() == "[]"
    assert load_collection(files[1], cache) == load_collection(files[1]), "a pruned entry is a miss"


def test_the_cache_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TWIBENCH_HOME", str(tmp_path / "home"))
    assert paths.cache_dir() == tmp_path / "home" / "cache"
    monkeypatch.delenv("TWIBENCH_HOME")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert paths.cache_dir() == tmp_path / "xdg" / "twibench"


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "collections"
    folder.mkdir()
    for index in range(3):
        (folder / f"c{index}.yaml").write_text(f"name: C{index}\nrequests:\n  - name: R\n    url: /r{index}\n")
    yield folder


def test_the_workspace_loads_through_its_cache_now_and_after_the_first_frame(
    folder: Path, cache: ParseCache, parses: list[Path]
) -> None:
    workspace = Workspace(cache)
    workspace.load([folder])
    assert len(entries(cache)) == 3 and len(parses) == 3
    later = Workspace(cache)
    assert later.defer([folder], threshold=2)
    later.load_pending()
    assert [c.name for c in later.collections] == ["C0", "C1", "C2"]
    assert len(parses) == 3, "the deferred load came from the cache"
    Workspace().load([folder])
    assert len(parses) == 6, "a workspace without a cache parses"


def test_a_reload_refreshes_the_entry(folder: Path, cache: ParseCache) -> None:
    workspace = Workspace(cache)
    workspace.load([folder])
    path = folder / "c0.yaml"
    edited = path.read_text() + "  - name: S\n    url: /s\n"
    path.write_text(edited)
    assert cache.get(path, edited) is None
    workspace.reload(workspace.collections[0])
    assert [r.name for r in workspace.collections[0].collection.requests] == ["R", "S"]
    assert cache.get(path, edited) is not None, "the next start finds the file as reloaded"
