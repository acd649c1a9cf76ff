"""The TUI's inbox, without Textual: start (or reuse) a receiver, read what it recorded, explain each entry.

When the Inbox pane first opens, `InboxService.start` reuses an inbox another twibench process
publishes (`twibench inbox` in a terminal: it records into the same store), or starts one in this
process on the default port (a free one when that is taken) and publishes its URL, so `{{inbox_url}}`
resolves in every collection. Signatures are checked with the active profile's Auth Token. `stop`
withdraws what this process published. Rows are read with `since` (the pane polls it).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from twibench import paths
from twibench.redact import Redactor
from twibench.textsafe import line
from twibench.webhooks import inbox, signature
from twibench.webhooks.inbox_store import Callback, InboxStore

if TYPE_CHECKING:
    from twibench.profiles import Profile, ProfileSet

VERDICT_LABELS = {
    "valid": "signature valid",
    "invalid": "signature INVALID",
    "unsigned": "unsigned",
    "unchecked": "signature not checked",
}
"""How the pane names each verdict (`unchecked`: no Auth Token to check with)."""


@dataclass(frozen=True)
class Started:
    """Where callbacks go, and whether this process runs the receiver."""

    url: str
    own: bool
    note: str


class InboxService:
    """One TUI session's inbox (see the module docstring)."""

    def __init__(self, token: str | None, secrets: Iterable[tuple[str, str]] = ()) -> None:
        self.token = token
        self._secrets = list(secrets)
        self.store: InboxStore | None = None
        self._server: inbox.Inbox | None = None
        self.started: Started | None = None

    def start(self, port: int = inbox.DEFAULT_PORT) -> Started:
        """Open the store and make sure a receiver runs (idempotent); says where callbacks go."""
        if self.started is not None:
            return self.started
        self.store = InboxStore(paths.inbox_db(), Redactor(self._secrets))
        running = inbox.published_url(paths.inbox_addr())
        if running is not None and _answers(running):
            self.started = Started(running, False, f"callbacks to {running} (received by another twibench inbox)")
            return self.started
        config = inbox.InboxConfig(token=self.token)
        try:
            server = inbox.Inbox(self.store, config, "127.0.0.1", port)
        except OSError:
            server = inbox.Inbox(self.store, config, "127.0.0.1", 0)
        server.start()
        server.publish(paths.inbox_addr())
        self._server = server
        checked = "signatures checked with the profile's Auth Token" if self.token else "signatures not checked"
        self.started = Started(server.url, True, f"callbacks to {server.url} ({checked})")
        return self.started

    def since(self, after_id: int) -> list[Callback]:
        """Entries recorded after `after_id`, oldest first (empty before `start`)."""
        return self.store.since(after_id) if self.store is not None else []

    def clear(self) -> None:
        """Forget every recorded callback."""
        if self.store is not None:
            self.store.clear()

    def stop(self) -> None:
        """Stop this process's receiver (withdrawing its published URL) and close the store."""
        if self._server is not None:
            self._server.stop()
            self._server = None
        if self.store is not None:
            with contextlib.suppress(Exception):
                self.store.close()
            self.store = None
        self.started = None


def _answers(url: str) -> bool:
    """Whether something accepts connections at the URL's host and port (a stale address file does not)."""
    import socket

    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if parts.scheme == "https" or host not in ("127.0.0.1", "localhost", "::1"):
        return True  # a tunnel's public URL: trust the publisher
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.3):
        return True
    return False


def row_cells(callback: Callback, *, show_time: bool = True) -> tuple[str, str, str, str]:
    """Time (`--:--:--` when times are hidden), the path (GET marked), what it reports (a status), and
    the signature verdict of one entry (the method and full URL are in `details`)."""
    params = dict(callback.form()) or dict(_query(callback.path))
    what = (
        params.get("MessageStatus") or params.get("CallStatus") or params.get("SmsStatus") or params.get("Body") or ""
    )
    clock = time.strftime("%H:%M:%S", time.localtime(callback.time)) if show_time else "--:--:--"
    path = urlsplit(callback.path).path or "/"
    path = line(path if len(path) <= 24 else path[:23] + "…")
    shown = path if callback.method == "POST" else f"{callback.method} {path}"
    return clock, shown, line(what[:20]), VERDICT_LABELS.get(callback.verdict, callback.verdict)


def _query(path: str) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl(urlsplit(path).query, keep_blank_values=True)


def details(callback: Callback, token: str | None) -> str:
    """The entry's parameters and the signature lab: the signed string, the expected signature, the cause."""
    params = callback.form()
    lines = [
        f"{callback.method} {line(callback.url)}",
        f"verdict: {VERDICT_LABELS.get(callback.verdict, callback.verdict)}",
    ]
    lines.append("")
    lines.append("Parameters:" if params else "No form parameters.")
    lines += [f"  {name} = {line(value)}" for name, value in params]
    header = next((v for k, v in callback.headers if k.lower() == signature.HEADER.lower()), None)
    lines += ["", "Signature lab:", f"  {signature.HEADER}: {line(header or '(none)')}"]
    if token is None:
        lines.append("  no Auth Token to check with (an API Key profile: Twilio signs with the account's Auth Token)")
        return "\n".join(lines)
    get_params = params if callback.method == "POST" else []
    found = signature.diagnose(callback.url, get_params, header, token)
    lines += [f"  signed string: {line(found.signed)}", f"  expected:      {found.expected}"]
    if found.verdict == "invalid":
        if found.cause:
            lines.append(f"  likely cause: {found.cause}")
        else:
            lines.append("  no usual variation matches; check:")
            lines += [f"   - {hint}" for hint in found.hints]
    return "\n".join(lines)


def for_profile(profile: Profile, profile_set: ProfileSet | None = None) -> InboxService:
    """An inbox checking signatures with the profile's Auth Token (None for an API Key profile, or a
    secret that would have to be asked for or come from a command, which may wait seconds), masking
    every profile secret in what it records, the token it read from a keyring included."""
    from twibench.profiles import known_secrets, resolve_secret

    token: str | None = None
    if profile.kind == "auth_token" and not profile.secret.prompt and profile.secret.command is None:
        with contextlib.suppress(Exception):  # never ask, never run a command from the inbox
            token = resolve_secret(profile)
    masked = known_secrets(profile_set) if profile_set is not None else []
    if token is not None and (profile.username, token) not in masked:
        masked.append((profile.username, token))
    return InboxService(token, masked)
