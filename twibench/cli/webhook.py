"""`twibench webhook sms|voice URL`: send the user's app exactly what Twilio sends, and show its answer.

The request carries Twilio's parameters and is signed with the account's Auth Token; the answer is shown
with its status, its TwiML pretty-printed and checked (messaging or voice grammar), and what Twilio would
do with it (the reply it sends, or the call's walk). Exit 0 when the app answered 2xx with valid TwiML,
1 otherwise, 3 when it cannot be reached, 2 for bad input.
"""

from __future__ import annotations

import argparse
import sys
from typing import Literal

import httpx

from twibench import textsafe
from twibench.cli.common import UsageError, command_secrets, load_profile_set
from twibench.cli.parser import Parser
from twibench.cli.signing import signing_token
from twibench.profiles import Profile, resolve_secret
from twibench.webhooks import simulate, voice_walk
from twibench.webhooks.simulate import Answer


def build_parser() -> Parser:
    """The `webhook` subcommand's arguments."""
    parser = Parser(prog="twibench webhook", description="Send your app a signed Twilio webhook.")
    sub = parser.add_subparsers(dest="kind", required=True, parser_class=Parser)
    sms = sub.add_parser("sms", help="an inbound message, as Twilio posts it to a number's SmsUrl")
    voice = sub.add_parser("voice", help="an inbound call, as Twilio posts it to a number's VoiceUrl")
    for cmd in (sms, voice):
        cmd.add_argument("url", nargs="?", help="your app's webhook URL, e.g. http://127.0.0.1:3000/sms")
        cmd.add_argument("--from", dest="from_", required=True, metavar="+1…", help="the caller or sender")
        cmd.add_argument("--to", metavar="+1…", help="your Twilio number (default: --number)")
        cmd.add_argument(
            "--number",
            metavar="+1…",
            help="use this number's configured URL and method (its SmsUrl/VoiceUrl), read from the account",
        )
        cmd.add_argument("--method", choices=("POST", "GET"), default="POST", help="as configured (default POST)")
        cmd.add_argument("--profile", help="whose account and Auth Token (default: the default profile)")
        cmd.add_argument("--auth-token-env", metavar="NAME", help="the Auth Token from $NAME (API Key profiles)")
        cmd.add_argument("--timeout", type=float, default=simulate.DEFAULT_TIMEOUT, help="seconds (default 15)")
    sms.add_argument("--body", default="", help="the message text")
    sms.add_argument("--media", action="append", default=[], metavar="URL", help="a media URL (repeat, up to 10)")
    voice.add_argument("--digits", help="what the caller presses at the first <Gather>")
    return parser


def _check_args(args: argparse.Namespace) -> None:
    if (args.url is None) == (args.number is None):
        raise UsageError("twibench webhook: give your app's URL, or --number +1… to use the number's configured URL")
    args.to = args.to or args.number
    if args.to is None:
        raise UsageError("twibench webhook: --to is required (your Twilio number)")
    if args.url is not None and not args.url.startswith(("http://", "https://")):
        raise UsageError(f"twibench webhook: the URL must start with http:// or https://, got {args.url!r}")
    if getattr(args, "media", None) and len(args.media) > 10:
        raise UsageError("twibench webhook: Twilio sends at most 10 media per message")
    if args.timeout <= 0:
        raise UsageError("twibench webhook: --timeout must be a positive number of seconds")


def number_webhook(profile: Profile, number: str, kind: str) -> tuple[str, Literal["POST", "GET"]]:
    """The number's configured webhook (`SmsUrl`/`VoiceUrl` and method), read from the profile's account.

    Raises:
        UsageError: the account has no such number, or the number has no URL for `kind`.
        httpx.HTTPError: the API cannot be reached.
    """
    url = f"{profile.api_base()}/2010-04-01/Accounts/{profile.account_sid}/IncomingPhoneNumbers.json"
    auth = (profile.username, resolve_secret(profile, command_secrets()))
    with httpx.Client(trust_env=not profile.is_sandbox, timeout=30) as client:
        answer = client.get(url, params={"PhoneNumber": number}, auth=auth)
    if answer.status_code != 200:
        raise UsageError(
            f"twibench webhook: reading {number} from profile '{profile.name}' answered HTTP {answer.status_code}"
        )
    numbers = answer.json().get("incoming_phone_numbers") or []
    if not numbers:
        raise UsageError(f"twibench webhook: {number} is not a number of profile '{profile.name}''s account")
    field = "sms" if kind == "sms" else "voice"
    configured = numbers[0].get(f"{field}_url") or ""
    if not configured:
        hint = "SmsUrl" if kind == "sms" else "VoiceUrl"
        raise UsageError(
            f"twibench webhook: {number} has no {hint}; set it with POST "
            f"/2010-04-01/Accounts/{{{{account_sid}}}}/IncomingPhoneNumbers/{numbers[0].get('sid')}.json {hint}=URL"
        )
    how: Literal["POST", "GET"] = "GET" if str(numbers[0].get(f"{field}_method")).upper() == "GET" else "POST"
    return str(configured), how


def _show_answer(answer: Answer) -> None:
    status = f"HTTP {answer.status}" if answer.status is not None else "no answer"
    print(f"{status} from {answer.url} in {answer.elapsed_ms:.0f} ms")
    if answer.body:
        text = answer.body.decode("utf-8", "replace")
        print(textsafe.block(text).rstrip())
    if answer.report is not None:
        for problem in answer.report.problems:
            print(f"  {problem}")
        print(answer.report.verdict())
    if answer.error:
        print(f"Twilio error {answer.error_code}: {answer.error}")


def main(argv: list[str]) -> int:
    """Run `twibench webhook ARGS`."""
    args = build_parser().parse_args(argv)
    _check_args(args)
    profile = load_profile_set().get(args.profile)
    token = signing_token(profile, args.auth_token_env)
    method: Literal["POST", "GET"] = args.method
    if args.number is not None:
        try:
            args.url, method = number_webhook(profile, args.number, args.kind)
        except httpx.HTTPError as exc:
            print(f"twibench webhook: {profile.host_label()} cannot be reached ({type(exc).__name__})", file=sys.stderr)
            return 3
        print(f"{args.number} sends {args.kind} webhooks to {method} {args.url}")
    with httpx.Client(follow_redirects=False, trust_env=False) as client:
        if args.kind == "sms":
            params = simulate.sms_params(profile.account_sid, args.from_, args.to, args.body, args.media)
            answer = simulate.deliver(client, args.url, params, token, "messaging", method, args.timeout)
            _show_answer(answer)
            if answer.ok:
                for line in simulate.reply_summary(answer.report, answer.body, answer.content_type):
                    print(f"Twilio {line}")
        else:
            params = simulate.voice_params(profile.account_sid, args.from_, args.to)

            def fetch(url: str, how: Literal["POST", "GET"], extra: list[tuple[str, str]]) -> Answer:
                return simulate.deliver(client, url, extra, token, "voice", how, args.timeout)

            transcript = voice_walk.walk(fetch, args.url, params, args.digits, method)
            answer = transcript.fetches[0]
            _show_answer(answer)
            print("The call:")
            for line in transcript.lines:
                print(f"  {line}")
            print(f"  call {transcript.ended} after {transcript.seconds:.0f} s (simulated)")
            if transcript.ended == "failed":
                answer = transcript.fetches[-1]
    sys.stdout.flush()
    if not answer.reachable:
        return 3
    return 0 if answer.ok else 1
