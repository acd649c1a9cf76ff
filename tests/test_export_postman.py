"""Exporting to Postman v2.1: every export validates against the schema, and imports back the same."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from twibench import cli
from twibench.collection import load_collection, load_paths
from twibench.exporters.postman import export_postman
from twibench.importers.openapi import import_openapi
from twibench.importers.postman import import_postman

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = Path(__file__).resolve().parent / "fixtures" / "postman" / "schema-v2.1.0"
SHIPPED = ROOT / "collections"


def _read_definition(path: Path) -> dict[str, Any]:
    """Upstream keeps `//` comment lines in two files and strips them in its build; so do we."""
    lines = [line for line in path.read_text().splitlines() if not line.lstrip().startswith("//")]
    data: dict[str, Any] = json.loads("\n".join(lines))
    return data


@cache
def validator() -> jsonschema.Draft7Validator:
    """The v2.1 schema assembled as PROVENANCE.md says: definitions[NAME] = collection/NAME.json minus $id."""
    schema = _read_definition(SCHEMA_DIR / "collection.json")
    definitions = {}
    for path in sorted((SCHEMA_DIR / "collection").glob("*.json")):
        definition = _read_definition(path)
        definition.pop("$id", None)
        definitions[path.stem] = definition
    schema["definitions"] = definitions
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def assert_valid(document: dict[str, Any]) -> None:
    errors = sorted(validator().iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, f"{list(errors[0].absolute_path)}: {errors[0].message}"


def test_the_assembled_schema_accepts_the_examples_and_rejects_a_broken_one() -> None:
    for example in (Path(__file__).resolve().parent / "fixtures" / "postman" / "examples-v2.1.0").glob("*.json"):
        assert_valid(json.loads(example.read_text()))
    assert list(validator().iter_errors({"info": {"name": "x"}, "item": [{"request": 5}]}))


@pytest.mark.parametrize("path", [SHIPPED, *sorted(SHIPPED.glob("*.yaml"))], ids=lambda p: p.name)
def test_shipped_collections_export_valid_documents(path: Path) -> None:
    document = export_postman(path)
    assert_valid(document)
    assert document["info"]["schema"] == "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def test_a_folder_exports_as_item_groups_and_a_file_as_items(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.yaml").write_text(
        "name: A\nvariables: {to: '+1555'}\nrequests:\n  - name: One\n    url: /2010-04-01/Accounts.json\n"
    )
    (tmp_path / "sub" / "b.yaml").write_text(
        "name: B\nrequests:\n  - name: Two\n    method: PUT\n    url: https://example.com/x\n"
        "    auth: none\n    headers: {Content-Type: text/plain}\n    body: hi\n"
        "  - name: Three\n    method: POST\n    url: https://example.com/y\n    json: {a: [1, true]}\n"
        "    auth: {basic: ['{{user}}', '{{pass}}']}\n"
    )
    document = export_postman(tmp_path)
    assert_valid(document)
    a_group, sub_group = document["item"]
    assert (a_group["name"], sub_group["name"]) == ("A", "sub")
    assert a_group["variable"] == [{"key": "to", "value": "+1555", "type": "string"}]
    (b_group,) = sub_group["item"]
    two, three = b_group["item"]
    assert two["request"]["auth"] == {"type": "noauth"} and two["request"]["body"] == {"mode": "raw", "raw": "hi"}
    assert three["request"]["auth"]["basic"][1] == {"key": "password", "value": "{{pass}}", "type": "string"}
    assert json.loads(three["request"]["body"]["raw"]) == {"a": [1, True]}
    assert document["auth"]["basic"][0]["value"] == "{{account_sid}}"
    assert {v["key"]: v["value"] for v in document["variable"]} == {"account_sid": "", "auth_token": ""}


def test_the_whole_imported_twilio_api_exports_a_valid_document(tmp_path: Path) -> None:
    import_openapi(ROOT / "twibench" / "data" / "twilio-oai" / "twilio_api_v2010.json.gz", tmp_path)
    document = export_postman(tmp_path)
    assert_valid(document)
    assert sum(len(group["item"]) for group in document["item"]) == 197


def test_round_trip_keeps_method_url_params_and_form(tmp_path: Path) -> None:
    source = SHIPPED / "messages.yaml"
    exported = tmp_path / "messages.postman.json"
    exported.write_text(json.dumps(export_postman(source)))
    import_postman(exported, tmp_path / "back")
    (back,) = load_paths([tmp_path / "back"]).collections
    original = load_collection(source)
    assert back.name == original.name
    assert [(r.name, r.method, r.url, r.params, r.form, r.auth.mode) for r in back.requests] == [
        (r.name, r.method, r.url, r.params, r.form, r.auth.mode) for r in original.requests
    ]
    assert back.variables == original.variables


def test_cli_writes_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.json"
    assert cli.main(["export", "postman", str(SHIPPED), "-o", str(target)]) == 0
    assert capsys.readouterr().out == f"wrote {target} (Postman Collection v2.1)\n"
    assert_valid(json.loads(target.read_text()))
    assert cli.main(["export", "postman", str(SHIPPED / "messages.yaml")]) == 0
    assert_valid(json.loads(capsys.readouterr().out))
    assert cli.main(["export", "postman", str(tmp_path / "missing")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
