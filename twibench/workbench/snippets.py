"""A request as a curl, twilio-cli or Python snippet, built exactly as a send would render it (no UI here).

Snippets are built with the active profile (its host and credential variables) and the session's values;
they read credentials from environment variables and never hold a secret (captured secrets become
environment references too). A request twilio-cli cannot express says why instead of exporting.
"""

from __future__ import annotations

import asyncio
import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING

from twibench.errors import TwibenchError
from twibench.spec import reference as api_reference

if TYPE_CHECKING:
    from twibench.collection import Request
    from twibench.profiles import Profile
    from twibench.workbench.session import Session
    from twibench.workbench.workspace import RequestEntry

__all__ = ["FORMATS", "NoEquivalentError", "SnippetFormat", "build", "snippet"]


@dataclass(frozen=True)
class SnippetFormat:
    """One export format.

    Attributes:
        key: the format's id (`curl`, `twilio-cli`, `python`), as `twibench export` names it.
        label: how commands and messages name it.
        suffix: the file name suffix suggested when saving.
        language: the TextArea grammar that highlights it (used when installed).
        needs_spec: True when building it looks the operation up in Twilio's specs.
    """

    key: str
    label: str
    suffix: str
    language: str
    needs_spec: bool


FORMATS = (
    SnippetFormat("curl", "curl", ".sh", "bash", needs_spec=False),
    SnippetFormat("twilio-cli", "twilio-cli", ".sh", "bash", needs_spec=True),
    SnippetFormat("python", "Python", ".py", "python", needs_spec=True),
)


class NoEquivalentError(TwibenchError):
    """twilio-cli has no command for the request."""


def snippet(fmt: SnippetFormat, request: Request, profile: Profile, values: dict[str, str], secrets: set[str]) -> str:
    """The request in `fmt` (blocking when the specs are not read yet), ending with a newline.

    Raises:
        UnknownVariableError: a variable has no value.
        ExportError: the snippet would reveal a secret.
        NoEquivalentError: twilio-cli has no command for the request (the message says why).
    """
    from twibench import exporters

    if fmt.key == "curl":
        text = exporters.to_curl(request, profile, values, secret_names=secrets)
    elif fmt.key == "python":
        text = exporters.to_python(request, profile, values, secret_names=secrets)
    else:
        command = exporters.to_twilio_cli(request, profile, values, secret_names=secrets)
        if command is None:
            from twibench.exporters.twilio_cli import missing_reason

            reason = missing_reason(request) or "twilio-cli has no command for it"
            raise NoEquivalentError(f"'{request.name}' has no twilio-cli equivalent: {reason}; use curl instead")
        text = command
    return text if text.endswith("\n") else text + "\n"


async def build(session: Session, entry: RequestEntry | None, fmt: SnippetFormat) -> tuple[RequestEntry, str]:
    """The open request in `fmt`, built from a copy of it in a thread (the first twilio-cli/Python export
    reads Twilio's specs).

    Raises:
        TwibenchError: no request is open, or the snippet cannot be made (see `snippet`).
    """
    if entry is None:
        raise TwibenchError("choose a request in the tree first")
    request = copy.deepcopy(entry.request)
    if fmt.needs_spec and not api_reference.is_loaded(request.url):
        await asyncio.to_thread(api_reference.load, request.url)  # reads the product's specs once
    text = await asyncio.to_thread(
        snippet, fmt, request, session.profile, dict(session.values(entry)), set(session.captured_secrets)
    )
    return entry, text
