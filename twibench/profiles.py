"""Credential profiles: the profiles file, built-in profiles and secret resolution (the model: `profile`).

A profile is either an Auth Token profile (Account SID + Auth Token) or an API Key profile (API Key
SID + secret, plus the Account SID the URLs carry). Secrets are a literal, `{env: NAME}`, `{prompt: true}`,
`{keyring: SERVICE}` or `{command: [PROGRAM, ARG…]}` (`secret_sources`); the UI and every output show a
profile as name, kind, masked SID and host only.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from twibench import paths, regions, yamlload
from twibench.errors import FileErrors, LocatedError
from twibench.hostguard import HostRefusedError as HostRefusedError
from twibench.hostguard import base_url_problem
from twibench.hostguard import check_host as check_host
from twibench.profile import ACCOUNT_SID_RE as ACCOUNT_SID_RE
from twibench.profile import API_KEY_SID_RE as API_KEY_SID_RE
from twibench.profile import BUILTIN_NAMES as BUILTIN_NAMES
from twibench.profile import EDGE_RE as EDGE_RE
from twibench.profile import ENV as ENV
from twibench.profile import NAME_RE as NAME_RE
from twibench.profile import REGION_RE as REGION_RE
from twibench.profile import SANDBOX as SANDBOX
from twibench.profile import Kind as Kind
from twibench.profile import Profile as Profile
from twibench.profile import ProfileError as ProfileError
from twibench.profile import SecretRef as SecretRef
from twibench.profile import profile_to_yaml as profile_to_yaml
from twibench.profile import twilio_host as twilio_host
from twibench.redact import require_long_secret, short_secret_problem
from twibench.yamlload import LocDict

_PROFILE_KEYS = (
    "account_sid", "auth_token", "api_key", "api_secret", "region", "edge",
    "allowed_hosts", "variables", "base_url",
)  # fmt: skip


# --- secrets ---------------------------------------------------------------------------------------


class SecretPrompt(Protocol):
    """The session's secret store (`sending.PromptedSecrets`): asks for a `{prompt: true}` secret, reads a
    keyring or command secret, each once, and keeps them for the session."""

    def typed(self, profile: Profile) -> str | None:
        """The secret kept for `profile` this session (typed, or read from the keyring or a command), or None."""

    def ask(self, profile: Profile) -> str:
        """The typed secret, asked now if this session has not asked yet."""

    def obtain(self, profile: Profile, fetch: Callable[[], str]) -> str:
        """The kept secret, else `fetch()` now (once) and keep what it returns."""


def no_prompt_error(profile: Profile) -> ProfileError:
    """The error for a `{prompt: true}` secret that nothing can ask for (no terminal)."""
    return ProfileError(
        f"profile '{profile.name}' asks for its secret at a prompt, but there is no terminal; "
        "run it interactively or use {env: NAME} in profiles.yaml"
    )


def resolve_secret(
    profile: Profile, prompt: SecretPrompt | None = None, environ: Mapping[str, str] | None = None
) -> str:
    """The profile's secret value.

    Args:
        profile: the profile.
        prompt: the session that asks for a `{prompt: true}` secret (once) and keeps it; without one,
            such a secret is an error. Nothing here reads the terminal: the CLI and the TUI ask.
        environ: the environment (defaults to os.environ).

    A `{keyring: …}` or `{command: […]}` secret is read through the session (`prompt`), which keeps it, so
    the keyring is read and the command run once per session; without a session, it is read every time.

    Raises:
        ProfileError: the environment variable is unset, a prompt is needed and nothing can ask, or the
            keyring or command gave no usable secret.
    """
    ref = profile.secret
    if ref.literal is not None:
        return ref.literal
    if ref.keyring is not None or ref.command is not None:
        from twibench import secret_sources

        def fetch() -> str:
            return secret_sources.obtain(profile)

        return fetch() if prompt is None else prompt.obtain(profile, fetch)
    if ref.env:
        value = (environ if environ is not None else os.environ).get(ref.env, "")
        if not value:
            raise ProfileError(
                f"profile '{profile.name}' reads its secret from ${ref.env}, which is not set; "
                f"export {ref.env} or choose another profile"
            )
        return require_long_secret(profile.name, f"${ref.env}", value, ProfileError)
    if prompt is None:
        raise no_prompt_error(profile)
    return prompt.ask(profile)


def known_secrets(
    profiles: ProfileSet, environ: Mapping[str, str] | None = None, prompt: SecretPrompt | None = None
) -> list[tuple[str, str]]:
    """(user, secret) pairs of every profile whose secret is available without asking (for redaction).

    `prompt` is the session whose kept secrets count too (typed, or read from a keyring or a command: each
    redactor of a session masks them); nothing here asks, reads a keyring or runs a command.
    """
    env = environ if environ is not None else os.environ
    pairs: list[tuple[str, str]] = []
    for profile in profiles.profiles.values():
        ref = profile.secret
        value = ref.literal or (env.get(ref.env, "") if ref.env else "")
        if not value and ref.kept_by_session and prompt is not None:
            value = prompt.typed(profile) or ""
        if value:
            pairs.append((profile.username, value))
    return pairs


# --- the profile set -------------------------------------------------------------------------------


@dataclass
class ProfileSet:
    """Every profile the user can pick: built-ins first, then the profiles file's, and the default."""

    profiles: dict[str, Profile]
    default: str = SANDBOX
    path: Path | None = None
    warnings: list[str] = field(default_factory=list)
    broken: str | None = None
    """Why the profiles file did not load (only the built-ins are here, and saving would lose the file)."""

    def get(self, name: str | None = None) -> Profile:
        """The named profile (or the default).

        Raises:
            ProfileError: naming the unknown profile and listing the known ones.
        """
        name = name or self.default
        try:
            return self.profiles[name]
        except KeyError:
            known = ", ".join(self.profiles)
            raise ProfileError(f"unknown profile '{name}'; known profiles: {known}") from None

    def user_profiles(self) -> list[Profile]:
        """Profiles from the profiles file (not built-in)."""
        return [p for p in self.profiles.values() if not p.builtin]


