"""`twibench import curl|openapi|postman …`: import requests into collection files.

Warnings (what was dropped or changed) go to stderr and leave the exit code at 0; errors are one line
(exit 2) through the top level's TwibenchError handling.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from twibench.cli.common import UsageError
from twibench.cli.parser import Parser


def _parser() -> argparse.ArgumentParser:
    parser = Parser(prog="twibench import", description="Import requests into collection files.")
    sub = parser.add_subparsers(dest="source", required=True, parser_class=Parser)

    curl = sub.add_parser(
        "curl",
        help="a curl command, as Twilio's docs or a browser's 'Copy as cURL' write it",
        description="Turn a curl command into a request. $TWILIO_ACCOUNT_SID becomes {{account_sid}}; -u is "
        "never written (the active profile's credentials are used instead).",
    )
    curl.add_argument("command", metavar="CMD", help="the whole command in one argument, or - to read it from stdin")
    curl.add_argument("-o", "--output", type=Path, metavar="FILE", help="append to this collection file (or create it)")
    curl.add_argument("--name", help="the request's name (default: the Twilio operation, or METHOD + path)")

    openapi = sub.add_parser(
        "openapi",
        help="an OpenAPI 3.0/3.1 document (JSON or YAML), or Twilio's bundled specs: one file per resource",
        description="Write one collection file per resource of an OpenAPI document into DIR. Instead of a "
        "file, --product or --all import Twilio's own specs bundled with twibench (one folder per spec "
        "when there are several: DIR/verify_v2/, DIR/verify_v3/, …).",
    )
    openapi.add_argument("spec", type=Path, metavar="SPEC", nargs="?", help="the document (.json, .yaml, .json.gz)")
    openapi.add_argument(
        "--product",
        metavar="NAME",
        help="a bundled product by host label (verify, messaging, flex-api: all its versions) or one spec (verify_v2)",
    )
    openapi.add_argument("--all", action="store_true", help="every bundled spec (55 specs, 1,447 operations)")
    openapi.add_argument("-o", "--output", type=Path, metavar="DIR", required=True, help="folder for the files")
    openapi.add_argument("--tag", help="only operations with this tag")
    openapi.add_argument("--path-prefix", metavar="P", help="only operations whose path starts with P")
    openapi.add_argument("--force", action="store_true", help="replace files that already exist")

    postman = sub.add_parser(
        "postman",
        help="a Postman Collection v2.1 (folders become files)",
        description="Write a Postman v2.1 collection as collection files into DIR, one per folder.",
    )
    postman.add_argument("file", type=Path, metavar="FILE")
    postman.add_argument("-o", "--output", type=Path, metavar="DIR", required=True, help="folder for the files")
    postman.add_argument("--force", action="store_true", help="replace files that already exist")
    return parser


def _warn(message: str) -> None:
    print(f"twibench: warning: {message}", file=sys.stderr, flush=True)


def _curl(args: argparse.Namespace) -> int:
    from twibench.importers.curl import import_curl

    command = sys.stdin.read() if args.command == "-" else args.command
    if not command.strip():
        raise UsageError("twibench import curl: the command is empty")
    result = import_curl(command, args.output, args.name)
    for warning in result.warnings:
        _warn(warning)
    if args.output is None:
        from twibench.collection.writer import dump_collection

        sys.stdout.write(dump_collection(result.collection))
    else:
        ref = f"{args.output}#{result.request.id}"
        print(f"added '{result.request.name}' to {args.output} (send it with: twibench send {ref})")
    return 0


def _openapi(args: argparse.Namespace) -> int:
    from twibench.importers.openapi import bundled_specs, import_bundled, import_openapi

    given = [name for name, value in (("SPEC", args.spec), ("--product", args.product), ("--all", args.all)) if value]
    if len(given) != 1:
        problem = "give one of" if not given else f"{' and '.join(given)} cannot be combined; give one of"
        raise UsageError(f"twibench import openapi: {problem} SPEC, --product NAME or --all")
    filters = {"tag": args.tag, "path_prefix": args.path_prefix, "overwrite": args.force}
    if args.spec is not None:
        result = import_openapi(args.spec, args.output, **filters)
    else:
        result = import_bundled(bundled_specs(None if args.all else args.product), args.output, **filters)
    print(f"imported {result.operations} operation(s) into {len(result.files)} file(s) in {args.output}")
    return 0


def _postman(args: argparse.Namespace) -> int:
    from twibench.importers.postman import import_postman

    result = import_postman(args.file, args.output, overwrite=args.force)
    for warning in result.warnings:
        _warn(warning)
    print(f"imported {result.requests} request(s) into {len(result.files)} file(s) in {args.output}")
    return 0


def main(argv: list[str]) -> int:
    """`twibench import ARGS…` (delegated from `twibench.cli`)."""
    args = _parser().parse_args(argv)
    handlers = {"curl": _curl, "openapi": _openapi, "postman": _postman}
    return handlers[args.source](args)
