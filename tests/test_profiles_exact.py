"""Profile saves are exact: every save of profiles.yaml changes only the lines of what the user changed.

A property-style sweep over a hand-written file full of comments, quoting styles, flow mappings and blank
lines: for each operation (edit each field of each profile, every secret source, rename, remove, add, set
the default) the diff touches only the expected lines, and reloading gives the expected model.
"""

from __future__ import annotations

import dataclasses
import difflib
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from twibench import profiles
from twibench.profiles import Profile, ProfileSet, SecretRef, profile_to_yaml

AC = "AC0123456789abcdef0123456789abcdef"
AC2 = "ACfedcba9876543210fedcba9876543210"
SK = "SK0123456789abcdef0123456789abcdef"
LITERAL = "12345678901234567890123456789012"

TEXT = f"""# twibench profiles — written by hand
default: work   # the one I use most

profiles:
  # the main account
  work:
    account_sid: "{AC}"   # quoted on purpose
    auth_token: {{env: WORK_TOKEN}}   # exported by direnv
    region: 'ie1'
    edge: dublin

  keyed:
      account_sid: {AC}
      api_key: {SK}
      api_secret: {{ keyring: twibench }}
      allowed_hosts: [127.0.0.1:8080, "localhost:3000"]
      variables:
        from: "+15005550006"   # the magic number
        page: 20

  local: {{account_sid: {AC}, auth_token: {{prompt: true}}, base_url: "http://127.0.0.1:8099"}}

  scripted:
    account_sid: {AC}
    auth_token:
      command: [pass, show, twilio/scripted]
    base_url: http://127.0.0.1:8080/

  plain:
    account_sid: {AC}
    auth_token: {LITERAL}
# the end
"""


# --- where things are in TEXT, found independently of the code under test ----------------------------


def _content_end(lines: list[str], first: int, stop: int) -> int:
    """The last line in [first, stop) that is neither blank nor a comment."""
    last = stop - 1
    while last > first and (not lines[last].strip() or lines[last].lstrip().startswith("#")):
        last -= 1
    return last


def spans(text: str) -> dict[str, Any]:
    """Each profile's (first, last) line and each of its keys' (first, last) lines, 0-based."""
    lines = text.splitlines()
    root = yaml.compose(text)
    section = next(v for k, v in root.value if k.value == "profiles")
    out: dict[str, Any] = {}
    items = section.value
    for index, (key, body) in enumerate(items):
        stop = items[index + 1][0].start_mark.line if index + 1 < len(items) else section.end_mark.line + 1
        stop = min(stop, len(lines))
        first = key.start_mark.line
        keys: dict[str, tuple[int, int]] = {}
        if isinstance(body, yaml.MappingNode) and not body.flow_style:
            for at, (k, _) in enumerate(body.value):
                end = body.value[at + 1][0].start_mark.line if at + 1 < len(body.value) else stop
                keys[k.value] = (k.start_mark.line, _content_end(lines, k.start_mark.line, end))
        out[key.value] = {"span": (first, _content_end(lines, first, stop)), "keys": keys}
    return out


SPANS = spans(TEXT)


