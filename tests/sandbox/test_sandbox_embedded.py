"""The in-process sandbox: started once, reused, shared with a running `twibench sandbox`, stopped at exit."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import ACCOUNT, MAIN_AUTH, ROOT, read_banner, run_cli

from twibench.sandbox import credentials as cred
from twibench.sandbox import embedded

FORM = {"To": "+15558675310", "From": cred.PHONE_NUMBER, "Body": "hi"}


@pytest.fixture(autouse=True)
def _stop_embedded() -> Iterator[None]:
    yield
    embedded.stop()


def info(url: str) -> dict[str, object]:
    data: dict[str, object] = httpx.get(f"{url}/_twibench/sandbox").json()
    return data


def test_starts_once_and_is_idempotent_across_threads(_private_home: Path) -> None:
    urls: list[str] = []
    threads = [threading.Thread(target=lambda: urls.append(embedded.ensure_running())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(urls)) == 1 and urls[0].startswith("http://127.0.0.1:")
    url = urls[0]
    assert embedded.ensure_running() == url
    assert info(url)["pid"] == os.getpid() and info(url)["db"] == str((_private_home / "sandbox.sqlite3").resolve())
    assert httpx.get(f"{url}{ACCOUNT}.json", auth=MAIN_AUTH).status_code == 200
    embedded.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}{ACCOUNT}.json", auth=MAIN_AUTH)
    assert embedded.ensure_running() != url  # a new one after stop()


def test_reuses_a_running_cli_sandbox_of_the_same_data_dir(_private_home: Path) -> None:
    cli = run_cli("--port", "0", env={**os.environ, "TWIBENCH_HOME": str(_private_home)})
    try:
        cli_url = read_banner(cli)["Base URL"]
        assert embedded.ensure_running() == cli_url
        assert embedded.ensure_running(deterministic=True) != cli_url  # another mode: its own sandbox
    finally:
        cli.send_signal(signal.SIGINT)
        assert cli.wait(timeout=30) == 0
    fresh = embedded.ensure_running()  # the CLI is gone: start one here
    assert fresh != cli_url and info(fresh)["pid"] == os.getpid()


def test_stale_or_foreign_address_files_are_ignored(_private_home: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = {"pid": int(dead.stdout), "base_url": "http://127.0.0.1:9", "db": "x", "deterministic": False}
    (_private_home / "sandbox.addr").write_text(json.dumps(stale))
    url = embedded.ensure_running()
    assert info(url)["pid"] == os.getpid()
    embedded.stop()
    # A live pid whose URL is not a sandbox of this data dir is not trusted either.
    (_private_home / "sandbox.addr").write_text(json.dumps({**stale, "pid": os.getpid()}))
    assert info(embedded.ensure_running())["pid"] == os.getpid()
    (_private_home / "sandbox.addr").write_text("not json")
    assert embedded.ensure_running()


def test_each_data_dir_gets_its_own_sandbox(_private_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = embedded.ensure_running()
    monkeypatch.setenv("TWIBENCH_HOME", str(_private_home / "other"))
    second = embedded.ensure_running()
    assert first != second and info(second)["db"] == str((_private_home / "other" / "sandbox.sqlite3").resolve())


def test_environment_selects_deterministic_mode(_private_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWIBENCH_SANDBOX_DETERMINISTIC", "1")
    url = embedded.ensure_running()
    assert info(url)["deterministic"] is True
    created = httpx.post(f"{url}{ACCOUNT}/Messages.json", data=FORM, auth=MAIN_AUTH).json()
    assert created["date_created"] == "Sat, 01 Jun 2024 12:00:00 +0000"
    # Instant delivery: already delivered on the next read.
    assert httpx.get(f"{url}{created['uri']}", auth=MAIN_AUTH).json()["status"] == "delivered"


def test_deterministic_sandboxes_repeat_themselves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = []
    for run in ("a", "b"):
        monkeypatch.setenv("TWIBENCH_HOME", str(tmp_path / run))
        url = embedded.ensure_running(deterministic=True)
        with httpx.Client(base_url=url, auth=MAIN_AUTH) as client:
            message = client.post(f"{ACCOUNT}/Messages.json", data=FORM)
            key = client.post(f"{ACCOUNT}/Keys.json", data={"FriendlyName": "k"}).json()
            unsaved = httpx.post(
                f"{url}/2010-04-01/Accounts/{cred.TEST_ACCOUNT_SID}/Messages.json",
                data=FORM,
                auth=(cred.TEST_ACCOUNT_SID, cred.TEST_AUTH_TOKEN),
            ).json()
            answers.append((message.json(), message.headers["twilio-request-id"], key, unsaved))
        embedded.stop()
    assert answers[0] == answers[1]
    assert answers[0][0]["sid"] != "SM" + "0" * 32 and answers[0][2]["secret"]


def test_embedded_import_is_light_and_serving_is_silent(_private_home: Path) -> None:
    """Importing needs no server stack; running, answering errors and stopping print nothing."""
    code = (
        "import sys, httpx\n"
        "from twibench.sandbox import credentials as c, embedded\n"
        "assert not {'starlette', 'uvicorn'} & set(sys.modules), sorted(sys.modules)\n"
        "url = embedded.ensure_running()\n"
        "a = (c.ACCOUNT_SID, c.AUTH_TOKEN)\n"
        "p = '/2010-04-01/Accounts/' + c.ACCOUNT_SID + '/Messages.json'\n"
        "for to in ('+15005559500', '+15005559503', '123'):\n"
        "    httpx.post(url + p, data={'To': to, 'From': '+15005550006', 'Body': 'x'}, auth=a)\n"
        "httpx.post(url + p, content=b'\\xff', headers={'Content-Type': 'text/plain'}, auth=a)\n"
        "httpx.get(url + '/nothing')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
        env={**os.environ, "TWIBENCH_HOME": str(_private_home)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (result.stdout, result.stderr) == ("", "")


def test_prewarm_starts_in_the_background(_private_home: Path) -> None:
    embedded.prewarm().join(timeout=30)
    url = embedded.ensure_running()
    assert info(url)["pid"] == os.getpid()
    assert httpx.get(f"{url}{ACCOUNT}.json", auth=MAIN_AUTH).status_code == 200
