"""`twibench sandbox press CA… 123 [456 …]` and `twibench sandbox transcript CA… [--json]`.

Sandbox-only helpers for calls: `press` sets what the caller presses at each `<Gather>` (before the call
is answered), `transcript` prints what the caller heard and which URLs were fetched. Both go through a
running sandbox's `/_sandbox/calls/…` routes with the sandbox's own credentials (starting one in this
process when none runs: the state file is shared).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import httpx

from twibench.errors import TwibenchError
from twibench.sandbox import credentials as cred

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_TRANSPORT = 0, 1, 2, 3


def _parser(name: str) -> argparse.ArgumentParser:
    if name == "press":
        parser = argparse.ArgumentParser(
            prog="twibench sandbox press",
            description="Set what the caller presses at each <Gather> of a sandbox call (before it is answered).",
        )
        parser.add_argument("call_sid", metavar="CA…", help="the call's SID")
        parser.add_argument("digits", nargs="+", help="digits for the first <Gather>, then the next…")
        return parser
    parser = argparse.ArgumentParser(
        prog="twibench sandbox transcript", description="Print what the caller of a sandbox call heard."
    )
    parser.add_argument("call_sid", metavar="CA…", help="the call's SID")
    parser.add_argument("--json", action="store_true", help="the transcript as JSON")
    return parser


def _request(method: str, path: str, data: dict[str, list[str]] | None = None) -> httpx.Response:
    from twibench.sandbox import embedded

    base = embedded.ensure_running()
    with httpx.Client(base_url=base, auth=(cred.ACCOUNT_SID, cred.AUTH_TOKEN), trust_env=False, timeout=30) as client:
        return client.request(method, path, data=data)


def main(name: str, argv: list[str]) -> int:
    """Run `press` or `transcript`; 0 ok, 1 the sandbox refused (unknown call, too late), 2 bad input."""
    try:
        args = _parser(name).parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    sid = args.call_sid
    try:
        if name == "press":
            answer = _request("POST", f"/_sandbox/calls/{sid}/digits", {"Digits": list(args.digits)})
        else:
            answer = _request("GET", f"/_sandbox/calls/{sid}/transcript")
    except (TwibenchError, RuntimeError) as exc:
        print(f"twibench sandbox: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except httpx.HTTPError as exc:
        print(f"twibench sandbox: the sandbox cannot be reached ({type(exc).__name__})", file=sys.stderr)
        return EXIT_TRANSPORT
    body: dict[str, Any] = answer.json()
    if answer.status_code >= 400:
        print(f"twibench sandbox {name}: {sid}: {body.get('message', answer.status_code)}", file=sys.stderr)
        return EXIT_FAILED if answer.status_code in (404, 409) else EXIT_BAD_INPUT
    if name == "press":
        print(f"{sid}: the caller will press {', then '.join(body['digits'])}")
    elif args.json:
        print(json.dumps(body, indent=2))
    else:
        print(f"Call {sid} from {body.get('from')} to {body.get('to')}:")
        for line in body["lines"]:
            print(f"  {line}")
        error = f" (Twilio error {body['error_code']})" if body.get("error_code") else ""
        print(f"  {body['ended']} after {body['seconds']:g} s (simulated){error}")
    return EXIT_OK
