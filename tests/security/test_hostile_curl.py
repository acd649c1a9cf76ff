"""`import curl` and the TUI's curl paste reading local files named by `@file` in a hostile command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from twibench.importers.curl import CurlError, parse_curl
from twibench.importers.curl_parser import MAX_DATA_FILE
from twibench.workbench.curl_paste import read_curl

URL = "https://api.twilio.com/2010-04-01/Accounts.json"


@pytest.mark.parametrize("option", ["-d", "--data-binary", "--json", "--data-urlencode"])
def test_a_device_is_refused_without_reading_it(option: str) -> None:
    data = "Body@/dev/zero" if option == "--data-urlencode" else "@/dev/zero"
    with pytest.raises(CurlError, match=r"/dev/zero is not a regular file"):
        parse_curl(f"curl {URL} {option} '{data}'")


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(CurlError, match="not a regular file"):
        parse_curl(f"curl {URL} --data-binary @{fifo}")  # a blocking open would hang here (no writer)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CurlError, match="not a regular file"):
        parse_curl(f"curl {URL} -d @{tmp_path}")


def test_a_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (MAX_DATA_FILE + 1))
    with pytest.raises(CurlError, match=r"big\.txt is \d+ bytes, over the 1048576 byte limit"):
        parse_curl(f"curl {URL} -d @{big}")


def test_a_small_regular_file_is_read_with_a_warning_naming_it(tmp_path: Path) -> None:
    data = tmp_path / "body.txt"
    data.write_text("To=%2B15558675310&Body=hi")
    request, warnings = parse_curl(f"curl {URL} -d @{data}")
    assert request.form == [("To", "+15558675310"), ("Body", "hi")]
    assert any(str(data) in warning for warning in warnings)


def test_the_paste_never_reads_a_file(tmp_path: Path) -> None:
    data = tmp_path / "body.txt"
    data.write_text("secret-content")
    with pytest.raises(CurlError, match=r"would read the local file .*body\.txt.*twibench import curl"):
        read_curl(f"curl {URL} --data-binary @{data}")
    with pytest.raises(CurlError, match="would read the local file /etc/passwd"):
        read_curl(f"curl {URL} --data-urlencode Body@/etc/passwd")


def test_import_curl_cli_refuses_dev_zero_in_one_line(tmp_path: Path) -> None:
    out = tmp_path / "out.yaml"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TWILIO_")}
    env["TWIBENCH_HOME"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "twibench", "import", "curl", f"curl {URL} --data-binary @/dev/zero", "-o", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,  # hang guard: reading /dev/zero never ends
        check=False,
    )
    assert result.returncode == 2
    assert "/dev/zero is not a regular file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not out.exists()
