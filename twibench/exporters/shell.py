"""POSIX shell quoting for exported commands, with environment references left for the shell to expand.

`shlex.quote` makes any literal safe, but an exported command must also let the shell expand
`$TWILIO_ACCOUNT_SID`. A word with references is written in double quotes when its literal parts are
safe there (`"https://api.twilio.com/2010-04-01/Accounts/$TWILIO_ACCOUNT_SID/Messages.json"`, as
Twilio's docs write it), and otherwise as single-quoted literals joined to double-quoted references.
"""

from __future__ import annotations

import re
import shlex

from twibench.exporters.rendering import Env, Text

_UNSAFE_IN_DOUBLE_QUOTES = re.compile(r'[$`"\\!\n]')
_NAME_CHAR = re.compile(r"[A-Za-z0-9_]")


def _reference(name: str, following: str) -> str:
    """`$NAME`, or `${NAME}` when the next character would otherwise extend the name."""
    return f"${{{name}}}" if following and _NAME_CHAR.match(following[0]) else f"${name}"


def quote(text: Text) -> str:
    """One shell word for `text`: literals exactly as given, references expanded by the shell."""
    if not any(isinstance(part, Env) for part in text):
        return shlex.quote("".join(p for p in text if isinstance(p, str)))
    literals = [p for p in text if isinstance(p, str)]
    if not any(_UNSAFE_IN_DOUBLE_QUOTES.search(p) for p in literals):
        out: list[str] = []
        for index, part in enumerate(text):
            if isinstance(part, str):
                out.append(part)
            else:
                following = text[index + 1] if index + 1 < len(text) else ""
                out.append(_reference(part.name, following if isinstance(following, str) else ""))
        return '"' + "".join(out) + '"'
    return "".join(f'"${p.name}"' if isinstance(p, Env) else shlex.quote(p) for p in text if p != "")


def command(lines: list[list[str]]) -> str:
    """Words grouped into lines, joined with ` \\` continuations and a two-space indent."""
    rendered = [" ".join(words) for words in lines if words]
    return " \\\n  ".join(rendered)
