"""Reading a curl command's options: what each one says about the request, with warnings.

The words come from `shellwords`, which keeps track of what the shell would expand; this module applies
curl's option rules to them (short-option clusters, `--data-urlencode`'s five forms, `-H 'Name;'`) and
records the result in a `CurlCommand`. `twibench.importers.curl` turns that into a collection Request.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote_plus, unquote_plus

from twibench.collection import Pairs
from twibench.errors import TwibenchError
from twibench.importers import shellwords
from twibench.importers.curl_options import OPTIONS, UNSUPPORTED
from twibench.importers.shellwords import Ref, Token, Word

_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


class CurlError(TwibenchError):
    """The command is not a curl command twibench can import; the message names the option or problem."""


@dataclass
class Data:
    """One piece of request data, in the order curl joins them with `&`."""

    raw: str | None = None
    """Text sent as written (already URL-encoded, as -d expects)."""
    pair: tuple[str, str] | None = None
    """A field whose value curl encodes (--data-urlencode name=value)."""
    option: str = "-d"


@dataclass
class CurlCommand:
    """What the options of one curl command say, before it becomes a Request."""

    method: str | None = None
    urls: list[str] = field(default_factory=list)
    data: list[Data] = field(default_factory=list)
    json: bool = False
    get: bool = False
    head: bool = False
    headers: Pairs = field(default_factory=list)
    user: list[Token] | None = None
    follow: bool = False
    timeout: float | None = None


class CurlParser:
    """Turns the words of a curl command into a `CurlCommand`, collecting warnings."""

    def __init__(self, *, read_files: bool = True) -> None:
        """Args:
        read_files: False refuses `@file` data (a command pasted from the clipboard must not make
            twibench read a local file the user never chose).
        """
        self.read_files = read_files
        self.warnings: list[str] = []
        self.command = CurlCommand()
        self._warned_vars: set[str] = set()
        self.handlers = self._handlers()

    def warn(self, message: str) -> None:
        """Record a warning once."""
        if message not in self.warnings:
            self.warnings.append(message)

    def read_file(self, name: str, option: str) -> str:
        """The data of `@name`, read only when this parser may read files (see `__init__`)."""
        if not self.read_files:
            raise CurlError(
                f"curl option {option} @{name} would read the local file {name}; a pasted command never reads "
                "files: import it with `twibench import curl`, or paste the data itself"
            )
        content = _read_file(name, option)
        self.warn(
            f"the data of {option} came from the file {name} ({len(content)} characters): check it holds no secret"
        )
        return content

    # ----- shell variables -----------------------------------------------------------------------

    def variable(self, ref: Ref) -> str:
        """The twibench text for a shell variable: `{{account_sid}}`, or `{{lower_name}}` with a warning."""
        if ref.name == "TWILIO_ACCOUNT_SID":
            return "{{account_sid}}"
        name = ref.name.lower()
        if ref.name not in self._warned_vars:
            self._warned_vars.add(ref.name)
            self.warn(
                f"the shell variable ${ref.name} became {{{{{name}}}}}; give it a value with --var {name}=VALUE "
                "or in the collection's variables"
            )
        return "{{" + name + "}}"

    def text(self, word: Word) -> str:
        """The word with shell variables turned into twibench variables."""
        return "".join(t if isinstance(t, str) else self.variable(t) for t in shellwords.tokens(word))

    # ----- options -------------------------------------------------------------------------------

    def parse(self, words: list[Word]) -> CurlCommand:
        """Read every option and argument after `curl`."""
        if not words or shellwords.plain(words[0]) != "curl":
            raise CurlError("expected a command starting with curl")
        index = 1
        only_args = False
        while index < len(words):
            word = words[index]
            raw = shellwords.plain(word)
            index += 1
            if only_args or not raw.startswith("-") or raw == "-":
                self.command.urls.append(self.text(word))
                continue
            if raw == "--":
                only_args = True
                continue
            if raw.startswith("--"):
                option = OPTIONS.get(raw)
                if option is None:
                    raise CurlError(f"unknown curl option {raw}; twibench cannot tell what it would change")
                value = None
                if option.takes_value:
                    if index >= len(words):
                        raise CurlError(f"curl option {raw} needs a value")
                    value = words[index]
                    index += 1
                self.apply(raw, option.action, value)
                continue
            index = self.short_cluster(word, raw, words, index)
        return self.command

    def short_cluster(self, word: Word, raw: str, words: list[Word], index: int) -> int:
        """`-sSL`, `-XPOST`, `-HAccept:…`: single-letter options, the last one possibly with its value."""
        position = 1
        while position < len(raw):
            name = "-" + raw[position]
            option = OPTIONS.get(name)
            if option is None:
                shown = raw if len(raw) == 2 else f"{name} (in {raw})"
                raise CurlError(f"unknown curl option {shown}; twibench cannot tell what it would change")
            position += 1
            if not option.takes_value:
                self.apply(name, option.action, None)
                continue
            if position < len(raw):
                value = _rest_of_word(word, position)
            elif index < len(words):
                value = words[index]
                index += 1
            else:
                raise CurlError(f"curl option {name} needs a value")
            self.apply(name, option.action, value)
            break
        return index

    def apply(self, name: str, action: str, value: Word | None) -> None:
        """Record what one option means."""
        if action in UNSUPPORTED:
            raise CurlError(f"curl option {name}: {UNSUPPORTED[action]}")
        handler = self.handlers.get(action)
        if handler is not None:
            handler(name, value)
        elif action == "insecure":
            self.warn(f"{name} was ignored: twibench always verifies TLS certificates")
        elif action in ("ignore", "ignore-value", "basic"):
            return
        else:  # pragma: no cover - the option table and the handlers are kept in step
            raise CurlError(f"curl option {name} is not handled")

    def _handlers(self) -> dict[str, Callable[[str, Word | None], None]]:
        command = self.command

        def need(value: Word | None) -> Word:
            assert value is not None
            return value

        def flag(attribute: str) -> Callable[[str, Word | None], None]:
            return lambda name, value: setattr(command, attribute, True)

        return {
            "request": lambda name, value: setattr(command, "method", shellwords.plain(need(value)).upper()),
            "data": lambda name, value: self.data(name, need(value), at_file=True, binary=False),
            "data-binary": lambda name, value: self.data(name, need(value), at_file=True, binary=True),
            "data-raw": lambda name, value: self.data(name, need(value), at_file=False, binary=True),
            "data-urlencode": lambda name, value: self.data_urlencode(need(value)),
            "json": self.json_option,
            "header": lambda name, value: self.header(self.text(need(value))),
            "user": lambda name, value: setattr(command, "user", shellwords.tokens(need(value))),
            "url": lambda name, value: command.urls.append(self.text(need(value))),
            "user-agent": lambda name, value: command.headers.append(("User-Agent", self.text(need(value)))),
            "referer": lambda name, value: command.headers.append(("Referer", self.text(need(value)))),
            "cookie": self.cookie,
            "max-time": self.max_time,
            "get": flag("get"),
            "head": flag("head"),
            "location": flag("follow"),
        }

    def data(self, name: str, value: Word, *, at_file: bool, binary: bool) -> None:
        text = self.text(value)
        if at_file and text.startswith("@"):
            content = self.read_file(text[1:], name)
            text = content if binary else content.replace("\r", "").replace("\n", "")
        self.command.data.append(Data(raw=text, option=name))

    def data_urlencode(self, value: Word) -> None:
        """curl's forms: `content`, `=content`, `name=content`, `@file`, `name@file`."""
        text = self.text(value)
        split = re.search(r"[=@]", text)
        if split is None:
            self.command.data.append(Data(raw=quote_plus(text), option="--data-urlencode"))
            return
        name, content = text[: split.start()], text[split.end() :]
        if split.group(0) == "@":
            content = self.read_file(content, "--data-urlencode")
        if name:
            self.command.data.append(Data(pair=(unquote_plus(name), content), option="--data-urlencode"))
        else:
            self.command.data.append(Data(raw=quote_plus(content), option="--data-urlencode"))

    def json_option(self, name: str, value: Word | None) -> None:
        assert value is not None
        self.data(name, value, at_file=True, binary=True)
        self.command.json = True

    def header(self, text: str) -> None:
        if text.startswith("@"):
            raise CurlError("curl option -H @FILE (headers from a file) is not supported; paste the headers")
        name, sep, value = text.partition(":")
        if not sep and name.endswith(";"):
            name, value = name[:-1], ""  # curl's `-H 'Name;'` sends an empty header
        elif not sep:
            raise CurlError(f"the header {text!r} has no ':'; expected -H 'Name: value'")
        elif not value.strip():
            return  # `-H 'Name:'` removes a header curl would add: nothing to send
        name = name.strip()
        if not _HEADER_NAME.fullmatch(name):
            raise CurlError(f"{name!r} is not a valid HTTP header name (from -H {text!r})")
        self.command.headers.append((name, value.strip()))

    def cookie(self, name: str, value: Word | None) -> None:
        assert value is not None
        text = self.text(value)
        if "=" not in text:
            self.warn(f"{name} {text}: a cookie file is not read; add the cookies as a Cookie header")
            return
        self.command.headers.append(("Cookie", text))

    def max_time(self, name: str, value: Word | None) -> None:
        assert value is not None
        text = shellwords.plain(value)
        try:
            seconds = float(text)
        except ValueError:
            raise CurlError(f"curl option {name} expects a number of seconds, not {text!r}") from None
        if not seconds > 0 or seconds == float("inf"):
            raise CurlError(f"curl option {name} expects a positive number of seconds, not {text!r}")
        self.command.timeout = seconds


