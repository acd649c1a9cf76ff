"""Plan a run before sending anything: select requests, and refuse bad input with exit code 2.

Everything that can be known before the first byte goes out is checked here, so a run never stops
half-way for a reason the user could have been told at the start: a `sandbox_only` collection with a
live profile, an `--only` id that matches nothing, a JSONPath that does not parse, a `{{name}}` that
no layer defines and no earlier request captures.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from twibench import variables
from twibench.collection import Collection, Expect, Request
from twibench.errors import FileErrors, LocatedError, TwibenchError
from twibench.profiles import Profile
from twibench.runner.checks import ABSENT, EXISTS
from twibench.runner.data import DataRow, DataSet
from twibench.runner.expressions import ExpressionError, compile_expression
from twibench.sending import refuse_sandbox_only

__all__ = ["Plan", "RunInputError", "Step", "make_plan", "referenced_names"]


class RunInputError(TwibenchError):
    """The run cannot start: the selection, profile or collections are unfit (exit code 2)."""


@dataclass(frozen=True)
class Step:
    """One execution of one request in a run.

    Attributes:
        collection: the collection the request belongs to.
        request: the request model.
        iteration: 1-based repetition (`--repeat`).
        index: 1-based position of this execution in the whole run.
        total: how many executions the run plans.
        row: the data file's row this execution runs with (`--data`), or None.
    """

    collection: Collection
    request: Request
    iteration: int
    index: int
    total: int
    row: DataRow | None = None

    @property
    def ref(self) -> str:
        """`messages.yaml#send-sms`: the request as FILE#ID."""
        return f"{self.collection.path.name}#{self.request.id}"


@dataclass
class Plan:
    """The selected requests of one iteration and how often to repeat them (steps are made lazily).

    With a data file, each repetition runs the selection once per row, in file order.
    """

    selection: list[tuple[Collection, Request]]
    repeat: int = 1
    names: dict[int, list[str]] = field(default_factory=dict)
    """Variable names each selected request needs, keyed by id(request)."""
    data: DataSet | None = None

    @property
    def total(self) -> int:
        """How many request executions the run will make if nothing stops it."""
        rows = len(self.data.rows) if self.data is not None else 1
        return len(self.selection) * self.repeat * rows

    def steps(self) -> Iterator[Step]:
        """Every execution in order; generated, so a `--repeat 100000` run costs no memory up front."""
        total = self.total
        index = 0
        rows: list[DataRow | None] = list(self.data.rows) if self.data is not None else [None]
        for iteration in range(1, self.repeat + 1):
            for row in rows:
                for collection, request in self.selection:
                    index += 1
                    yield Step(collection, request, iteration, index, total, row)


def _template_fields(request: Request) -> Iterator[tuple[str, str]]:
    """(template, where) for every field `client.prepare` renders."""
    yield request.url, "url"
    for key, value in request.params:
        yield key, f"params name '{key}'"
        yield value, f"params field '{key}'"
    for key, value in request.headers:
        yield key, f"headers name '{key}'"
        yield value, f"headers field '{key}'"
    if request.form is not None:
        for key, value in request.form:
            yield key, f"form name '{key}'"
            yield value, f"form field '{key}'"
    elif request.json is not None:
        yield from _json_templates(request.json, "json body")
    elif request.body is not None:
        yield request.body, "body"
    if request.auth.mode == "basic":
        yield request.auth.user, "auth user"
        yield request.auth.secret, "auth secret"


def _json_templates(value: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield value, where
    elif isinstance(value, list):
        for item in value:
            yield from _json_templates(item, where)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key), where
            yield from _json_templates(item, where)


def _expected_templates(request: Request) -> Iterator[tuple[str, str]]:
    """Expected values may say `{{message_sid}}`; `exists`/`absent` are keywords, not templates."""
    expect = request.expect or Expect()
    for expr, value in (expect.json or {}).items():
        if value not in (EXISTS, ABSENT):
            yield from _json_templates(value, f"expect.json '{expr}'")
    for name, value in (expect.headers or {}).items():
        yield str(value), f"expect.headers '{name}'"
    for expr, value in (request.poll.until if request.poll else {}).items():
        if value not in (EXISTS, ABSENT):
            yield from _json_templates(value, f"poll.until '{expr}'")


