"""Cold first-request latency of the spec-driven sandbox, per product (each figure in a fresh process).

Run: .venv/bin/python bench/sandbox_products.py
A hand-written route (Messages) never loads a spec; the first request to a product loads only that
product's specs (the 2010 API's is the largest).
"""

from __future__ import annotations

import subprocess
import sys

CODE = """
import tempfile, time, pathlib, warnings
warnings.filterwarnings("ignore")
t0 = time.perf_counter()
from starlette.testclient import TestClient
from twibench.sandbox.app import create_app
from twibench.sandbox.config import SandboxConfig
from twibench.sandbox import credentials as cred
app = create_app(SandboxConfig(db_path=pathlib.Path(tempfile.mkdtemp()) / "s.db"))
client = TestClient(app)
client.auth = (cred.ACCOUNT_SID, cred.AUTH_TOKEN)
t1 = time.perf_counter()
response = client.request("{method}", "{path}", data={data})
t2 = time.perf_counter()
client.request("{method}", "{path}", data={data})
t3 = time.perf_counter()
print(f"{{response.status_code}} import+app {{(t1 - t0) * 1000:.0f}} ms, first {{(t2 - t1) * 1000:.1f}} ms, "
      f"second {{(t3 - t2) * 1000:.1f}} ms")
"""

CASES = [
    ("Messages (hand-written)", "GET", "/2010-04-01/Accounts/ACba5eba11ba5eba11ba5eba11ba5eba11/Messages.json", None),
    ("Calls (2010 spec)", "GET", "/2010-04-01/Accounts/ACba5eba11ba5eba11ba5eba11ba5eba11/Calls.json", None),
    ("Verify Services", "POST", "/verify/v2/Services", {"FriendlyName": "x"}),
    ("Lookup v2", "GET", "/lookups/v2/PhoneNumbers/+14155552671", None),
    ("Flex Configuration", "GET", "/flex-api/v1/Configuration", None),
]


def main() -> None:
    for name, method, path, data in CASES:
        code = CODE.format(method=method, path=path, data=repr(data))
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
        print(f"{name:28} {out}")


if __name__ == "__main__":
    main()
