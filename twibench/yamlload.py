"""Safe YAML loading that remembers where every key and item came from, for located errors.

Files are parsed by PyYAML's safe loader (the libyaml-accelerated one when available). Mappings come back
as `LocDict` and sequences as `LocList`, which carry 1-based line/column marks. Duplicate keys are
errors (PyYAML would silently keep the last), and non-text keys keep their source text (`On:` stays
"On" instead of becoming the boolean True).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from twibench.errors import LocatedError

if TYPE_CHECKING:
    import yaml

MAX_FILE_BYTES = 5_000_000
Mark = tuple[int, int]


class LocDict(dict[str, Any]):
    """A mapping read from YAML, with the position of the mapping, of each key and of each value."""

    start: Mark = (1, 1)

    def __init__(self) -> None:
        super().__init__()
        self.key_marks: dict[str, Mark] = {}
        self.value_marks: dict[str, Mark] = {}
        self.raw: dict[str, str] = {}

    def key_mark(self, key: str) -> Mark:
        """Where `key` is written (the mapping's start when unknown)."""
        return self.key_marks.get(key, self.start)

    def value_mark(self, key: str) -> Mark:
        """Where the value of `key` starts (the mapping's start when unknown)."""
        return self.value_marks.get(key, self.start)


class LocList(list[Any]):
    """A sequence read from YAML, with the position of the sequence and of each item."""

    start: Mark = (1, 1)

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[Mark] = []
        self.raw: list[str | None] = []

    def item_mark(self, index: int) -> Mark:
        """Where item `index` starts."""
        return self.marks[index] if 0 <= index < len(self.marks) else self.start


def _mark(node: yaml.Node) -> Mark:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


# Python refuses to turn an integer of more than 4300 digits into text (and to read one from decimal
# text); a number that long is never a twibench setting, so it is refused where it is written.
MAX_INT_DIGITS = 4300
_MAX_INT_BITS = int(MAX_INT_DIGITS * 3.3219)  # log2(10): the bits of the largest 4300-digit number
_TOO_LONG = "a number with"


def _too_long(digits: int) -> str:
    return f"{_TOO_LONG} {digits} digits is too long; a number here has at most {MAX_INT_DIGITS} digits"


@functools.cache
def _loader() -> type[yaml.SafeLoader]:
    """The safe loader with position-keeping containers, built when the first file is parsed.

    PyYAML (~7 ms to import) is imported here rather than at the top of this module, so a start with
    nothing to parse yet (no profiles.yaml or config.yaml, collections loaded after the first frame)
    does not pay for it. The constructors are closures over that import: no per-node module lookup.
    """
    import yaml

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        """The safe loader (libyaml's when available) with position-keeping containers."""

    def construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Any:
        data = LocDict()
        data.start = _mark(node)
        yield data
        loader.flatten_mapping(node)
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key = key_node.value
            else:
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be plain text, not a list or mapping", key_node.start_mark
                )
            if key in data:
                first = data.key_mark(key)
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key '{key}' (first written at line {first[0]})",
                    key_node.start_mark,
                )
            data[key] = loader.construct_object(value_node, deep=True)
            data.key_marks[key] = _mark(key_node)
            data.value_marks[key] = _mark(value_node)
            if isinstance(value_node, yaml.ScalarNode):
                data.raw[key] = value_node.value

    def construct_sequence(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> Any:
        data = LocList()
        data.start = _mark(node)
        yield data
        for child in node.value:
            data.append(loader.construct_object(child, deep=True))
            data.marks.append(_mark(child))
            data.raw.append(child.value if isinstance(child, yaml.ScalarNode) else None)

    def construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
        digits = sum(ch.isalnum() for ch in str(node.value))
        if digits > MAX_INT_DIGITS:
            raise yaml.constructor.ConstructorError(None, None, _too_long(digits), node.start_mark)
        value: int = yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
        if value.bit_length() > _MAX_INT_BITS:  # hexadecimal, binary or base-60 text can still make a huge value
            raise yaml.constructor.ConstructorError(None, None, _too_long(digits), node.start_mark)
        return value

    def construct_value(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
        # YAML 1.1 resolves a bare `=` to the obscure "value" type; in our files it is just text.
        return str(node.value)

    Loader.add_constructor("tag:yaml.org,2002:map", construct_mapping)
    Loader.add_constructor("tag:yaml.org,2002:value", construct_value)
    Loader.add_constructor("tag:yaml.org,2002:int", construct_int)
    Loader.add_constructor("tag:yaml.org,2002:seq", construct_sequence)
    return Loader


BOM = b"\xef\xbb\xbf"
"""UTF-8's byte order mark, which some editors put at the start of a file."""


def read_text(path: Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a YAML file as UTF-8 text, refusing huge and binary files with a located error."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise LocatedError(path, 1, 1, f"cannot read the file: {exc.strerror or exc}") from None
    if size > max_bytes:
        raise LocatedError(
            path, 1, 1, f"the file is {size / 1e6:.1f} MB; YAML files over {max_bytes / 1e6:g} MB are refused"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LocatedError(path, 1, 1, f"cannot read the file: {exc.strerror or exc}") from None
    return decode_text(path, data)


def decode_text(path: Path, data: bytes) -> str:
    """Decode UTF-8 bytes (a BOM is allowed), naming the line and column of the first bad byte.

    The BOM is cut before decoding rather than by the `utf-8-sig` codec: that codec reports a bad byte's
    offset counted after the BOM, which put the error 3 bytes off on lines after the first; positions are
    now counted in the text an editor shows (after the BOM). The codec's import is also saved at start-up.
    """
    if data.startswith(BOM):
        data = data[len(BOM) :]
    nul = data.find(b"\x00")
    if nul >= 0:
        line, col = _position(data, nul)
        raise LocatedError(path, line, col, "this is a binary file (NUL byte); expected YAML text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _position(data, exc.start)
        raise LocatedError(
            path, line, col, f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8"
        ) from None


def _position(data: bytes, offset: int) -> Mark:
    line = data.count(b"\n", 0, offset) + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


def parse(path: Path, text: str) -> Any:
    """Parse YAML text safely; any syntax or tag problem becomes one LocatedError.

    Returns:
        LocDict / LocList / scalars, or None for an empty document.
    """
    import yaml  # already imported by `_loader`; named here for its exception classes

    loader = _loader()(text)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        # An unclosed quote or bracket is reported at the end of the file; its opening is more useful.
        opened = exc.context_mark is not None and (exc.problem or "").startswith("found unexpected end of stream")
        mark = exc.context_mark if opened else (exc.problem_mark or exc.context_mark)
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        raise LocatedError(path, line, col, _describe(exc, _char_at(text, line, col))) from None
    except yaml.YAMLError as exc:
        raise LocatedError(path, 1, 1, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise LocatedError(path, 1, 1, "the YAML is nested too deeply to be a twibench file") from None
    finally:
        loader.dispose()


def _char_at(text: str, line: int, col: int) -> str:
    lines = text.splitlines()
    if 0 < line <= len(lines) and 0 < col <= len(lines[line - 1]):
        return lines[line - 1][col - 1]
    return ""


def _describe(exc: yaml.MarkedYAMLError, char: str) -> str:
    problem = (exc.problem or "invalid YAML").strip()
    if char == "\t" or "found character '\\t'" in problem:
        return "a tab character here; YAML indents with spaces only"
    if problem.startswith(("duplicate key", "a key must be", _TOO_LONG)):
        return problem
    if problem.startswith("found unexpected end of stream") and "quoted scalar" in (exc.context or ""):
        return "a quoted string starts here and is never closed"
    if "could not determine a constructor for the tag" in problem:
        tag = problem.replace("could not determine a constructor for the tag", "the tag")
        return f"{tag} is not allowed (tags run code; twibench reads plain YAML only)"
    context = (exc.context or "").strip()
    if context and context not in problem:
        return f"invalid YAML: {problem} ({context})"
    return f"invalid YAML: {problem}"


def load_file(path: Path, max_bytes: int = MAX_FILE_BYTES) -> Any:
    """Read and parse one YAML file (see `read_text` and `parse`)."""
    return parse(path, read_text(path, max_bytes))
