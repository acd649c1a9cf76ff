"""`twibench run FILE ...`: replay collections from the command line (DESIGN §6, §8).

Requests run in file order, one line each, with a summary at the end; reports stream to files as the
run goes. A request refused before sending (the outbound guard, an invalid URL) is reported as an
`error` and the run goes on. Exit codes (`RunSummary.exit_code`): 3 a request had a transport failure,
else 2 bad input (usage, an invalid collection, an unknown variable, a missing secret, a prompt without
a terminal, an unconfirmed live run — all before anything is sent — or a request refused during the
run), else 1 a request failed its check, else 0.

`--data rows.csv|rows.json` runs the selection once per row with the row's columns as variables
(collection < profile < row < captured < `--var`); the console, the failures list and both reports
name the row, and the exit code is the worst over every row's requests.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from pathlib import Path
from types import FrameType

from twibench import collection, profiles, sending
from twibench.cli.common import UsageError, command_secrets, load_profile_set, parse_vars, warn
from twibench.cli.parser import Parser
from twibench.client import Client
from twibench.errors import FileErrors
from twibench.exchange import Exchange
from twibench.history import Recorder
from twibench.redact import Redactor
from twibench.runner import Plan, RecordHook, RunEvent, Runner, RunOptions, RunSummary
from twibench.runner.console import Console
from twibench.runner.data import DataSet, load_data
from twibench.runner.reports import Report, open_report, parse_report_spec

__all__ = ["build_parser", "main"]


class Terminated(KeyboardInterrupt):
    """SIGTERM stopped the run: handled like Ctrl+C (reports finished), but the exit code is 143."""

    exit_code = 143


class _Termination:
    """The SIGTERM handler of a run: cancels the running plan like Ctrl+C, or raises Terminated outside it."""

    def __init__(self) -> None:
        self.received = False
        self.task: asyncio.Task[RunSummary] | None = None

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.received = True
        task = self.task
        if task is not None and not task.done():
            task.get_loop().call_soon_threadsafe(task.cancel)  # the runner stops and its events close the reports
            return
        raise Terminated


def build_parser() -> argparse.ArgumentParser:
    """The `twibench run` argument parser."""
    parser = Parser(
        prog="twibench run",
        description="Replay collections: send their requests in file order, capture values for later "
        "requests, check expectations, poll and retry, and write reports.",
        epilog="Exit codes: 3 a transport failure, else 2 bad input or a refused request, else 1 a request "
        "failed its check, else 0.",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="FILE", help="collection files or folders")
    parser.add_argument(
        "--only", action="append", default=[], metavar="ID", help="run only this request (ID or FILE#ID; repeat)"
    )
    parser.add_argument("--profile", help="credential profile (default: the sandbox, or profiles.yaml's default)")
    parser.add_argument("--var", action="append", default=[], metavar="NAME=VALUE", help="set a variable (repeat)")
    parser.add_argument(
        "--data",
        type=Path,
        metavar="FILE",
        help="run once per row of a .csv file (header = variable names) or a .json list of objects; a row's "
        "values beat the collection's and the profile's variables, --var beats the row",
    )
    parser.add_argument("--bail", action="store_true", help="stop at the first request that does not pass")
    parser.add_argument("--repeat", type=int, default=1, metavar="N", help="run the selection N times")
    parser.add_argument("--delay", default="0", metavar="D", help="wait between requests: 500ms, 2s, 1m")
    parser.add_argument(
        "--report",
        action="append",
        default=[],
        metavar="KIND:FILE",
        help="write a report as the run goes: junit:FILE or json:FILE (repeat)",
    )
    parser.add_argument("--no-history", action="store_true", help="do not record the exchanges in history")
    parser.add_argument("--yes", "-y", action="store_true", help="run against a live profile without asking")
    parser.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    return parser


def main(argv: list[str]) -> int:
    """Run `twibench run ARGS…`; bad input raises a TwibenchError (the top level prints it, exit 2)."""
    args = build_parser().parse_args(argv)
    overrides = parse_vars(args.var, "twibench run")
    try:
        delay = collection.parse_duration(args.delay)
    except ValueError as exc:
        raise UsageError(f"twibench run: --delay: {exc}") from None
    if args.repeat < 1:
        raise UsageError(f"twibench run: --repeat must be 1 or more, not {args.repeat}")
    _check_reports(args.report)
    loaded = collection.load_paths(args.paths)
    if loaded.errors:
        raise FileErrors(loaded.errors)
    if not loaded.collections:
        raise UsageError(f"twibench run: no collection files (*.yaml, *.yml) in {', '.join(map(str, args.paths))}")
    data = _load_data(args.data, overrides)
    profile_set = load_profile_set()
    profile = profile_set.get(args.profile)

    secrets = command_secrets()
    redactor = Redactor(profiles.known_secrets(profile_set))
    console = Console(sys.stdout, redactor)
    reports: list[Report] = []

    def dispatch(event: RunEvent) -> None:
        console.handle(event)
        for report in reports:
            report.handle(event)

    client = Client()
    runner = Runner(
        client,
        profile,
        overrides=overrides,
        options=RunOptions(bail=args.bail, repeat=args.repeat, delay=delay),
        redactor=redactor,
        on_event=dispatch,
        prompt=secrets,
    )
    plan = runner.plan(loaded.collections, args.only, data)
    # A secret typed at a prompt is known only now: mask it everywhere from here on.
    for user, secret in profiles.known_secrets(profile_set, prompt=secrets):
        redactor.add_credential(user, secret)
    if profile.is_live:
        sending.confirm_live(profile.describe(), plan.total, args.yes, sys.stdin, sys.stderr)
    termination = _Termination()
    previous = signal.signal(signal.SIGTERM, termination)
    # A history problem never fails the run: one warning, and the run carries on unrecorded.
    recorder = None if args.no_history else Recorder(on_problem=warn, lead="history recording stopped for this run")
    runner.record = None if recorder is None else _history_hook(recorder)
    try:
        for spec in args.report:
            reports.append(open_report(spec, redactor))
        summary = asyncio.run(_drive(runner, plan, console, client, termination))
    except asyncio.CancelledError:
        if termination.received:
            raise Terminated from None
        raise
    finally:
        try:
            _close_all(reports)
        finally:
            if recorder is not None:
                recorder.close()
            signal.signal(signal.SIGTERM, previous)
    return summary.exit_code


async def _drive(
    runner: Runner, plan: Plan, console: Console, client: Client, termination: _Termination | None = None
) -> RunSummary:
    """Run the plan with the live progress line ticking; always close the client's connections."""
    ticker = asyncio.create_task(console.tick_forever()) if console.live else None
    if termination is not None:
        termination.task = asyncio.current_task()
    try:
        return await runner.run(plan)
    finally:
        if termination is not None:
            termination.task = None
        if ticker is not None:
            ticker.cancel()
        await client.aclose()


