"""Importing OpenAPI documents: Twilio's full specs load back, spot checks, filters, broken documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from twibench import cli
from twibench.collection import Collection, Request, load_paths
from twibench.importers.openapi import bundled_specs, group_of, import_bundled, import_openapi, variable_names
from twibench.importers.writing import ExistingFilesError
from twibench.spec.openapi import SpecError

DATA = Path(__file__).resolve().parent.parent / "twibench" / "data"
API_2010 = DATA / "twilio-oai" / "twilio_api_v2010.json.gz"
MESSAGING = DATA / "twilio-oai" / "twilio_messaging_v1.json.gz"


@pytest.fixture(scope="module")
def api_2010(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Collection]:
    out = tmp_path_factory.mktemp("api2010")
    result = import_openapi(API_2010, out)
    assert result.operations == 197
    loaded = load_paths([out])
    assert loaded.errors == []
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in result.files)
    assert all(p.suffix == ".yaml" for p in out.iterdir())
    return {c.path.stem: c for c in loaded.collections}


def find(collection: Collection, name: str) -> Request:
    return next(r for r in collection.requests if r.name == name)


def test_every_operation_becomes_a_request_that_loads(api_2010: dict[str, Collection]) -> None:
    assert sum(len(c.requests) for c in api_2010.values()) == 197
    for collection in api_2010.values():
        assert len({r.id for r in collection.requests}) == len(collection.requests)


def test_resources_are_grouped_by_the_path_after_the_account(api_2010: dict[str, Collection]) -> None:
    assert {"messages", "calls", "incoming-phone-numbers", "accounts", "keys", "sip", "usage"} <= set(api_2010)
    urls = {r.url for r in api_2010["messages"].requests}
    assert "/2010-04-01/Accounts/{{account_sid}}/Messages/{{message_sid}}/Media.json" in urls
    assert api_2010["messages"].name == "Messages"
    assert api_2010["messages"].description is not None
    assert api_2010["messages"].description.startswith("A Message resource represents")


def test_create_message_is_a_post_with_to_prefilled(api_2010: dict[str, Collection]) -> None:
    create = find(api_2010["messages"], "Create message")
    assert (create.method, create.url) == ("POST", "/2010-04-01/Accounts/{{account_sid}}/Messages.json")
    # To is required by the spec; Twilio also needs From (or a service) and Body (or media): filled in
    assert create.form == [("To", "+15558675310"), ("From", "+15005550006"), ("Body", "Hello from twibench")]
    assert create.capture == {"message_sid": "$.sid"}
    assert create.description is not None
    assert "Send a message" in create.description
    assert "**`Body`**" in create.description and "**`MediaUrl`** (array of string)" in create.description


def test_fetch_message_names_the_sid_after_the_resource(api_2010: dict[str, Collection]) -> None:
    fetch = find(api_2010["messages"], "Fetch message")
    assert (fetch.method, fetch.url) == ("GET", "/2010-04-01/Accounts/{{account_sid}}/Messages/{{message_sid}}.json")
    delete = find(api_2010["messages"], "Delete message")
    assert delete.method == "DELETE" and delete.url == fetch.url
    media = find(api_2010["messages"], "Fetch media")
    # Media is never created by this file: a SID of Media's shape is written in, so a run's other captures
    # cannot stand in for it; the message it belongs to is the one the file created.
    assert media.url.endswith("/Messages/{{message_sid}}/Media/ME00000000000000000000000000000001.json")
    assert api_2010["messages"].variables["message_sid"] == "SM00000000000000000000000000000001"


def test_required_parameters_get_examples_formats_or_variables(api_2010: dict[str, Collection]) -> None:
    call = find(api_2010["calls"], "Create call")
    assert dict(call.form or []) == {  # no format in the spec: sample numbers; Twilio needs Url or Twiml too
        "To": "+15005550006",
        "From": "+15005550006",
        "Twiml": "<Response><Say>Hello from twibench</Say></Response>",
    }
    trigger = find(api_2010["usage"], "Create usage trigger")
    assert trigger.form == [
        ("CallbackUrl", "https://example.com"),
        ("TriggerValue", "sample"),  # no example, format or enum: a plain sample the API accepts
        ("UsageCategory", "sample"),
    ]
    update = find(api_2010["calls"], "Update call recording")
    assert update.form is not None and update.form[0][0] == "Status"
    assert update.form[0][1] in ("in-progress", "paused", "stopped", "processing", "completed", "absent")
    fetch_account = find(api_2010["accounts"], "Fetch account")
    assert fetch_account.url == "/2010-04-01/Accounts/{{account_sid}}.json"


def test_messaging_v1_keeps_its_host(tmp_path: Path) -> None:
    result = import_openapi(MESSAGING, tmp_path)
    loaded = load_paths([tmp_path])
    assert loaded.errors == [] and result.operations == sum(len(c.requests) for c in loaded.collections)
    services = next(c for c in loaded.collections if c.path.stem == "services")
    create = find(services, "Create service")
    assert (create.url, create.form) == (
        "https://messaging.twilio.com/v1/Services",
        [("FriendlyName", "twibench sample")],
    )
    assert find(services, "Fetch phone number").url == (
        "https://messaging.twilio.com/v1/Services/{{service_sid}}/PhoneNumbers/{{phone_number_sid}}"
    )


def test_variable_names_and_groups() -> None:
    assert variable_names("/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Recordings/{Sid}.json") == {
        "AccountSid": "account_sid",
        "CallSid": "call_sid",
        "Sid": "recording_sid",
    }
    assert variable_names("/2010-04-01/Accounts/{AccountSid}/Addresses/{Sid}.json")["Sid"] == "address_sid"
    assert variable_names("/v1/Services/{Sid}/Things/{ServiceSid}") == {"Sid": "service_sid", "ServiceSid": "thing_sid"}
    assert variable_names("/v1/Services/{ChatServiceSid}/Bindings/{Sid}") == {
        "ChatServiceSid": "service_sid",
        "Sid": "binding_sid",
    }
    assert variable_names("/v2/PhoneNumbers/{PhoneNumber}") == {"PhoneNumber": "phone_number"}
    assert group_of("/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/Local.json") == "IncomingPhoneNumbers"
    assert group_of("/2010-04-01/Accounts/{Sid}.json") == "Accounts"
    assert group_of("/v1/Services/{ServiceSid}/AlphaSenders") == "Services"


def test_tag_and_path_prefix_filters(tmp_path: Path) -> None:
    by_tag = import_openapi(API_2010, tmp_path / "tag", tag="api20100401message")
    assert by_tag.operations == 5 and [p.name for p in by_tag.files] == ["messages.yaml"]
    by_prefix = import_openapi(API_2010, tmp_path / "prefix", path_prefix="/2010-04-01/Accounts/{AccountSid}/Keys")
    assert by_prefix.operations == 5
    with pytest.raises(SpecError, match="no operation has the tag 'Nope'; tags in the document: Api20100401"):
        import_openapi(API_2010, tmp_path / "x", tag="Nope")
    with pytest.raises(SpecError, match="no operation path starts with '/v9'"):
        import_openapi(API_2010, tmp_path / "x", path_prefix="/v9")


def test_existing_files_are_kept_unless_forced(tmp_path: Path) -> None:
    import_openapi(API_2010, tmp_path, tag="Api20100401Key")
    (tmp_path / "keys.yaml").write_text("name: mine\nrequests: []\n")
    with pytest.raises(ExistingFilesError, match=r"keys\.yaml already exists; use --force"):
        import_openapi(API_2010, tmp_path, tag="Api20100401Key")
    assert (tmp_path / "keys.yaml").read_text() == "name: mine\nrequests: []\n"
    import_openapi(API_2010, tmp_path, tag="Api20100401Key", overwrite=True)
    assert "name: Keys" in (tmp_path / "keys.yaml").read_text()


def test_a_yaml_openapi_31_document(tmp_path: Path) -> None:
    spec = tmp_path / "pets.yaml"
    spec.write_text(
        """openapi: 3.1.0
