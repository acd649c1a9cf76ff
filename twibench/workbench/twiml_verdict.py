"""The TwiML verdict shown above a response body whose XML root is `<Response>` (no Textual here).

An app's answer to a webhook, or a TwiML Bin fetched through the API, is checked with the same grammar
as `twibench twiml check`: one line saying valid or invalid (voice or messaging, guessed from the
verbs), then each problem as `line:col: what is wrong`.
"""

from __future__ import annotations

import re

from twibench.webhooks import twiml

MAX_CHECKED = 1024 * 1024
_ROOT = re.compile(rb"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<Response[\s/>]", re.DOTALL)


def verdict(body: bytes, content_type: str | None) -> list[str] | None:
    """The verdict lines for a TwiML body, or None when the body is not XML rooted at `<Response>`."""
    kind = (content_type or "").split(";")[0].strip().lower()
    if len(body) > MAX_CHECKED or not (kind.endswith("xml") or kind in ("", "text/html", "text/plain")):
        return None
    if not _ROOT.match(body.lstrip(b"\xef\xbb\xbf")):
        return None
    report = twiml.check(body)
    return [f"TwiML: {report.verdict()}", *(f"  {problem}" for problem in report.problems)]
