"""`twibench profiles add|use|remove|import-twilio-cli` as a user runs them."""

from __future__ import annotations

import io
import json
import stat
import sys
from pathlib import Path

import keyring
import pytest
import yaml
from keyring.backends import fail

import twibench.cli as top
from tests.cli.test_cli import run
from tests.keyring_backend import FileKeyring
from twibench import profiles

AC = "AC0123456789abcdef0123456789abcdef"
SK = "SK0123456789abcdef0123456789abcdef"


def test_add_use_remove(home: Path) -> None:
    added = run(home, "profiles", "add", "live", "--account-sid", AC, "--secret-env", "TWILIO_AUTH_TOKEN", "--var",
                "from=+15017122661")  # fmt: skip
    assert added.returncode == 0, added.stderr
    path = home / "profiles.yaml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    ps = profiles.load_profiles(environ={})
    assert ps.get("live").secret.env == "TWILIO_AUTH_TOKEN" and ps.get("live").variables == {"from": "+15017122661"}
    assert ps.default == "sandbox"
    assert run(home, "profiles", "use", "live").returncode == 0
    assert profiles.load_profiles(environ={}).default == "live"
    assert run(home, "profiles", "remove", "live").returncode == 0
    ps = profiles.load_profiles(environ={})
    assert "live" not in ps.profiles and ps.default == "sandbox"


def test_add_rejects_bad_sid_and_builtin_name(home: Path) -> None:
    bad = run(home, "profiles", "add", "x", "--account-sid", "AC123", "--prompt")
    assert bad.returncode == 2 and "--account-sid expects AC" in bad.stderr
    builtin = run(home, "profiles", "add", "sandbox", "--account-sid", AC, "--prompt")
    assert builtin.returncode == 2 and "built-in profile name" in builtin.stderr


