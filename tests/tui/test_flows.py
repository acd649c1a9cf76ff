"""Flows are plain coroutines and functions over the workbench: they return an Outcome, no screen needed."""

from __future__ import annotations

from pathlib import Path

from tests.tui.conftest import LIVE_SID, live_profiles
from twibench.collection import Collection, Request
from twibench.settings import Settings
from twibench.tui.flows import paste, requests
from twibench.tui.flows.outcome import Outcome
from twibench.workbench.session import Session
from twibench.workbench.workspace import CollectionEntry, Workspace


def workbench() -> tuple[Session, CollectionEntry]:
    workspace = Workspace()
    owner = CollectionEntry(Collection(name="Messages", path=Path("/tmp/messages.yaml")))
    workspace.collections.append(owner)
    workspace.add(owner, Request(name="Send an SMS", id="send-sms", method="POST", url="/x"))
    return Session(workspace, live_profiles(), settings=Settings()), owner


def test_a_new_request_goes_below_the_open_one_of_the_collection_under_the_cursor() -> None:
    session, owner = workbench()
    current = owner.items[0]
    home = requests.new_request_home(session.workspace, None, current)  # the cursor is on no collection
    assert home is owner
    outcome = requests.add_new(session.workspace, owner, "List calls", current)
    assert isinstance(outcome, Outcome) and outcome.added is owner.items[1]
    assert outcome.added.is_new and outcome.notes[0].text.startswith("New request 'List calls' in 'Messages'")
    assert (outcome.added.request.id, outcome.added.request.url, outcome.focus_url) == ("list-calls", "", True)
    assert requests.new_request_home(Workspace(), None, None) is None  # nothing to add it to


def test_a_pasted_twilio_url_becomes_a_path_and_params_of_the_open_request() -> None:
    session, owner = workbench()
    entry = owner.items[0]
    url = f"https://api.twilio.com/2010-04-01/Accounts/{LIVE_SID}/Messages.json?PageSize=20"
    outcome = paste.paste_url(session, entry, url)
    assert entry.request.url == "/2010-04-01/Accounts/{{account_sid}}/Messages.json"
    assert entry.request.params == [("PageSize", "20")]
    assert (outcome.reopen, outcome.changed, outcome.focus_url) == (entry, entry, True)
    assert paste.paste_url(session, None, url) == Outcome()  # no request open: nothing changes