def referenced_names(request: Request) -> list[tuple[str, str]]:
    """(variable, where) for every `{{name}}` a request needs, to send it or to check its answer."""
    found: list[tuple[str, str]] = []
    for template, where in (*_template_fields(request), *_expected_templates(request)):
        for name in variables.names(template):
            found.append((name, where))
    return found


def _expressions(request: Request) -> Iterator[tuple[str, str]]:
    for name, expr in request.capture.items():
        yield expr, f"capture '{name}'"
    for name, expr in request.capture_secret.items():
        yield expr, f"capture_secret '{name}'"
    for expr in (request.expect.json if request.expect else None) or {}:
        yield expr, "expect.json"
    for expr in request.poll.until if request.poll else {}:
        yield expr, "poll.until"


def _select(collections: Sequence[Collection], only: Sequence[str] | None) -> list[tuple[Collection, Request]]:
    everything = [(c, r) for c in collections for r in c.requests]
    if not only:
        return everything
    wanted = [item.strip() for item in only if item.strip()]
    unmatched = [
        item for item in wanted if not any(_matches(item, collection, request) for collection, request in everything)
    ]
    if unmatched:
        ids = sorted({r.id for _, r in everything})
        raise RunInputError(
            f"--only {unmatched[0]}: no selected collection has a request with that id; ids: {', '.join(ids) or 'none'}"
        )
    return [(c, r) for c, r in everything if any(_matches(item, c, r) for item in wanted)]


def _matches(item: str, collection: Collection, request: Request) -> bool:
    """`ID` matches in any collection; `FILE#ID` only in the file with that name (with or without .yaml)."""
    file_part, sep, request_id = item.rpartition("#")
    if not sep:
        return request.id == item
    return request.id == request_id and file_part in (collection.path.name, collection.path.stem, str(collection.path))


def make_plan(
    collections: Sequence[Collection],
    profile: Profile,
    *,
    only: Sequence[str] | None = None,
    repeat: int = 1,
    overrides: Mapping[str, str] | None = None,
    captured: Mapping[str, str] | None = None,
    data: DataSet | None = None,
) -> Plan:
    """Select the requests to run and check everything that does not need the network.

    Args:
        collections: loaded collections, in the order to run them.
        profile: the profile the run uses.
        only: request ids (`ID` or `FILE#ID`) to run instead of every request.
        repeat: how many times to run the selection.
        overrides: `--var` values.
        captured: values already captured in this session (the TUI keeps them between runs).
        data: the rows of a `--data` file: its columns are defined for every request.

    Raises:
        SandboxOnlyError: a live profile for a `sandbox_only` collection.
        RunInputError: an unknown `--only` id, a bad repeat.
        FileErrors: located problems: an invalid JSONPath, a variable nothing defines or captures.
    """
    if repeat < 1:
        raise RunInputError(f"--repeat must be 1 or more, not {repeat}")
    selection = _select(collections, only)
    for collection in {id(c): c for c, _ in selection}.values():
        refuse_sandbox_only(collection, profile)
    errors: list[LocatedError] = []
    plan = Plan(selection, repeat, data=data)
    known = set(profile.builtin_variables()) | set(overrides or {}) | set(captured or {})
    known |= set(data.columns) if data is not None else set()
    captures_so_far: set[str] = set()
    for collection, request in selection:
        where_prefix = f"request '{request.id}'"
        for expr, where in _expressions(request):
            try:
                compile_expression(expr)
            except ExpressionError as exc:
                errors.append(LocatedError(collection.path, request.line or 1, 1, f"{where_prefix}: {where}: {exc}"))
        needed = referenced_names(request)
        defined = known | set(collection.variables) | captures_so_far
        for name, where in needed:
            if name not in defined:
                hint = (
                    "this request captures it only after it is sent"
                    if name in request.capture or name in request.capture_secret
                    else "no earlier request in this run captures it"
                )
                errors.append(
                    LocatedError(
                        collection.path,
                        request.line or 1,
                        1,
                        f"{where_prefix}: unknown variable '{name}' in {where}; {hint}; "
                        f"define it with --var {name}=VALUE",
                    )
                )
        plan.names[id(request)] = list(dict.fromkeys(name for name, _ in needed))
        captures_so_far |= set(request.capture) | set(request.capture_secret)
    if errors:
        unique = list(dict.fromkeys(errors))
        raise FileErrors(unique)
    return plan
