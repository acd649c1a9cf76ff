"""`twibench check PATH...`: validate collection files without sending anything (exit 0 all load, else 2)."""

from __future__ import annotations

from pathlib import Path

from twibench.cli.common import EXIT_INPUT, EXIT_OK, stderr
from twibench.cli.parser import Parser


def build_parser() -> Parser:
    """The `check` subcommand's arguments."""
    parser = Parser(prog="twibench check", description="Validate collections.")
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    return parser


def main(argv: list[str]) -> int:
    """Load every collection under the paths; print each problem as `file:line: …` on stderr."""
    args = build_parser().parse_args(argv)
    from twibench import collection

    result = collection.load_paths(args.paths)
    for error in result.errors:
        stderr(str(error))
    requests = sum(len(c.requests) for c in result.collections)
    summary = f"{len(result.collections)} collection(s), {requests} request(s) ok"
    if result.errors:
        stderr(f"twibench check: {len(result.errors)} problem(s); {summary}")
        return EXIT_INPUT
    print(f"twibench check: {summary}")
    return EXIT_OK
