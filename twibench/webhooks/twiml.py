"""TwiML checked against Twilio's grammar: each problem with its line, column, element and Twilio code.

The grammar (`data/twiml/twiml-grammar.json`, see its PROVENANCE.md) lists, for the voice, messaging and
fax documents, every element with the children it may hold, its attributes and whether it takes text.
Twilio reports unparsable XML as 12100 and an unknown verb, a wrong nesting or an unknown attribute as a
12200 schema warning; here the first two are errors (the verb would not run) and an unknown attribute is
a warning (Twilio ignores it), as `twibench twiml check` promises.

Documents are parsed with expat with every DOCTYPE refused, so no entity is ever expanded, and nesting
deeper than `MAX_DEPTH` is refused: a hostile app cannot make the checker slow or large.
"""

from __future__ import annotations

import difflib
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from xml.parsers import expat

Kind = Literal["voice", "messaging", "fax"]
KINDS: tuple[Kind, ...] = ("voice", "messaging", "fax")
MAX_DEPTH = 64
GRAMMAR_FILE = Path(__file__).resolve().parent.parent / "data" / "twiml" / "twiml-grammar.json"

PARSE_FAILURE = 12100
SCHEMA_WARNING = 12200


@dataclass(frozen=True)
class Element:
    """What the grammar says of one element."""

    children: frozenset[str]
    attributes: frozenset[str]
    text: bool


@dataclass(frozen=True)
class Grammar:
    """One kind of TwiML document: its root and elements."""

    kind: Kind
    root: str
    elements: dict[str, Element]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a document.

    Attributes:
        line: 1-based line of the element (or of the parse error).
        column: 1-based column.
        severity: "error" (Twilio would not run it) or "warning" (Twilio ignores the part).
        code: Twilio's code for it: 12100 (parse failure) or 12200 (schema validation).
        message: one sentence naming the element and what is wrong.
        element: the element's name, or "" for a parse failure.
    """

    line: int
    column: int
    severity: Literal["error", "warning"]
    code: int
    message: str
    element: str = ""

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.severity}: {self.message} ({self.code})"


@dataclass
class Node:
    """A parsed TwiML element: name, attributes, text and children, with where it starts."""

    name: str
    attributes: dict[str, str]
    line: int
    column: int
    text: str = ""
    children: list[Node] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    """The verdict on one document."""

    kind: Kind
    problems: tuple[Problem, ...]
    root: Node | None

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop Twilio from running the document."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        """True when nothing but warnings was found."""
        return not self.errors

    def verdict(self) -> str:
        """One line for a status bar: `valid voice TwiML`, or the counts of errors and warnings."""
        if not self.problems:
            return f"valid {self.kind} TwiML"
        errors, warnings = len(self.errors), len(self.problems) - len(self.errors)
        parts = [f"{n} {word}{'s' if n != 1 else ''}" for n, word in ((errors, "error"), (warnings, "warning")) if n]
        return f"{'invalid' if errors else 'valid'} {self.kind} TwiML: {', '.join(parts)}"


_lock = threading.Lock()
_grammars: dict[str, Grammar] = {}


def grammar(kind: Kind) -> Grammar:
    """The grammar of one kind of document, read once on first use."""
    if not _grammars:
        with _lock:
            if not _grammars:
                raw: dict[str, Any] = json.loads(GRAMMAR_FILE.read_text(encoding="utf-8"))["grammar"]
                for name, body in raw.items():
                    elements = {
                        el: Element(frozenset(spec["children"]), frozenset(spec["attributes"]), bool(spec["text"]))
                        for el, spec in body["elements"].items()
                    }
                    _grammars[name] = Grammar(kind=name, root=body["root"], elements=elements)  # type: ignore[arg-type]
    return _grammars[kind]


class _Refused(Exception):
    """A document the checker will not parse (a DOCTYPE, or nesting too deep)."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.line, self.column = line, column


