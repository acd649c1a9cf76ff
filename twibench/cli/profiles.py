"""`twibench profiles list|add|use|remove|import-twilio-cli`: the credential profiles on the command line.

`list` never shows a secret (a masked SID and where the secret comes from). Secrets never go on the
command line: `add` names an environment variable, asks once per session, reads stdin (0600 file), or
puts the secret in the OS keyring (`--keyring`: read from stdin, or asked with echo off on a terminal)
and writes only the `{keyring: SERVICE}` reference to profiles.yaml.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from twibench.cli.common import EXIT_INPUT, EXIT_OK, UsageError, load_profile_set, parse_vars, stderr
from twibench.cli.parser import Parser

if TYPE_CHECKING:
    from twibench.profiles import Profile, ProfileSet, SecretRef


def build_parser() -> Parser:
    """The `profiles` subcommand's arguments."""
    parser = Parser(prog="twibench profiles", description="Credential profiles.")
    sub = parser.add_subparsers(dest="action", required=True, parser_class=Parser)
    sub.add_parser("list", help="name, kind, masked SID and host of every profile (never a secret)")
    add = sub.add_parser(
        "add",
        help="add or replace a profile",
        description="Add a profile. Secrets never go on the command line: name an environment variable, "
        "ask at a prompt each session, pipe a secret to store with --secret-stdin, or keep it in the OS "
        "keyring with --keyring (read from stdin, or asked on a terminal). profiles.yaml may also name a "
        "command that prints the secret: auth_token: {command: [op, read, 'op://vault/twilio/token']}.",
    )
    add.add_argument("name")
    add.add_argument("--account-sid", required=True, metavar="AC…")
    add.add_argument("--api-key", metavar="SK…", help="make an API Key profile (else Auth Token)")
    source = add.add_mutually_exclusive_group(required=True)
    source.add_argument("--secret-env", metavar="NAME", help="read the secret from this environment variable")
    source.add_argument("--prompt", action="store_true", help="ask for the secret once per session")
    source.add_argument("--secret-stdin", action="store_true", help="store a secret read from stdin (0600 file)")
    source.add_argument(
        "--keyring",
        action="store_true",
        help="store the secret (stdin, or asked on a terminal) in the OS keyring, user = the SID; "
        "profiles.yaml gets {keyring: SERVICE}",
    )
    add.add_argument(
        "--keyring-service", metavar="SERVICE", help="the keyring service for --keyring (default: twibench)"
    )
    add.add_argument("--region", help="e.g. ie1, au1")
    add.add_argument("--edge", help="e.g. dublin, sydney")
    add.add_argument("--base-url", metavar="URL", help="send here instead of Twilio, e.g. http://127.0.0.1:8787")
    add.add_argument("--allowed-host", action="append", default=[], metavar="HOST[:PORT]")
    add.add_argument("--var", action="append", default=[], metavar="NAME=VALUE", help="a per-profile variable")
    add.add_argument("--default", action="store_true", help="make it the default profile")
    use = sub.add_parser("use", help="make a profile the default")
    use.add_argument("name")
    remove = sub.add_parser("remove", help="remove a profile from the profiles file")
    remove.add_argument("name")
    imp = sub.add_parser("import-twilio-cli", help="import profiles from ~/.twilio-cli/config.json")
    imp.add_argument("--config", type=Path, help="twilio-cli's config.json (default: ~/.twilio-cli/config.json)")
    imp.add_argument("--secret-env", metavar="NAME", help="reference this environment variable for the secrets")
    imp_secret = imp.add_mutually_exclusive_group()
    imp_secret.add_argument("--store-secrets", action="store_true", help="copy the API key secrets into profiles.yaml")
    imp_secret.add_argument(
        "--keyring",
        action="store_true",
        help="move the API key secrets into the OS keyring (service twibench, user = the SK… SID); "
        "profiles.yaml gets {keyring: twibench}",
    )
    imp.add_argument("--overwrite", action="store_true", help="replace profiles that already exist")
    return parser