info: {title: Pets}
servers: [{url: "https://{host}/api", variables: {host: {default: pets.example.com}}}]
paths:
  /pets/{petId}:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: string}}
    put:
      operationId: updatePet
      summary: Update a pet
      parameters:
        - {name: dryRun, in: query, required: true, schema: {type: [boolean, "null"]}}
        - {name: X-Trace, in: header, required: true, schema: {type: string, example: abc}}
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Pet"}
components:
  schemas:
    Pet:
      type: object
      required: [name, tags]
      properties:
        name: {type: string, example: Rex}
        tags: {type: array, items: {type: string}, example: [good, dog]}
        age: {type: integer}
"""
    )
    import_openapi(spec, tmp_path / "out")
    loaded = load_paths([tmp_path / "out"])
    assert loaded.errors == []
    (collection,) = loaded.collections
    (request,) = collection.requests
    assert (request.name, request.method) == ("Update pet", "PUT")
    assert request.url == "https://pets.example.com/api/pets/{{pet_id}}"
    assert request.params == [("dryRun", "true")] and request.headers == [("X-Trace", "abc")]
    assert request.json == {"name": "Rex", "tags": ["good", "dog"]}
    assert request.description is not None and "*json* **`age`** (integer)" in request.description


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"openapi": "3.0.0", "paths": ', "not valid JSON or YAML"),
        ('{"swagger": "2.0", "paths": {}}', "Swagger 2.0 documents are not supported"),
        ('{"openapi": "4.0.0", "paths": {}}', "OpenAPI version 4.0.0 is not supported"),
        ('{"info": {}}', "no 'openapi' version field"),
        ('{"openapi": "3.0.0"}', "'paths' is missing"),
        (
            json.dumps({"openapi": "3.0.0", "paths": {"/a": {"get": {"parameters": [{"$ref": "#/nowhere"}]}}}}),
            "points to nothing",
        ),
    ],
)
def test_broken_documents_are_one_line_errors(tmp_path: Path, content: str, message: str) -> None:
    spec = tmp_path / "broken.json"
    spec.write_text(content)
    with pytest.raises(SpecError, match=message) as caught:
        import_openapi(spec, tmp_path / "out")
    assert "\n" not in str(caught.value) and str(caught.value).startswith(f"{spec}: ")
    assert not (tmp_path / "out").exists()


def test_cli_imports_and_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "messaging"
    assert cli.main(["import", "openapi", str(MESSAGING), "-o", str(out)]) == 0
    assert capsys.readouterr().out.startswith("imported 58 operation(s) into 5 file(s)")
    assert cli.main(["check", str(out)]) == 0
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: [unclosed\n")
    assert cli.main(["import", "openapi", str(broken), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"twibench: {broken}: not valid JSON or YAML")
    assert cli.main(["import", "openapi", str(MESSAGING)]) == 2
    assert "-o/--output" in capsys.readouterr().err


def test_a_compressed_document_that_does_not_decompress_is_one_sentence(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json.gz"
    spec.write_bytes(b"\x1f\x8b\x08\x00 not really gzip")
    with pytest.raises(SpecError) as caught:
        import_openapi(spec, tmp_path / "out")
    assert str(caught.value).startswith(f"{spec}: cannot read the file") and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("name", "stems"),
    [
        ("verify", ["twilio_verify_v2", "twilio_verify_v3"]),
        ("Flex-API", ["twilio_flex_v1", "twilio_flex_v2"]),
        ("verify_v2", ["twilio_verify_v2"]),
        ("twilio_messaging_v1", ["twilio_messaging_v1"]),
        ("api", ["twilio_api_v2010"]),
    ],
)
def test_a_product_names_its_bundled_specs(name: str, stems: list[str]) -> None:
    assert bundled_specs(name) == stems


def test_an_unknown_product_lists_the_products() -> None:
    with pytest.raises(SpecError, match=r"no bundled Twilio product or spec is named 'vrify'; .*verify, video"):
        bundled_specs("vrify")


def test_cli_imports_a_bundled_product_without_a_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    one = tmp_path / "one"
    assert cli.main(["import", "openapi", "--product", "verify_v2", "-o", str(one)]) == 0
    assert capsys.readouterr().out.startswith("imported 57 operation(s) into 5 file(s)")
    assert (one / "services.yaml").is_file()  # one spec: straight into the folder
    services = load_paths([one / "services.yaml"]).collections[0]
    assert services.get("create-service") is not None
    assert services.requests[0].url == "https://verify.twilio.com/v2/Services"
    assert "(twilio_verify_v2.json)" in (services.description or "")

    several = tmp_path / "messaging"
    assert cli.main(["import", "openapi", "--product", "messaging", "-o", str(several)]) == 0
    assert sorted(p.name for p in several.iterdir()) == ["messaging_v1", "messaging_v2", "messaging_v3"]
    assert cli.main(["check", str(several)]) == 0
    capsys.readouterr()

    assert cli.main(["import", "openapi", "--product", "messaging", "-o", str(several)]) == 2  # no --force
    assert "already exists; use --force" in capsys.readouterr().err
    assert cli.main(["import", "openapi", "-o", str(tmp_path / "x")]) == 2
    assert "give one of SPEC, --product NAME or --all" in capsys.readouterr().err
    assert cli.main(["import", "openapi", str(MESSAGING), "--all", "-o", str(tmp_path / "x")]) == 2
    assert "SPEC and --all cannot be combined" in capsys.readouterr().err
    assert cli.main(["import", "openapi", "--product", "verify_v3", "-o", str(tmp_path / "x")]) == 2
    assert "twilio_verify_v3 describes no operation to import" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_all_imports_every_bundled_operation_into_one_folder_per_spec(tmp_path: Path) -> None:
    result = import_bundled(bundled_specs(), tmp_path)
    assert result.operations == 1447
    loaded = load_paths([tmp_path])
    assert loaded.errors == []
    assert sum(len(c.requests) for c in loaded.collections) == 1447
    folders = {p.name for p in tmp_path.iterdir()}
    assert {"api_v2010", "verify_v2", "flex_v1", "lookups_v2"} <= folders and len(folders) == 53
    by_tag = import_bundled(bundled_specs("verify"), tmp_path / "tag", tag="VerifyV2Verification")
    assert by_tag.operations == 3 and all(p.parent.name == "verify_v2" for p in by_tag.files)
