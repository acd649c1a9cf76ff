"""POSIX shell word splitting that remembers which text the shell would expand.

`shlex` returns plain strings, so `"$TWILIO_ACCOUNT_SID"` (expanded by the shell) and `'$5'` (literal)
look the same afterwards. A curl command pasted from Twilio's docs depends on that difference, so this
splitter keeps each word as parts tagged with whether `$NAME` in them is a shell expansion. It follows
POSIX quoting (single quotes, double quotes, backslashes, `\\`-newline continuations) plus bash's `$'…'`
strings, which browsers' "Copy as cURL" produce.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from twibench.errors import TwibenchError


class ShellSyntaxError(TwibenchError):
    """The command is not valid shell syntax (an unterminated quote, a dangling escape)."""


@dataclass(frozen=True)
class Part:
    """A run of one word's text, and whether the shell would expand `$NAME` inside it."""

    text: str
    expands: bool


@dataclass(frozen=True)
class Ref:
    """A shell variable reference (`$NAME` or `${NAME}`) in a word."""

    name: str


Word = tuple[Part, ...]
Token = str | Ref
"""A piece of an expanded word: literal text, or a reference to a shell variable."""

_OPERATORS = "|;&<>"
_WHITESPACE = " \t\r\n"
_DOUBLE_QUOTE_ESCAPES = '$`"\\'
_ANSI_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "e": "\x1b",
    "E": "\x1b",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "?": "?",
}
_REF = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")


def _newline_at(text: str, pos: int) -> int:
    """The length of the line break at `pos` (`\\n` or Windows' `\\r\\n`), or 0: continuations accept both."""
    if text.startswith("\r\n", pos):
        return 2
    return 1 if text.startswith("\n", pos) else 0


@dataclass
class Split:
    """What `split_words` found: the words, and the operator that ended the command early, if any."""

    words: list[Word]
    stopped_at: str | None = None


class _Reader:
    """A cursor over the command text that builds words part by part."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.words: list[Word] = []
        self.parts: list[Part] = []
        self.in_word = False

    def add(self, text: str, *, expands: bool) -> None:
        """Append text to the current word, merging with the previous part when the tag is the same."""
        self.in_word = True
        if not text:
            return
        if self.parts and self.parts[-1].expands == expands:
            self.parts[-1] = Part(self.parts[-1].text + text, expands)
        else:
            self.parts.append(Part(text, expands))

    def end_word(self) -> None:
        """Close the current word (an empty quoted string `''` is still a word)."""
        if self.in_word:
            self.words.append(tuple(self.parts))
        self.parts = []
        self.in_word = False

    def single_quoted(self) -> None:
        end = self.text.find("'", self.pos)
        if end < 0:
            raise ShellSyntaxError("the command has an unterminated single quote (')")
        self.add(self.text[self.pos : end], expands=False)
        self.pos = end + 1

    def double_quoted(self) -> None:
        chunk: list[str] = []
        while True:
            if self.pos >= len(self.text):
                raise ShellSyntaxError('the command has an unterminated double quote (")')
            char = self.text[self.pos]
            self.pos += 1
            if char == '"':
                break
            if char == "\\" and self.pos < len(self.text):
                following = self.text[self.pos]
                newline = _newline_at(self.text, self.pos)
                if newline:
                    self.pos += newline
                    continue
                if following in _DOUBLE_QUOTE_ESCAPES:
                    # An escaped `$` is literal: flush, then add it as a non-expanding part.
                    self.add("".join(chunk), expands=True)
                    chunk = []
                    self.add(following, expands=False)
                    self.pos += 1
                    continue
            chunk.append(char)
        self.add("".join(chunk), expands=True)

    def ansi_quoted(self) -> None:
        """bash's `$'…'`: backslash escapes such as \\n, \\t, \\xHH and \\uHHHH; no expansion."""
        chunk: list[str] = []
        text = self.text
        while True:
            if self.pos >= len(text):
                raise ShellSyntaxError("the command has an unterminated $'…' string")
            char = text[self.pos]
            self.pos += 1
            if char == "'":
                break
            if char != "\\" or self.pos >= len(text):
                chunk.append(char)
                continue
            code = text[self.pos]
            self.pos += 1
            if code in _ANSI_ESCAPES:
                chunk.append(_ANSI_ESCAPES[code])
            elif code in "xuU":
                width = {"x": 2, "u": 4, "U": 8}[code]
                digits = re.match(rf"[0-9A-Fa-f]{{1,{width}}}", text[self.pos :])
                if digits is None:
                    chunk.append("\\" + code)
                else:
                    chunk.append(chr(int(digits.group(0), 16)))
                    self.pos += len(digits.group(0))
            elif code in "01234567":
                digits = re.match(r"[0-7]{0,2}", text[self.pos :])
                assert digits is not None
                chunk.append(chr(int(code + digits.group(0), 8)))
                self.pos += len(digits.group(0))
            else:
                chunk.append("\\" + code)
        self.add("".join(chunk), expands=False)


def split_words(command: str) -> Split:
    """Split one shell command into words the way a POSIX shell (or bash) would, before expansion.

    Unquoted whitespace (newlines included, so pasted multi-line commands work) separates words; `\\`
    followed by a newline joins lines; `#` at the start of a word starts a comment. An unquoted `|`, `;`,
    `&`, `<` or `>` ends the command: what follows (`| jq .`, `> out.json`) is not part of the request.

    Raises:
        ShellSyntaxError: an unterminated quote.
    """
    reader = _Reader(command)
    text = reader.text
    while reader.pos < len(text):
        char = text[reader.pos]
        reader.pos += 1
        if char in _WHITESPACE:
            reader.end_word()
        elif char == "\\":
            if reader.pos >= len(text):
                reader.add("\\", expands=False)
            elif _newline_at(text, reader.pos):
                reader.pos += _newline_at(text, reader.pos)
            else:
                reader.add(text[reader.pos], expands=False)
                reader.pos += 1
        elif char == "'":
            reader.single_quoted()
        elif char == '"':
            reader.double_quoted()
        elif char == "$" and reader.pos < len(text) and text[reader.pos] == "'":
            reader.pos += 1
            reader.ansi_quoted()
        elif char == "#" and not reader.in_word:
            newline = text.find("\n", reader.pos)
            reader.pos = len(text) if newline < 0 else newline
        elif char in _OPERATORS:
            reader.end_word()
            return Split(reader.words, stopped_at=char)
        else:
            reader.add(char, expands=True)
    reader.end_word()
    return Split(reader.words)


def tokens(word: Word) -> list[Token]:
    """The word as literal text and shell variable references, in order (adjacent literals merged)."""
    out: list[Token] = []

    def literal(text: str) -> None:
        if not text:
            return
        if out and isinstance(out[-1], str):
            out[-1] += text
        else:
            out.append(text)

    for part in word:
        if not part.expands:
            literal(part.text)
            continue
        last = 0
        for match in _REF.finditer(part.text):
            literal(part.text[last : match.start()])
            out.append(Ref(match.group(1) or match.group(2)))
            last = match.end()
        literal(part.text[last:])
    return out


def plain(word: Word) -> str:
    """The word's text with no expansion (for option names and flags)."""
    return "".join(part.text for part in word)
