"""`twibench history list|show|replay|diff|delete|clear`: the request history on the command line.

`list` and `show` read what was recorded (already redacted) and never start the sandbox. `replay` sends
the recorded request again through the one sending path (`client.send_once`), against the entry's
profile or another one; its URL was stored relative to the profile's base, so it reaches wherever that
profile points now (the sandbox's port changes between runs). Exit codes are those of `send`.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from twibench import textsafe
from twibench.cli.common import UsageError, command_secrets, load_profile_set, warn
from twibench.cli.parser import Parser
from twibench.dbfiles import move_aside
from twibench.errors import TwibenchError
from twibench.history import Entry, HistoryStore, Recorder, open_history, redactor_for
from twibench.history.schema import HistoryDamagedError
from twibench.redact import holds_mask

if TYPE_CHECKING:
    from twibench.profiles import Profile, ProfileSet

EXIT_OK, EXIT_STATUS, EXIT_INPUT, EXIT_TRANSPORT = 0, 1, 2, 3
DEFAULT_LIMIT = 50


class HistoryEntryError(TwibenchError):
    """No history entry has that id."""


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="twibench history",
        description="The request history: every exchange sent by the TUI, send, run or a replay (secrets masked).",
        epilog="Filters: free words (URL, name, bodies), status:4xx status:404 status:error, method:POST, "
        "profile:live profile:NAME, collection:NAME, run:ID.",
    )
    sub = parser.add_subparsers(dest="action", required=True, parser_class=Parser)
    listing = sub.add_parser("list", help="the newest entries first (no bodies)")
    listing.add_argument(
        "--limit", type=int, default=DEFAULT_LIMIT, metavar="N", help=f"at most N (default {DEFAULT_LIMIT})"
    )
    listing.add_argument("--offset", type=int, default=0, metavar="N", help="skip the N newest matches first")
    listing.add_argument("--filter", default="", metavar="TEXT", help="e.g. 'status:4xx method:POST messages'")
    listing.add_argument("--json", action="store_true", help="a JSON array of exchanges without bodies")
    show = sub.add_parser("show", help="one entry with its bodies")
    show.add_argument("id", type=int, metavar="ID")
    show.add_argument("--include", "-i", action="store_true", help="also print the response headers")
    show.add_argument("--json", action="store_true", help="the exchange as JSON, with bodies")
    show.add_argument("--select", metavar="JSONPATH", help="print only what this JSONPath matches, one per line")
    replay = sub.add_parser("replay", help="send an entry's request again (and record it)")
    replay.add_argument("id", type=int, metavar="ID")
    replay.add_argument("--profile", help="send with this profile (default: the one it was sent with)")
    replay.add_argument("--include", "-i", action="store_true", help="also print the response headers")
    replay.add_argument("--json", action="store_true", help="print the new exchange as JSON (redacted)")
    diff = sub.add_parser("diff", help="compare two entries' responses (exit 0 same, 1 different)")
    diff.add_argument("a", type=int, metavar="A")
    diff.add_argument("b", type=int, metavar="B")
    delete = sub.add_parser("delete", help="delete one entry")
    delete.add_argument("id", type=int, metavar="ID")
    clear = sub.add_parser("clear", help="delete every entry (asks first)")
    clear.add_argument("--yes", "-y", action="store_true", help="do not ask (needed without a terminal)")
    return parser


def main(argv: list[str]) -> int:
    """Run `twibench history ARGS…`; user errors raise TwibenchError (the top level prints them, exit 2)."""
    args = _parser().parse_args(argv)
    if args.action == "list" and (args.limit < 0 or args.offset < 0):
        raise UsageError("twibench history list: --limit and --offset take a number ≥ 0")
    if args.action == "clear":
        return cmd_clear(args)
    with open_history() as store:
        if args.action == "list":
            return cmd_list(store, args)
        if args.action == "show":
            return cmd_show(store, args)
        if args.action == "replay":
            return cmd_replay(store, args)
        if args.action == "diff":
            from twibench.cli.history_diff import history_diff

            return history_diff(store, args.a, args.b)
        if args.action == "delete":
            if not store.delete(args.id):
                raise _no_entry(args.id)
            print(f"deleted history entry {args.id}")
            return EXIT_OK
        raise AssertionError(args.action)  # pragma: no cover (argparse allows only the actions above)


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _entries(count: int) -> str:
    return f"{count} history {'entry' if count == 1 else 'entries'}"


def _no_entry(entry_id: int) -> HistoryEntryError:
    return HistoryEntryError(f"no history entry {entry_id}; `twibench history list` shows the ids")


def _profiles_quietly() -> ProfileSet | None:
    """The profiles, for masking once more on output; None when profiles.yaml does not load.

    Reading history must keep working while profiles.yaml is being fixed: what is stored is already
    redacted, so the extra pass is a safety net, not a requirement.
    """
    from twibench import profiles

    try:
        return profiles.load_profiles()
    except TwibenchError:
        return None


def _local_time(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return iso


def _status_cell(entry: Entry) -> str:
    if entry.status is not None:
        return str(entry.status)
    return entry.error_kind or "error"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def cmd_list(store: HistoryStore, args: argparse.Namespace) -> int:
    """`history list`: a table (id, time, profile, method, status, duration, name or path), or JSON."""
    entries = store.list(limit=args.limit, offset=args.offset, filter=args.filter)
    if args.json:
        profile_set = _profiles_quietly()
        redactor = redactor_for(profile_set) if profile_set else None
        sys.stdout.write(textsafe.json_dumps([e.to_json(include_bodies=False, redactor=redactor) for e in entries]))
        sys.stdout.write("\n")
        return EXIT_OK
    if not entries:
        print(f"no history entries match {args.filter!r}" if args.filter.strip() else "no history entries yet")
        return EXIT_OK
    rows = [("ID", "TIME", "PROFILE", "METHOD", "STATUS", "DURATION", "NAME / PATH")]
    for e in entries:
        rows.append(
            (
                str(e.id),
                _local_time(e.time),
                e.profile,
                e.method,
                _status_cell(e),
                f"{e.duration_ms:.0f} ms",
                textsafe.line(e.label),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    room = max(20, shutil.get_terminal_size((120, 24)).columns - sum(widths) - 2 * len(widths))
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, _cut(row[-1], room)]).rstrip())
    total = store.count(args.filter)
    shown_to = args.offset + len(entries)
    if total > shown_to or args.offset:
        print(f"({args.offset + 1}–{shown_to} of {total}; --offset {shown_to} for more)")
    return EXIT_OK


def _entry(store: HistoryStore, entry_id: int) -> Entry:
    entry = store.get(entry_id)
    if entry is None:
        raise _no_entry(entry_id)
    return entry


def cmd_show(store: HistoryStore, args: argparse.Namespace) -> int:
    """`history show ID`: the recorded exchange, printed like `send` under a "history" header."""
    import twibench.cli.output as output
    from twibench import profiles

    entry = _entry(store, args.id)
    profile_set = _profiles_quietly()
    pairs = profiles.known_secrets(profile_set) if profile_set else []
    if args.select is not None:
        from twibench import selection

        selection.show_exchange(entry.to_exchange(), pairs, args.select)
        return EXIT_OK
    if args.json:
        redactor = redactor_for(profile_set) if profile_set else None
        sys.stdout.write(textsafe.json_dumps(entry.to_json(include_bodies=True, redactor=redactor)))
        sys.stdout.write("\n")
        return EXIT_OK
    where = " · ".join(x for x in (entry.collection, entry.name) if x)
    header = f"history entry {entry.id} · recorded {_local_time(entry.time)} · profile {entry.profile}"
    print(header + (f" · {where}" if where else "") + (f" · run {entry.run_id}" if entry.run_id else ""))
    if entry.status is None:
        print(f"{entry.method} {textsafe.line(entry.path)}")
        print(f"no response: {entry.error_kind}: {textsafe.line(entry.error_message or '')}")
        return EXIT_OK
    # The stored body is already masked, so send's "this shows the new key's secret once" note would
    # be wrong here: its stderr notes are dropped.
    output.print_exchange(entry.to_exchange(), pairs, include_headers=args.include, err=io.StringIO())
    if entry.response_truncated:
        print(f"(the stored body is truncated; {entry.response_size} bytes came back)")
    return EXIT_OK


def _refuse_sandbox_only(entry: Entry, profile: Profile) -> None:
    """Keep a `sandbox_only` collection's request away from every profile but the sandbox, as `send` does."""
    if profile.is_sandbox or not entry.collection_file:
        return
    from twibench import collection, sending

    try:
        loaded = collection.load_collection(Path(entry.collection_file))
    except (TwibenchError, OSError):
        return  # the file moved or no longer loads: nothing says it was sandbox-only
    sending.refuse_sandbox_only(loaded, profile)


