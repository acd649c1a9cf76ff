"""`twibench sandbox [--host 127.0.0.1] [--port N] [--reset] [--deterministic]`: serve until Ctrl+C.

`twibench sandbox verify-code --service VA… --to +1…` prints the code of a pending Verify verification
(read from the sandbox state file; no server needed). `twibench sandbox press CA… 12` sets what a
call's caller presses at its `<Gather>`s; `twibench sandbox transcript CA…` prints the call's TwiML walk.

On start it prints the base URL and the fixed credentials, one per line, and records its address in the
data dir so other twibench commands use this server instead of starting their own.
"""

from __future__ import annotations

import argparse
import ipaddress
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from twibench.errors import TwibenchError
from twibench.sandbox import addr
from twibench.sandbox import credentials as cred
from twibench.sandbox.config import DETERMINISTIC_ENV, deterministic_requested, from_settings

if TYPE_CHECKING:
    from twibench.sandbox.store import Store

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7357
EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_NOT_FOUND = 1


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used for `--help`)."""
    parser = argparse.ArgumentParser(
        prog="twibench sandbox",
        description="Serve the offline Twilio-compatible sandbox until Ctrl+C.",
        epilog=(
            "Also: `twibench sandbox verify-code --service VA… --to +1…` (a pending Verify code), "
            "`twibench sandbox press CA… 12` (digits for a call's <Gather>), "
            "`twibench sandbox transcript CA…` (a call's TwiML walk)."
        ),
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0 picks a free one)"
    )
    parser.add_argument("--reset", action="store_true", help="empty the sandbox state before serving")
    parser.add_argument(
        "--deterministic",
        action="store_true",
        help=f"seeded SIDs, a fixed clock and instant delivery (also: {DETERMINISTIC_ENV}=1)",
    )
    return parser


def main(argv: list[str]) -> int:
    """Run the sandbox server in the foreground; 0 after Ctrl+C, 2 on bad input or a busy port."""
    if argv[:1] == ["verify-code"]:
        return verify_code(argv[1:])
    if argv[:1] in (["press"], ["transcript"]):
        from twibench.sandbox import call_cli

        return call_cli.main(argv[0], argv[1:])
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    if not 0 <= args.port <= 65535:
        print(f"twibench sandbox: --port must be 0–65535, got {args.port}", file=sys.stderr)
        return EXIT_BAD_INPUT
    # From here on SIGTERM stops as cleanly as Ctrl+C (the server installs its own handlers while serving).
    previous_term = signal.signal(signal.SIGTERM, _interrupt)
    try:
        return _run(args)
    except KeyboardInterrupt:
        return EXIT_OK  # stopped while starting up: nothing to report
    finally:
        signal.signal(signal.SIGTERM, previous_term)


def _run(args: argparse.Namespace) -> int:
    try:
        config = from_settings(deterministic=deterministic_requested(args.deterministic), log_errors=True)
    except TwibenchError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT

    from twibench import paths
    from twibench.sandbox.app import create_app
    from twibench.sandbox.server import SandboxServer, base_url, bind

    paths.ensure_private_dir(config.db_path.parent)
    try:
        sock = bind(args.host, args.port)
    except OSError as exc:
        print(
            f"twibench sandbox: cannot listen on {args.host}:{args.port} ({exc.strerror or exc}); "
            "choose another with --port N (0 picks a free port)",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    try:
        try:
            store = _open_store(config.db_path, args.reset)
        except (RuntimeError, OSError, TwibenchError) as exc:
            print(f"twibench sandbox: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
        try:
            url = base_url(sock)
            if not _is_loopback(args.host):
                print(
                    f"Warning: listening on {args.host}: other machines can reach the sandbox, whose "
                    "credentials are published. Use --host 127.0.0.1 to keep it local.",
                    file=sys.stderr,
                )
            addr_file = addr.write(url, config.db_path, config.deterministic)
            try:
                _print_banner(url)
                print(f"State: {config.db_path}. Press Ctrl+C to stop.", file=sys.stderr, flush=True)
                SandboxServer(create_app(config, store)).run(sockets=[sock])
            except KeyboardInterrupt:
                pass  # Ctrl+C before the server installed its own handler: still a clean stop.
            finally:
                addr.remove_own(addr_file)
        finally:
            store.close()
    finally:
        sock.close()
    return EXIT_OK


def _open_store(path: Path, reset: bool) -> Store:
    """Open the state (emptied with `reset`); with `reset`, a damaged file is moved aside for a fresh one."""
    from twibench.dbfiles import move_aside
    from twibench.sandbox.store import DamagedStateError, Store

    try:
        store = Store(path)
        if reset:
            try:
                store.reset()
            except BaseException:
                store.close()
                raise
    except DamagedStateError:
        if not reset:
            raise
        moved = move_aside(path)
        print(f"Moved the damaged sandbox state {path} to {moved}; starting with a fresh sandbox.", file=sys.stderr)
        return Store(path)
    if reset:
        print(f"Sandbox state emptied: {path}", file=sys.stderr)
    return store


def _print_banner(url: str) -> None:
    """The five lines other tools (and people) read: where the sandbox is and how to sign in."""
    for name, value in (
        ("Base URL", url),
        ("Account SID", cred.ACCOUNT_SID),
        ("Auth Token", cred.AUTH_TOKEN),
        ("Test Account SID", cred.TEST_ACCOUNT_SID),
        ("Test Auth Token", cred.TEST_AUTH_TOKEN),
    ):
        print(f"{name}: {value}", flush=True)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def verify_code(argv: list[str]) -> int:
    """`verify-code --service VA… --to +1…`: print the pending code; 1 when there is none, 2 on bad input."""
    parser = argparse.ArgumentParser(
        prog="twibench sandbox verify-code",
        description="Print the code of the sandbox's pending Verify verification for a number.",
    )
    parser.add_argument("--service", required=True, help="the Verify Service SID (VA…)")
    parser.add_argument("--to", required=True, help="the number or address the code was sent to")
    parser.add_argument("--json", action="store_true", help="print every fact (checks left, expiry) as JSON")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    try:
        config = from_settings(deterministic=deterministic_requested(False))
    except TwibenchError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    import json

    from twibench.sandbox import verify
    from twibench.sandbox.clock import FixedClock, RealClock
    from twibench.sandbox.store import Store

    if not config.db_path.exists():
        print(f"twibench sandbox: no sandbox state yet at {config.db_path}", file=sys.stderr)
        return EXIT_NOT_FOUND
    store = Store(config.db_path)
    try:
        now = (FixedClock() if config.deterministic else RealClock()).now()
        found = verify.find_code(store.conn, args.service, args.to, now)
    finally:
        store.close()
    if found is None:
        print(f"twibench sandbox: no pending verification for {args.to} in service {args.service}", file=sys.stderr)
        return EXIT_NOT_FOUND
    print(json.dumps(found, indent=2) if args.json else found["code"])
    return EXIT_OK