BuiltinFactory = Callable[[Mapping[str, str]], Profile | None]
_builtin_factories: dict[str, BuiltinFactory] = {}


def register_builtin(name: str, factory: BuiltinFactory) -> None:
    """Register a built-in profile; the factory returns None when it is not available (e.g. no env vars)."""
    _builtin_factories[name] = factory


def _sandbox_profile(environ: Mapping[str, str]) -> Profile:
    from twibench.sandbox import credentials

    def start() -> str:
        from twibench.sandbox import embedded

        return embedded.ensure_running(deterministic=environ.get("TWIBENCH_SANDBOX_DETERMINISTIC") == "1")

    return Profile(
        name=SANDBOX,
        kind="auth_token",
        account_sid=credentials.ACCOUNT_SID,
        username=credentials.ACCOUNT_SID,
        secret=SecretRef(literal=credentials.AUTH_TOKEN),
        variables={"from": credentials.PHONE_NUMBER},
        builtin=True,
        base_url_provider=start,
    )


def _env_profile(environ: Mapping[str, str]) -> Profile | None:
    account = environ.get("TWILIO_ACCOUNT_SID", "").strip()
    if not account:
        return None
    region = environ.get("TWILIO_REGION") or None
    edge = environ.get("TWILIO_EDGE") or None
    if environ.get("TWILIO_API_KEY") and environ.get("TWILIO_API_SECRET"):
        return Profile(
            name=ENV, kind="api_key", account_sid=account, username=environ["TWILIO_API_KEY"].strip(),
            secret=SecretRef(env="TWILIO_API_SECRET"), region=region, edge=edge, builtin=True,
        )  # fmt: skip
    if environ.get("TWILIO_AUTH_TOKEN"):
        return Profile(
            name=ENV, kind="auth_token", account_sid=account, username=account,
            secret=SecretRef(env="TWILIO_AUTH_TOKEN"), region=region, edge=edge, builtin=True,
        )  # fmt: skip
    return None


register_builtin(SANDBOX, _sandbox_profile)
register_builtin(ENV, _env_profile)


