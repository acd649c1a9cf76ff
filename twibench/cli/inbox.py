"""`twibench inbox`: receive callbacks locally, check their signatures, answer TwiML, print a line each.

Every request is recorded (redacted) in the inbox database, which the TUI's Inbox pane reads; each is
printed as one line (`POST /status valid`), flushed at once even when stdout is a file. While it runs,
`{{inbox_url}}` in a collection resolves to the inbox's URL (the `--public-url` one behind a tunnel).
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from types import FrameType

from twibench import paths
from twibench.cli.common import UsageError, command_secrets, load_profile_set
from twibench.cli.parser import Parser
from twibench.cli.signing import SigningTokenError, signing_token
from twibench.profiles import known_secrets
from twibench.redact import Redactor
from twibench.webhooks import inbox, twiml
from twibench.webhooks.inbox_store import Callback, InboxStore


def build_parser() -> Parser:
    """The `inbox` subcommand's arguments."""
    parser = Parser(prog="twibench inbox", description="Receive Twilio callbacks locally and check signatures.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=inbox.DEFAULT_PORT, help=f"default {inbox.DEFAULT_PORT}; 0 any")
    parser.add_argument("--profile", help="whose Auth Token checks signatures (default: the default profile)")
    parser.add_argument("--auth-token-env", metavar="NAME", help="the Auth Token from $NAME (API Key profiles)")
    parser.add_argument("--public-url", metavar="URL", help="the URL Twilio calls (a tunnel), for signatures")
    parser.add_argument("--twiml", type=Path, metavar="FILE", help="answer with this TwiML (default <Response/>)")
    parser.add_argument("--clear", action="store_true", help="forget the recorded callbacks first")
    return parser


def _answer(path: Path | None) -> str:
    if path is None:
        return inbox.EMPTY_TWIML
    from twibench.cli.twiml import read_document

    data = read_document(str(path))
    report = twiml.check(data)
    if not report.ok:
        raise UsageError(f"{path}:{report.errors[0]}")
    return data.decode("utf-8")


def main(argv: list[str]) -> int:
    """Run `twibench inbox ARGS` until Ctrl+C or SIGTERM."""
    args = build_parser().parse_args(argv)
    if not 0 <= args.port <= 65535:
        raise UsageError(f"twibench inbox: --port must be 0-65535, got {args.port}")
    if args.public_url and not args.public_url.startswith(("http://", "https://")):
        raise UsageError(f"twibench inbox: --public-url must start with http:// or https://, got {args.public_url!r}")
    profile_set = load_profile_set()
    profile = profile_set.get(args.profile)
    secrets = command_secrets()
    try:
        token: str | None = signing_token(profile, args.auth_token_env, secrets)
    except SigningTokenError as exc:
        print(f"twibench: warning: signatures are not checked: {exc}", file=sys.stderr, flush=True)
        token = None
    store = InboxStore(paths.inbox_db(), Redactor(known_secrets(profile_set, prompt=secrets)))
    if args.clear:
        store.clear()

    def show(callback: Callback) -> None:
        print(inbox.describe(callback), flush=True)

    config = inbox.InboxConfig(token=token, public_url=args.public_url, twiml=_answer(args.twiml), listener=show)
    try:
        server = inbox.Inbox(store, config, args.host, args.port)
    except OSError as exc:
        raise UsageError(f"twibench inbox: cannot listen on {args.host}:{args.port} ({exc.strerror})") from None
    server.publish(paths.inbox_addr())

    def stop(signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    print(f"inbox listening on {server.url} (callbacks to {server.public_url}); Ctrl+C stops", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        store.close()
    return 0
