"""The spec-driven layer: one round trip per spec, every answer validated against Twilio's spec, and the
coverage sweep over all 1,447 operations."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from conftest import MAIN_AUTH, ManualClock, Sandbox, _start
from spec_driver import Driver, creatable_resources, sandbox_url
from spec_referee import validate

from twibench.sandbox.generic.model import resource_of
from twibench.spec.index import PRODUCTS, product, sandbox_path, split_sandbox_path, twilio_url
from twibench.spec.samples import required_params

SPECS = [(label, name) for label, names in PRODUCTS.items() for name in names]
NO_OPERATIONS = {"twilio_iam_scim", "twilio_verify_v3"}
"""Bundled specs that declare paths but no operations."""
SWEEP_FLOOR = 1300
"""Operations the sweep's sample requests get a 2xx/3xx spec-shaped answer from (measured: see the report)."""
HANDWRITTEN = {"twilio_api_v2010"}
"""Its round trip is covered by the hand-written tests (test_sandbox_spec, test_sandbox_products)."""


@pytest.fixture(scope="module")
def own_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """A sandbox of this module's own: the sweep creates subaccounts, numbers… the shared one must not see."""
    box = _start(tmp_path_factory.mktemp("generic") / "sandbox.sqlite3", ManualClock())
    yield box
    box.server.stop()


@pytest.fixture(scope="module")
def checked(own_sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=own_sandbox.url, auth=MAIN_AUTH, event_hooks={"response": [validate]}, timeout=30
    ) as client:
        yield client


def test_host_label_mapping_round_trips() -> None:
    assert sandbox_path("https://verify.twilio.com/v2/Services?PageSize=5") == "/verify/v2/Services?PageSize=5"
    assert sandbox_path("https://flex-api.twilio.com/v1/Configuration") == "/flex-api/v1/Configuration"
    assert sandbox_path("https://api.dublin.ie1.twilio.com/2010-04-01/Accounts.json") == "/2010-04-01/Accounts.json"
    assert sandbox_path("https://example.com/v1/x") is None
    # Never past the URL check: a malformed URL or one carrying user:password@ is not rewritten.
    assert sandbox_path("http://[::1/") is None
    assert sandbox_path("https://user:secret@api.twilio.com/2010-04-01/Accounts.json") is None
    assert twilio_url("/messaging/v1/Services") == "https://messaging.twilio.com/v1/Services"
    assert twilio_url("/2010-04-01/Accounts.json") == "https://api.twilio.com/2010-04-01/Accounts.json"
    assert split_sandbox_path("/_twibench/info") is None


def test_product_table_matches_the_specs_servers() -> None:
    for label, names in PRODUCTS.items():
        for spec in product(label).specs:
            assert spec.name in names
            hosts = {server["url"] for server in spec.doc["servers"]}
            assert hosts == {f"https://{label}.twilio.com"}, spec.name


KNOWN_GAPS = {
    "twilio_iam_organizations": "SCIM users: a nested minItems array is answered empty (schema default gap)",
    "twilio_iam_v1": "OAuth app update needs a JSON policy object the sample parameters do not build",
    "twilio_insights_v2": "reports are created under one ID and fetched under another (reportId vs Sid)",
    "twilio_messaging_v2": "channel sender update requires nested parameters the sample does not build",
}
"""Specs whose automatic round trip does not pass yet, and why (listed in the issue-13 report)."""


def _params() -> list[object]:
    out: list[object] = []
    for label, name in SPECS:
        if name in NO_OPERATIONS | HANDWRITTEN:
            continue
        marks = [pytest.mark.xfail(reason=KNOWN_GAPS[name], strict=False)] if name in KNOWN_GAPS else []
        out.append(pytest.param(label, name, marks=marks, id=name))
    return out


@pytest.mark.parametrize(("label", "spec_name"), _params())
def test_round_trip_per_spec(checked: httpx.Client, label: str, spec_name: str) -> None:
    """create → fetch → update → list → delete → 404 on the spec's most complete creatable resource."""
    candidates = creatable_resources(label, spec_name)
    if not candidates:
        pytest.skip(f"{spec_name} has no resource the API creates")
    item = candidates[0]
    resource = resource_of(item)
    assert resource.list_item is not None
    driver = Driver(checked)
    list_path = driver.fill(resource.list_item)
    created = driver.create(resource.list_item, list_path)
    assert created.status_code in (200, 201, 202), created.text
    own = f"{list_path}/{driver.ident(item, created.json())}"
    assert driver.send(item, "get", own).status_code == 200
    for method in ("post", "put", "patch"):
        if method in item.operations:
            updated = driver.send(item, method, own, required_params(item.spec, item.operations[method]))
            assert updated.status_code in (200, 202), updated.text
    if "get" in resource.list_item.operations:
        assert driver.send(resource.list_item, "get", list_path).status_code == 200
    if "delete" in item.operations:
        assert driver.send(item, "delete", own).status_code in (200, 204)
        gone = checked.get(sandbox_url(item, own))
        assert gone.status_code == 404 and gone.json()["code"] == 20404


def test_every_operation_answers_in_the_spec_shape(checked: httpx.Client) -> None:
    """The sweep: each of the 1,447 operations called once with sample parameters; 2xx answers validated.

    Answers that are not 2xx are Twilio errors by construction (the driver's sample IDs name nothing
    stored, or a hand-written rule refuses the sample); the figure is kept from falling."""
    driver = Driver(httpx.Client(base_url=str(checked.base_url), auth=MAIN_AUTH, timeout=30))
    shaped, total = 0, 0
    for label in PRODUCTS:
        for item in product(label).items():
            for method in item.operations:
                total += 1
                try:
                    response = driver.call(item, method)
                except AssertionError:
                    continue
                if 200 <= response.status_code < 400:
                    try:
                        validate(response)
                    except Exception:  # noqa: S112 (counted as not shaped; the floor below keeps it from growing)
                        continue
                    shaped += 1
                else:
                    assert response.json()["code"] and response.json()["more_info"]
    assert total == 1447
    print(f"operations answered in the spec's shape: {shaped}/{total}")
    assert shaped >= SWEEP_FLOOR, shaped