def main(argv: list[str]) -> int:
    """Run `twibench profiles ARGS…`; `list` reads, every other action changes the file under its lock."""
    args = build_parser().parse_args(argv)
    if args.action != "list":
        return _profiles_change(args)
    profile_set = load_profile_set()
    rows = [("", "NAME", "KIND", "SID", "HOST", "SECRET")]
    for profile in profile_set.profiles.values():
        marker = "*" if profile.name == profile_set.default else ""
        live = {"LIVE": " (live)", "LOCAL": " (local)"}.get(profile.badge, "")
        rows.append(
            (
                marker,
                profile.name + live,
                profile.kind_label,
                profile.masked_sid,
                profile.host_label(),
                "built in" if profile.is_sandbox else profile.secret.describe(),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return EXIT_OK


def _profiles_change(args: argparse.Namespace) -> int:
    """`profiles add|use|remove|import-twilio-cli`: read, change and write the file under its lock."""
    from twibench import profiles
    from twibench.profiles_file import locked

    profile = _profile_from_args(args) if args.action == "add" else None  # may read a secret from stdin
    with locked():
        return _change_profiles(args, profiles.load_profiles(), profile)


def _change_profiles(args: argparse.Namespace, profile_set: ProfileSet, profile: Profile | None) -> int:
    from twibench import profiles

    user_names = {p.name for p in profile_set.user_profiles()}
    if args.action == "use":
        profile_set.get(args.name)
        profile_set.default = args.name
        path = profiles.save_profiles(profile_set)
        print(f"default profile: {args.name} ({path})")
        return EXIT_OK
    if args.action == "remove":
        if args.name not in user_names:
            there = ", ".join(sorted(user_names)) or "none"
            raise UsageError(f"no profile '{args.name}' in {profile_set.path}; profiles there: {there}")
        del profile_set.profiles[args.name]
        if profile_set.default == args.name:
            profile_set.default = profiles.SANDBOX
        profiles.save_profiles(profile_set)
        print(f"removed profile {args.name}")
        return EXIT_OK
    if profile is not None:
        if profile.name in profiles.BUILTIN_NAMES:
            raise UsageError(f"'{profile.name}' is a built-in profile name; choose another name")
        profile.variables = parse_vars(args.var)
        profile_set.profiles[profile.name] = profile
        if args.default:
            profile_set.default = profile.name
        path = profiles.save_profiles(profile_set)
        print(f"saved profile {profile.describe()} to {path} (mode 0600)")
        return EXIT_OK
    return _import_twilio_cli(args, profile_set, user_names)


def _profile_from_args(args: argparse.Namespace) -> Profile:
    from twibench import profiles
    from twibench.hostguard import base_url_problem
    from twibench.redact import require_long_secret

    if not profiles.NAME_RE.match(args.name):
        raise UsageError(f"profile name {args.name!r}: use letters, digits, '.', '_' and '-'")
    if not profiles.ACCOUNT_SID_RE.match(args.account_sid):
        raise UsageError("--account-sid expects AC followed by 32 hex digits")
    if args.api_key is not None and not profiles.API_KEY_SID_RE.match(args.api_key):
        raise UsageError("--api-key expects SK followed by 32 hex digits")
    for value, pattern, flag in (
        (args.region, profiles.REGION_RE, "--region"),
        (args.edge, profiles.EDGE_RE, "--edge"),
    ):
        if value is not None and not pattern.match(value):
            raise UsageError(f"{flag}: {value!r} is not a region/edge name such as ie1 or dublin")
    if args.base_url is not None and (problem := base_url_problem(args.base_url)) is not None:
        raise UsageError(f"--base-url {args.base_url!r}: {problem}")
    if args.keyring_service is not None and not args.keyring:
        raise UsageError("--keyring-service needs --keyring")
    if args.secret_env:
        secret = profiles.SecretRef(env=args.secret_env)
    elif args.prompt:
        secret = profiles.SecretRef(prompt=True)
    elif args.keyring:
        secret = _store_in_keyring(args)
    else:
        value = sys.stdin.readline().strip()
        if not value:
            raise UsageError("--secret-stdin: no secret was read from stdin")
        secret = profiles.SecretRef(literal=require_long_secret(args.name, "--secret-stdin", value, UsageError))
        stderr("twibench: warning: the secret is stored in the profiles file (mode 0600); prefer --secret-env")
    kind: profiles.Kind = "api_key" if args.api_key else "auth_token"
    return profiles.Profile(
        name=args.name,
        kind=kind,
        account_sid=args.account_sid,
        username=args.api_key or args.account_sid,
        secret=secret,
        region=args.region,
        edge=args.edge,
        allowed_hosts=list(args.allowed_host),
        base_url=args.base_url.rstrip("/") if args.base_url else None,
    )


def _store_in_keyring(args: argparse.Namespace) -> SecretRef:
    """Read the secret (stdin, or asked with echo off on a terminal) and put it in the keyring under the SID."""
    from twibench import secret_sources
    from twibench.profiles import BUILTIN_NAMES, SecretRef
    from twibench.redact import require_long_secret

    if args.name in BUILTIN_NAMES:  # refused before anything reaches the keyring
        raise UsageError(f"'{args.name}' is a built-in profile name; choose another name")
    service = (args.keyring_service or secret_sources.DEFAULT_SERVICE).strip()
    if not service:
        raise UsageError("--keyring-service: name a keyring service, such as twibench")
    user = args.api_key or args.account_sid
    field = "api_secret" if args.api_key else "auth_token"
    if sys.stdin.isatty():
        import getpass

        label = "API Key Secret" if args.api_key else "Auth Token"
        value = getpass.getpass(f"{label} for profile '{args.name}' (stored in the keyring): ").strip()
    else:
        value = sys.stdin.readline().strip()
    if not value:
        raise UsageError("--keyring: no secret was read (pipe it on stdin, or type it at the prompt)")
    require_long_secret(args.name, "--keyring", value, UsageError)
    secret_sources.store_keyring(service, user, value, args.name, field)
    stderr(f"twibench: stored the {field} of profile '{args.name}' in the keyring (service '{service}', user {user})")
    return SecretRef(keyring=service)


def _import_twilio_cli(args: argparse.Namespace, profile_set: ProfileSet, user_names: set[str]) -> int:
    from twibench import profiles, twilio_cli_config

    imported, active = twilio_cli_config.read_config(
        args.config, store_secrets=args.store_secrets or args.keyring, secret_env=args.secret_env
    )
    added = 0
    for item in imported:
        if item.profile is None:
            stderr(f"twibench: skipped twilio-cli profile '{item.source_id}': {item.skipped}")
            continue
        if item.profile.name in user_names and not args.overwrite:
            stderr(f"twibench: kept existing profile '{item.profile.name}' (use --overwrite to replace it)")
            continue
        if args.keyring:
            item.profile.secret = _keyring_from_literal(item.profile)
        profile_set.profiles[item.profile.name] = item.profile
        print(f"imported {item.profile.describe()} · secret {item.profile.secret.describe()}")
        added += 1
    if added:
        profiles.save_profiles(profile_set)
    if active and active in profile_set.profiles and profile_set.default != active:
        print(f"twilio-cli's active profile is '{active}': run `twibench profiles use {active}` to make it the default")
    if not added:
        stderr("twibench: no profile was imported")
        return EXIT_INPUT
    if args.keyring:
        where = args.config or twilio_cli_config.default_config_path()
        print(f"the secrets are in the keyring now; {where} still holds them in plain text (twilio-cli reads it)")
    return EXIT_OK


def _keyring_from_literal(profile: Profile) -> SecretRef:
    """Move an imported profile's plaintext secret into the keyring: the profile keeps only the reference.

    A twilio-cli profile without a secret keeps its prompt (or env) reference: nothing to move.
    """
    from twibench import secret_sources
    from twibench.profiles import SecretRef

    literal = profile.secret.literal
    if literal is None:
        return profile.secret
    service = secret_sources.DEFAULT_SERVICE
    secret_sources.store_keyring(service, profile.username, literal, profile.name, "api_secret")
    return SecretRef(keyring=service)