def test_secret_stdin_is_stored_0600_and_never_echoed(home: Path) -> None:
    import subprocess
    import sys

    secret = "piped-secret-value-123"
    result = subprocess.run(
        [sys.executable, "-m", "twibench", "profiles", "add", "k", "--account-sid", AC, "--api-key", SK,
         "--secret-stdin"],
        input=secret + "\n", capture_output=True, text=True, env={"TWIBENCH_HOME": str(home), "PATH": "/usr/bin:/bin"},
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert secret not in result.stdout + result.stderr
    ps = profiles.load_profiles(environ={})
    assert ps.get("k").kind == "api_key" and ps.get("k").secret.literal == secret
    assert ps.warnings == []


def test_import_twilio_cli(home: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    config.write_text(
        json.dumps(
            {
                "profiles": {
                    "prod": {"accountSid": AC, "apiKey": SK, "apiSecret": "cli-secret-1234", "region": "ie1"},
                    "broken": {"accountSid": "nope"},
                },
                "activeProject": "prod",
            }
        )
    )
    result = run(home, "profiles", "import-twilio-cli", "--config", str(config))
    assert result.returncode == 0, result.stderr
    assert "skipped twilio-cli profile 'broken'" in result.stderr
    assert "twibench profiles use prod" in result.stdout
    prod = profiles.load_profiles(environ={}).get("prod")
    assert prod.kind == "api_key" and prod.username == SK and prod.secret.prompt and prod.region == "ie1"
    assert "cli-secret-1234" not in (home / "profiles.yaml").read_text()
    again = run(home, "profiles", "import-twilio-cli", "--config", str(config), "--secret-env", "TWILIO_API_SECRET")
    assert again.returncode == 2 and "kept existing profile 'prod'" in again.stderr
    stored = run(home, "profiles", "import-twilio-cli", "--config", str(config), "--store-secrets", "--overwrite")
    assert stored.returncode == 0
    assert profiles.load_profiles(environ={}).get("prod").secret.literal == "cli-secret-1234"
    assert "cli-secret-1234" not in stored.stdout + stored.stderr


def test_import_twilio_cli_missing_file(home: Path, tmp_path: Path) -> None:
    result = run(home, "profiles", "import-twilio-cli", "--config", str(tmp_path / "none.json"))
    assert result.returncode == 2 and "does not exist" in result.stderr


def test_add_with_a_base_url_makes_a_local_profile(home: Path) -> None:
    """`profiles add --base-url` (item 4): the README's sandbox credentials reach the sandbox's port."""
    added = run(home, "profiles", "add", "mine", "--account-sid", AC, "--secret-env", "TOKEN",
                "--base-url", "http://127.0.0.1:8787/")  # fmt: skip
    assert added.returncode == 0, added.stderr
    profile = profiles.load_profiles(environ={}).get("mine")
    assert profile.base_url == "http://127.0.0.1:8787" and profile.badge == "LOCAL"
    listed = run(home, "profiles", "list")
    assert "mine (local)" in listed.stdout and "127.0.0.1:8787" in listed.stdout
    bad = run(home, "profiles", "add", "x", "--account-sid", AC, "--secret-env", "T", "--base-url", "ftp://h")
    assert bad.returncode == 2 and "--base-url" in bad.stderr


def test_add_keyring_stores_the_secret_there_and_only_the_reference_in_the_file(
    home: Path, test_keyring: FileKeyring, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = "keyring-secret-value-0123456789"
    monkeypatch.setattr(sys, "stdin", io.StringIO(secret + "\n"))
    assert top.main(["profiles", "add", "kr", "--account-sid", AC, "--api-key", SK, "--keyring"]) == 0
    out = capsys.readouterr()
    assert secret not in out.out + out.err
    assert "in the keyring (service 'twibench', user " + SK in out.err
    assert test_keyring.get_password("twibench", SK) == secret, "the default user is the profile's SID"
    text = (home / "profiles.yaml").read_text()
    assert secret not in text
    assert yaml.safe_load(text)["profiles"]["kr"]["api_secret"] == {"keyring": "twibench"}
    assert profiles.resolve_secret(profiles.load_profiles(environ={}).get("kr")) == secret
    monkeypatch.setattr(sys, "stdin", io.StringIO(secret + "\n"))
    assert top.main(["profiles", "add", "w", "--account-sid", AC, "--keyring", "--keyring-service", "work"]) == 0
    assert test_keyring.get_password("work", AC) == secret
    assert "keyring work" in run_list(capsys)
    monkeypatch.setattr(sys, "stdin", io.StringIO(secret + "\n"))
    assert top.main(["profiles", "add", "sandbox", "--account-sid", AC, "--keyring"]) == 2
    assert "built-in profile name" in capsys.readouterr().err
    assert test_keyring.get_password("twibench", AC) is None


def run_list(capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert top.main(["profiles", "list"]) == 0
    return capsys.readouterr().out


def test_add_keyring_without_a_backend_writes_nothing(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setattr(sys, "stdin", io.StringIO("keyring-secret-value-0123456789\n"))
    assert top.main(["profiles", "add", "kr", "--account-sid", AC, "--keyring"]) == 2
    err = capsys.readouterr().err
    assert "profile 'kr': auth_token cannot be stored in the keyring under service 'twibench'" in err
    assert "no keyring backend" in err and "--secret-env" in err
    assert not (home / "profiles.yaml").exists()
    assert top.main(["profiles", "add", "kr", "--account-sid", AC, "--prompt", "--keyring-service", "x"]) == 2
    assert "--keyring-service needs --keyring" in capsys.readouterr().err


def test_import_twilio_cli_keyring_moves_the_plaintext_secrets(
    home: Path, tmp_path: Path, test_keyring: FileKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.json"
    config.write_text(
        json.dumps(
            {
                "profiles": {
                    "prod": {"accountSid": AC, "apiKey": SK, "apiSecret": "cli-secret-1234", "region": "ie1"},
                    "nosecret": {"accountSid": AC, "apiKey": "SK" + "1" * 32},
                }
            }
        )
    )
    assert top.main(["profiles", "import-twilio-cli", "--config", str(config), "--keyring"]) == 0
    out = capsys.readouterr().out
    assert "cli-secret-1234" not in out and "still holds them in plain text" in out
    assert test_keyring.get_password("twibench", SK) == "cli-secret-1234"
    assert "cli-secret-1234" not in (home / "profiles.yaml").read_text()
    loaded = profiles.load_profiles(environ={})
    assert loaded.get("prod").secret == profiles.SecretRef(keyring="twibench")
    assert loaded.get("nosecret").secret.prompt, "nothing to move: it is still asked for"
    assert profiles.resolve_secret(loaded.get("prod")) == "cli-secret-1234"
    both = run(home, "profiles", "import-twilio-cli", "--config", str(config), "--keyring", "--store-secrets")
    assert both.returncode == 2 and "not allowed with argument" in both.stderr


def test_help_shows_the_keyring_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        top.main(["profiles", "add", "--help"])
    text = capsys.readouterr().out
    assert "--keyring" in text and "--keyring-service SERVICE" in text and "{command:" in text