def parse(text: str | bytes) -> Node:
    """Parse a document into Nodes; raises ValueError with `line:col: …` for anything unparsable."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[Node] = []
    roots: list[Node] = []

    def where() -> tuple[int, int]:
        return parser.CurrentLineNumber, parser.CurrentColumnNumber + 1

    def start(name: str, attrs: dict[str, str]) -> None:
        line, column = where()
        if len(stack) >= MAX_DEPTH:
            raise _Refused(f"elements nest deeper than {MAX_DEPTH} levels", line, column)
        node = Node(name=name, attributes=dict(attrs), line=line, column=column)
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)

    def end(_name: str) -> None:
        stack.pop()

    def chars(data: str) -> None:
        if stack:
            stack[-1].text += data

    def doctype(*_args: object) -> None:
        line, column = where()
        raise _Refused("a DOCTYPE is not allowed in TwiML", line, column)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    try:
        parser.Parse(text, True)
    except _Refused as exc:
        raise ValueError(f"{exc.line}:{exc.column}: {exc}") from None
    except expat.ExpatError as exc:
        raise ValueError(f"{exc.lineno}:{exc.offset + 1}: {expat.ErrorString(exc.code)}") from None
    return roots[0]


def guess_kind(root: Node) -> Kind:
    """Messaging when the document uses `<Message>` (and no voice-only verb), else voice."""
    names = {child.name for child in root.children}
    voice_only = set(grammar("voice").elements[grammar("voice").root].children) - {"Redirect"}
    if "Message" in names and not names & voice_only:
        return "messaging"
    if "Receive" in names:
        return "fax"
    return "voice"


def _suggest(name: str, choices: set[str] | frozenset[str]) -> str:
    lowered = {c.lower(): c for c in choices}
    if name.lower() in lowered:
        return f" (TwiML is case-sensitive: did you mean <{lowered[name.lower()]}>?)"
    close = difflib.get_close_matches(name, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean <{close[0]}>?)" if close else ""


def _walk(node: Node, parent: str | None, g: Grammar, out: list[Problem]) -> None:
    spec = g.elements.get(node.name)
    if parent is None and node.name != g.root:
        out.append(
            Problem(
                node.line, node.column, "error", SCHEMA_WARNING,
                f"the root element must be <{g.root}>, not <{node.name}>{_suggest(node.name, {g.root})}", node.name,
            )
        )  # fmt: skip
    elif spec is None:
        out.append(
            Problem(
                node.line, node.column, "error", SCHEMA_WARNING,
                f"<{node.name}> is not a {g.kind} TwiML element{_suggest(node.name, set(g.elements))}", node.name,
            )
        )  # fmt: skip
        return
    elif parent is not None and node.name not in g.elements[parent].children:
        allowed = ", ".join(f"<{c}>" for c in sorted(g.elements[parent].children)) or "nothing"
        out.append(
            Problem(
                node.line, node.column, "error", SCHEMA_WARNING,
                f"<{node.name}> is not allowed inside <{parent}> (it may hold {allowed})", node.name,
            )
        )  # fmt: skip
    if spec is None:
        return
    for attr in node.attributes:
        if attr not in spec.attributes:
            hint = difflib.get_close_matches(attr, sorted(spec.attributes), n=1, cutoff=0.75)
            out.append(
                Problem(
                    node.line, node.column, "warning", SCHEMA_WARNING,
                    f"<{node.name}> has no attribute '{attr}'" + (f" (did you mean '{hint[0]}'?)" if hint else ""),
                    node.name,
                )
            )  # fmt: skip
    if node.text.strip() and not spec.text:
        out.append(
            Problem(
                node.line, node.column, "warning", SCHEMA_WARNING,
                f"<{node.name}> takes no text; the text is ignored", node.name,
            )
        )  # fmt: skip
    for child in node.children:
        _walk(child, node.name, g, out)


def check(text: str | bytes, kind: Kind | None = None) -> Report:
    """Check a TwiML document; `kind` None guesses voice or messaging from its verbs."""
    try:
        root = parse(text)
    except ValueError as exc:
        where, _, message = str(exc).partition(": ")
        line, _, column = where.partition(":")
        problem = Problem(int(line), int(column), "error", PARSE_FAILURE, f"the XML cannot be parsed: {message}")
        return Report(kind=kind or "voice", problems=(problem,), root=None)
    chosen = kind or guess_kind(root)
    problems: list[Problem] = []
    _walk(root, None, grammar(chosen), problems)
    return Report(kind=chosen, problems=tuple(problems), root=root)
