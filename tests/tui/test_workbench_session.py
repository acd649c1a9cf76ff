"""The workbench session holds one variable session (a runner Session) for single sends and runs."""

from __future__ import annotations

from pathlib import Path

from tests.tui.conftest import LIVE_SID, live_profiles
from twibench import paths
from twibench.collection import Collection, Request
from twibench.redact import MASK
from twibench.runner import Captured, Runner
from twibench.settings import Settings
from twibench.workbench.session import EDITED_ORIGIN, Session
from twibench.workbench.workspace import CollectionEntry, RequestEntry, Workspace


def make_session() -> tuple[Session, RequestEntry]:
    collection = Collection(name="C", path=Path("c.yaml"), variables={"to": "+15550001"})
    owner = CollectionEntry(collection)
    entry = RequestEntry(owner, Request(name="R", id="r", method="GET", url="/x/{{to}}/{{sid}}"))
    return Session(Workspace(), live_profiles(), settings=Settings()), entry


def test_nothing_captured_or_edited_reads_without_creating_the_variables() -> None:
    session, entry = make_session()
    assert session.values(entry) == {
        "to": "+15550001",
        "account_sid": LIVE_SID,
        "inbox_url": f"http://127.0.0.1:{paths.INBOX_PORT}",
    }
    assert session.captured == {} and session.secret_values() == []
    assert session._variables is None  # the runner (httpx) is not imported for a preview


async def test_a_run_continues_the_session_and_its_captures_are_the_sessions(home: Path) -> None:
    session, entry = make_session()
    session.variables.remember([Captured("sid", "SM1", False, "c.yaml#r"), Captured("key", "s3cr3t", True, "c.yaml#k")])
    profile = session.profiles.get("key")
    runner = Runner(session.client(), profile, session=session.for_run(profile))
    assert runner.session is session.variables  # one variable session, not a copy
    runner.session.forget(["sid"])  # what a run forgets is forgotten for single sends too
    assert "sid" not in session.values(entry)
    assert session.captured_secrets == {"key"} and session.secret_values() == ["s3cr3t"]
    await session.aclose()


def test_overrides_win_and_read_as_edited_here() -> None:
    session, entry = make_session()
    session.variables.remember([Captured("to", "+15550002", False, "c.yaml#r")])
    session.set_override("to", "+15550003", secret=True)
    assert session.values(entry)["to"] == "+15550003"
    shown = {e.name: e for e in session.variable_entries(entry.owner.collection)}
    assert (shown["to"].origin, shown["to"].shown) == (EDITED_ORIGIN, MASK)
    assert shown["account_sid"].origin == "live"  # the active profile, whatever a run left there
    assert "+15550003" in session.secret_values()
    assert session.drop_override("to") and not session.drop_override("to")
    assert session.values(entry)["to"] == "+15550002"


def test_the_url_preview_shows_the_query_string_as_it_is_sent() -> None:
    """`+1555…` went out as `%2B1555…` while the preview showed it raw (issue 12, item 17)."""
    from twibench import client
    from twibench.workbench.session import url_preview

    collection = Collection(name="C", path=Path("c.yaml"), variables={"to": "+15558675310"})
    request = Request(
        name="List",
        id="list",
        method="GET",
        url="/2010-04-01/Accounts/{{account_sid}}/Messages.json",
        params=[("To", "{{to}}"), ("Body", "hi there & bye"), ("PageSize", "20")],
    )
    entry = RequestEntry(CollectionEntry(collection), request)
    session = Session(Workspace(), live_profiles(), settings=Settings())
    values = session.values(entry)
    preview, unknown = url_preview(entry, session.profile, values)
    sent = client.prepare(request, session.profile, values)
    assert unknown == []
    assert preview.plain == "→ " + sent.url
    assert "To=%2B15558675310&Body=hi+there+%26+bye&PageSize=20" in preview.plain
