"""`twibench error CODE…`: Twilio's explanation of an error or warning code, offline.

The title, product, description, possible causes and solutions from Twilio's error dictionary (bundled,
1,953 codes), and the documentation link — also for a code the dictionary does not know yet.
"""

from __future__ import annotations

from twibench.cli.common import UsageError
from twibench.cli.parser import Parser


def build_parser() -> Parser:
    """The `error` subcommand's arguments."""
    parser = Parser(prog="twibench error", description="Explain Twilio error codes (offline dictionary).")
    parser.add_argument("codes", nargs="+", metavar="CODE", help="e.g. 21211, 30007, 11200")
    return parser


def main(argv: list[str]) -> int:
    """Print each code's explanation; exit 0, or 2 for something that is not a code."""
    args = build_parser().parse_args(argv)
    from twibench import twilio_errors

    codes = []
    for text in args.codes:
        if not text.isdigit() or len(text) > 9:
            raise UsageError(f"twibench error: {text!r} is not a Twilio error code (a number such as 21211)")
        codes.append(int(text))
    print("\n\n".join(twilio_errors.explain(code) for code in codes))
    return 0
