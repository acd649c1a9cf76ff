"""A credential profile (DESIGN §3): its kind, account, secret source, host, and how it is shown.

The model alone — no file, no prompt: `twibench.profiles` loads and writes profiles files and resolves
secrets; everything that only needs to read a profile imports this module.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

from twibench import paths, regions
from twibench.errors import TwibenchError
from twibench.redact import mask_sid

Kind = Literal["auth_token", "api_key"]
ACCOUNT_SID_RE = re.compile(r"^AC[0-9a-f]{32}$")
API_KEY_SID_RE = re.compile(r"^SK[0-9a-f]{32}$")
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
REGION_RE = re.compile(r"^[a-z]{2}[0-9]$")
EDGE_RE = re.compile(r"^[a-z][a-z0-9-]*$")
SANDBOX = "sandbox"
ENV = "env"
BUILTIN_NAMES = (SANDBOX, ENV)


class ProfileError(TwibenchError):
    """A profile problem the user must fix (unknown profile, missing secret, no terminal for a prompt)."""


@dataclass(frozen=True)
class SecretRef:
    """Where a profile's secret comes from: exactly one of a literal, an environment variable, a prompt,
    an OS keyring entry (`keyring` = the service; `keyring_user` = the entry's user, default the profile's
    SID) or a command's output (`command` = its argv, run without a shell)."""

    literal: str | None = None
    env: str | None = None
    prompt: bool = False
    keyring: str | None = None
    keyring_user: str | None = None
    command: tuple[str, ...] | None = None

    @property
    def kept_by_session(self) -> bool:
        """True when the value is known only once a session asked for it (a prompt, the keyring, a command).

        Such a secret is obtained once per session and kept there (`sending.PromptedSecrets`); nothing
        reads it just to mask it.
        """
        return self.prompt or self.keyring is not None or self.command is not None

    def describe(self) -> str:
        """A safe description of the source (never the value)."""
        if self.env:
            return f"env {self.env}"
        if self.prompt:
            return "asked at a prompt"
        if self.keyring is not None:
            return f"keyring {self.keyring}" + (f" ({self.keyring_user})" if self.keyring_user else "")
        if self.command is not None:
            return f"command {self.command[0]}"
        return "stored in the profiles file"

    def to_yaml(self) -> Any:
        """The profiles-file form of this source."""
        if self.env:
            return {"env": self.env}
        if self.prompt:
            return {"prompt": True}
        if self.keyring is not None:
            if self.keyring_user:
                return {"keyring": self.keyring, "username": self.keyring_user}
            return {"keyring": self.keyring}
        if self.command is not None:
            return {"command": list(self.command)}
        return self.literal


@dataclass
class Profile:
    """One credential profile (see module docstring)."""

    name: str
    kind: Kind
    account_sid: str
    username: str
    secret: SecretRef
    region: str | None = None
    edge: str | None = None
    allowed_hosts: list[str] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)
    base_url: str | None = None
    builtin: bool = False
    base_url_provider: Callable[[], str] | None = None

    @property
    def is_sandbox(self) -> bool:
        """True for the built-in sandbox profile (everything else is "live")."""
        return self.name == SANDBOX and self.builtin

    @property
    def is_local(self) -> bool:
        """A user profile whose base URL is on this machine (a sandbox or mock server you started): LOCAL."""
        if self.is_sandbox or not self.base_url:
            return False
        from twibench.proxies import is_loopback

        return is_loopback(urlsplit(self.base_url).hostname or "")

    @property
    def is_live(self) -> bool:
        """Profiles that reach a real Twilio account (or a remote host the user named): not sandbox, not LOCAL."""
        return not self.is_sandbox and not self.is_local

    @property
    def badge(self) -> str:
        """SANDBOX, LOCAL or LIVE: where requests with this profile go, as the profile bar shows it."""
        return "SANDBOX" if self.is_sandbox else "LOCAL" if self.is_local else "LIVE"

    @property
    def kind_label(self) -> str:
        """Human label of the credential kind."""
        return "Auth Token" if self.kind == "auth_token" else "API Key"

    @property
    def masked_sid(self) -> str:
        """The SID used as the basic-auth user, masked as `AC01…cdef`."""
        return mask_sid(self.username)

    def host_label(self) -> str:
        """The host requests go to, without starting anything (the sandbox says "local sandbox")."""
        if self.base_url_provider is not None:
            # The address once it runs, so a LOCAL profile can be pointed at it. Only `embedded` starts a
            # sandbox in this process, so before it is imported none runs: the first frame skips its import.
            embedded = sys.modules.get("twibench.sandbox.embedded")
            url: str | None = embedded.known_url() if embedded is not None else None
            return f"local sandbox {urlsplit(url).netloc}" if url else "local sandbox"
        return urlsplit(self.static_base()).netloc

    def static_base(self) -> str:
        """The API base derived from base_url/region/edge (not valid for the sandbox)."""
        if self.base_url:
            return self.base_url.rstrip("/")
        return "https://" + twilio_host(self.region, self.edge)

    def api_base(self) -> str:
        """The base URL that request paths are joined to (starts the sandbox if this is its profile)."""
        if self.base_url_provider is not None:
            return self.base_url_provider().rstrip("/")
        return self.static_base()

    def builtin_variables(self) -> dict[str, str]:
        """Variables every request sees: `account_sid`, `inbox_url` (the running inbox) and the profile's own."""
        merged = {"account_sid": self.account_sid, "inbox_url": paths.inbox_url()}
        merged.update(self.variables)
        return merged

    def describe(self) -> str:
        """`name · kind · AC01…cdef · host` — safe to show anywhere."""
        return f"{self.name} · {self.kind_label} · {self.masked_sid} · {self.host_label()}"


def twilio_host(region: str | None, edge: str | None) -> str:
    """The Twilio API host for a region/edge pair: a region alone takes its default edge (see regions)."""
    return regions.product_host("api", region, edge)


def profile_to_yaml(profile: Profile) -> dict[str, Any]:
    """The profiles-file mapping of one profile (a secret reference stays a reference).

    Here, beside the model, rather than with the file writer (`profiles_save`, imported only when profiles
    are saved), so that loading profiles at start-up does not import the writer and its YAML splicer.
    """
    out: dict[str, Any] = {"account_sid": profile.account_sid}
    if profile.kind == "api_key":
        out["api_key"] = profile.username
        out["api_secret"] = profile.secret.to_yaml()
    else:
        out["auth_token"] = profile.secret.to_yaml()
    for key in ("region", "edge", "base_url"):
        value = getattr(profile, key)
        if value:
            out[key] = value
    if profile.allowed_hosts:
        out["allowed_hosts"] = list(profile.allowed_hosts)
    if profile.variables:
        out["variables"] = dict(profile.variables)
    return out
