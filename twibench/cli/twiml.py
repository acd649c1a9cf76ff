"""`twibench twiml check FILE|-`: is a TwiML document valid? Each problem as `FILE:line:col: …`.

Exit 0 when the document is valid (warnings allowed), 1 when it has errors, 2 when it cannot be read.
"""

from __future__ import annotations

import sys

from twibench.cli.common import UsageError
from twibench.cli.parser import Parser
from twibench.webhooks import twiml

MAX_DOCUMENT = 1024 * 1024


def build_parser() -> Parser:
    """The `twiml` subcommand's arguments."""
    parser = Parser(prog="twibench twiml", description="Check TwiML documents against Twilio's grammar.")
    sub = parser.add_subparsers(dest="action", required=True, parser_class=Parser)
    check = sub.add_parser("check", help="check a TwiML file (or - for stdin)")
    check.add_argument("files", nargs="+", metavar="FILE", help="TwiML files, or - to read stdin")
    check.add_argument("--kind", choices=twiml.KINDS, help="voice, messaging or fax (default: guessed)")
    return parser


def read_document(name: str) -> bytes:
    """A document from a regular file or stdin, at most MAX_DOCUMENT bytes.

    Raises:
        UsageError: not a regular file, unreadable, or too large.
    """
    if name == "-":
        data = sys.stdin.buffer.read(MAX_DOCUMENT + 1)
    else:
        from pathlib import Path

        path = Path(name)
        try:
            if not path.is_file():
                raise UsageError(f"{name}: not a regular file")
            with path.open("rb") as handle:
                data = handle.read(MAX_DOCUMENT + 1)
        except OSError as exc:
            raise UsageError(f"{name}: cannot be read ({exc.strerror})") from None
    if len(data) > MAX_DOCUMENT:
        raise UsageError(f"{name}: larger than {MAX_DOCUMENT // 1024} KiB; TwiML documents are small")
    return data


def main(argv: list[str]) -> int:
    """Run `twibench twiml ARGS`."""
    args = build_parser().parse_args(argv)
    worst = 0
    for name in args.files:
        report = twiml.check(read_document(name), kind=args.kind)
        label = "<stdin>" if name == "-" else name
        for problem in report.problems:
            print(f"{label}:{problem}")
        print(f"{label}: {report.verdict()}")
        worst = max(worst, 0 if report.ok else 1)
    return worst
