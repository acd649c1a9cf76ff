"""Saving the profiles file exactly: a profile save changes only the lines of what the user changed.

`twibench profiles add/remove/use`, `import-twilio-cli` and the TUI's profile dialog all save the whole
profile set. Re-dumping it would drop the user's comments, key order, quoting, flow/block style and blank
lines, and rewrite profiles nobody touched. `splice_profiles` instead compares the set in the file with
the set being saved and edits the text with `twibench.yamlsplice` (the collection writer's helpers): an
added profile is appended, a removed one loses exactly its lines, a renamed one its key, an edited one the
lines of the keys that changed (a secret source included), and `default:` its one line. A file whose shape
the text editor does not handle goes through ruamel.yaml's round-trip mode (`roundtrip_profiles`).

A secret reference (`{env: …}`, `{prompt: true}`, `{keyring: …}`, `{command: […]}`) is written as the
reference: nothing here ever reads a secret's value.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Mapping
from typing import Any

import yaml

from twibench.profile import SANDBOX, Profile, profile_to_yaml
from twibench.yamlsplice import (
    MAP,
    SEQ,
    Edit,
    Lines,
    Splicer,
    Unsupported,
    apply_edits,
    emit,
    mapping_items,
    node,
    scalar_text,
    text_node,
    uses_anchors,
)

__all__ = ["new_document", "profile_to_yaml", "resolve_renames", "roundtrip_profiles", "splice_profiles"]

# The order `profile_to_yaml` writes a profile's keys in (a key the file lacks is inserted by it).
_ORDER = (
    "account_sid", "api_key", "api_secret", "auth_token", "region", "edge", "base_url", "allowed_hosts", "variables",
)  # fmt: skip


def new_document(profiles: Mapping[str, Profile], default: str) -> str:
    """The text of a profiles file written from scratch (no file yet, or nothing to keep)."""
    data: dict[str, Any] = {}
    if default != SANDBOX:
        data["default"] = default
    data["profiles"] = {name: profile_to_yaml(p) for name, p in profiles.items()}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def resolve_renames(
    old: Mapping[str, Profile], new: Mapping[str, Profile], renames: Mapping[str, str] | None = None
) -> dict[str, str]:
    """new name → old name for each profile saved under another name.

    `renames` names them (the TUI's dialog knows); otherwise a profile that disappeared and one that
    appeared with the very same settings are one profile renamed.
    """
    found = {
        new_name: old_name
        for new_name, old_name in (renames or {}).items()
        if new_name in new and new_name not in old and old_name in old and old_name not in new
    }
    gone = [name for name in old if name not in new and name not in found.values()]
    for name in new:
        if name in old or name in found:
            continue
        same = next((g for g in gone if profile_to_yaml(old[g]) == profile_to_yaml(new[name])), None)
        if same is not None:
            found[name] = same
            gone.remove(same)
    return found


def _value_node(value: Any, old: yaml.Node | None, key: str = "") -> yaml.Node:
    """`value` as a node in the style of the node it replaces; a new secret reference is a flow mapping
    (`{env: NAME}`, as the docs write it), new `variables` a block one."""
    if isinstance(value, dict):
        flow = old.flow_style if isinstance(old, yaml.MappingNode) else key != "variables"
        items = [(text_node(k, key=True), node(v)) for k, v in value.items()]
        return yaml.MappingNode(MAP, items, flow_style=flow)
    if isinstance(value, list):
        flow = old.flow_style if isinstance(old, yaml.SequenceNode) else True
        return yaml.SequenceNode(SEQ, [node(v) for v in value], flow_style=flow)
    return node(value)


class _ProfilesSplicer(Splicer):
    """The edits of one save: per profile, per key."""

    def body(self, name_key: yaml.ScalarNode, body: yaml.Node, old: dict[str, Any], new: dict[str, Any]) -> None:
        """Edit the keys of one profile's mapping that differ between `old` and `new`."""
        if old == new:
            return
        if not isinstance(body, yaml.MappingNode) or body.flow_style:
            if body.start_mark.line != body.end_mark.line:
                raise Unsupported("a multi-line flow profile")
            self.replace_key(name_key, body, _value_node(new, body))
            return
        present = {k.value: (k, v) for k, v in mapping_items(body)}
        column = min(k.start_mark.column for k, _ in present.values()) if present else name_key.start_mark.column + 2
        for key in _ORDER:
            if old.get(key) == new.get(key):
                continue
            in_file = present.get(key)
            if in_file is None:
                if key in new:
                    self.insert_key(self._insert_line(present, key), column, key, _value_node(new[key], None, key))
                continue
            key_node, value_node = in_file
            if key not in new:
                self.delete_key(key_node, value_node)
            elif isinstance(new[key], str):
                self.replace_scalar(key_node, value_node, new[key], text_node(new[key]))
            elif key == "variables" and isinstance(value_node, yaml.MappingNode) and isinstance(old.get(key), dict):
                old_rows = {k: [v] for k, v in old[key].items()}
                new_rows = {k: [v] for k, v in new[key].items()}
                rows = functools.partial(_value_node, new[key], value_node)
                self.replace_pairs(key_node, value_node, old_rows, new_rows, rows)
            else:
                self.replace_key(key_node, value_node, _value_node(new[key], value_node))

    def _insert_line(self, present: dict[str, tuple[yaml.ScalarNode, yaml.Node]], key: str) -> int:
        """Before the nearest key that follows `key` in the writer's order, else after the one before it."""
        at = _ORDER.index(key)
        following = [present[k][0].start_mark.line for k in _ORDER[at + 1 :] if k in present]
        if following:
            return min(following)
        previous = [self.lines.last_line(*present[k]) for k in _ORDER[:at] if k in present]
        if previous:
            return max(previous) + 1
        raise Unsupported("a profile with none of the known keys")

    def remove(self, items: list[tuple[yaml.ScalarNode, yaml.Node]], at: int) -> None:
        """Delete profile `at`'s lines, and one blank line with it when blank lines separate the profiles."""
        key, value = items[at]
        first, last = key.start_mark.line, self.lines.last_line(key, value)
        if key.start_mark.column != self._first_column(key):
            raise Unsupported("a profile key that shares its line")
        before_blank = first > 0 and not self.lines.line(first - 1).strip()
        after_blank = last + 1 < len(self.lines.starts) and not self.lines.line(last + 1).strip()
        spaced = before_blank or at == 0  # the blank line after it separated it from the next profile
        end = self.lines.after(last + 1 if spaced and after_blank and at + 1 < len(items) else last)
        start = self.lines.line_start(first - 1 if before_blank and at + 1 == len(items) and at > 0 else first)
        self.edits.append(Edit(start, end, ""))

    def append(self, items: list[tuple[yaml.ScalarNode, yaml.Node]], block: str) -> None:
        """Add the new profiles' `block` (unindented) after the last profile, spaced as the others are."""
        key, value = items[-1]
        column = key.start_mark.column
        if column != self._first_column(key):
            raise Unsupported("a profile key that shares its line")
        spaced = len(items) > 1 and not self.lines.line(items[1][0].start_mark.line - 1).strip()
        at = self.lines.after(self.lines.last_line(key, value))
        text = self.lines.indent_block(block, column)
        prefix = "" if self.lines.text[:at].endswith("\n") else self.lines.newline
        self.edits.append(Edit(at, at, prefix + (self.lines.newline if spaced else "") + text))


def _indent(items: list[tuple[yaml.ScalarNode, yaml.Node]]) -> int:
    """How far the file indents a profile's keys under its name (2 when it cannot tell)."""
    for key, value in items:
        if isinstance(value, yaml.MappingNode) and not value.flow_style and value.value:
            inner: int = value.value[0][0].start_mark.column
            return max(1, inner - key.start_mark.column)
    return 2


def splice_profiles(
    text: str,
    old: Mapping[str, Profile],
    old_default: str,
    new: Mapping[str, Profile],
    new_default: str,
    renames: Mapping[str, str] | None = None,
) -> str | None:
    """`text` (which loads as the user profiles `old`) edited into `new`, touching only what changed.

    `renames` maps a new name to the old name of a renamed profile. Returns None when the file's shape
    needs the round-trip editor (anchors, a flow-style document, a multi-line flow profile…).
    """
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if root is None:  # empty, or comments only: keep them and add the document after
        head = text if not text or text.endswith("\n") else text + "\n"
        return head + new_document(new, new_default)
    if not isinstance(root, yaml.MappingNode) or root.flow_style or uses_anchors(text):
        return None
    lines = Lines(text)
    splicer = _ProfilesSplicer(lines)
    renamed = resolve_renames(old, new, renames)
    try:
        top = {k.value: (k, v) for k, v in mapping_items(root)}
        section = top.get("profiles")
        if section is None or not isinstance(section[1], yaml.MappingNode) or not section[1].value:
            _replace_section(splicer, section, old, new, new_default if "default" not in top else None)
        else:
            items = mapping_items(section[1])
            if section[1].flow_style:
                raise Unsupported("a flow-style profiles mapping")
            splicer.indent = _indent(items)
            _edit_profiles(splicer, items, old, new, renamed)
        if old_default != new_default and (section is not None or "default" in top):
            _edit_default(splicer, top, new_default)
    except Unsupported:
        return None
    return apply_edits(text, splicer.edits)


def _edit_profiles(
    splicer: _ProfilesSplicer,
    items: list[tuple[yaml.ScalarNode, yaml.Node]],
    old: Mapping[str, Profile],
    new: Mapping[str, Profile],
    renamed: Mapping[str, str],
) -> None:
    new_name_of = {old_name: new_name for new_name, old_name in renamed.items()}
    for at, (key, value) in enumerate(items):
        name = str(key.value)
        target = new_name_of.get(name, name)
        if name not in old:
            continue  # not a profile the loader kept (cannot happen once the file loaded); leave it be
        if target not in new:
            splicer.remove(items, at)
            continue
        if target != name:
            written = scalar_text(target, key)
            if written is None or key.start_mark.line != key.end_mark.line:
                raise Unsupported("a multi-line profile name")
            splicer.edits.append(Edit(key.start_mark.index, key.end_mark.index, written))
        splicer.body(key, value, profile_to_yaml(old[name]), profile_to_yaml(new[target]))
    added = {n: p for n, p in new.items() if n not in old and n not in renamed}
    if added:
        data = {n: profile_to_yaml(p) for n, p in added.items()}
        block = emit(_block_node(data), indent=splicer.indent)
        splicer.append(items, block)


def _block_node(data: dict[str, Any]) -> yaml.MappingNode:
    """Profiles as block mappings (secret references and short lists in flow style, as the docs write them)."""
    rows = []
    for name, body in data.items():
        keys = [(text_node(k, key=True), _value_node(v, None, k)) for k, v in body.items()]
        rows.append((text_node(name, key=True), yaml.MappingNode(MAP, keys, flow_style=False)))
    return yaml.MappingNode(MAP, rows, flow_style=False)


def _replace_section(
    splicer: _ProfilesSplicer,
    section: tuple[yaml.ScalarNode, yaml.Node] | None,
    old: Mapping[str, Profile],
    new: Mapping[str, Profile],
    default: str | None,
) -> None:
    """An absent or empty `profiles:` gets the new profiles; a missing key goes after the document's last line
    (with `default:` before it when `default` is given and not the sandbox)."""
    data = {n: profile_to_yaml(p) for n, p in new.items()}
    if section is not None:
        if data != {n: profile_to_yaml(p) for n, p in old.items()}:
            splicer.replace_key(
                section[0], section[1], _block_node(data) if data else yaml.MappingNode(MAP, [], flow_style=True)
            )
        return
    rows: list[tuple[yaml.Node, yaml.Node]] = []
    if default is not None and default != SANDBOX:
        rows.append((text_node("default"), text_node(default)))
    if data:
        rows.append((text_node("profiles"), _block_node(data)))
    if not rows:
        return
    block = emit(yaml.MappingNode(MAP, rows, flow_style=False))
    end = len(splicer.lines.text)
    prefix = "" if splicer.lines.text.endswith("\n") else splicer.lines.newline
    splicer.edits.append(Edit(end, end, prefix + splicer.lines.indent_block(block, 0)))


def _edit_default(splicer: _ProfilesSplicer, top: dict[str, tuple[yaml.ScalarNode, yaml.Node]], default: str) -> None:
    """Change the `default:` line, or add one before `profiles:`."""
    if "default" in top:
        key, value = top["default"]
        splicer.replace_scalar(key, value, default, text_node(default))
        return
    if default == SANDBOX:
        return
    line = f"default: {emit(text_node(default)).strip()}{splicer.lines.newline}"
    at = splicer.lines.line_start(top["profiles"][0].start_mark.line)
    splicer.edits.append(Edit(at, at, line))


def roundtrip_profiles(
    text: str, new: Mapping[str, Profile], new_default: str, renames: Mapping[str, str]
) -> str | None:
    """`text` changed into `new` with ruamel.yaml's round-trip mode (comments kept; some spacing may move).

    The fallback for what `splice_profiles` does not edit by text; None when even this cannot read it.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import YAMLError

    editor = YAML(typ="rt")
    editor.preserve_quotes = True
    editor.width = 4096
    try:
        document = editor.load(text)
    except YAMLError:
        return None
    if not isinstance(document, CommentedMap):
        return None
    section = document.get("profiles")
    if not isinstance(section, CommentedMap):
        section = CommentedMap()
        document["profiles"] = section
    for new_name, old_name in renames.items():
        if old_name in section:
            section.insert(list(section).index(old_name), new_name, section.pop(old_name))
    for name in [n for n in section if n not in new]:
        del section[name]
    for name, profile in new.items():
        data = profile_to_yaml(profile)
        body = section.get(name)
        if not isinstance(body, CommentedMap):
            section[name] = data
            continue
        for key in [k for k in body if k not in data]:
            del body[key]
        for key, value in data.items():
            if body.get(key) != value:
                body[key] = value
    if new_default != SANDBOX or "default" in document:
        if "default" in document:
            document["default"] = new_default
        else:
            document.insert(0, "default", new_default)
    out = io.StringIO()
    editor.dump(document, out)
    return out.getvalue()
