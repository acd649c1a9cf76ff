"""Run reports written as the run goes: JUnit XML for CI, and a JSON array of redacted exchanges.

Both follow the runner's events and hold nothing per request in memory, so a run of any length
writes its reports in flat memory. Each report is staged in a temporary file beside its target and
renamed over it when the run ends (completed, failed, bailed or interrupted), so a reader never sees
half a file. JUnit's totals belong in its opening tag, so its test cases are spooled to an anonymous
temporary file and copied behind the final header at the end.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Protocol
from xml.sax.saxutils import escape, quoteattr

from twibench.errors import TwibenchError
from twibench.exchange import to_json
from twibench.redact import MASK, Redactor
from twibench.runner.checks import status_word
from twibench.runner.data import DataRow
from twibench.runner.events import RequestFinished, RequestResult, RunEvent, RunFinished, RunStarted, RunSummary

__all__ = ["REPORT_KINDS", "JUnitReport", "JsonReport", "Report", "ReportError", "open_report", "parse_report_spec"]

REPORT_KINDS = ("junit", "json")
# XML 1.0 cannot hold most control characters, even escaped; a response body may contain them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class ReportError(TwibenchError):
    """A report cannot be written (bad `--report` value, unwritable folder)."""


class Report(Protocol):
    """A report writer: fed every event, closed once at the end of the run."""

    path: Path

    def handle(self, event: RunEvent) -> None:
        """Take one event of the run."""

    def close(self) -> None:
        """Finish the file and move it into place (safe to call twice)."""


def parse_report_spec(spec: str) -> tuple[str, Path]:
    """`junit:FILE` or `json:FILE` → (kind, path).

    Raises:
        ReportError: the kind is unknown or the file is missing.
    """
    kind, sep, file = spec.partition(":")
    if not sep or kind not in REPORT_KINDS or not file.strip():
        raise ReportError(f"--report {spec!r}: expected junit:FILE or json:FILE")
    return kind, Path(file).expanduser()


class _Staged:
    """A text file written beside `path` and renamed over it on commit (readers never see half a file)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        except OSError as exc:
            raise ReportError(f"cannot write the report {path}: {exc.strerror or exc}") from None
        self.tmp = Path(name)
        self.file: IO[str] = os.fdopen(fd, "w", encoding="utf-8", newline="\n")

    def write(self, text: str) -> None:
        """Append text (an OSError such as a full disk becomes a ReportError naming the report)."""
        try:
            self.file.write(text)
        except OSError as exc:
            raise ReportError(f"cannot write the report {self.path}: {exc.strerror or exc}") from None

    def commit(self) -> None:
        """Flush, fsync and rename into place."""
        try:
            self.file.flush()
            os.fsync(self.file.fileno())
            self.file.close()
            self.tmp.replace(self.path)
        except OSError as exc:
            self.discard()
            raise ReportError(f"cannot write the report {self.path}: {exc.strerror or exc}") from None

    def discard(self) -> None:
        """Drop the temporary file."""
        with contextlib.suppress(OSError):
            self.file.close()
        with contextlib.suppress(OSError):
            self.tmp.unlink()


def _xml_text(text: str) -> str:
    return escape(_XML_INVALID.sub("\ufffd", text))


def _xml_attr(text: str) -> str:
    return quoteattr(_XML_INVALID.sub("\ufffd", text).replace("\n", " "))


