"""Exact profile saves on files other than the hand-written sweep's: none yet, comments only, anchors (the
round-trip fallback), a wider mode, a file broken since loading, the built-in `env` as the default."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import yaml

from tests.test_profiles_exact import AC, TEXT
from twibench import profiles
from twibench.profiles import Profile, SecretRef


@pytest.fixture
def path(tmp_path: Path) -> Path:
    target = tmp_path / "profiles.yaml"
    target.write_text(TEXT)
    target.chmod(0o600)
    return target


def test_a_missing_file_is_created_0600(tmp_path: Path) -> None:
    target = tmp_path / "profiles.yaml"
    profile_set = profiles.load_profiles(target, {})
    profile_set.profiles["p"] = Profile(name="p", kind="auth_token", account_sid=AC, username=AC,
                                        secret=SecretRef(prompt=True))  # fmt: skip
    profiles.save_profiles(profile_set, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert yaml.safe_load(target.read_text()) == {
        "profiles": {"p": {"account_sid": AC, "auth_token": {"prompt": True}}}
    }


def test_a_comments_only_file_keeps_its_comments(tmp_path: Path) -> None:
    target = tmp_path / "profiles.yaml"
    target.write_text("# my profiles\n# keep this\n")
    profile_set = profiles.load_profiles(target, {})
    profile_set.profiles["p"] = Profile(name="p", kind="auth_token", account_sid=AC, username=AC,
                                        secret=SecretRef(env="T"))  # fmt: skip
    profiles.save_profiles(profile_set, target)
    assert target.read_text().startswith("# my profiles\n# keep this\n")
    assert profiles.load_profiles(target, {}).get("p").secret.env == "T"


def test_a_file_with_anchors_is_edited_by_the_round_trip_editor(tmp_path: Path) -> None:
    target = tmp_path / "profiles.yaml"
    text = (
        "# shared settings below\n"
        f"profiles:\n  a: &base\n    account_sid: {AC}   # the account\n    auth_token: {{env: A}}\n"
        "  b:\n    <<: *base\n    region: ie1\n"
    )
    target.write_text(text)
    profile_set = profiles.load_profiles(target, {})
    profile_set.profiles["b"].edge = "dublin"
    profiles.save_profiles(profile_set, target)
    after = target.read_text()
    assert "# shared settings below" in after and "# the account" in after
    reloaded = profiles.load_profiles(target, {})
    assert reloaded.get("b").edge == "dublin" and reloaded.get("a").edge is None


def test_an_existing_wider_mode_becomes_0600(path: Path) -> None:
    path.chmod(0o644)
    profile_set = profiles.load_profiles(path, {})
    profile_set.default = "local"
    profiles.save_profiles(profile_set, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_file_broken_since_loading_is_not_overwritten(path: Path) -> None:
    profile_set = profiles.load_profiles(path, {})
    path.write_text("profiles: [oops\n")
    profile_set.default = "local"
    with pytest.raises(profiles.ProfileError, match="does not load now"):
        profiles.save_profiles(profile_set, path)
    assert path.read_text() == "profiles: [oops\n"


def test_a_default_naming_the_env_profile_still_saves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file is re-read with the real environment, where the built-in `env` profile exists."""
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", AC)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "t" * 32)
    target = tmp_path / "profiles.yaml"
    text = f"default: env  # from the shell\nprofiles:\n  a:\n    account_sid: {AC}\n    auth_token: {{env: A}}\n"
    target.write_text(text)
    profile_set = profiles.load_profiles(target)
    profile_set.profiles["a"].edge = "dublin"
    profiles.save_profiles(profile_set, target)
    assert target.read_text() == text + "    edge: dublin\n"


def test_the_dialog_keeps_a_profile_another_process_added_meanwhile(path: Path) -> None:
    from twibench.tui.flows.profiles import save_edited_profile

    in_app = profiles.load_profiles(path, {})  # the app loaded the file at start ...
    elsewhere = profiles.load_profiles(path, {})  # ... then `twibench profiles add` ran in another terminal
    elsewhere.profiles["cli"] = Profile(name="cli", kind="auth_token", account_sid=AC, username=AC,
                                        secret=SecretRef(prompt=True))  # fmt: skip
    profiles.save_profiles(elsewhere, path)
    added = Profile(name="dialog", kind="auth_token", account_sid=AC, username=AC, secret=SecretRef(prompt=True))
    save_edited_profile(in_app, None, added)
    names = set(profiles.load_profiles(path, {}).profiles)
    assert {"cli", "dialog"} <= names
    assert "cli" in in_app.profiles  # the app now knows it too
