"""The bundled OpenAPI specs of every Twilio product: whole, unmodified, with their licence."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path

import pytest

import twibench

FOLDER = Path(twibench.__file__).parent / "data" / "twilio-oai"
ROW = re.compile(r"\| `(twilio_[a-z0-9_]+\.json)` \| (\S+) \| (\d+) \| (\d+) \| `([0-9a-f]{16})…` \|")
ROWS = ROW.findall((FOLDER / "PROVENANCE.md").read_text(encoding="utf-8"))
METHODS = {"get", "post", "put", "patch", "delete"}


def test_every_product_is_listed_and_licensed() -> None:
    assert len(ROWS) == 55
    assert sorted(p.name for p in FOLDER.glob("*.json.gz")) == sorted(f"{r[0]}.gz" for r in ROWS)
    assert "MIT" in (FOLDER / "LICENSE.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "server", "operations", "size", "sha"), ROWS, ids=[r[0] for r in ROWS])
def test_each_spec_is_the_source_file(name: str, server: str, operations: str, size: str, sha: str) -> None:
    raw = gzip.decompress((FOLDER / f"{name}.gz").read_bytes())
    assert len(raw) == int(size)
    assert hashlib.sha256(raw).hexdigest().startswith(sha)
    spec = json.loads(raw)
    servers = {s["url"] for s in spec.get("servers", [])}
    servers |= {s["url"] for item in spec["paths"].values() for s in item.get("servers", [])}
    assert server in servers
    count = sum(1 for item in spec["paths"].values() for method in item if method in METHODS)
    assert count == int(operations)


def test_all_products_hold_1447_operations() -> None:
    assert sum(int(r[2]) for r in ROWS) == 1447
