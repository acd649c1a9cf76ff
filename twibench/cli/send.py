"""`twibench send FILE#ID`: send one request of a collection and print the answer like a terminal curl.

The status line with its documented meaning, the decoded Twilio error and the pretty body (or `--json`,
or what `--select` matches). Exit 0 ok, 1 a status ≥ 400, 2 bad input, 3 a transport failure.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from twibench.cli.common import UsageError, command_secrets, load_profile_set, parse_vars, warn
from twibench.cli.parser import Parser

if TYPE_CHECKING:
    from twibench.collection import Collection, Request
    from twibench.exchange import Exchange
    from twibench.profiles import Profile, ProfileSet
    from twibench.sending import PromptedSecrets


def build_parser() -> Parser:
    """The `send` subcommand's arguments."""
    parser = Parser(prog="twibench send", description="Send one request of a collection.")
    parser.add_argument("ref", metavar="FILE#ID", help="collection file and request id, e.g. messages.yaml#send-sms")
    parser.add_argument("--profile", help="credential profile (default: the sandbox, or profiles.yaml's default)")
    parser.add_argument("--var", action="append", default=[], metavar="NAME=VALUE", help="set a variable (repeat)")
    parser.add_argument("--include", "-i", action="store_true", help="also print the response headers")
    parser.add_argument("--json", action="store_true", help="print the exchange as JSON (redacted) on stdout")
    parser.add_argument("--no-history", action="store_true", help="do not record the exchange in the history")
    parser.add_argument("--select", metavar="JSONPATH", help="print only what this JSONPath matches, one per line")
    parser.add_argument("--all-pages", action="store_true", help="follow the list's next-page links; merge them")
    parser.add_argument("--limit", type=int, metavar="N", help="with --all-pages: stop after N records")
    return parser


def main(argv: list[str]) -> int:
    """Run `twibench send ARGS…`; bad input raises a TwibenchError (the top level prints it, exit 2)."""
    args: argparse.Namespace = build_parser().parse_args(argv)
    import twibench.cli.output as output
    from twibench import client, collection, profiles, sending

    overrides = parse_vars(args.var)
    collection_, request = collection.find_request(args.ref)
    profile_set = load_profile_set()
    profile = profile_set.get(args.profile)
    sending.refuse_sandbox_only(collection_, profile)
    secrets = command_secrets()
    values = client.values_for(profile, collection_.variables, None, overrides)
    if args.select is not None:
        from twibench import selection

        selection.compile_path(args.select)  # a bad expression is exit 2 before anything is sent
    if args.limit is not None and (not args.all_pages or args.limit < 1):
        raise UsageError("twibench send: --limit takes a positive number and goes with --all-pages")
    if args.all_pages:
        return _all_pages(args, collection_, request, profile_set, profile, values, secrets)
    exchange = client.send_once(request, profile, values, collection=collection_.name, prompt=secrets)
    if not args.no_history:
        from twibench import history

        with history.Recorder(on_problem=warn) as recorder:
            redactor = history.redactor_for(profile_set, prompt=secrets)
            recorder.record(exchange, redactor, collection_file=collection_.path)
    if args.select is not None:
        return selection.show_exchange(exchange, profiles.known_secrets(profile_set, prompt=secrets), args.select)
    return output.show_result(
        exchange, profiles.known_secrets(profile_set, prompt=secrets), as_json=args.json, include_headers=args.include
    )


def _all_pages(
    args: argparse.Namespace,
    collection_: Collection,
    request: Request,
    profile_set: ProfileSet,
    profile: Profile,
    values: dict[str, str],
    secrets: PromptedSecrets,
) -> int:
    """`--all-pages`: every page through `cli.all_pages`, each recorded in history unless `--no-history`."""
    from twibench import history
    from twibench.cli import all_pages

    redactor = history.redactor_for(profile_set, prompt=secrets)
    if args.no_history:
        return all_pages.run(request, collection_, profile, values, redactor, limit=args.limit, select=args.select)
    with history.Recorder(on_problem=warn) as recorder:

        def record(exchange: Exchange) -> None:
            recorder.record(exchange, redactor, collection_file=collection_.path)

        return all_pages.run(
            request, collection_, profile, values, redactor, limit=args.limit, select=args.select, record=record
        )