def cmd_replay(store: HistoryStore, args: argparse.Namespace) -> int:
    """`history replay ID [--profile P]`: send the entry again, record the new exchange, print like `send`."""
    import twibench.cli.output as output
    from twibench import client, profiles

    entry = _entry(store, args.id)
    request = entry.to_request()
    profile_set = load_profile_set()
    profile = profile_set.get(args.profile or entry.profile)
    _refuse_sandbox_only(entry, profile)
    secrets = command_secrets()
    if holds_mask(request.body, request.headers):
        _stderr("twibench: warning: the recorded request held masked secrets; they are sent masked")
    exchange = client.send_once(
        request, profile, client.values_for(profile), collection=entry.collection, prompt=secrets
    )
    exchange.request_id = entry.request_id
    exchange.name = entry.name
    with Recorder(store=store, on_problem=warn) as recorder:
        recorder.record(exchange, redactor_for(profile_set, prompt=secrets), collection_file=entry.collection_file)
    return output.show_result(
        exchange, profiles.known_secrets(profile_set, prompt=secrets), as_json=args.json, include_headers=args.include
    )


def cmd_clear(args: argparse.Namespace) -> int:
    """`history clear`: asks on a terminal; without one, --yes is required.

    A damaged history file cannot be cleared in place: it is moved aside (kept, with a dated name) and
    the next send starts a new history.
    """
    confirmed = args.yes
    try:
        with open_history() as store:
            count = store.count()
            if not confirmed:
                _confirm(
                    f"Delete all {_entries(count)} from {store.path}?",
                    f"history clear would delete {_entries(count)}",
                    "nothing was deleted",
                )
                confirmed = True
            removed = store.clear()
    except HistoryDamagedError as exc:
        if not confirmed:
            _confirm(
                f"{exc.path} cannot be read as a history. Move it aside and start a new history?",
                f"{exc.path} cannot be read as a history and history clear would move it aside",
                "nothing was moved",
            )
        moved = move_aside(exc.path)
        print(f"moved the damaged history {exc.path} to {moved}; the next request starts a new history")
        return EXIT_OK
    print(f"cleared {_entries(removed)}")
    return EXIT_OK


def _confirm(question: str, refusal: str, declined: str) -> None:
    """Ask `question` on the terminal; without one (or without a yes) raise a UsageError and change nothing."""
    if not sys.stdin.isatty():
        raise UsageError(f"{refusal}; there is no terminal to confirm, so pass --yes")
    sys.stderr.write(f"{question} [y/N] ")
    sys.stderr.flush()
    if sys.stdin.readline().strip().lower() not in ("y", "yes"):
        raise UsageError(f"history clear was not confirmed; {declined}")
