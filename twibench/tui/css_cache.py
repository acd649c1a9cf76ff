"""Textual's parsed CSS kept across starts, so the first frame does not parse app.tcss and every widget's CSS.

Textual parses each CSS source (app.tcss, each widget class's DEFAULT_CSS) the first time it is needed in a
run: ~9 ms before twibench's first frame (bench/tui_startup.py), against ~1 ms to rebuild the same rule sets
from this cache (`tui.css_codec`). The app's stylesheet is a `CachedStylesheet`: on a source Textual has not
parsed in this run, it asks the cache, and on a miss parses as Textual would and remembers the result.
`CssCache.save` writes what was new after the first frame (`TwibenchApp.on_ready`) and when the app ends.

One file, `textual-css.json` in `paths.cache_dir()`: `[stamp, {key: entry}]`, each entry the JSON text of
`css_codec`'s form. The stamp names this format,
twibench's version, the codec's source and the installed Textual's parser (size and time of its files), so
another Textual or twibench never reads an old entry. A key is a digest of everything the parse depends on:
the CSS text, where it comes from, its flags, and the theme's variables. The file is read like any input:
a regular file, size-bounded, decoded without `json`'s import or any code execution, every value checked;
anything wrong is a miss. `CachedStylesheet.reparse` (a dialog's CSS, a theme change) goes through the
cache too.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.css.stylesheet import Stylesheet

from twibench import __version__
from twibench.atomic import write_atomic
from twibench.cachefile import digest, loads_json, read_regular
from twibench.paths import ensure_private_dir
from twibench.tui import css_codec

if TYPE_CHECKING:
    from textual.css.model import RuleSet
    from textual.css.types import CSSLocation

__all__ = ["FILE_NAME", "CachedStylesheet", "CssCache"]

FORMAT = 1
"""The file's layout; `css_codec`'s source is in the stamp too."""
FILE_NAME = "textual-css.json"
MAX_BYTES = 4 * 1024 * 1024
"""A larger file is neither read nor written (twibench's own sources take ~70 KB)."""
MAX_ENTRIES = 400
"""Past this many entries, a save keeps only those this run used (old themes, edited sources)."""

_PARSER_FILES = ("__init__.py", "css/parse.py", "css/tokenize.py", "css/_styles_builder.py", "css/styles.py")


@functools.cache
def _stamp() -> str:
    """This format, twibench's version, the codec's source, and the installed Textual's parser files."""
    import textual

    parts = [f"twibench-css-cache/{FORMAT}/{__version__}"]
    for path in (Path(css_codec.__file__), *(Path(textual.__file__).parent / name for name in _PARSER_FILES)):
        info = path.stat()
        parts.append(f"{info.st_size}:{info.st_mtime_ns}")
    return digest("/".join(parts).encode(), 16)


class CssCache:
    """The parsed CSS in one file (`paths.cache_dir() / FILE_NAME` for the app)."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self._entries: dict[str, Any] | None = None
        """The file's entries by key, each still a JSON text (None until first asked): a start decodes only
        the entries it asks for (~17 of ~40 before the first frame)."""
        self._used: set[str] = set()
        self._fresh: dict[str, list[RuleSet]] = {}
        """Parsed in this run, not yet saved."""

    def rules(self, key: str) -> list[RuleSet] | None:
        """The rule sets stored under `key`, or None: none stored, or the entry is not one to trust."""
        entries = self._load()
        entry = entries.get(key)
        if entry is None:
            return None
        try:
            rule_sets = css_codec.decode(loads_json(entry))
        except Exception:  # a damaged entry is a miss, whatever the damage (the caller parses)
            del entries[key]
            return None
        self._used.add(key)
        return rule_sets

    def remember(self, key: str, rule_sets: list[RuleSet]) -> None:
        """Keep rule sets the parser made in this run, for the next `save`."""
        self._fresh[key] = rule_sets

    def save(self) -> bool:
        """Write the file with what this run parsed added; True if it was written.

        Nothing is written when nothing is new, when the file would be too large, or when the folder cannot
        be written (the next start parses, as without a cache).
        """
        if not self._fresh:
            return False
        import json

        entries = self._load()
        for key, rule_sets in self._fresh.items():
            try:
                entries[key] = json.dumps(css_codec.encode(rule_sets), separators=(",", ":"))
            except css_codec.Refused:  # a value the form does not hold: this source is parsed each run
                continue
            self._used.add(key)
        self._fresh = {}
        if len(entries) > MAX_ENTRIES:
            entries = {key: entry for key, entry in entries.items() if key in self._used}
            self._entries = entries
        payload = json.dumps([_stamp(), entries], separators=(",", ":"))
        if len(payload) > MAX_BYTES:
            return False
        try:
            ensure_private_dir(self.file.parent)
            write_atomic(self.file, payload, mode=0o600, durable=False)  # checked when read
        except OSError:
            return False
        return True

    def _load(self) -> dict[str, Any]:
        if self._entries is None:
            self._entries = {}
            try:
                payload = read_regular(self.file, MAX_BYTES)
                document = loads_json(payload.decode("ascii")) if payload is not None else None
            except Exception:  # missing, unreadable or not JSON: an empty cache
                return self._entries
            if type(document) is list and len(document) == 2 and document[0] == _stamp() and type(document[1]) is dict:
                self._entries = document[1]
        return self._entries


class CachedStylesheet(Stylesheet):
    """Textual's stylesheet, parsing each source once per `CssCache` rather than once per run."""

    def __init__(self, cache: CssCache, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        self.css_cache = cache
        self._keyed: tuple[dict[str, str], bytes] = ({}, b"")
        """The variables the last key was made with, and their digest."""

    @classmethod
    def like(cls, stylesheet: Stylesheet, cache: CssCache) -> CachedStylesheet:
        """A cached stylesheet with the variables of `stylesheet` (an app's own, before it has any source)."""
        return cls(cache, variables=stylesheet._variables)

    def _parse_rules(
        self,
        css: str,
        read_from: CSSLocation,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[RuleSet]:
        """Textual's rule sets for one source: from this run's parses, else from the cache, else parsed."""
        cache_key = (css, read_from, is_default_rules, tie_breaker, scope)
        if cache_key in self._parse_cache:
            return super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
        key = self._key(cache_key)
        rule_sets = self.css_cache.rules(key)
        if rule_sets is None:
            rule_sets = super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
            self.css_cache.remember(key, rule_sets)
        else:
            self._parse_cache[cache_key] = rule_sets
        return rule_sets

    def reparse(self) -> None:
        """Textual's `reparse`, through this cache: Textual re-parses every source when a screen brings its own
        CSS (the first opening of each dialog) or the theme changes, ~23 ms for twibench's ~60 sources.

        As Textual's, a fresh stylesheet parses the sources and this one takes its rules only if all parse.
        The fresh one asks the same `CssCache` and shares this run's parses (`_parse_cache`, which Textual
        empties when the variables change), so a dialog's first opening parses only the dialog's file.
        """
        fresh = CachedStylesheet(self.css_cache, variables=self._variables)
        fresh._parse_cache, fresh._keyed = self._parse_cache, self._keyed
        for read_from, (css, is_defaults, tie_breaker, scope) in self.source.items():
            fresh.add_source(css, read_from=read_from, is_default_css=is_defaults, tie_breaker=tie_breaker, scope=scope)
        try:
            fresh.parse()
        except Exception:
            self._invalid_css.update(fresh._invalid_css)
            raise
        self._rules = fresh.rules
        self._rules_map = None
        self.source = fresh.source
        self._require_parse = False

    def _key(self, cache_key: tuple[str, CSSLocation, bool, int, str]) -> str:
        if self._keyed[0] is not self._variables:  # a new theme: Textual replaces the dict
            self._keyed = (self._variables, digest(repr(sorted(self._variables.items())).encode()).encode())
        return digest(self._keyed[1] + repr(cache_key).encode("utf-8", "surrogatepass"))
