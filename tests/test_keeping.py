"""A request opened from a response link or history becomes a template before it is saved (issue 12, item 2)."""

from __future__ import annotations

from twibench.collection import Request
from twibench.profile import Profile, SecretRef
from twibench.workbench.keeping import keepable, suggested_name

SID = "ACba5eba11ba5eba11ba5eba11ba5eba11"


def sandbox_profile() -> Profile:
    return Profile(name="sandbox", kind="auth_token", account_sid=SID, username=SID, secret=SecretRef(literal="t"))


def test_a_next_page_link_keeps_its_filters_and_drops_its_page() -> None:
    opened = Request(
        name="Messages.json?To=%2B1555…&PageS…",
        id="messages-json",
        url=f"/2010-04-01/Accounts/{SID}/Messages.json?To=%2B15558675310&PageSize=5&Page=1&PageToken=PASM123",
    )
    kept, changes = keepable(opened, sandbox_profile())
    assert kept.url == "/2010-04-01/Accounts/{{account_sid}}/Messages.json"
    assert kept.params == [("To", "+15558675310"), ("PageSize", "5")]
    assert changes == [
        "moved the query string to Params",
        "dropped the paging parameters Page, PageToken",
        "wrote the profile's values as {{account_sid}}",
    ]
    assert opened.url.endswith("PageToken=PASM123")  # the open request is not changed
    assert suggested_name(kept) == "List Messages"


def test_profile_values_in_params_become_their_variables() -> None:
    profile = sandbox_profile()
    profile.variables["from"] = "+15005550006"
    opened = Request(name="x", id="x", method="POST", url=f"/2010-04-01/Accounts/{SID}/Messages.json")
    opened.form = [("From", "+15005550006"), ("Body", "+15005550006 is mine")]
    kept, _changes = keepable(opened, profile)
    assert kept.form == [("From", "{{from}}"), ("Body", "+15005550006 is mine")]  # whole values only


def test_suggested_names_say_what_the_request_does() -> None:
    def name(method: str, url: str) -> str:
        return suggested_name(Request(name="", id="", method=method, url=url))

    assert name("GET", "/2010-04-01/Accounts/{{account_sid}}.json") == "Fetch Account"
    assert name("POST", "/2010-04-01/Accounts/{{account_sid}}/Calls.json") == "Create Calls"
    assert name("DELETE", f"/2010-04-01/Accounts/{SID}/Messages/SM{'1' * 32}.json") == "Delete Message"
    assert name("GET", "https://verify.twilio.com/v2/Services?PageSize=5") == "List Services"
    assert name("GET", "/") == "GET request"
