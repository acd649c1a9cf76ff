"""The `twibench` command line (argparse). Imports Textual only for the TUI and httpx only when sending.

`twibench [PATH ...]` opens the TUI; a first word that is a subcommand runs it instead (DESIGN §8).
Exit codes: 0 success · 1 a status ≥ 400 · 2 bad input · 3 a transport failure.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from twibench import __version__
from twibench.cliparse import Parser as _Parser
from twibench.cliparse import UsageError
from twibench.errors import FileErrors, TwibenchError

if TYPE_CHECKING:
    from twibench.profiles import Profile, ProfileSet

EXIT_OK, EXIT_STATUS, EXIT_INPUT, EXIT_TRANSPORT = 0, 1, 2, 3
# Subcommands whose module parses its own arguments: `twibench NAME ARGS…` → MODULE.main(ARGS).
DELEGATED = {
    "run": "twibench.runner_cli",
    "history": "twibench.history_cli",
    "import": "twibench.importers.cli",
    "export": "twibench.export_cli",
    "sandbox": "twibench.sandbox.cli",
    "webhook": "twibench.cli.webhook",
    "inbox": "twibench.cli.inbox",
    "signature": "twibench.cli.signature",
    "twiml": "twibench.cli.twiml",
}
SUBCOMMANDS = ("send", "check", "profiles", "locate", "tui", *DELEGATED)


def _tui_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="twibench",
        description="A terminal workbench for the Twilio REST API. With no subcommand, opens the TUI on the "
        "given collection files or folders.",
        epilog=textwrap.fill("subcommands: " + ", ".join(SUBCOMMANDS) + " (twibench SUBCOMMAND --help).", 78)
        + "\nExit codes: 0 ok, 1 a status >= 400, 2 bad input, 3 transport failure.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"twibench {__version__}")
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="collection files or folders")
    parser.add_argument("--profile", help="credential profile to start with (default: the sandbox)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    return parser


def _command_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="twibench")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    send = sub.add_parser("send", help="send one request: FILE#ID", description="Send one request of a collection.")
    send.add_argument("ref", metavar="FILE#ID", help="collection file and request id, e.g. messages.yaml#send-sms")
    send.add_argument("--profile", help="credential profile (default: the sandbox, or profiles.yaml's default)")
    send.add_argument("--var", action="append", default=[], metavar="NAME=VALUE", help="set a variable (repeat)")
    send.add_argument("--include", "-i", action="store_true", help="also print the response headers")
    send.add_argument("--json", action="store_true", help="print the exchange as JSON (redacted) on stdout")
    send.add_argument("--no-history", action="store_true", help="do not record the exchange in the history")
    send.add_argument("--select", metavar="JSONPATH", help="print only what this JSONPath matches, one per line")
    send.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)

    check = sub.add_parser("check", help="validate collection files", description="Validate collections.")
    check.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    check.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)

    profiles = sub.add_parser("profiles", help="list credential profiles", description="Credential profiles.")
    psub = profiles.add_subparsers(dest="action", required=True, parser_class=_Parser)
    psub.add_parser("list", help="name, kind, masked SID and host of every profile (never a secret)")
    add = psub.add_parser(
        "add",
        help="add or replace a profile",
        description="Add a profile. Secrets never go on the command line: name an environment variable, "
        "ask at a prompt each session, or pipe a secret to store with --secret-stdin.",
    )
    add.add_argument("name")
    add.add_argument("--account-sid", required=True, metavar="AC…")
    add.add_argument("--api-key", metavar="SK…", help="make an API Key profile (else Auth Token)")
    source = add.add_mutually_exclusive_group(required=True)
    source.add_argument("--secret-env", metavar="NAME", help="read the secret from this environment variable")
    source.add_argument("--prompt", action="store_true", help="ask for the secret once per session")
    source.add_argument("--secret-stdin", action="store_true", help="store a secret read from stdin (0600 file)")
    add.add_argument("--region", help="e.g. ie1, au1")
    add.add_argument("--edge", help="e.g. dublin, sydney")
    add.add_argument("--base-url", metavar="URL", help="send here instead of Twilio, e.g. http://127.0.0.1:8787")
    add.add_argument("--allowed-host", action="append", default=[], metavar="HOST[:PORT]")
    add.add_argument("--var", action="append", default=[], metavar="NAME=VALUE", help="a per-profile variable")
    add.add_argument("--default", action="store_true", help="make it the default profile")
    use = psub.add_parser("use", help="make a profile the default")
    use.add_argument("name")
    remove = psub.add_parser("remove", help="remove a profile from the profiles file")
    remove.add_argument("name")
    imp = psub.add_parser("import-twilio-cli", help="import profiles from ~/.twilio-cli/config.json")
    imp.add_argument("--config", type=Path, help="twilio-cli's config.json (default: ~/.twilio-cli/config.json)")
    imp.add_argument("--secret-env", metavar="NAME", help="reference this environment variable for the secrets")
    imp.add_argument("--store-secrets", action="store_true", help="copy the API key secrets into profiles.yaml")
    imp.add_argument("--overwrite", action="store_true", help="replace profiles that already exist")

    sub.add_parser("locate", help="print where twibench keeps its files")

    tui = sub.add_parser("tui", help="open the TUI on PATH (for folders named like a subcommand)")
    tui.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    tui.add_argument("--profile")
    return parser


# --- commands ----------------------------------------------------------------------------------------


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cmd_send(args: argparse.Namespace) -> int:
    """`twibench send FILE#ID`: print the status line, the decoded Twilio error and the pretty body."""
    from twibench import client, collection, output, profiles
    from twibench.cliparse import load_profile_set, parse_vars

    overrides = parse_vars(args.var)
    collection_, request = collection.find_request(args.ref)
    profile_set = load_profile_set()
    profile = profile_set.get(args.profile)
    if collection_.sandbox_only and profile.is_live:
        raise UsageError(
            f"{collection_.path}: collection '{collection_.name}' is sandbox_only; "
            f"it refuses the live profile '{profile.name}'"
        )
    values = client.values_for(profile, collection_.variables, None, overrides)
    if args.select is not None:
        from twibench import selection

        selection.compile_path(args.select)  # a bad expression is exit 2 before anything is sent
    exchange = client.send_once(request, profile, values, collection=collection_.name)
    if not args.no_history:
        from twibench import history

        history.record_exchange(exchange, profile_set, collection_file=collection_.path)
    if args.select is not None:
        return selection.show_exchange(exchange, profiles.known_secrets(profile_set), args.select)
    return output.show_result(
        exchange, profiles.known_secrets(profile_set), as_json=args.json, include_headers=args.include
    )


def cmd_check(args: argparse.Namespace) -> int:
    """`twibench check PATH...`: validate structure; exit 0 when every file loads, else 2."""
    from twibench import collection

    result = collection.load_paths(args.paths)
    for error in result.errors:
        _stderr(str(error))
    requests = sum(len(c.requests) for c in result.collections)
    summary = f"{len(result.collections)} collection(s), {requests} request(s) ok"
    if result.errors:
        _stderr(f"twibench check: {len(result.errors)} problem(s); {summary}")
        return EXIT_INPUT
    print(f"twibench check: {summary}")
    return EXIT_OK


def cmd_profiles(args: argparse.Namespace) -> int:
    """`twibench profiles list|add|use|remove|import-twilio-cli`."""

    if args.action != "list":
        return _profiles_change(args)
    from twibench.cliparse import load_profile_set

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
    from twibench.cliparse import parse_vars

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
    from twibench.profiles_file import base_url_problem
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
    if args.secret_env:
        secret = profiles.SecretRef(env=args.secret_env)
    elif args.prompt:
        secret = profiles.SecretRef(prompt=True)
    else:
        value = sys.stdin.readline().strip()
        if not value:
            raise UsageError("--secret-stdin: no secret was read from stdin")
        secret = profiles.SecretRef(literal=require_long_secret(args.name, "--secret-stdin", value, UsageError))
        _stderr("twibench: warning: the secret is stored in the profiles file (mode 0600); prefer --secret-env")
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


def _import_twilio_cli(args: argparse.Namespace, profile_set: ProfileSet, user_names: set[str]) -> int:
    from twibench import profiles, twilio_cli_config

    imported, active = twilio_cli_config.read_config(
        args.config, store_secrets=args.store_secrets, secret_env=args.secret_env
    )
    added = 0
    for item in imported:
        if item.profile is None:
            _stderr(f"twibench: skipped twilio-cli profile '{item.source_id}': {item.skipped}")
            continue
        if item.profile.name in user_names and not args.overwrite:
            _stderr(f"twibench: kept existing profile '{item.profile.name}' (use --overwrite to replace it)")
            continue
        profile_set.profiles[item.profile.name] = item.profile
        print(f"imported {item.profile.describe()} · secret {item.profile.secret.describe()}")
        added += 1
    if added:
        profiles.save_profiles(profile_set)
    if active and active in profile_set.profiles and profile_set.default != active:
        print(f"twilio-cli's active profile is '{active}': run `twibench profiles use {active}` to make it the default")
    if not added:
        _stderr("twibench: no profile was imported")
        return EXIT_INPUT
    return EXIT_OK


def cmd_locate(args: argparse.Namespace) -> int:
    """`twibench locate`: where each file lives (printed even before it exists)."""
    from twibench import paths

    print(f"profiles: {paths.profiles_file()}")
    print(f"settings: {paths.settings_file()}")
    print(f"history: {paths.history_db()}")
    print(f"collections: {paths.collections_dir()}")
    return EXIT_OK


def run_delegated(name: str, argv: list[str]) -> int:
    """Hand `twibench NAME ARGS…` to the module that owns NAME (imported only now)."""
    import importlib

    module = importlib.import_module(DELEGATED[name])
    result: int = module.main(argv)
    return result


def cmd_tui(paths: list[Path], profile: str | None) -> int:
    """Open the Textual app; without a terminal on stdin and stdout, refuse at once (exit 2)."""
    import importlib

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError(
            "the TUI needs a terminal, but stdin or stdout is not one; use a subcommand such as "
            "`twibench send FILE#ID` or `twibench run FILE` (twibench --help lists them)"
        )

    app = importlib.import_module("twibench.tui.app")
    result: int = app.run(paths, profile)
    return result


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "send": cmd_send,
    "check": cmd_check,
    "profiles": cmd_profiles,
    "locate": cmd_locate,
    "tui": lambda args: cmd_tui(args.paths, args.profile),
}


# Where a global `--profile NAME` (written before the subcommand) goes: after these leading words.
_PROFILE_AFTER = {"send": 1, "run": 1, "tui": 1, "history replay": 2}


def _global_options(args_list: list[str]) -> tuple[bool, list[str]]:
    """Take `--debug` (anywhere) and a leading `--profile NAME`, and hand the profile to the subcommand.

    Returns:
        Whether --debug was given, and the arguments for the subcommand (or the TUI) without it.

    Raises:
        UsageError: `--profile` without a name, or before a subcommand that takes no profile.
    """
    debug = "--debug" in args_list
    rest = [a for a in args_list if a != "--debug"]
    profile: list[str] = []
    while rest and (rest[0] == "--profile" or rest[0].startswith("--profile=")):
        if rest[0] == "--profile":
            name, rest = (rest[1] if len(rest) > 1 else ""), rest[2:]
        else:
            name, rest = rest[0].partition("=")[2], rest[1:]
        if not name or name.startswith("-"):
            raise UsageError("--profile needs a profile name (see twibench --help)")
        profile = ["--profile", name]
    if not profile or not rest or rest[0] not in SUBCOMMANDS:
        return debug, profile + rest  # the TUI takes --profile itself
    command = " ".join(rest[:2]) if rest[0] == "history" else rest[0]
    at = _PROFILE_AFTER.get(command)
    if at is None:
        raise UsageError(
            f"--profile does not apply to `twibench {command}`; it goes with send, run, history replay and the TUI"
        )
    return debug, rest[:at] + profile + rest[at:]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `twibench` script."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list or os.environ.get("TWIBENCH_DEBUG") == "1"
    try:
        flag, args_list = _global_options(args_list)
        debug = debug or flag
        if args_list and args_list[0] in DELEGATED:
            return run_delegated(args_list[0], args_list[1:])
        if args_list and args_list[0] in SUBCOMMANDS:
            args = _command_parser().parse_args(args_list)
            return COMMANDS[args.command](args)
        args = _tui_parser().parse_args(args_list)
        return cmd_tui(args.paths, args.profile)
    except FileErrors as exc:
        for error in exc.errors:
            _stderr(str(error))
        return exc.exit_code
    except TwibenchError as exc:
        if debug:
            raise
        _stderr(_one_prefix(str(exc)))
        return exc.exit_code
    except KeyboardInterrupt as exc:  # Ctrl+C; `run` turns SIGTERM into one too (exit code 143)
        code: int = getattr(exc, "exit_code", 130)
        _stderr("twibench: interrupted" if code == 130 else "twibench: terminated")
        return code
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        if debug:
            raise
        # The exception's text may quote a rendered value (a secret): name its class only.
        _stderr(f"twibench: unexpected error: {exc.__class__.__name__} (run with --debug for the traceback)")
        return EXIT_STATUS


def _one_prefix(message: str) -> str:
    """`twibench: MESSAGE`, unless the message already names its command (`twibench run: …`)."""
    return message if re.match(r"twibench(?: [a-z-]+)*: ", message) else f"twibench: {message}"


if __name__ == "__main__":
    sys.exit(main())
