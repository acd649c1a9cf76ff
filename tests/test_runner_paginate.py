"""`paginate: {limit: N}` in a run: next pages followed up to N records, captures and `expect.json` on the
merged document, every page recorded, a failed page failing the request; and `check` on the key."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.test_runner_engine import BASE, Api, Harness, load, reply
from twibench.collection import parse_collection
from twibench.collection.emit import dump_collection
from twibench.errors import FileErrors
from twibench.runner.paging import LazyRecords

LIST = f"{BASE}/Messages.json"


def page_answer(pages: int, per_page: int = 3) -> object:
    """`pages` pages of `per_page` messages; the last one is `failed`."""

    def answer(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params.get("Page", "0"))
        first = number * per_page
        messages = [{"sid": f"SM{n:032x}", "status": "delivered"} for n in range(first, first + per_page)]
        if number == pages - 1:
            messages[-1]["status"] = "failed"
        link = f"{LIST}?PageSize={per_page}&Page={number + 1}&PageToken=PA{number + 1}" if number < pages - 1 else None
        return reply(
            200, {"messages": messages, "page": number, "uri": str(request.url.raw_path), "next_page_uri": link}
        )

    return answer


FLOW = f"""
name: Paged
requests:
  - name: Every message
    id: list
    url: {LIST}
    paginate: {{limit: LIMIT}}
    capture: {{last_sid: "$.messages[-1].sid", failed_sid: "$.messages[?@.status == 'failed'].sid", first_page: $.page}}
    expect: {{json: {{"$.messages[0].status": delivered}}}}
"""


async def test_captures_and_checks_see_every_page_merged() -> None:
    api = Api()
    api.on("GET", LIST, page_answer(3))
    h = Harness(api)
    summary = await h.run(load(FLOW.replace("LIMIT", "100")))
    assert summary.passed == 1, h.results()[0].reasons
    assert [r.url.params.get("Page") for r in api.seen] == [None, "1", "2"]
    captured = {c.name: c.value for c in h.results()[0].captured}
    assert captured == {"last_sid": f"SM{8:032x}", "failed_sid": f"SM{8:032x}", "first_page": "0"}
    assert len(h.recorded) == 3  # each page once


async def test_the_limit_stops_the_walk() -> None:
    api = Api()
    api.on("GET", LIST, page_answer(5))
    h = Harness(api)
    flow = FLOW.replace("LIMIT", "4").replace(", failed_sid: \"$.messages[?@.status == 'failed'].sid\"", "")
    await h.run(load(flow))
    assert len(api.seen) == 2  # 3 + 1 records: the second page reaches the limit
    assert {c.name: c.value for c in h.results()[0].captured}["last_sid"] == f"SM{3:032x}"


async def test_a_failed_page_fails_the_request_and_captures_nothing() -> None:
    api = Api()
    good = page_answer(3)
    api.on("GET", LIST, good, reply(500, {"code": 20500, "message": "oops", "status": 500}))  # type: ignore[arg-type]
    h = Harness(api)
    await h.run(load(FLOW.replace("LIMIT", "100")))
    result = h.results()[0]
    assert result.outcome == "failed" and result.captured == ()
    assert result.reasons[0] == "paginate: stopped after 1 page(s): page 2 answered 500"
    assert result.exchange is not None and result.exchange.response is not None
    assert result.exchange.response.status == 500
    assert len(h.recorded) == 2  # the first page and the failed one


def test_lazy_records_read_one_record_at_a_time() -> None:
    records = LazyRecords(['{"a":1}', '{"a":2}'])
    assert len(records) == 2 and records[-1] == {"a": 2} and records[0:1] == [{"a": 1}]
    assert records[0] is not records[0]  # parsed on each read, never kept


def test_check_locates_bad_paginate_values(tmp_path: Path) -> None:
    text = (
        "name: P\nrequests:\n"
        "  - {name: A, url: /a, paginate: {limit: 0}}\n"
        "  - {name: B, url: /b, method: POST, paginate: {limit: 5}}\n"
        "  - {name: C, url: /c, paginate: {}}\n"
        "  - {name: D, url: /d, paginate: true}\n"
    )
    with pytest.raises(FileErrors) as caught:
        parse_collection(text, tmp_path / "p.yaml")
    messages = [f"{e.line}: {e.message}" for e in caught.value.errors]
    assert messages == [
        "3: 'paginate.limit' must be a positive whole number of records, such as 1000, not 0",
        "4: 'paginate' follows a list's next pages, which are read with GET; this request is a POST",
        "5: 'paginate' needs limit: N, the most records to fetch across pages",
        "6: 'paginate' must be a mapping with limit:, the most records to fetch across pages, not true/false",
    ]


def test_paginate_is_written_back(tmp_path: Path) -> None:
    collection = parse_collection(
        "name: P\nrequests:\n  - {name: A, url: /a, paginate: {limit: 250}}\n", tmp_path / "p.yaml"
    )
    request = collection.requests[0]
    assert request.paginate is not None and request.paginate.limit == 250
    assert "paginate: {limit: 250}" in dump_collection(collection)
    again = parse_collection(dump_collection(collection), tmp_path / "p.yaml")
    assert again.requests[0].paginate == request.paginate
