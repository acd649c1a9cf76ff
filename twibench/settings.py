"""config.yaml: history caps, sandbox options, theme and keymap, each with a documented default."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from twibench import paths, yamlload
from twibench.errors import FileErrors, LocatedError
from twibench.yamlload import LocDict


@dataclass
class HistorySettings:
    """Retention of the request history."""

    max_entries: int = 10_000
    """Oldest entries are pruned beyond this many."""
    max_bytes: int = 500 * 1024 * 1024
    """Oldest entries are pruned once stored bodies exceed this many bytes."""
    body_cap: int = 2 * 1024 * 1024
    """Bodies larger than this are stored truncated and marked."""


@dataclass
class SandboxSettings:
    """Behaviour of the built-in sandbox server."""

    delivery_seconds: float = 2.0
    """How long a message takes to go queued → sending → sent → delivered."""
    concurrency_limit: int = 20
    """More requests in flight than this get 429 with Twilio error 20429."""
    webhook_hosts: list[str] = field(default_factory=list)
    """Hosts (`host` or `host:port`) besides loopback that the sandbox may send callbacks and TwiML fetches to."""


@dataclass
class Settings:
    """Everything config.yaml can set."""

    history: HistorySettings = field(default_factory=HistorySettings)
    sandbox: SandboxSettings = field(default_factory=SandboxSettings)
    theme: str = "textual-dark"
    """The Textual theme name."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id → keys (comma-separated), overriding the defaults."""


_SECTIONS: dict[str, dict[str, type]] = {
    "history": {"max_entries": int, "max_bytes": int, "body_cap": int},
    "sandbox": {"delivery_seconds": float, "concurrency_limit": int, "webhook_hosts": list},
}

# Settings whose smallest sensible value is above zero (a limit of 0 would refuse every request).
_MINIMUM = {"sandbox.concurrency_limit": 1}


def load_settings(path: Path | None = None) -> Settings:
    """Read config.yaml (missing file → defaults).

    Raises:
        FileErrors: one located error per problem in the file.
    """
    path = path or paths.settings_file()
    if not path.exists():
        return Settings()
    try:
        data = yamlload.load_file(path)
    except LocatedError as exc:  # unreadable, binary or invalid YAML: still "one located error per problem"
        raise FileErrors([exc]) from None
    settings = Settings()
    if data is None:
        return settings
    errors: list[LocatedError] = []
    if not isinstance(data, LocDict):
        raise FileErrors([LocatedError(path, 1, 1, "expected a mapping of settings (history:, sandbox:, …)")])
    for key, value in data.items():
        line, col = data.key_mark(key)
        if key in _SECTIONS:
            _load_section(path, data, key, value, getattr(settings, key), errors)
        elif key == "theme":
            if isinstance(value, str) and value.strip():
                settings.theme = value.strip()
            else:
                vl, vc = data.value_mark(key)
                errors.append(LocatedError(path, vl, vc, "theme: expected a theme name"))
        elif key == "keymap":
            _load_keymap(path, data, value, settings, errors)
        else:
            expected = ", ".join([*_SECTIONS, "theme", "keymap"])
            errors.append(LocatedError(path, line, col, f"unknown setting '{key}'; expected one of: {expected}"))
    if errors:
        raise FileErrors(errors)
    return settings


def _load_section(path: Path, parent: LocDict, name: str, value: Any, target: Any, errors: list[LocatedError]) -> None:
    if value is None:  # `history:` with every setting commented out: the defaults
        return
    if not isinstance(value, LocDict):
        line, col = parent.value_mark(name)
        errors.append(LocatedError(path, line, col, f"{name}: expected a mapping"))
        return
    fields = _SECTIONS[name]
    for key, item in value.items():
        line, col = value.value_mark(key)
        kind = fields.get(key)
        if kind is None:
            kl, kc = value.key_mark(key)
            errors.append(
                LocatedError(path, kl, kc, f"unknown setting '{name}.{key}'; expected one of: {', '.join(fields)}")
            )
            continue
        if kind is list:
            hosts = _host_list(item)
            if hosts is None:
                errors.append(LocatedError(path, line, col, f"{name}.{key}: expected a list of host names"))
            else:
                setattr(target, key, hosts)
            continue
        minimum = _MINIMUM.get(f"{name}.{key}", 0)
        if not _number_ok(item, kind, minimum):
            what = "a whole number" if kind is int else "a number"
            shown = f"a {len(str(abs(item)))}-digit number" if isinstance(item, int) and item > 2**63 else repr(item)
            errors.append(LocatedError(path, line, col, f"{name}.{key}: expected {what} ≥ {minimum}, got {shown}"))
            continue
        setattr(target, key, kind(item))


def _host_list(item: Any) -> list[str] | None:
    """A list of non-empty host names without spaces, schemes or paths (`host` or `host:port`), or None."""
    if not isinstance(item, list):
        return None
    hosts: list[str] = []
    for entry in item:
        if not isinstance(entry, str) or not entry.strip() or any(c in entry for c in " /@?#"):
            return None
        hosts.append(entry.strip().lower())
    return hosts


def _number_ok(item: Any, kind: type, minimum: int) -> bool:
    """A finite number of the setting's kind, at least `minimum`, that fits a float and SQLite (64 bits)."""
    if isinstance(item, bool) or not isinstance(item, int | float) or (kind is int and not isinstance(item, int)):
        return False
    if isinstance(item, int):
        return minimum <= item < 2**63
    return math.isfinite(item) and item >= minimum


def _load_keymap(path: Path, parent: LocDict, value: Any, settings: Settings, errors: list[LocatedError]) -> None:
    if not isinstance(value, LocDict):
        line, col = parent.value_mark("keymap")
        errors.append(LocatedError(path, line, col, "keymap: expected a mapping of binding id → keys"))
        return
    for key, item in value.items():
        if not isinstance(item, str) or not item.strip():
            line, col = value.value_mark(key)
            errors.append(LocatedError(path, line, col, f"keymap.{key}: expected keys such as 'ctrl+j,f5'"))
            continue
        settings.keymap[key] = item.strip()
