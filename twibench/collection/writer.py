"""Writing collections: a whole file in the DESIGN §2 style, or one request spliced into an existing file.

`dump_collection` (from `emit`, re-exported here) writes new text, quoting every string the safe loader
would otherwise misread. `save_request`
edits an existing file with ruamel.yaml's round-trip mode, changing only that request's part and keeping
the comments, order and formatting of the rest. Both refuse to write a file that would not load again.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, merge_attrib
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarfloat import ScalarFloat
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

from twibench import yamlload
from twibench.atomic import write_atomic
from twibench.collection.emit import dump_collection, dump_request, float_text, group_pairs
from twibench.collection.load import parse_collection
from twibench.collection.model import Collection, Pairs, Request
from twibench.collection.schema import REQUEST_KEYS
from twibench.collection.splice import insert_request, splice_request
from twibench.errors import FileErrors, LocatedError, TwibenchError

__all__ = [
    "SaveError",
    "delete_request",
    "dump_collection",
    "dump_request",
    "group_pairs",
    "same_request",
    "save_collection",
    "save_request",
]


class SaveError(TwibenchError):
    """A collection or request could not be saved; the file on disk is unchanged."""


# --------------------------------------------------------------------------------------------------
# Saving
# --------------------------------------------------------------------------------------------------


def _pairs_key(pairs: Pairs | None) -> dict[str, list[str]] | None:
    return None if pairs is None else group_pairs(pairs)


def _comparable(request: Request) -> Request:
    """The request with what a file cannot tell apart made equal (see `same_request`)."""
    return replace(
        request,
        line=0,
        explicit_id=False,
        method=request.method.upper(),
        description=request.description or None,
        docs=request.docs or None,
        params=[],
        headers=[],
        form=None,
    )


def same_request(a: Request, b: Request) -> bool:
    """True when `a` and `b` describe the same request as far as a file can tell.

    Ignores where they were read from, whether the id was written, the case of the method and empty vs
    absent description/docs, and compares params/headers/form with repeated names grouped, as the
    writer stores them.
    """
    return _comparable(a) == _comparable(b) and all(
        _pairs_key(getattr(a, key)) == _pairs_key(getattr(b, key)) for key in ("params", "headers", "form")
    )


def _check_output(text: str, path: Path, check: Callable[[Collection], None] | None = None) -> Collection:
    """Load `text` as `path` would load; raise SaveError (nothing written) if it does not load back."""
    try:
        collection = parse_collection(text, path)
    except FileErrors as exc:
        first = exc.errors[0]
        more = f" (and {len(exc.errors) - 1} more problem(s))" if len(exc.errors) > 1 else ""
        raise SaveError(
            f"{path}: not saved, because the result would not load: line {first.line}: {first.message}{more}"
        ) from None
    if check is not None:
        check(collection)
    return collection


def save_collection(collection: Collection, path: Path | None = None) -> None:
    """Write the whole collection to `path` (default: `collection.path`), atomically.

    Use this for new files (imports, "save as"); `save_request` keeps an existing file's comments.

    Raises:
        SaveError: the collection would not load back (e.g. a request without a url); nothing is written.
    """
    target = path or collection.path
    text = dump_collection(collection)
    _check_output(text, target)
    write_atomic(target, text)


def save_request(
    collection: Collection,
    request: Request,
    path: Path,
    *,
    original_id: str | None = None,
    position: int | None = None,
) -> None:
    """Save one request into the collection file at `path`, changing only that request's part.

    The request replaces the one whose id is `original_id` (default: `request.id`), or is appended when
    the file has no such request. Only the lines of the keys (and rows) that changed are rewritten, every
    other byte stays (`collection.splice`); files it cannot edit by text (anchors, flow requests) go
    through the ruamel.yaml round trip, which keeps comments and order. When
    `path` does not exist, `collection` is written with the request in it.

    Args:
        collection: the collection the request belongs to (used when the file does not exist yet).
        request: the request as it should be saved.
        path: the collection file.
        original_id: the id the request had when it was loaded, if it was renamed since.
        position: where a request new to the file goes (default: the end), so file order = tree order.

    Raises:
        FileErrors: the file on disk does not load, so the request cannot be placed safely.
        SaveError: the result would not load back; nothing is written.
    """
    target_id = original_id if original_id is not None else request.id
    if not path.exists():
        requests = [r for r in collection.requests if r is not request and r.id != target_id]
        save_collection(replace(collection, path=path, requests=[*requests, request]), path)
        return
    try:
        text = yamlload.read_text(path)
    except LocatedError as exc:
        raise FileErrors([exc]) from None
    old = parse_collection(text, path)
    index = next((i for i, r in enumerate(old.requests) if r.id == target_id), None)
    old_request = old.requests[index] if index is not None else None
    if index is None:
        position = len(old.requests) if position is None else max(0, min(position, len(old.requests)))
    else:
        position = index

    def unchanged_elsewhere(saved: Collection) -> None:
        others = [r for i, r in enumerate(saved.requests) if i != position]
        expected = [r for i, r in enumerate(old.requests) if i != index]
        if (
            len(saved.requests) <= position
            or not same_request(saved.requests[position], request)
            or len(others) != len(expected)
            or not all(same_request(a, b) for a, b in zip(others, expected, strict=True))
            or (saved.name, saved.description, saved.docs, saved.sandbox_only, saved.variables)
            != (old.name, old.description, old.docs, old.sandbox_only, old.variables)
        ):
            raise SaveError(f"{path}: not saved, because the edited file would not read back as intended")

    if index is not None and old_request is not None:
        spliced = splice_request(text, index, old_request, request)
    else:
        spliced = insert_request(text, position, request)
    if spliced is not None:
        try:
            _check_output(spliced, path, unchanged_elsewhere)
        except SaveError:
            spliced = None
    if spliced is not None:
        write_atomic(path, spliced)
        return
    new_text = _splice_request(text, path, index, old_request, request, position)
    _check_output(new_text, path, unchanged_elsewhere)
    write_atomic(path, new_text)


# --------------------------------------------------------------------------------------------------
# Editing one request in place (ruamel.yaml round trip)
# --------------------------------------------------------------------------------------------------

_KEY_ONLY = re.compile(r"[^\s#][^#]*:\s*(#.*)?")


def _guess_indent(text: str) -> tuple[int, int, int]:
    """The file's (mapping indent, sequence indent, dash offset), so ruamel re-emits it the same way.

    ruamel.yaml applies one indentation to the whole document; guessing it from the file keeps the lines
    outside the saved request as they were. Defaults are the DESIGN §2 style (2, 4, 2).
    """
    mapping: int | None = None
    sequence: int | None = None
    offset: int | None = None
    parent: int | None = None  # indentation of the previous line when it was `key:` alone
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if parent is not None and (indent > parent or (indent == parent and stripped.startswith("- "))):
            if stripped.startswith("- ") and offset is None:
                offset = indent - parent
                after_dash = stripped[1:]
                sequence = offset + 1 + len(after_dash) - len(after_dash.lstrip(" "))
            elif not stripped.startswith("-") and mapping is None:
                mapping = indent - parent
        while stripped.startswith("- "):  # `- key:` opens a mapping indented past the dash
            rest = stripped[2:].lstrip(" ")
            indent += len(stripped) - len(rest)
            stripped = rest
        parent = indent if _KEY_ONLY.fullmatch(stripped) else None
        if mapping is not None and offset is not None:
            break
    mapping = mapping or 2
    if offset is None or sequence is None:
        offset, sequence = 2, 4
    return mapping, max(sequence, offset + 2), offset


def _leaf(node: Any) -> tuple[Any, Any, int, Any] | None:
    """Where the comment after `node`'s last value lives: (container, key, slot index, value).

    ruamel.yaml keeps the comment lines that follow a value with the last scalar before them, possibly
    deep inside the last key's block mapping or list.
    """
    if isinstance(node, CommentedMap) and len(node) > 0:
        key = list(node.keys())[-1]
        slot = 2
    elif isinstance(node, CommentedSeq) and len(node) > 0:
        key = len(node) - 1
        slot = 0
    else:
        return None
    value = node[key]
    if isinstance(value, CommentedMap | CommentedSeq) and len(value) > 0 and not value.fa.flow_style():
        return _leaf(value)
    return node, key, slot, value


def _take_tail(node: Any) -> str:
    """Remove the comment lines and blank lines after `node`'s last value and return them.

    The end-of-line comment on the last value stays where it is; what follows it (a comment about the next
    request, the file's closing comments) is moved with `_put_tail` so it survives the edit.
    """
    found = _leaf(node)
    if found is None:
        return ""
    container, key, slot, value = found
    comments = container.ca.items.get(key)
    if not comments or len(comments) <= slot or comments[slot] is None:
        return ""
    token = comments[slot]
    tail: str
    if isinstance(value, LiteralScalarString | FoldedScalarString):
        eol, tail = "", token.value
    else:
        first, _, tail = token.value.partition("\n")
        eol = first + "\n" if first.strip() else ""
    if eol:
        token.value = eol
    else:
        comments[slot] = None
        if hasattr(value, "ca") and value.ca.comment and value.ca.comment[0] is token:
            value.ca.comment[0] = None
    return tail


def _put_tail(node: Any, tail: str) -> None:
    """Attach comment lines taken by `_take_tail` after `node`'s (new) last value."""
    found = _leaf(node) if tail else None
    if found is None:
        return
    container, key, slot, value = found
    comments = container.ca.items.setdefault(key, [None, None, None, None])
    while len(comments) <= slot:
        comments.append(None)
    if comments[slot] is not None:
        comments[slot].value = comments[slot].value + tail
        return
    lead = "" if isinstance(value, LiteralScalarString | FoldedScalarString) else "\n"
    comments[slot] = CommentToken(lead + tail, CommentMark(0), None)


def _is_block(value: Any) -> bool:
    """True for a mapping or list written over several lines (where comments sit inside, not after)."""
    return isinstance(value, CommentedMap | CommentedSeq) and not value.fa.flow_style()


def _changed(key: str, old: Request, new: Request) -> bool:
    if key == "method":
        return old.method.upper() != new.method.upper()
    return bool(getattr(old, key) != getattr(new, key))


def _update_in_place(mapping: Any, new_mapping: Any, old: Request, new: Request) -> None:
    """Make `mapping` (the request as the file has it) hold `new`, keeping what did not change.

    A key whose value is unchanged keeps its node, so its quoting, flow style and comments stay; a key the
    writer would leave out but whose value is unchanged (an explicit `method: GET`) stays too.
    """
    for key in list(mapping.keys()):
        if key not in new_mapping and (key not in REQUEST_KEYS or _changed(key, old, new)):
            del mapping[key]
            mapping.ca.items.pop(key, None)
    for key in new_mapping:
        if key in mapping:
            if _changed(key, old, new):
                old_value = mapping[key]
                mapping[key] = new_mapping[key]
                if _is_block(old_value) or _is_block(new_mapping[key]):
                    mapping.ca.items.pop(key, None)  # a comment placed for the old shape
            continue
        # Before the nearest key that follows it in the writer's order, else after the nearest one that
        # precedes it: the file's own order may differ from the writer's, and this keeps neighbours close.
        keys = list(mapping.keys())
        at = REQUEST_KEYS.index(key)
        following = next((k for k in REQUEST_KEYS[at + 1 :] if k in mapping), None)
        preceding = next((k for k in reversed(REQUEST_KEYS[:at]) if k in mapping), None)
        if following is not None:
            position = keys.index(following)
        else:
            position = keys.index(preceding) + 1 if preceding is not None else len(keys)
        mapping.insert(position, key, new_mapping[key])


class _Representer(RoundTripRepresenter):
    """ruamel's round-trip representer, except that a float it would re-write inexactly keeps its value.

    ruamel rebuilds a float's text from its digits and loses precision on long mantissas with an exponent
    (2.525548042769867e+18 comes back as ...866e+18); those are written with Python's exact `repr`.
    """

    def represent_scalar_float(self, data: Any) -> Any:
        """The float as ruamel would write it, or its exact repr when ruamel's text changes the value."""
        node = super().represent_scalar_float(data)
        try:
            exact = float(str(node.value).replace("_", "")) == float(data)
        except ValueError:  # .inf, .nan: written exactly already
            exact = True
        if not exact:
            node.value = float_text(float(data))
        return node


_Representer.add_representer(ScalarFloat, _Representer.represent_scalar_float)


def _editor(text: str) -> YAML:
    """A ruamel.yaml round-trip editor set up to re-emit `text` the way it is written."""
    editor = YAML(typ="rt")
    editor.Representer = _Representer
    editor.preserve_quotes = True
    editor.width = 4096  # never re-wrap the lines we do not touch
    mapping, sequence, offset = _guess_indent(text)
    editor.indent(mapping=mapping, sequence=sequence, offset=offset)
    if text.lstrip().startswith("---"):
        editor.explicit_start = True
    return editor


def _splice_request(
    text: str, path: Path, index: int | None, old: Request | None, request: Request, position: int | None = None
) -> str:
    """`text` with the request at `index` replaced by `request` (inserted at `position` when `index` is None)."""
    editor = _editor(text)
    try:
        document = editor.load(text)
        new_mapping = editor.load(dump_request(request))
    except YAMLError as exc:
        raise SaveError(f"{path}: not saved, because the file could not be edited in place: {exc}") from None
    requests = document["requests"]
    if index is None:
        tail = _take_tail(requests)
        if len(requests) == 0:
            requests.fa.set_block_style()
        if position is not None and position < len(requests):
            requests.insert(position, new_mapping)
        else:
            requests.append(new_mapping)
        _put_tail(requests, tail)
    else:
        current = requests[index]
        if (
            old is None
            or not isinstance(current, CommentedMap)
            or current.fa.flow_style()
            or (getattr(current, merge_attrib, None))
        ):
            requests[index] = new_mapping  # a flow or merged mapping: replace it whole
        else:
            tail = _take_tail(current)
            _update_in_place(current, new_mapping, old, request)
            _put_tail(current, tail)
    out = io.StringIO()
    editor.dump(document, out)
    return out.getvalue()


def delete_request(path: Path, request_id: str) -> None:
    """Remove the request `request_id` from the collection file at `path`, keeping the rest as it was.

    Comment lines written after the removed request (usually about the request that follows) are kept,
    attached after the request before it. Added for the TUI's "Delete request" command.

    Raises:
        FileErrors: the file on disk does not load.
        SaveError: the file has no such request, or the result would not read back; nothing is written.
    """
    try:
        text = yamlload.read_text(path)
    except LocatedError as exc:
        raise FileErrors([exc]) from None
    old = parse_collection(text, path)
    index = next((i for i, r in enumerate(old.requests) if r.id == request_id), None)
    if index is None:
        raise SaveError(f"{path}: has no request '{request_id}' to delete")
    editor = _editor(text)
    try:
        document = editor.load(text)
    except YAMLError as exc:
        raise SaveError(f"{path}: not changed, because the file could not be edited in place: {exc}") from None
    requests = document["requests"]
    tail = _take_tail(requests[index]) if isinstance(requests[index], CommentedMap) else ""
    del requests[index]
    if tail.strip() and index > 0 and isinstance(requests[index - 1], CommentedMap):
        # The request before already ends with its own blank line(s); keep only the comment lines.
        _put_tail(requests[index - 1], tail.lstrip("\n"))
    out = io.StringIO()
    editor.dump(document, out)
    new_text = out.getvalue()
    expected = [r for i, r in enumerate(old.requests) if i != index]

    def others_unchanged(saved: Collection) -> None:
        if len(saved.requests) != len(expected) or not all(
            same_request(a, b) for a, b in zip(saved.requests, expected, strict=True)
        ):
            raise SaveError(f"{path}: not changed, because the edited file would not read back as intended")

    _check_output(new_text, path, others_unchanged)
    write_atomic(path, new_text)
