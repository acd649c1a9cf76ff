"""`twibench export curl|twilio-cli|python|node|csharp|java|php|ruby|go FILE#ID`, `twibench export postman PATH`.

Snippets are printed on stdout, ready to paste or redirect; they read credentials from environment
variables and never contain a secret. A request twilio-cli cannot express is an error (exit 2) that says
why, rather than a command that would do something else.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from twibench.cli.common import UsageError, load_profile_set, parse_vars
from twibench.cli.parser import Parser
from twibench.errors import TwibenchError

_SNIPPETS = ("curl", "twilio-cli", "python", "node", "csharp", "java", "php", "ruby", "go")


class NoEquivalentError(TwibenchError):
    """twilio-cli has no command for the request."""


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="twibench export",
        description="Print a request as a curl command, a twilio-cli command or a snippet for one of Twilio's "
        "helper libraries (Python, Node, C#, Java, PHP, Ruby, Go), or write "
        "collections as a Postman v2.1 collection. Credentials are environment references, never secrets.",
    )
    sub = parser.add_subparsers(dest="format", required=True, parser_class=Parser)
    helps = {
        "curl": 'a curl command (-u "$TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN")',
        "twilio-cli": "a twilio-cli command, when twilio-cli has one for the operation",
        "python": "Twilio's helper library for Messages/Accounts/Keys, else httpx",
        "node": "twilio-node: resource calls for Messages/Accounts/Keys, else client.request (or fetch)",
        "csharp": "twilio-csharp: resource calls for Messages/Accounts/Keys, else a Twilio Request (or HttpClient)",
        "java": "twilio-java: resource builders for Messages/Accounts/Keys, else a Twilio Request (or HttpClient)",
        "php": "twilio-php: resource calls for Messages/Accounts/Keys, else $client->request (or curl)",
        "ruby": "twilio-ruby: resource calls for Messages/Accounts/Keys, else client.request (or Net::HTTP)",
        "go": "twilio-go: typed calls for Messages/Accounts/Keys, else client.Get/Post/Delete (or net/http)",
    }
    for name in _SNIPPETS:
        snippet = sub.add_parser(name, help=helps[name], description=f"Print {helps[name]}.")
        snippet.add_argument("ref", metavar="FILE#ID", help="collection file and request id: messages.yaml#send-sms")
        snippet.add_argument("--profile", help="decides the host (region/edge) and credential variables")
        snippet.add_argument("--var", action="append", default=[], metavar="NAME=VALUE", help="set a variable (repeat)")
    postman = sub.add_parser("postman", help="a Postman Collection v2.1 from a collection file or folder")
    postman.add_argument("path", type=Path, metavar="PATH", help="a collection file, or a folder of them")
    postman.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here (default: stdout)")
    return parser


def _snippet(args: argparse.Namespace) -> int:
    from twibench import collection, exporters, variables

    overrides = parse_vars(args.var)
    collection_, request = collection.find_request(args.ref)
    profile_set = load_profile_set()
    profile = profile_set.get(args.profile)
    values = variables.merge(collection_.variables, profile.builtin_variables(), overrides)
    if args.format == "curl":
        text = exporters.to_curl(request, profile, values)
    elif args.format in exporters.LANGUAGES:
        text = exporters.LANGUAGES[args.format](request, profile, values)
    else:
        from twibench.exporters.twilio_cli import missing_reason

        command = exporters.to_twilio_cli(request, profile, values)
        if command is None:
            reason = missing_reason(request) or "twilio-cli has no command for it"
            raise NoEquivalentError(
                f"'{request.name}' has no twilio-cli equivalent: {reason}; use twibench export curl {args.ref}"
            )
        text = command
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def _postman(args: argparse.Namespace) -> int:
    from twibench.exporters.postman import export_postman

    if not args.path.exists():
        raise UsageError(f"{args.path}: no such file or folder")
    text = json.dumps(export_postman(args.path), indent=2, ensure_ascii=False) + "\n"
    if args.output is None:
        sys.stdout.write(text)
        return 0
    from twibench.atomic import write_atomic

    write_atomic(args.output, text)
    print(f"wrote {args.output} (Postman Collection v2.1)")
    return 0


def main(argv: list[str]) -> int:
    """`twibench export ARGS…` (delegated from `twibench.cli`)."""
    args = _parser().parse_args(argv)
    return _postman(args) if args.format == "postman" else _snippet(args)
