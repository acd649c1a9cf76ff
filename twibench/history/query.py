"""The history filter language, turned into one SQL condition.

Free words match the start of words anywhere in the URL, the request's name and id, the collection
name, or the first 32 KB of either body (the full-text index): `SM26` finds the message `SM26f1…`,
`Messages.json` the URL, `+1555` a form field. Tokens narrow the list:

- `status:404`, `status:4xx`, `status:error` (a transport failure, no HTTP answer)
- `method:POST`
- `profile:live` (every profile but the built-in sandbox) or `profile:NAME`
- `collection:NAME` (the collection's name or its file's stem, case-insensitive)
- `run:ID` (the exchanges one `twibench run` sent)

Every word and every kind of token must match; repeating a kind (`method:GET method:POST`) means
either. Quotes keep a phrase together: `"not a valid phone"`. A word made only of punctuation (`+`)
matches the URL path or name as a substring.

Text searches are driven by the full-text index in newest-first order, so a page of results costs
about the same with 100,000 entries as with 100.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from twibench.errors import TwibenchError
from twibench.profiles import SANDBOX

_TOKEN = re.compile(r"^(status|method|profile|collection|run):(.+)$", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")
_STATUS_CODE = re.compile(r"^[1-5]\d\d$")
_STATUS_CLASS = re.compile(r"^([1-5])xx$", re.IGNORECASE)
_METHOD = re.compile(r"^[A-Za-z]+$")
LIVE = "live"
_LOOPBACK_PREFIXES = tuple(
    f"{scheme}://{host}" for scheme in ("http", "https") for host in ("127.", "localhost:", "localhost/", "[::1]")
)
ERROR = "error"


class FilterError(TwibenchError):
    """A filter token whose value cannot mean anything (e.g. `status:abc`)."""


@dataclass(frozen=True)
class Filter:
    """A parsed filter: free words plus the values of each token kind (empty = not filtered)."""

    words: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    profiles: tuple[str, ...] = ()
    collections: tuple[str, ...] = ()
    runs: tuple[str, ...] = ()
    source: str = field(default="", compare=False)

    @property
    def empty(self) -> bool:
        """True when the filter lets every entry through."""
        return not (self.words or self.statuses or self.methods or self.profiles or self.collections or self.runs)


def _split(text: str) -> list[str]:
    """Split like a shell so quotes keep phrases together; unbalanced quotes fall back to spaces."""
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def parse_filter(text: str | None) -> Filter:
    """Parse the filter language (see the module docstring).

    Raises:
        FilterError: a `status:` or `method:` value that is not a code, a class or a method name.
    """
    if not text or not text.strip():
        return Filter()
    found: dict[str, list[str]] = {"status": [], "method": [], "profile": [], "collection": [], "run": []}
    words: list[str] = []
    for part in _split(text):
        match = _TOKEN.match(part)
        if match is None:
            words.append(part)
            continue
        kind, value = match.group(1).lower(), match.group(2)
        if kind == "status":
            value = value.lower()
            if not (_STATUS_CODE.match(value) or _STATUS_CLASS.match(value) or value == ERROR):
                raise FilterError(
                    f"filter status:{value}: expected a code such as 404, a class such as 4xx, or 'error'"
                )
        elif kind == "method":
            if not _METHOD.match(value):
                raise FilterError(f"filter method:{value}: expected a method name such as GET or POST")
            value = value.upper()
        found[kind].append(value)
    return Filter(
        words=tuple(words),
        statuses=tuple(found["status"]),
        methods=tuple(found["method"]),
        profiles=tuple(found["profile"]),
        collections=tuple(found["collection"]),
        runs=tuple(found["run"]),
        source=text,
    )


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def fts_query(word: str) -> str | None:
    """The full-text query for one free word: its tokens as a phrase, the last one a prefix."""
    tokens = _WORD.findall(word)
    if not tokens:
        return None
    return '"' + " ".join(tokens) + '"*'


def _any(conditions: list[str]) -> str:
    return conditions[0] if len(conditions) == 1 else "(" + " OR ".join(conditions) + ")"


@dataclass(frozen=True)
class Compiled:
    """A filter as SQL: the rows to read (`source`), the condition, its parameters, and the newest-first key.

    With free words the full-text index is the outer loop (`source` joins it to the exchanges table,
    aliased `e`), read in descending rowid order so the first page stops early.
    """

    source: str
    where: str
    params: list[object]
    order_key: str


def compile_filter(flt: Filter) -> Compiled:
    """The filter as SQL over the exchanges table, aliased `e` (see Compiled)."""
    clauses: list[str] = []
    params: list[object] = []
    source, order_key = "exchanges e", "e.id"
    matches = [q for q in (fts_query(w) for w in flt.words) if q is not None]
    if matches:
        source, order_key = "search JOIN exchanges e ON e.id = search.rowid", "search.rowid"
        clauses.append("search MATCH ?")
        params.append(" ".join(matches))  # FTS5: phrases side by side must all match
    if flt.statuses:
        parts: list[str] = []
        for value in flt.statuses:
            if value == ERROR:
                parts.append("e.status IS NULL")
            elif (klass := _STATUS_CLASS.match(value)) is not None:
                low = int(klass.group(1)) * 100
                parts.append("e.status BETWEEN ? AND ?")
                params.extend([low, low + 99])
            else:
                parts.append("e.status = ?")
                params.append(int(value))
        clauses.append(_any(parts))
    if flt.methods:
        clauses.append(f"e.method IN ({', '.join('?' for _ in flt.methods)})")
        params.extend(flt.methods)
    if flt.profiles:
        parts = []
        for value in flt.profiles:
            if value.lower() == LIVE:
                # LIVE: not the sandbox, and not a LOCAL profile (a loopback base URL).
                local = " OR ".join("e.url LIKE ?" for _ in _LOOPBACK_PREFIXES)
                parts.append(f"(e.profile <> ? AND NOT ({local}))")
                params.extend([SANDBOX, *(f"{prefix}%" for prefix in _LOOPBACK_PREFIXES)])
            else:
                parts.append("e.profile = ? COLLATE NOCASE")
                params.append(value)
        clauses.append(_any(parts))
    if flt.collections:
        parts = []
        for value in flt.collections:
            parts.append("(e.collection = ? COLLATE NOCASE OR e.collection_stem = ?)")
            params.extend([value, value.casefold()])
        clauses.append(_any(parts))
    if flt.runs:
        clauses.append(f"e.run_id IN ({', '.join('?' for _ in flt.runs)})")
        params.extend(flt.runs)
    for word in flt.words:
        if fts_query(word) is None:  # punctuation only: nothing the index holds, so look at path and name
            clauses.append("(e.path LIKE ? ESCAPE '\\' OR e.name LIKE ? ESCAPE '\\')")
            params.extend([_like(word), _like(word)])
    return Compiled(source, " AND ".join(clauses) if clauses else "1", params, order_key)
