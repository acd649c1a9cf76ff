"""Profile secrets kept outside profiles.yaml: an OS keyring entry, or what a command prints.

`{keyring: SERVICE}` (optionally `{keyring: SERVICE, username: NAME}`) reads the entry of SERVICE whose
user is NAME — by default the profile's SID (the Account SID of an Auth Token profile, the API Key SID of
an API Key profile), the same user `twibench profiles add --keyring` stores it under.
`{command: [PROGRAM, ARG…]}` runs PROGRAM with those arguments — no shell — with stdin closed, waits at
most `COMMAND_TIMEOUT` seconds, and takes its standard output, trimmed, as the secret (`op read …`,
`pass show …`, `security find-generic-password -w …`).

Both are read at most once per session: `profiles.resolve_secret` hands the read to the session's
secret store (`sending.PromptedSecrets.obtain`), which keeps the value, so every redactor of the session
masks it. Every failure is one `ProfileError` sentence naming the profile, the field and the source, and
how to fix it; none quotes what the command printed. The `keyring` library is imported only here, and
only when a keyring secret is read or stored.
"""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

from twibench.profile import ProfileError
from twibench.redact import require_long_secret

if TYPE_CHECKING:
    from twibench.profile import Profile

COMMAND_TIMEOUT = 10.0
"""Seconds a secret command may take (a password manager may wait for an unlock) before it is stopped."""
DEFAULT_SERVICE = "twibench"
"""The keyring service `profiles add --keyring` and `import-twilio-cli --keyring` store secrets under."""


def secret_field(profile: Profile) -> str:
    """The profiles-file key that holds the profile's secret: `auth_token` or `api_secret`."""
    return "api_secret" if profile.kind == "api_key" else "auth_token"


def keyring_user(profile: Profile) -> str:
    """The keyring entry's user: the one the profile names, else its SID (the basic-auth user)."""
    return profile.secret.keyring_user or profile.username


def obtain(profile: Profile) -> str:
    """Read a keyring or command secret now (the session store calls this once and keeps the value).

    Raises:
        ProfileError: the source is unavailable or gave nothing usable (one sentence, no value).
    """
    if profile.secret.keyring is not None:
        return read_keyring(profile)
    if profile.secret.command is not None:
        return run_command(profile)
    raise ProfileError(f"profile '{profile.name}': {secret_field(profile)} is neither a keyring entry nor a command")


def read_keyring(profile: Profile) -> str:
    """The profile's secret from the OS keyring.

    Raises:
        ProfileError: no keyring backend, the keyring refused, or there is no such entry.
    """
    import keyring
    from keyring.errors import NoKeyringError

    service = profile.secret.keyring or DEFAULT_SERVICE
    user = keyring_user(profile)
    where = f"profile '{profile.name}': {secret_field(profile)} is kept in the keyring under service '{service}'"
    try:
        value = keyring.get_password(service, user)
    except NoKeyringError:
        raise ProfileError(
            f"{where}, but this machine has no keyring backend; install one (e.g. a Secret Service such as "
            "gnome-keyring, or keyrings.alt) or use {env: NAME} or {command: [...]} for this profile"
        ) from None
    except Exception as exc:  # a backend's own failure (locked, D-Bus gone): its type, never its data
        raise ProfileError(
            f"{where}, but the keyring could not be read ({type(exc).__name__}); unlock it and try again"
        ) from None
    if not value:
        raise ProfileError(
            f"{where} and user '{user}', but there is no such entry; store it with "
            f"`twibench profiles add {profile.name} --account-sid {profile.account_sid} --keyring` "
            f"(or `keyring set {service} {user}`)"
        )
    return require_long_secret(profile.name, f"the keyring entry {service}/{user}", value, ProfileError)


def store_keyring(service: str, user: str, value: str, profile_name: str, field: str) -> None:
    """Put a secret in the OS keyring (for `profiles add --keyring` and `import-twilio-cli --keyring`).

    Raises:
        ProfileError: no keyring backend, or the keyring refused; nothing was stored.
    """
    import keyring
    from keyring.errors import NoKeyringError

    where = f"profile '{profile_name}': {field} cannot be stored in the keyring under service '{service}'"
    try:
        keyring.set_password(service, user, value)
    except NoKeyringError:
        raise ProfileError(
            f"{where}: this machine has no keyring backend; install one (e.g. a Secret Service such as "
            "gnome-keyring, or keyrings.alt) or use --secret-env instead"
        ) from None
    except Exception as exc:  # a backend's own failure: its type, never its data
        raise ProfileError(f"{where} ({type(exc).__name__}); unlock the keyring and try again") from None


def run_command(profile: Profile) -> str:
    """The profile's secret as a command prints it (argv, no shell, stdin closed, `COMMAND_TIMEOUT`).

    Raises:
        ProfileError: the command is missing, fails, times out, or prints nothing usable; the message
            names the program, never what it printed.
    """
    argv = list(profile.secret.command or ())
    program = argv[0] if argv else "?"
    where = f"profile '{profile.name}': the command that gives {secret_field(profile)} ({program})"
    try:
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=COMMAND_TIMEOUT, check=False)
    except FileNotFoundError:
        raise ProfileError(f"{where} was not found; install it or fix the command in profiles.yaml") from None
    except subprocess.TimeoutExpired:
        raise ProfileError(
            f"{where} did not finish within {COMMAND_TIMEOUT:g} s and was stopped; run it in a terminal to see "
            "what it waits for (a locked password manager?)"
        ) from None
    except OSError as exc:
        raise ProfileError(f"{where} could not be started ({exc.strerror or type(exc).__name__})") from None
    if done.returncode != 0:
        raise ProfileError(
            f"{where} failed with exit status {done.returncode}; run it in a terminal to see why (e.g. sign in)"
        )
    try:
        value = done.stdout.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise ProfileError(f"{where} printed something that is not UTF-8 text; make it print only the secret") from None
    if not value:
        raise ProfileError(f"{where} printed nothing; make it print the secret on standard output")
    if "\n" in value or "\r" in value:
        raise ProfileError(f"{where} printed more than one line; make it print only the secret")
    return require_long_secret(profile.name, f"the output of {program}", value, ProfileError)