def changes(before: str, after: str) -> list[tuple[int, int, list[str]]]:
    """(old_from, old_to, new lines) for each stretch that differs (old lines [old_from, old_to) replaced)."""
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return [(i1, i2, b[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def touched(before: str, after: str) -> set[int]:
    """The old lines that were replaced or deleted."""
    return {line for i1, i2, _ in changes(before, after) for line in range(i1, i2)}


# --- running one save ---------------------------------------------------------------------------------


@pytest.fixture
def path(tmp_path: Path) -> Path:
    target = tmp_path / "profiles.yaml"
    target.write_text(TEXT)
    target.chmod(0o600)
    return target


def save(path: Path, change: Callable[[ProfileSet], None], **kwargs: Any) -> tuple[str, ProfileSet]:
    """Load, change, save; return the new text and the set that was saved."""
    before = path.read_text()
    profile_set = profiles.load_profiles(path, {})
    change(profile_set)
    profiles.save_profiles(profile_set, path, **kwargs)
    after = path.read_text()
    reloaded = profiles.load_profiles(path, {})
    assert {p.name: profile_to_yaml(p) for p in reloaded.user_profiles()} == {
        p.name: profile_to_yaml(p) for p in profile_set.user_profiles()
    }, f"reloading gives another model:\n{after}"
    assert reloaded.default == profile_set.default
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert before == TEXT
    return after, profile_set


# --- editing each field of each profile ---------------------------------------------------------------

SECRETS = {
    "literal": SecretRef(literal="abcdefabcdefabcdefabcdefabcdef12"),
    "env": SecretRef(env="OTHER_TOKEN"),
    "prompt": SecretRef(prompt=True),
    "keyring": SecretRef(keyring="twibench"),
    "keyring-user": SecretRef(keyring="work-ring", keyring_user="me@example.com"),
    "command": SecretRef(command=("op", "read", "op://vault/twilio/token")),
}

FIELD_EDITS: dict[str, Callable[[Profile], None]] = {
    "account_sid": lambda p: setattr(p, "account_sid", AC2),
    "region set": lambda p: setattr(p, "region", "au1"),
    "region cleared": lambda p: setattr(p, "region", None),
    "edge set": lambda p: setattr(p, "edge", "sydney"),
    "base_url set": lambda p: setattr(p, "base_url", "http://127.0.0.1:9123"),
    "base_url cleared": lambda p: setattr(p, "base_url", None),
    "allowed_hosts set": lambda p: setattr(p, "allowed_hosts", ["127.0.0.1:9999"]),
    "allowed_hosts cleared": lambda p: setattr(p, "allowed_hosts", []),
    "variable changed": lambda p: p.variables.update({"page": "5"}),
    "variable added": lambda p: p.variables.update({"to": "+15558675310"}),
    "variables cleared": lambda p: p.variables.clear(),
    **{f"secret {name}": (lambda p, ref=ref: setattr(p, "secret", ref)) for name, ref in SECRETS.items()},
}


def field_key(field: str, profile: Profile) -> str:
    """The profiles-file key an edit writes."""
    if field.startswith("secret"):
        return "api_secret" if profile.kind == "api_key" else "auth_token"
    return "variables" if field.startswith("variable") else field.split()[0]


@pytest.mark.parametrize("field", list(FIELD_EDITS))
@pytest.mark.parametrize("name", list(SPANS))
def test_editing_one_field_changes_only_that_fields_lines(path: Path, name: str, field: str) -> None:
    original = profiles.load_profiles(path, {}).get(name)
    before_yaml = profile_to_yaml(original)

    def change(ps: ProfileSet) -> None:
        FIELD_EDITS[field](ps.profiles[name])

    after, saved = save(path, change)
    new_yaml = profile_to_yaml(saved.get(name))
    key = field_key(field, original)
    first, last = SPANS[name]["span"]
    if before_yaml == new_yaml:
        assert after == TEXT, f"nothing changed, yet the file did:\n{after}"
        return
    if not SPANS[name]["keys"]:  # a flow-style profile on one line: only that line changes
        assert touched(TEXT, after) == {first}
        return
    where = SPANS[name]["keys"].get(key)
    for old_from, old_to, new_lines in changes(TEXT, after):
        if where is not None:
            assert where[0] <= old_from and old_to <= where[1] + 1, (field, old_from, old_to, after)
        else:  # the key is new to this profile: a pure insertion inside the profile
            assert old_from == old_to and first < old_from <= last + 1, (field, old_from, after)
        assert all(line.startswith("    ") for line in new_lines), new_lines
    if key not in new_yaml and where is not None:
        assert touched(TEXT, after) == set(range(where[0], where[1] + 1))  # exactly its lines went
    other = [n for n in SPANS if n != name]
    for other_name in other:
        o_first, o_last = SPANS[other_name]["span"]
        assert not touched(TEXT, after) & set(range(o_first, o_last + 1))


@pytest.mark.parametrize("form", list(SECRETS))
def test_a_secret_reference_stays_a_reference(path: Path, form: str) -> None:
    """Changing the literal-secret profile to a reference takes the literal out; no secret value is written."""
    after, _ = save(path, lambda ps: setattr(ps.profiles["plain"], "secret", SECRETS[form]))
    if form != "literal":
        assert LITERAL not in after
    assert SECRETS["literal"].literal not in after or form == "literal"
    changed = changes(TEXT, after)
    assert len(changed) == 1 and changed[0][0] == SPANS["plain"]["keys"]["auth_token"][0]
    assert (
        "    auth_token: {keyring: work-ring, username: me@example.com}\n" in after if form == "keyring-user" else True
    )


def test_an_unchanged_prompt_secret_is_left_as_written(path: Path) -> None:
    after, _ = save(path, lambda ps: setattr(ps.profiles["local"], "edge", "sydney"))
    assert "auth_token: {prompt: true}" in after
    assert touched(TEXT, after) == {SPANS["local"]["span"][0]}


def test_switching_the_kind_changes_only_that_profile(path: Path) -> None:
    def change(ps: ProfileSet) -> None:
        work = ps.profiles["work"]
        ps.profiles["work"] = dataclasses.replace(work, kind="api_key", username=SK, secret=SecretRef(env="KEY_SECRET"))

    after, _ = save(path, change)
    first, last = SPANS["work"]["span"]
    for old_from, old_to, _new in changes(TEXT, after):
        assert first < old_from and old_to <= last + 1
    assert '    account_sid: "' + AC + '"   # quoted on purpose\n' in after


# --- whole profiles --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SPANS))
def test_removing_a_profile_deletes_exactly_its_lines(path: Path, name: str) -> None:
    def change(ps: ProfileSet) -> None:
        del ps.profiles[name]
        if ps.default == name:
            ps.default = profiles.SANDBOX

    after, _ = save(path, change)
    first, last = SPANS[name]["span"]
    own = set(range(first, last + 1))
    gone = touched(TEXT, after)
    lines = TEXT.splitlines()
    extra = gone - own
    # Besides its own lines, at most one blank separator line goes (and `default:` when it named it).
    assert own <= gone
    assert all(not lines[i].strip() for i in extra - {1}), extra
    assert len(extra - {1}) <= 1
    assert (1 in gone) == (name == "work")
    for i1, _i2, new_lines in changes(TEXT, after):
        assert not new_lines or (i1 == 1 and new_lines == ["default: sandbox   # the one I use most\n"])


@pytest.mark.parametrize("name", list(SPANS))
def test_renaming_a_profile_changes_its_key_line(path: Path, name: str) -> None:
    def change(ps: ProfileSet) -> None:
        profile = ps.profiles.pop(name)
        ps.profiles["renamed"] = dataclasses.replace(profile, name="renamed")
        if ps.default == name:
            ps.default = "renamed"

    after, _ = save(path, change)
    expected = {SPANS[name]["span"][0]} | ({1} if name == "work" else set())
    assert touched(TEXT, after) == expected
    key_line = after.splitlines()[SPANS[name]["span"][0]]
    assert key_line.strip().startswith("renamed:")


def test_renaming_and_editing_at_once_with_the_rename_named(path: Path) -> None:
    def change(ps: ProfileSet) -> None:
        profile = ps.profiles.pop("keyed")
        ps.profiles["job"] = dataclasses.replace(profile, name="job", region="au1")

    after, _ = save(path, change, renames={"job": "keyed"})
    first, last = SPANS["keyed"]["span"]
    assert touched(TEXT, after) == {first}
    inserted = [c for c in changes(TEXT, after) if c[0] == c[1]]
    assert [c[2] for c in inserted] == [["      region: au1\n"]]
    assert first < inserted[0][0] <= last + 1


def test_adding_a_profile_appends_it(path: Path) -> None:
    added = Profile(name="new", kind="auth_token", account_sid=AC2, username=AC2, secret=SecretRef(env="NEW_TOKEN"))
    added.variables = {"from": "+15005550006"}
    after, _ = save(path, lambda ps: ps.profiles.update(new=added))
    assert touched(TEXT, after) == set()
    (at, _, new_lines), *rest = changes(TEXT, after)
    assert not rest and at == SPANS["plain"]["span"][1] + 1
    assert new_lines == [
        "\n",
        "  new:\n",
        f"    account_sid: {AC2}\n",
        "    auth_token: {env: NEW_TOKEN}\n",
        "    variables:\n",
        '      from: "+15005550006"\n',
    ]
    assert after.endswith("# the end\n")


def test_adding_follows_the_files_indent_after_flow_profiles(tmp_path: Path) -> None:
    target = tmp_path / "profiles.yaml"
    text = f"profiles:\n    a: {{account_sid: {AC}, auth_token: {{env: A}}}}\n    b:\n        account_sid: {AC}\n"
    text += "        auth_token: {env: B}\n"
    target.write_text(text)
    profile_set = profiles.load_profiles(target, {})
    profile_set.profiles["c"] = Profile(name="c", kind="auth_token", account_sid=AC, username=AC,
                                        secret=SecretRef(env="C"), region="ie1")  # fmt: skip
    profiles.save_profiles(profile_set, target)
    added = f"    c:\n        account_sid: {AC}\n        auth_token: {{env: C}}\n        region: ie1\n"
    assert target.read_text() == text + added


@pytest.mark.parametrize("default", [*SPANS, "sandbox"])
def test_changing_the_default_changes_that_one_line(path: Path, default: str) -> None:
    after, _ = save(path, lambda ps: setattr(ps, "default", default))
    if default == "work":
        assert after == TEXT
    else:
        assert changes(TEXT, after) == [(1, 2, [f"default: {default}   # the one I use most\n"])]


def test_a_default_is_added_as_one_line(tmp_path: Path) -> None:
    target = tmp_path / "profiles.yaml"
    text = TEXT.replace("default: work   # the one I use most\n", "")
    target.write_text(text)
    profile_set = profiles.load_profiles(target, {})
    profile_set.default = "keyed"
    profiles.save_profiles(profile_set, target)
    after = target.read_text()
    assert changes(text, after) == [(2, 2, ["default: keyed\n"])]  # just before `profiles:`
    assert profiles.load_profiles(target, {}).default == "keyed"


# --- the commands and the TUI dialog that save profiles -----------------------------------------------


@pytest.fixture
def home_file(home: Path) -> Path:
    target = home / "profiles.yaml"
    target.write_text(TEXT)
    target.chmod(0o600)
    return target


def test_cli_add_appends_the_profile(home_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import twibench.cli as top

    argv = ["profiles", "add", "extra", "--account-sid", AC2, "--secret-env", "EXTRA_TOKEN", "--region", "ie1"]
    assert top.main(argv) == 0, capsys.readouterr().err
    after = home_file.read_text()
    assert touched(TEXT, after) == set()
    assert after.startswith(TEXT.split("# the end")[0])
    assert profiles.load_profiles(home_file, {}).get("extra").secret.env == "EXTRA_TOKEN"


def test_cli_add_replacing_a_profile_changes_only_its_changed_keys(
    home_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import twibench.cli as top

    argv = ["profiles", "add", "work", "--account-sid", AC, "--secret-env", "WORK_TOKEN", "--region", "ie1",
            "--edge", "sydney"]  # fmt: skip
    assert top.main(argv) == 0, capsys.readouterr().err
    after = home_file.read_text()
    edge = SPANS["work"]["keys"]["edge"][0]
    assert changes(TEXT, after) == [(edge, edge + 1, ["    edge: sydney\n"])]


def test_cli_use_and_remove(home_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import twibench.cli as top

    assert top.main(["profiles", "use", "scripted"]) == 0, capsys.readouterr().err
    assert changes(TEXT, home_file.read_text()) == [(1, 2, ["default: scripted   # the one I use most\n"])]
    middle = home_file.read_text()
    assert top.main(["profiles", "remove", "keyed"]) == 0, capsys.readouterr().err
    first, last = SPANS["keyed"]["span"]
    lines = middle.splitlines(keepends=True)
    assert home_file.read_text() == "".join(lines[:first] + lines[last + 2 :])  # its lines and one blank line


def test_cli_import_twilio_cli_appends_and_overwrites_exactly(
    home_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    import twibench.cli as top

    config = tmp_path / "config.json"
    config.write_text(json.dumps({"profiles": {"cli": {"accountSid": AC2, "apiKey": SK, "apiSecret": "s" * 32}}}))
    assert top.main(["profiles", "import-twilio-cli", "--config", str(config)]) == 0, capsys.readouterr().err
    imported = home_file.read_text()
    assert touched(TEXT, imported) == set() and "s" * 32 not in imported
    assert "    api_secret: {prompt: true}\n" in imported
    config.write_text(json.dumps({"profiles": {"cli": {"accountSid": AC2, "apiKey": SK, "region": "au1"}}}))
    argv = ["profiles", "import-twilio-cli", "--config", str(config), "--overwrite"]
    assert top.main(argv) == 0, capsys.readouterr().err
    (at, to, new_lines), *rest = changes(imported, home_file.read_text())
    assert not rest and at == to and new_lines == ["    region: au1\n"]


def test_the_profile_dialogs_save_renames_and_edits_in_place(path: Path) -> None:
    from twibench.tui.flows.profiles import save_edited_profile

    profile_set = profiles.load_profiles(path, {})
    editing = profile_set.get("work")
    result = dataclasses.replace(editing, name="main", secret=SecretRef(keyring="twibench"))
    profile_set.path = path
    save_edited_profile(profile_set, editing, result)
    after = path.read_text()
    first = SPANS["work"]["span"][0]
    token = SPANS["work"]["keys"]["auth_token"][0]
    assert changes(TEXT, after) == [
        (1, 2, ["default: main   # the one I use most\n"]),
        (first, first + 1, ["  main:\n"]),
        (token, token + 1, ["    auth_token: {keyring: twibench}   # exported by direnv\n"]),
    ]
    reloaded = profiles.load_profiles(path, {})
    assert reloaded.default == "main" and reloaded.get("main").secret.keyring == "twibench"


def test_the_profile_dialogs_save_appends_a_new_profile(path: Path) -> None:
    from twibench.tui.flows.profiles import save_edited_profile

    profile_set = profiles.load_profiles(path, {})
    added = Profile(name="dialog", kind="auth_token", account_sid=AC2, username=AC2, secret=SecretRef(prompt=True),
                    base_url="http://127.0.0.1:8080")  # fmt: skip
    save_edited_profile(profile_set, None, added)
    after = path.read_text()
    assert touched(TEXT, after) == set()
    assert profiles.load_profiles(path, {}).get("dialog").base_url == "http://127.0.0.1:8080"
