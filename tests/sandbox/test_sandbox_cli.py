"""`twibench sandbox` as a user runs it: a subprocess with its own TWIBENCH_HOME."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
from conftest import ACCOUNT, CLI_CODE, MAIN_AUTH, ROOT, read_banner, run_cli

from twibench.sandbox import credentials as cred


def env_for(home: Path) -> dict[str, str]:
    return {**os.environ, "TWIBENCH_HOME": str(home), "TWIBENCH_SANDBOX_DETERMINISTIC": ""}


def stop(process: subprocess.Popen[str], sig: int = signal.SIGINT) -> tuple[int, str]:
    process.send_signal(sig)
    _, err = process.communicate(timeout=30)
    return process.returncode, err


def test_prints_five_lines_serves_and_stops_cleanly_on_ctrl_c(_private_home: Path) -> None:
    process = run_cli("--port", "0", env=env_for(_private_home))
    banner = read_banner(process)
    assert list(banner) == ["Base URL", "Account SID", "Auth Token", "Test Account SID", "Test Auth Token"]
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", banner["Base URL"])
    assert banner["Account SID"] == cred.ACCOUNT_SID and banner["Test Account SID"] == cred.TEST_ACCOUNT_SID
    assert re.fullmatch(r"[0-9a-f]{32}", banner["Auth Token"]) and banner["Auth Token"] == cred.AUTH_TOKEN
    assert banner["Test Auth Token"] == cred.TEST_AUTH_TOKEN

    account = httpx.get(f"{banner['Base URL']}{ACCOUNT}.json", auth=MAIN_AUTH)
    assert account.status_code == 200 and account.json()["status"] == "active"
    addr = json.loads((_private_home / "sandbox.addr").read_text())
    assert addr["base_url"] == banner["Base URL"] and addr["pid"] == process.pid
    assert (_private_home / "sandbox.addr").stat().st_mode & 0o077 == 0

    code, err = stop(process)
    assert code == 0 and "Traceback" not in err and "KeyboardInterrupt" not in err
    assert not (_private_home / "sandbox.addr").exists()


def test_sigterm_also_stops_cleanly(_private_home: Path) -> None:
    process = run_cli("--port", "0", env=env_for(_private_home))
    read_banner(process)
    code, err = stop(process, signal.SIGTERM)
    assert code == 0 and "Traceback" not in err


def test_state_survives_restarts_and_reset_empties_it(_private_home: Path) -> None:
    env = env_for(_private_home)
    first = run_cli("--port", "0", env=env)
    url = read_banner(first)["Base URL"]
    form = {"To": "+15558675310", "From": cred.PHONE_NUMBER, "Body": "remember me"}
    sid = httpx.post(f"{url}{ACCOUNT}/Messages.json", data=form, auth=MAIN_AUTH).json()["sid"]
    assert stop(first)[0] == 0

    second = run_cli("--port", "0", env=env)
    url = read_banner(second)["Base URL"]
    assert httpx.get(f"{url}{ACCOUNT}/Messages/{sid}.json", auth=MAIN_AUTH).json()["body"] == "remember me"
    assert stop(second)[0] == 0

    third = run_cli("--port", "0", "--reset", env=env)
    url = read_banner(third)["Base URL"]
    assert httpx.get(f"{url}{ACCOUNT}/Messages/{sid}.json", auth=MAIN_AUTH).status_code == 404
    listed = httpx.get(f"{url}{ACCOUNT}/Messages.json", auth=MAIN_AUTH).json()["messages"]
    assert [m["sid"] for m in listed] == [cred.WELCOME_MESSAGE_SID]
    code, err = stop(third)
    assert code == 0 and "Sandbox state emptied" in err


def test_a_busy_port_is_a_clear_error(_private_home: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-c", CLI_CODE, "--port", str(port)],
            capture_output=True, text=True, env=env_for(_private_home), cwd=ROOT, timeout=60,
        )  # fmt: skip
    assert result.returncode == 2 and result.stdout == ""
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "--port" in result.stderr
    assert "Traceback" not in result.stderr


def test_another_host_prints_a_warning(_private_home: Path) -> None:
    process = run_cli("--host", "0.0.0.0", "--port", "0", env=env_for(_private_home))
    base = read_banner(process)["Base URL"]
    assert base.startswith("http://127.0.0.1:")
    assert httpx.get(f"{base}{ACCOUNT}.json", auth=MAIN_AUTH, timeout=30).status_code == 200  # serving
    code, err = stop(process)
    assert code == 0 and "Warning: listening on 0.0.0.0" in err


def test_bad_settings_and_usage_exit_2(_private_home: Path) -> None:
    (_private_home / "config.yaml").write_text("sandbox:\n  delivery_seconds: soon\n")
    bad = subprocess.run(
        [sys.executable, "-c", CLI_CODE, "--port", "0"],
        capture_output=True, text=True, env=env_for(_private_home), cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert bad.returncode == 2 and "config.yaml:2" in bad.stderr and "Traceback" not in bad.stderr
    usage = subprocess.run(
        [sys.executable, "-c", CLI_CODE, "--port", "seven"],
        capture_output=True, text=True, env=env_for(_private_home), cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert usage.returncode == 2 and "--port" in usage.stderr


def test_help_exits_0() -> None:
    from twibench.sandbox.cli import build_parser, main

    assert main(["--help"]) == 0
    assert "--deterministic" in build_parser().format_help()
