"""Import profiles from twilio-cli's `~/.twilio-cli/config.json` (TWILIO.md).

twilio-cli keeps `{"profiles": {"<id>": {"accountSid", "apiKey", "apiSecret", "region", "edge"}},
"activeProject": "<id>"}`. Each becomes an API Key profile. The secret is not copied unless the user
asks: by default it becomes a `{prompt: true}` reference (or `{env: NAME}` when a variable is named).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from twibench.errors import TwibenchError
from twibench.profiles import (
    ACCOUNT_SID_RE,
    API_KEY_SID_RE,
    BUILTIN_NAMES,
    EDGE_RE,
    REGION_RE,
    Profile,
    SecretRef,
)


class TwilioCliConfigError(TwibenchError):
    """The twilio-cli config file is missing or unreadable."""


@dataclass
class ImportedProfile:
    """A profile read from twilio-cli, or the reason it was skipped."""

    source_id: str
    profile: Profile | None
    skipped: str | None = None


def default_config_path() -> Path:
    """Where twilio-cli keeps its profiles."""
    return Path.home() / ".twilio-cli" / "config.json"


def _profile_name(source_id: str) -> str:
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", source_id).strip("-.") or "twilio-cli"
    return f"{name}-cli" if name in BUILTIN_NAMES else name


def read_config(
    path: Path | None = None, *, store_secrets: bool = False, secret_env: str | None = None
) -> tuple[list[ImportedProfile], str | None]:
    """Read twilio-cli's profiles.

    Args:
        path: the config file (default ~/.twilio-cli/config.json).
        store_secrets: copy each API key secret into the profile as a literal (the user asked).
        secret_env: reference this environment variable for every secret instead of prompting.

    Returns:
        The imported profiles (or skip reasons) and the name of twilio-cli's active profile.

    Raises:
        TwilioCliConfigError: the file is missing or is not twilio-cli's JSON.
    """
    path = path or default_config_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TwilioCliConfigError(f"{path} does not exist; is twilio-cli set up (twilio login)?") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TwilioCliConfigError(f"{path} is not a readable twilio-cli config file: {exc}") from None
    raw_profiles = data.get("profiles") if isinstance(data, dict) else None
    if not isinstance(raw_profiles, dict):
        raise TwilioCliConfigError(f'{path} has no "profiles" object; nothing to import')
    imported: list[ImportedProfile] = []
    for source_id, entry in raw_profiles.items():
        imported.append(_convert(str(source_id), entry, store_secrets, secret_env))
    active = data.get("activeProject")
    active_name = _profile_name(active) if isinstance(active, str) and active in raw_profiles else None
    return imported, active_name


def _convert(source_id: str, entry: object, store_secrets: bool, secret_env: str | None) -> ImportedProfile:
    if not isinstance(entry, dict):
        return ImportedProfile(source_id, None, "not an object")
    account = entry.get("accountSid")
    key = entry.get("apiKey")
    if not isinstance(account, str) or not ACCOUNT_SID_RE.match(account):
        return ImportedProfile(source_id, None, "no valid accountSid")
    if not isinstance(key, str) or not API_KEY_SID_RE.match(key):
        return ImportedProfile(source_id, None, "no valid apiKey (SK…)")
    secret_value = entry.get("apiSecret")
    if store_secrets and isinstance(secret_value, str) and secret_value:
        secret = SecretRef(literal=secret_value)
    elif secret_env:
        secret = SecretRef(env=secret_env)
    else:
        secret = SecretRef(prompt=True)
    region = entry.get("region")
    edge = entry.get("edge")
    return ImportedProfile(
        source_id,
        Profile(
            name=_profile_name(source_id),
            kind="api_key",
            account_sid=account,
            username=key,
            secret=secret,
            region=region if isinstance(region, str) and REGION_RE.match(region) else None,
            edge=edge if isinstance(edge, str) and EDGE_RE.match(edge) else None,
        ),
    )