def load_profiles(path: Path | None = None, environ: Mapping[str, str] | None = None) -> ProfileSet:
    """Load the built-in profiles and the profiles file (a missing file is fine).

    Raises:
        FileErrors: one located error per problem in the profiles file.
    """
    path = path or paths.profiles_file()
    if not path.exists():
        return _read_data(path, None, environ)[0]
    result, has_literal = _read_data(path, yamlload.load_file(path), environ)
    if has_literal and path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        result.warnings.append(f"{path} holds a literal secret and is readable by other users; run: chmod 600 {path}")
    return result


def _read_text(path: Path, text: str, environ: Mapping[str, str] | None) -> ProfileSet:
    """The profiles `text` (the profiles file's content, read or about to be written) holds."""
    return _read_data(path, yamlload.parse(path, text), environ)[0]


def _read_data(path: Path, data: Any, environ: Mapping[str, str] | None) -> tuple[ProfileSet, bool]:
    """The built-ins plus the profiles of the parsed document `data`, and whether one holds a literal secret."""
    env = environ if environ is not None else os.environ
    profiles: dict[str, Profile] = {}
    for name, factory in _builtin_factories.items():
        made = factory(env)
        if made is not None:
            profiles[name] = made
    result = ProfileSet(profiles=profiles, path=path)
    if data is None:
        return result, False
    errors: list[LocatedError] = []
    if not isinstance(data, LocDict):
        raise FileErrors([LocatedError(path, 1, 1, "expected a mapping with profiles: (and optionally default:)")])
    for key in data:
        if key not in ("default", "profiles"):
            line, col = data.key_mark(key)
            errors.append(LocatedError(path, line, col, f"unknown key '{key}'; expected default or profiles"))
    raw_profiles = data.get("profiles")
    has_literal = False
    if raw_profiles is not None and not isinstance(raw_profiles, LocDict):
        line, col = data.value_mark("profiles")
        errors.append(LocatedError(path, line, col, "profiles: expected a mapping of profile name → settings"))
    elif raw_profiles is not None:
        for name, body in raw_profiles.items():
            profile = _parse_profile(path, raw_profiles, name, body, errors)
            if profile is not None:
                profiles[name] = profile
                has_literal = has_literal or profile.secret.literal is not None
                note = regions.resolve(profile.region, profile.edge)[2]
                if note:
                    result.warnings.append(f"profile '{name}': {note}")
    default = data.get("default")
    if default is not None:
        line, col = data.value_mark("default")
        if not isinstance(default, str) or default not in profiles:
            errors.append(
                LocatedError(path, line, col, f"default: '{default}' is not a profile; known: {', '.join(profiles)}")
            )
        else:
            result.default = default
    if errors:
        raise FileErrors(errors)
    return result, has_literal


def load_profiles_or_builtins(path: Path | None = None, environ: Mapping[str, str] | None = None) -> ProfileSet:
    """The profiles, or only the built-ins when the profiles file is broken (the app must still open).

    The problem is kept in `broken` and in `warnings` (one sentence naming file:line and the fix), and
    `save_profiles` refuses to overwrite the broken file.
    """
    try:
        return load_profiles(path, environ)
    except FileErrors as exc:
        missing = Path("/nonexistent/twibench-profiles.yaml")
        builtins = load_profiles(missing, environ)
        builtins.path = path or paths.profiles_file()
        first = exc.errors[0] if exc.errors else exc
        more = f" (and {len(exc.errors) - 1} more)" if len(exc.errors) > 1 else ""
        builtins.broken = (
            f"{first}{more} — opened with the built-in profiles only; fix the file and restart to use yours"
        )
        builtins.warnings.append(builtins.broken)
        return builtins