def _load_data(path: Path | None, overrides: dict[str, str]) -> DataSet | None:
    """The `--data` rows (a located error, exit 2, for a bad file); warn when --var hides a column."""
    if path is None:
        return None
    data = load_data(path)
    for name in data.columns:
        if name in overrides:
            warn(f"--var {name} overrides the column '{name}' of {path} in every row")
    return data


def _check_reports(specs: list[str]) -> None:
    """Refuse a malformed `--report`, two reports into one file, and a place no file can go, before anything runs."""
    seen: set[Path] = set()
    for spec in specs:
        _, path = parse_report_spec(spec)
        key = path.resolve()
        if key in seen:
            raise UsageError(f"twibench run: --report {spec}: two reports would write {path}")
        seen.add(key)
        if path.is_dir():
            raise UsageError(f"twibench run: --report {spec}: {path} is a folder; name a file in it")
        folder = path.parent
        if not folder.is_dir():
            raise UsageError(f"twibench run: --report {spec}: the folder {folder} does not exist")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise UsageError(f"twibench run: --report {spec}: the folder {folder} is not writable")


def _close_all(reports: list[Report]) -> None:
    """Finish every report (each one even if another fails); the first failure is raised afterwards."""
    problem: BaseException | None = None
    for report in reports:
        try:
            report.close()
        except Exception as exc:
            problem = problem or exc
    if problem is not None:
        raise problem


def _history_hook(recorder: Recorder) -> RecordHook:
    """The runner's `record` hook: every exchange of the run through the command's one Recorder."""

    def record(exchange: Exchange, redactor: Redactor, run_id: str, collection_file: Path) -> None:
        recorder.record(exchange, redactor, run_id=run_id, collection_file=collection_file)

    return record