class JUnitReport:
    """JUnit XML: one `<testcase>` per request execution, classname = collection, with failure messages.

    Check failures are `<failure type="check">`, transport failures `<error type="transport:KIND">`,
    requests not sent `<skipped>`. Each case's `<system-out>` has the request line and status. A
    data-driven run (`--data`) has one `<testsuite>` per row, named after it (`… · row 3 (to=+1555…)`,
    secrets masked): a row's cases are held until the row ends, then written behind its totals.
    """

    def __init__(self, path: Path, redactor: Redactor) -> None:
        self.path = path
        self.redactor = redactor
        self._staged = _Staged(path)
        self._spool: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 (closed in close)
        self._repeat = False
        self._run_id = ""
        self._profile = ""
        self._started = datetime.now(UTC)
        self._time = 0.0
        self._summary: RunSummary | None = None
        self._closed = False
        self._rows = False
        self._row: _RowSuite | None = None

    def handle(self, event: RunEvent) -> None:
        """Spool each finished request; remember the run's identity and summary."""
        if isinstance(event, RunStarted):
            self._run_id, self._profile = event.run_id, event.profile
            self._started = datetime.now(UTC)
        elif isinstance(event, RequestFinished):
            result = event.result
            self._repeat = self._repeat or result.step.iteration > 1
            row = result.step.row
            if row is None:
                self._spool.write(self._testcase(result))
                return
            self._rows = True
            if self._row is None or self._row.row is not row:
                self._end_row()
                self._row = _RowSuite(row)
            self._row.add(result, self._testcase(result))
        elif isinstance(event, RunFinished):
            self._summary = event.summary

    def _end_row(self) -> None:
        """Write the finished row's testsuite (its totals, then its cases) to the spool."""
        suite, self._row = self._row, None
        if suite is None:
            return
        name = self.redactor.text(f"twibench run {self._run_id} · {suite.row.label}")
        counts = (
            f'tests="{suite.tests}" failures="{suite.failures}" errors="{suite.errors}" '
            f'skipped="{suite.skipped}" time="{suite.time:.3f}"'
        )
        self._spool.write(
            f"  <testsuite name={_xml_attr(name)} {counts} timestamp={_xml_attr(self._stamp())}>\n"
            "    <properties>\n"
            f'      <property name="run_id" value={_xml_attr(self._run_id)}/>\n'
            f'      <property name="profile" value={_xml_attr(self._profile)}/>\n'
            f'      <property name="row" value="{suite.row.index}"/>\n'
            "    </properties>\n" + "".join(suite.cases) + "  </testsuite>\n"
        )

    def _stamp(self) -> str:
        return self._started.isoformat(timespec="seconds")

    def _testcase(self, result: RequestResult) -> str:
        step = result.step
        name = f"{step.request.name} ({step.request.id})"
        if step.total > 1 and (self._repeat or step.iteration > 1):
            name += f" #{step.iteration}"
        self._time += result.elapsed_s
        head = (
            f"    <testcase classname={_xml_attr(step.collection.name)} name={_xml_attr(name)} "
            f"file={_xml_attr(str(step.collection.path))} time={_xml_attr(f'{result.elapsed_s:.3f}')}>\n"
        )
        reasons = [self.redactor.text(reason) for reason in result.reasons]
        first = reasons[0] if reasons else ""
        body = ""
        if result.outcome == "failed":
            body = (
                f'      <failure message={_xml_attr(first)} type="check">{_xml_text(chr(10).join(reasons))}</failure>\n'
            )
        elif result.outcome == "error":
            kind = result.exchange.error.kind if result.exchange and result.exchange.error else "error"
            body = (
                f"      <error message={_xml_attr(first)} type={_xml_attr('transport:' + kind)}>"
                f"{_xml_text(chr(10).join(reasons))}</error>\n"
            )
        elif result.outcome == "skipped":
            body = f"      <skipped message={_xml_attr(first)}/>\n"
        exchange = result.exchange
        if exchange is not None:
            code, meaning = status_word(exchange)
            attempts = f"{result.attempts} attempt{'s' if result.attempts != 1 else ''}"
            line = (
                f"{exchange.request.method} {self.redactor.text(exchange.request.path)} → {code} {meaning}"
                f" · {exchange.timings.total_ms:.0f} ms · {attempts}"
            )
            body += f"      <system-out>{_xml_text(line)}</system-out>\n"
        return head + body + "    </testcase>\n"

    def close(self) -> None:
        """Write the header with the totals, the spooled cases and the footer; rename into place."""
        if self._closed:
            return
        self._closed = True
        summary = self._summary
        try:
            tests = summary.executed if summary else 0
            counts = (
                f'tests="{tests}" failures="{summary.failed if summary else 0}" '
                f'errors="{summary.errors if summary else 0}" skipped="{summary.skipped if summary else 0}" '
                f'time="{(summary.elapsed_s if summary else self._time):.3f}"'
            )
            stamp = self._stamp()
            self._end_row()
            self._staged.write('<?xml version="1.0" encoding="UTF-8"?>\n')
            self._staged.write(f'<testsuites name="twibench run" {counts}>\n')
            if not self._rows:
                self._staged.write(
                    f'  <testsuite name={_xml_attr("twibench run " + self._run_id)} {counts} timestamp="{stamp}">\n'
                    "    <properties>\n"
                    f'      <property name="run_id" value={_xml_attr(self._run_id)}/>\n'
                    f'      <property name="profile" value={_xml_attr(self._profile)}/>\n'
                    "    </properties>\n"
                )
            self._spool.seek(0)
            try:
                shutil.copyfileobj(self._spool, self._staged.file)
            except OSError as exc:
                raise ReportError(f"cannot write the report {self.path}: {exc.strerror or exc}") from None
            self._staged.write("</testsuites>\n" if self._rows else "  </testsuite>\n</testsuites>\n")
            self._staged.commit()
        except BaseException:
            self._staged.discard()
            raise
        finally:
            self._spool.close()


