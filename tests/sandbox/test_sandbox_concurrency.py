"""Concurrency: no lost or duplicated messages under load or across processes; the 20429 limit."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
from conftest import ACCOUNT, MAIN_AUTH, Sandbox, assert_twilio_error, read_banner, run_cli

from twibench import paths
from twibench.sandbox import credentials as cred

FORM = {"To": "+15558675310", "From": cred.PHONE_NUMBER, "Body": "load"}


async def _create_many(url: str, clients: int, each: int) -> list[httpx.Response]:
    async def one_client() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=url, auth=MAIN_AUTH, timeout=60) as client:
            return [await client.post(f"{ACCOUNT}/Messages.json", data=FORM) for _ in range(each)]

    batches = await asyncio.gather(*(one_client() for _ in range(clients)))
    return [response for batch in batches for response in batch]


def _outbound_sids(url: str) -> list[str]:
    with httpx.Client(base_url=url, auth=MAIN_AUTH) as client:
        body = client.get(f"{ACCOUNT}/Messages.json", params={"From": cred.PHONE_NUMBER, "PageSize": 1000}).json()
    assert body["next_page_uri"] is None
    return [message["sid"] for message in body["messages"]]


async def test_fifty_clients_creating_twenty_each_make_exactly_1000_messages(
    start_sandbox: Callable[..., Sandbox],
) -> None:
    box = start_sandbox(concurrency_limit=1000)
    responses = await _create_many(box.url, clients=50, each=20)
    assert [r.status_code for r in responses] == [201] * 1000
    created = {r.json()["sid"] for r in responses}
    stored = _outbound_sids(box.url)
    assert len(created) == 1000 and len(stored) == 1000 and set(stored) == created


async def test_more_requests_in_flight_than_the_limit_get_20429(start_sandbox: Callable[..., Sandbox]) -> None:
    box = start_sandbox(concurrency_limit=1)
    release = asyncio.Event()

    async def slow_body() -> AsyncIterator[bytes]:
        yield b"To=%2B15558675310&From=%2B15005550006"
        await release.wait()
        yield b"&Body=held"

    async with box.async_client() as holder, box.async_client() as other:
        held = asyncio.create_task(
            holder.post(
                f"{ACCOUNT}/Messages.json",
                content=slow_body(),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
        )
        # Until the held request reaches the server, `other` is alone and succeeds; then it is refused.
        for _ in range(2000):
            answer = await other.get(f"{ACCOUNT}.json")
            if answer.status_code == 429:
                break
            await asyncio.sleep(0.005)
        assert_twilio_error(answer, 429, 20429)
        assert answer.headers["twilio-concurrent-requests"] == "2" and answer.headers["retry-after"]
        release.set()
        finished = await held
        assert finished.status_code == 201 and finished.json()["body"] == "held"
        assert (await other.get(f"{ACCOUNT}.json")).status_code == 200


async def test_two_processes_share_one_state_file(start_sandbox: Callable[..., Sandbox], _private_home: Path) -> None:
    """A `twibench sandbox` process and an in-process sandbox on one data dir see the same messages."""
    cli = run_cli("--port", "0", env={**os.environ, "TWIBENCH_HOME": str(_private_home)})
    try:
        other_url = read_banner(cli)["Base URL"]
        here = start_sandbox(db=paths.sandbox_db(), concurrency_limit=100)
        both = await asyncio.gather(
            _create_many(here.url, clients=5, each=20), _create_many(other_url, clients=5, each=20)
        )
        created = {r.json()["sid"] for batch in both for r in batch if r.status_code == 201}
        assert len(created) == 200
        assert set(_outbound_sids(here.url)) == created == set(_outbound_sids(other_url))
    finally:
        cli.send_signal(signal.SIGINT)
        assert cli.wait(timeout=30) == 0
