"""The shipped "Status codes tour": one request per documented status code, each answered as promised."""

from __future__ import annotations

from pathlib import Path

import httpx
from conftest import MAIN_AUTH, ROOT, Sandbox

from twibench.collection import Expect, load_collection
from twibench.sandbox import credentials as cred
from twibench.variables import render

TOUR = ROOT / "collections" / "status-codes-tour.yaml"
DOCUMENTED = [200, 201, 204, 302, 304, 401, 404, 405, 429, 500, 503]


def test_the_tour_is_sandbox_only_and_documents_every_request() -> None:
    tour = load_collection(Path(TOUR))
    assert tour.name == "Status codes tour" and tour.sandbox_only and tour.description
    assert tour.docs and tour.docs.startswith("https://www.twilio.com/docs/")
    assert [request.expect for request in tour.requests] == [Expect(status=code) for code in DOCUMENTED]
    for request in tour.requests:
        assert request.explicit_id and request.expect is not None and request.id.startswith(str(request.expect.status))
        assert request.description and request.docs and request.docs.startswith("https://www.twilio.com/docs/")
        assert request.capture == {} and request.auth.mode in ("profile", "none")


def test_every_tour_request_gets_its_status_twice_in_a_row(sandbox: Sandbox) -> None:
    """Self-contained: no captures, and running it again gives the same answers."""
    tour = load_collection(Path(TOUR))
    values = {**tour.variables, "account_sid": cred.ACCOUNT_SID}
    for _ in range(2):
        with httpx.Client(base_url=sandbox.url, follow_redirects=False) as client:
            for request in tour.requests:
                form = [(k, render(v, values)) for k, v in request.form or []]
                response = client.request(
                    request.method,
                    render(request.url, values),
                    data=dict(form) if form else None,
                    headers={k: render(v, values) for k, v in request.headers},
                    auth=None if request.auth.mode == "none" else MAIN_AUTH,
                )
                assert request.expect is not None
                assert response.status_code == request.expect.status, (request.id, response.text)
                assert response.headers["twilio-request-id"].startswith("RQ")