def _rest_of_word(word: Word, offset: int) -> Word:
    """The word without its first `offset` characters (`-XPOST` → `POST`), keeping the parts' tags."""
    parts: list[shellwords.Part] = []
    for part in word:
        if offset >= len(part.text):
            offset -= len(part.text)
            continue
        parts.append(shellwords.Part(part.text[offset:], part.expands))
        offset = 0
    return tuple(parts)


MAX_DATA_FILE = 1024 * 1024
"""The largest file `-d @file` (and the other data options) may read: a request body, not a disk image."""


def _read_file(name: str, option: str) -> str:
    """The text of a regular file of at most MAX_DATA_FILE bytes (never a device, FIFO or directory).

    The file is opened without blocking and checked on the open descriptor, so `@/dev/zero`, a FIFO
    or a file swapped for one after a check is refused, not read.
    """
    path = Path(name).expanduser()
    where = f"curl option {option} @{name}"
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise CurlError(f"{where}: cannot read the file: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise CurlError(f"{where}: {path} is not a regular file (a device, FIFO or folder), so it is not read")
        if info.st_size > MAX_DATA_FILE:
            raise CurlError(f"{where}: {path} is {info.st_size} bytes, over the {MAX_DATA_FILE} byte limit for data")
        data = os.read(fd, MAX_DATA_FILE + 1)
        while len(data) <= MAX_DATA_FILE and (more := os.read(fd, MAX_DATA_FILE + 1 - len(data))):
            data += more
    except OSError as exc:
        raise CurlError(f"{where}: cannot read the file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > MAX_DATA_FILE:
        raise CurlError(f"{where}: {path} is over the {MAX_DATA_FILE} byte limit for data")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CurlError(f"{where}: cannot read the file: it is not UTF-8 text (byte {exc.start})") from None
