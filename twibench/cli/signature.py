"""`twibench signature compute|check`: the X-Twilio-Signature lab.

`compute` prints the signature Twilio would send; `check` says valid or invalid and, on a mismatch,
prints the exact string that was signed and the likely cause. Exit 0 valid, 1 invalid, 2 bad input.
"""

from __future__ import annotations

import argparse

from twibench.cli.common import UsageError, load_profile_set
from twibench.cli.parser import Parser
from twibench.cli.signing import signing_token
from twibench.webhooks import signature


def build_parser() -> Parser:
    """The `signature` subcommand's arguments."""
    parser = Parser(
        prog="twibench signature",
        description="Compute or check X-Twilio-Signature with the profile's Auth Token.",
    )
    sub = parser.add_subparsers(dest="action", required=True, parser_class=Parser)
    for name, text in (("compute", "print the signature Twilio would send"), ("check", "check a signature")):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--url", required=True, help="the full URL Twilio requested (scheme, host, path, query)")
        cmd.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="a form parameter")
        cmd.add_argument("--profile", help="whose Auth Token signs (default: the default profile)")
        cmd.add_argument("--auth-token-env", metavar="NAME", help="read the Auth Token from $NAME instead")
        if name == "check":
            cmd.add_argument("--signature", required=True, help="the X-Twilio-Signature header's value")
    return parser


def _params(items: list[str]) -> list[tuple[str, str]]:
    pairs = []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"twibench signature: --param expects NAME=VALUE, got {item!r}")
        pairs.append((name, value))
    return pairs


def main(argv: list[str]) -> int:
    """Run `twibench signature ARGS`."""
    args: argparse.Namespace = build_parser().parse_args(argv)
    profile = load_profile_set().get(args.profile)
    token = signing_token(profile, args.auth_token_env)
    params = _params(args.param)
    if args.action == "compute":
        print(signature.compute(args.url, params, token))
        return 0
    found = signature.diagnose(args.url, params, args.signature, token)
    print(f"signature {found.verdict} for profile '{profile.name}'")
    if found.verdict == "valid":
        return 0
    print(f"signed string: {found.signed}")
    print(f"expected:      {found.expected}")
    print(f"received:      {args.signature}")
    if found.cause:
        print(f"likely cause:  {found.cause}")
    else:
        print("no variation of the URL or parameters matches; check:")
        for hint in found.hints:
            print(f"  - {hint}")
    return 1