class _RowSuite:
    """The cases and totals of one data row's testsuite, held until the row ends (one row, not the run)."""

    def __init__(self, row: DataRow) -> None:
        self.row = row
        self.cases: list[str] = []
        self.tests = self.failures = self.errors = self.skipped = 0
        self.time = 0.0

    def add(self, result: RequestResult, case: str) -> None:
        """Count one finished request of the row and keep its case."""
        self.cases.append(case)
        self.tests += 1
        self.failures += result.outcome == "failed"
        self.errors += result.outcome == "error"
        self.skipped += result.outcome == "skipped"
        self.time += result.elapsed_s


class JsonReport:
    """A JSON array: per request execution, the final Exchange (DESIGN §4 shape, redacted) plus `checks`.

    `checks` is `{"passed", "outcome", "reasons", "attempts", "captured", "iteration", "run_id"}`;
    `captured` maps each captured name to its value, secret ones masked; a data-driven run adds
    `row: {"index", "label"}`. Requests that were not sent
    (skipped) have no exchange and appear only in the console and JUnit outputs. Bodies are capped at
    `body_cap` bytes (the history's `history.body_cap`) after redaction; a capped body's part says
    `"truncated": true` and `"body_original_size"` (bytes of the whole redacted body).
    """

    def __init__(self, path: Path, redactor: Redactor, body_cap: int | None = None) -> None:
        self.path = path
        self.redactor = redactor
        self.body_cap = _history_body_cap() if body_cap is None else body_cap
        self._staged = _Staged(path)
        self._staged.write("[")
        self._count = 0
        self._run_id = ""
        self._closed = False

    def handle(self, event: RunEvent) -> None:
        """Append one entry per finished request that was sent."""
        if isinstance(event, RunStarted):
            self._run_id = event.run_id
        elif isinstance(event, RequestFinished) and event.result.exchange is not None:
            entry = self.entry(event.result)
            self._staged.write(("\n" if self._count == 0 else ",\n") + json.dumps(entry, ensure_ascii=False))
            self._count += 1

    def entry(self, result: RequestResult) -> dict[str, Any]:
        """The report entry of one finished request."""
        assert result.exchange is not None
        data = to_json(result.exchange, self.redactor)
        for part in (data["request"], data["response"]):
            if part is not None:
                _cap_body(part, self.body_cap)
        data["checks"] = {
            "passed": result.passed,
            "outcome": result.outcome,
            "reasons": [self.redactor.text(reason) for reason in result.reasons],
            "attempts": result.attempts,
            "captured": {
                item.name: MASK if item.secret else self.redactor.text(item.value) for item in result.captured
            },
            "iteration": result.step.iteration,
            "run_id": self._run_id,
        }
        row = result.step.row
        if row is not None:
            data["checks"]["row"] = {"index": row.index, "label": self.redactor.text(row.label)}
        return data

    def close(self) -> None:
        """Close the array and rename the file into place."""
        if self._closed:
            return
        self._closed = True
        try:
            self._staged.write("\n]\n" if self._count else "]\n")
            self._staged.commit()
        except BaseException:
            self._staged.discard()
            raise


def _history_body_cap() -> int:
    """`history.body_cap` from config.yaml (its default when the file cannot be read)."""
    from twibench.settings import HistorySettings, load_settings

    try:
        return load_settings().history.body_cap
    except TwibenchError:
        return HistorySettings().body_cap


def _cap_body(part: dict[str, Any], cap: int) -> None:
    """Cut `part["body"]` (already redacted text) to `cap` UTF-8 bytes and say so."""
    body = part.get("body")
    if not isinstance(body, str) or len(body) <= cap // 4:
        return
    data = body.encode("utf-8")
    if len(data) <= cap:
        return
    part["body"] = data[:cap].decode("utf-8", errors="ignore")
    part["truncated"] = True
    part["body_original_size"] = len(data)


def open_report(spec: str, redactor: Redactor) -> Report:
    """Open the report a `--report KIND:FILE` value names (the file appears when the run ends).

    Raises:
        ReportError: a bad spec or an unwritable place.
    """
    kind, path = parse_report_spec(spec)
    if kind == "junit":
        return JUnitReport(path, redactor)
    return JsonReport(path, redactor)
