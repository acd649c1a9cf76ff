"""Which spec operation answers a sandbox path, and which handler runs it (a product's own, or generic).

Hand-written products register handlers in `OVERRIDES` keyed by (host label, path template, METHOD);
they are imported on the first spec-driven request, like the specs themselves.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from twibench.sandbox.generic.target import Target as Target
from twibench.spec.index import API_LABEL, product, split_sandbox_path

if TYPE_CHECKING:
    from twibench.sandbox.call import Call, Reply

Override = Callable[["Target", "Call"], "Reply"]

TEST_CREDENTIAL_OPS = frozenset({(API_LABEL, "/2010-04-01/Accounts/{AccountSid}/Calls", "POST")})
"""Spec-driven operations Twilio's test credentials may call (placing a call; answered, never stored)."""


def resolve(path: str, stem: str) -> Target | None:
    """The target of a sandbox request path (`stem`: the path without `.json` for the 2010 API)."""
    found = split_sandbox_path(path)
    if found is None:
        return None
    label, rest = found
    if label == API_LABEL:
        rest = stem
    match = product(label).match(rest)
    if match is None:
        return None
    item, args = match
    return Target(label, item, args, rest)


def handler(target: Target, method: str) -> Override | None:
    """The handler of `method` on the target, or None when the spec has no such operation."""
    if method.lower() not in target.item.operations:
        return None
    from twibench.sandbox.generic import handlers

    return overrides().get((target.label, target.item.template, method.upper()), handlers.handle)


@functools.cache
def overrides() -> dict[tuple[str, str, str], Override]:
    """Every product's hand-written handlers (imported on first use)."""
    from twibench.sandbox import calls, lookup, messaging_services, verify

    table: dict[tuple[str, str, str], Override] = {}
    for module in (calls, verify, lookup, messaging_services):
        table.update(module.OVERRIDES)
    return table