def _parse_profile(path: Path, parent: LocDict, name: str, body: Any, errors: list[LocatedError]) -> Profile | None:
    line, col = parent.key_mark(name)
    count = len(errors)

    def err(where: tuple[int, int], message: str) -> None:
        errors.append(LocatedError(path, where[0], where[1], f"profile '{name}': {message}"))

    if name in BUILTIN_NAMES:
        err((line, col), f"'{name}' is a built-in profile name; choose another name")
        return None
    if not NAME_RE.match(name):
        err((line, col), "a profile name uses letters, digits, '.', '_' and '-' only")
    if not isinstance(body, LocDict):
        err(parent.value_mark(name), "expected a mapping with account_sid and credentials")
        return None
    for key in body:
        if key not in _PROFILE_KEYS:
            err(body.key_mark(key), f"unknown key '{key}'; expected one of: {', '.join(_PROFILE_KEYS)}")

    def text(key: str, pattern: re.Pattern[str] | None, what: str) -> str | None:
        value = body.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or (pattern is not None and not pattern.match(value)):
            err(body.value_mark(key), f"{key}: expected {what}")
            return None
        return value

    account = text("account_sid", ACCOUNT_SID_RE, "an Account SID (AC followed by 32 hex digits)")
    if "account_sid" not in body:
        err(body.start, "account_sid is required (AC followed by 32 hex digits)")
    api_key = text("api_key", API_KEY_SID_RE, "an API Key SID (SK followed by 32 hex digits)")
    region = text("region", REGION_RE, "a region such as us1, ie1 or au1")
    edge = text("edge", EDGE_RE, "an edge such as dublin, sydney or ashburn")
    base_url = text("base_url", None, "a base URL such as https://api.example.test")
    if base_url is not None and (problem := base_url_problem(base_url)) is not None:
        err(body.value_mark("base_url"), f"base_url: {problem}")
    kind: Kind = "api_key" if ("api_key" in body or "api_secret" in body) else "auth_token"
    if kind == "api_key" and "auth_token" in body:
        err(body.key_mark("auth_token"), "use either auth_token, or api_key with api_secret — not both")
    secret_key = "api_secret" if kind == "api_key" else "auth_token"
    if kind == "api_key" and "api_key" not in body:
        err(body.start, "api_secret needs api_key (the SK… SID)")
    secret = _parse_secret(body, secret_key, lambda where, msg: err(where, msg))
    allowed: list[str] = []
    hosts = body.get("allowed_hosts")
    if hosts is not None:
        if not isinstance(hosts, list) or not all(isinstance(h, str) and h.strip() for h in hosts):
            err(body.value_mark("allowed_hosts"), "allowed_hosts: expected a list of hosts such as 127.0.0.1:8080")
        else:
            allowed = [h.strip() for h in hosts]
    variables: dict[str, str] = {}
    raw_vars = body.get("variables")
    if raw_vars is not None:
        if not isinstance(raw_vars, LocDict):
            err(body.value_mark("variables"), "variables: expected a mapping of name → value")
        else:
            for key, value in raw_vars.items():
                if isinstance(value, (dict, list)) or value is None:
                    err(raw_vars.value_mark(key), f"variables.{key}: expected a text value")
                else:
                    variables[key] = value if isinstance(value, str) else raw_vars.raw.get(key, str(value))
    if len(errors) > count or account is None or secret is None:
        return None
    return Profile(
        name=name,
        kind=kind,
        account_sid=account,
        username=api_key if (kind == "api_key" and api_key) else account,
        secret=secret,
        region=region,
        edge=edge,
        allowed_hosts=allowed,
        variables=variables,
        base_url=base_url.rstrip("/") if base_url else None,
    )


_SECRET_FORMS = "a literal, {env: NAME}, {prompt: true}, {keyring: SERVICE} or {command: [PROGRAM, ARG…]}"  # noqa: S105


def _parse_secret(body: LocDict, key: str, err: Callable[[tuple[int, int], str], None]) -> SecretRef | None:
    if key not in body:
        err(body.start, f"{key} is required: {_SECRET_FORMS}")
        return None
    value, where = body[key], body.value_mark(key)
    if isinstance(value, int) and not isinstance(value, bool):
        value = body.raw.get(key, str(value))  # an unquoted all-digit token is still the token's text
    if isinstance(value, str) and value:
        if problem := short_secret_problem(key, value):
            err(where, problem)
        return None if problem else SecretRef(literal=value)
    if isinstance(value, LocDict) and set(value) == {"env"} and isinstance(value["env"], str) and value["env"]:
        return SecretRef(env=value["env"])
    if isinstance(value, LocDict) and set(value) == {"prompt"} and value["prompt"] is True:
        return SecretRef(prompt=True)
    if isinstance(value, LocDict) and "keyring" in value:
        return _parse_keyring(value, key, where, err)
    if isinstance(value, LocDict) and set(value) == {"command"}:
        argv = value["command"]
        if isinstance(argv, list) and argv and all(isinstance(arg, str) and arg for arg in argv):
            return SecretRef(command=tuple(argv))
        err(
            value.value_mark("command"),
            f"{key}.command: expected a list of text: [PROGRAM, ARG…] (run without a shell; quote numbers and yes/no)",
        )
        return None
    err(where, f"{key}: expected {_SECRET_FORMS}")
    return None


def _parse_keyring(
    value: LocDict, key: str, where: tuple[int, int], err: Callable[[tuple[int, int], str], None]
) -> SecretRef | None:
    """`{keyring: SERVICE}` or `{keyring: SERVICE, username: NAME}` (the user defaults to the profile's SID)."""
    extra = set(value) - {"keyring", "username"}
    if extra:
        err(where, f"{key}: unknown key '{sorted(extra)[0]}' beside keyring; expected keyring and optionally username")
        return None
    service, user = value["keyring"], value.get("username")
    if not isinstance(service, str) or not service.strip():
        err(value.value_mark("keyring"), f"{key}.keyring: expected the keyring service name, such as twibench")
        return None
    if user is not None and (not isinstance(user, str) or not user.strip()):
        err(value.value_mark("username"), f"{key}.username: expected the keyring entry's user name")
        return None
    return SecretRef(keyring=service.strip(), keyring_user=user.strip() if user else None)


# --- writing ----------------------------------------------------------------------------------------


def save_profiles(profile_set: ProfileSet, path: Path | None = None, renames: Mapping[str, str] | None = None) -> Path:
    """Write the user's profiles (not the built-ins) atomically with mode 0600, under the profiles lock.

    An existing file is edited, not rewritten (`profiles_save`): only the lines of what changed between
    the file and `profile_set` move; `renames` (new name → old name) says which profile was renamed. A
    read-modify-write (load, change, save) holds `profiles_file.locked()` around all three steps.
    """
    from twibench.profiles_file import locked, write_text

    if profile_set.broken is not None:
        raise ProfileError(f"profiles not saved, because the profiles file did not load: {profile_set.broken}")
    target = path or profile_set.path or paths.profiles_file()
    paths.ensure_private_dir(target.parent)
    new = {p.name: p for p in profile_set.user_profiles()}
    with locked(target):
        text = yamlload.read_text(target) if target.exists() else None
        return write_text(_saved_text(target, text, new, profile_set.default, renames or {}), target)


def _saved_text(path: Path, text: str | None, new: dict[str, Profile], default: str, renames: Mapping[str, str]) -> str:
    """The new text of the profiles file: `text` spliced, else round-tripped, else written anew.

    Raises:
        ProfileError: the file on disk does not load now, or the profiles would not load back as given.
    """
    from twibench import profiles_save  # the YAML splicer loads when a profile is saved, not at start-up

    expected = ({n: profile_to_yaml(p) for n, p in new.items()}, default)
    if text is not None:
        try:
            current = _read_text(path, text, None)
        except (FileErrors, LocatedError) as exc:
            raise ProfileError(f"profiles not saved, because {path} does not load now: {exc}") from None
        old = {p.name: p for p in current.user_profiles()}
        renamed = profiles_save.resolve_renames(old, new, renames)
        spliced = profiles_save.splice_profiles(text, old, current.default, new, default, renamed)
        if spliced is not None and _reads_as(path, spliced, expected) is None:
            return spliced
        kept = profiles_save.roundtrip_profiles(text, new, default, renamed)
        if kept is not None and _reads_as(path, kept, expected) is None:
            return kept
    written = profiles_save.new_document(new, default)
    problem = _reads_as(path, written, expected)
    if problem is not None:
        raise ProfileError(f"profiles not saved to {path}, because they would not load back: {problem}")
    return written


def _reads_as(path: Path, text: str, expected: tuple[dict[str, dict[str, Any]], str]) -> str | None:
    """None when `text` loads as exactly the expected user profiles and default, else what differs."""
    try:
        loaded = _read_text(path, text, None)
    except (FileErrors, LocatedError) as exc:
        return str(exc)
    got = {p.name: profile_to_yaml(p) for p in loaded.user_profiles()}
    return None if (got, loaded.default) == expected else "the written file reads differently"
