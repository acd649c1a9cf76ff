"""The loaded collections and the requests being edited: the TUI's model, with no Textual in it.

Every request in the tree is a `RequestEntry`. Its `saved` Request is what the file holds; the first
edit makes a deep copy (`draft`) that all further edits change, so the loaded collection is never
touched until the user saves. Key/value rows can be disabled: the draft's `params`/`headers`/`form`
always hold exactly what will be sent (the enabled rows), and `rows` keeps the full table, disabled
rows included, so switching requests loses nothing.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple

from twibench import collection as model
from twibench.collection import Collection, Request
from twibench.errors import LocatedError, TwibenchError
from twibench.workbench.undo import EditHistory

if TYPE_CHECKING:
    from types import ModuleType

    from twibench.collection.parse_cache import ParseCache

Table = Literal["params", "headers", "form"]
LOAD_LATER_FILES = 24
"""Above this many collection files, the TUI loads them after its first frame (`Workspace.defer`)."""
TABLES: tuple[Table, ...] = ("params", "headers", "form")


def _io() -> ModuleType:
    """The collection writer, imported on the first save (it loads ruamel.yaml, which start-up never needs)."""
    from twibench.collection import writer as collection_io

    return collection_io


@dataclass
class Row:
    """One key/value row of an editable table; a disabled row is kept but not sent."""

    key: str
    value: str
    enabled: bool = True


class Fingerprint(NamedTuple):
    """What a file looked like when it was loaded, to notice changes made outside the app.

    It keeps the file's bytes: collection files are small (5 MB at most), comparing bytes is exact, and
    start-up does not pay for loading a hash library (OpenSSL's takes ~2 ms to import). A named tuple, not a
    frozen dataclass: built before the first frame, and ~5x cheaper to create (ARCHITECTURE).
    """

    content: bytes

    def __repr__(self) -> str:
        return f"Fingerprint({len(self.content)} bytes)"  # not the bytes themselves

    @classmethod
    def of(cls, path: Path) -> Fingerprint | None:
        """The fingerprint of `path` now, or None when it does not exist."""
        try:
            return cls(path.read_bytes())
        except FileNotFoundError:
            return None


@dataclass(eq=False)
class CollectionEntry:
    """One collection in the tree, with the requests it shows (saved and new)."""

    collection: Collection
    fingerprint: Fingerprint | None = None
    scratch: bool = False
    items: list[RequestEntry] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The collection's `name:`."""
        return self.collection.name

    @property
    def path(self) -> Path:
        """The collection file."""
        return self.collection.path

    def changed_on_disk(self) -> bool:
        """True when the file is not what was loaded (edited, replaced or deleted outside the app)."""
        return not self.scratch and Fingerprint.of(self.path) != self.fingerprint


@dataclass(eq=False)
class RequestEntry:
    """One request in the tree: its saved form, its draft once edited, and its table rows."""

    owner: CollectionEntry
    saved: Request | None
    draft: Request | None = None
    rows: dict[Table, list[Row]] = field(default_factory=dict)
    body_text: str | None = None
    """The JSON body as typed, while it does not parse (the draft keeps the last valid JSON)."""
    body_error: str | None = None
    """Why `body_text` is not valid JSON; sending is refused until it is fixed."""
    history: EditHistory = field(default_factory=EditHistory, repr=False)
    """This request's undo and redo steps (see `twibench.workbench.undo`)."""

    @property
    def request(self) -> Request:
        """What is sent: the draft when there is one, else the saved request."""
        current = self.draft if self.draft is not None else self.saved
        assert current is not None, "a request entry has a saved request or a draft"
        return current

    @property
    def is_new(self) -> bool:
        """True for a request that is not in its file yet."""
        return self.saved is None

    @property
    def modified(self) -> bool:
        """True when saving would change the file (new, edited, or holding disabled rows)."""
        if self.saved is None:
            return not self.owner.scratch
        if self.draft is None:
            return False
        return self.draft != self.saved or any(not row.enabled for rows in self.rows.values() for row in rows)

    def edit(self, what: str = "") -> Request:
        """The draft, created on the first edit (copy-on-edit; the saved request stays untouched).

        Every caller is about to change the request: its state is recorded first for undo (`what`: the field,
        so typing on in it is one step).
        """
        self.history.before(self, what)
        if self.draft is None:
            self.draft = copy.deepcopy(self.request)
        return self.draft

    def table(self, table: Table) -> list[Row]:
        """Every row of a table, disabled ones included."""
        if table not in self.rows:
            pairs = getattr(self.request, table) or []
            return [Row(key, value) for key, value in pairs]
        return [Row(r.key, r.value, r.enabled) for r in self.rows[table]]

    def set_table(self, table: Table, rows: list[Row]) -> None:
        """Replace a table's rows; the draft's pairs become the enabled rows."""
        typing = [r.enabled for r in self.table(table)] == [r.enabled for r in rows]  # no row added/removed/toggled
        draft = self.edit(f"{table}:text" if typing else "")
        self.rows[table] = [Row(r.key, r.value, r.enabled) for r in rows]
        pairs = [(r.key, r.value) for r in rows if r.enabled and r.key]
        if table == "form":
            had_form = self.saved is not None and self.saved.form is not None
            draft.form = pairs if (pairs or had_form) else None
        else:
            setattr(draft, table, pairs)

    def set_body(self, text: str, kind: str) -> None:
        """Take an edited JSON (`kind="json"`) or raw body."""
        draft = self.edit("body")
        if kind != "json":
            draft.body = text
            return
        import json  # loaded with the first JSON body edit, not at start-up

        try:
            draft.json = json.loads(text)
        except ValueError as exc:
            self.body_text, self.body_error = text, str(exc)
        else:
            self.body_text = self.body_error = None

    def revert(self) -> None:
        """Drop the unsaved edits: the request is what its file holds again (ctrl+z brings them back)."""
        self.history.before(self)
        self.draft, self.rows = None, {}
        self.body_text = self.body_error = None

    def disabled_count(self) -> int:
        """How many disabled rows this entry holds (they are not written to the file)."""
        return sum(1 for rows in self.rows.values() for row in rows if not row.enabled)

    def mark_saved(self) -> None:
        """The draft is now what the file holds (disabled rows were dropped from it)."""
        self.saved = copy.deepcopy(self.request)
        self.draft = None
        self.rows = {}
        self.body_text = self.body_error = None


class BrokenFile(NamedTuple):
    """A collection file that failed to load, shown in the tree with its first error.

    A named tuple, not a frozen dataclass: built before the first frame, and ~5x cheaper to create (ARCHITECTURE).
    """

    path: Path
    error: LocatedError
    more: int = 0
    """How many further problems the file has."""

    def one_line(self) -> str:
        """`file:line:col: message`, for the tree (`(+2 more)` when there are others)."""
        more = f" (+{self.more} more)" if self.more else ""
        return f"{self.path.name}:{self.error.line}:{self.error.column}: {self.error.message}{more}"


class Workspace:
    """Every loaded collection, the broken files, and the scratch collection of opened links."""

    def __init__(self, cache: ParseCache | None = None) -> None:
        self.cache = cache
        """Where `load` keeps parsed files, so an unchanged file is not parsed again (the TUI's start)."""
        self.collections: list[CollectionEntry] = []
        self.broken: list[BrokenFile] = []
        self.start_id: tuple[str, str] | None = None
        """(file name, request id) to select on start (see `start`)."""
        self.pending: list[Path] = []
        """Paths put off by `defer`, loaded by `load_pending` (the TUI does it after its first frame)."""
        self.pending_files = 0
        """How many collection files `pending` holds (the tree says "loading N files…")."""
        self.scratch = CollectionEntry(Collection(name="Opened links", path=Path("opened-links.yaml")), scratch=True)

    # --- loading --------------------------------------------------------------------------------

    def load(self, paths: list[Path]) -> None:
        """Load every collection under `paths`; a broken file is recorded and the others still load."""
        result = model.load_paths(paths, self.cache)
        self.collections = [self._entry(c) for c in result.collections]
        by_file: dict[Path, list[LocatedError]] = {}
        for error in result.errors:
            by_file.setdefault(error.path, []).append(error)
        self.broken = [BrokenFile(path, errors[0], len(errors) - 1) for path, errors in by_file.items()]

    def defer(self, paths: list[Path], threshold: int = LOAD_LATER_FILES) -> bool:
        """Put off loading `paths` (until `load_pending`) when they hold more than `threshold` files.

        Parsing the whole API (~180 files) takes longer than Textual's whole first frame, so the TUI paints
        first and loads after. Returns False (nothing put off) for fewer files or a folder that cannot be
        listed (`load` then reports it as usual).
        """
        try:
            count = sum(len(model.collection_files(p)) if p.is_dir() else 1 for p in paths)
        except LocatedError:
            return False
        if count <= threshold:
            return False
        self.pending, self.pending_files = list(paths), count
        return True

    def load_pending(self) -> None:
        """Load what `defer` put off (in a worker thread: `collections` is replaced in one assignment)."""
        self.load(self.pending)
        self.pending, self.pending_files = [], 0

    def _entry(self, loaded: Collection) -> CollectionEntry:
        entry = CollectionEntry(loaded, Fingerprint.of(loaded.path))
        entry.items = [RequestEntry(entry, request) for request in loaded.requests]
        return entry

    def entries(self) -> Iterator[RequestEntry]:
        """Every request entry, collection by collection, then the opened links."""
        for entry in self.collections:
            yield from entry.items
        yield from self.scratch.items

    def first(self) -> RequestEntry | None:
        """The first request of the first collection (selected on start)."""
        return next(self.entries(), None)

    def start(self) -> RequestEntry | None:
        """The request selected on start: with the default collections (`twibench` with no PATH), Messages ›
        Send an SMS as the README's step 1 says; with PATHs given, the first request of the first one."""
        if self.start_id is not None:
            file_name, request_id = self.start_id
            preferred = (e for e in self.entries() if e.owner.path.name == file_name and e.request.id == request_id)
            found = next(preferred, None)
            if found is not None:
                return found
        return self.first()

    def unsaved(self) -> list[RequestEntry]:
        """Entries whose edits are not in their file yet."""
        return [item for item in self.entries() if item.modified]

    # --- creating, copying, removing ------------------------------------------------------------

    def unique_id(self, owner: CollectionEntry, base: str) -> str:
        """A request id not used in `owner` yet: `base`, `base-2`, `base-3`…"""
        taken = {item.request.id for item in owner.items}
        candidate, n = base or "request", 2
        while candidate in taken:
            candidate = f"{base}-{n}"
            n += 1
        return candidate

    def unique_name(self, owner: CollectionEntry, base: str) -> str:
        """A request name not used in `owner` yet (names are unique in a file)."""
        taken = {item.request.name for item in owner.items}
        candidate, n = base, 2
        while candidate in taken:
            candidate = f"{base} ({n})"
            n += 1
        return candidate

    def add(self, owner: CollectionEntry, request: Request, after: RequestEntry | None = None) -> RequestEntry:
        """Add an unsaved request to `owner` (after `after`, else at the end)."""
        request.name = self.unique_name(owner, request.name)
        request.id = self.unique_id(owner, request.id or model.slug(request.name))
        request.explicit_id = True
        entry = RequestEntry(owner, None, draft=request)
        index = owner.items.index(after) + 1 if after in owner.items else len(owner.items)
        owner.items.insert(index, entry)
        return entry

    def new_request(self, owner: CollectionEntry, name: str, after: RequestEntry | None = None) -> RequestEntry:
        """A new, empty GET request named `name` (its id made from the name), unsaved."""
        return self.add(owner, Request(name=name.strip() or "New request", id=""), after)

    def add_saved(self, owner: CollectionEntry, request: Request) -> RequestEntry:
        """Add `request` at the end of `owner` and write it there; on failure the tree is left as it was."""
        added = self.add(owner, request)
        try:
            self.save(added)
        except TwibenchError:
            self.forget(added)
            raise
        return added

    def duplicate(self, entry: RequestEntry) -> RequestEntry:
        """A copy of `entry` as it is now (edits included), unsaved, just below it."""
        request = copy.deepcopy(entry.request)
        request.name = f"{request.name} copy"
        request.id = f"{request.id}-copy"
        copied = self.add(entry.owner, request, entry)
        copied.rows = {t: [Row(r.key, r.value, r.enabled) for r in rows] for t, rows in entry.rows.items()}
        return copied

    def open_uri(self, uri: str) -> RequestEntry:
        """A GET of a path from a response (`uri`, `next_page_uri`…) in the opened-links collection."""
        path, _, query = uri.partition("?")
        name = path.rstrip("/").rsplit("/", 1)[-1] or path
        if query:
            name = f"{name}?{query}" if len(query) <= 24 else f"{name}?{query[:23]}…"
        request = Request(name=name, id=model.slug(name) or "link", url=uri)
        return self.add(self.scratch, request)

    def forget(self, entry: RequestEntry) -> None:
        """Drop an entry from the tree (its file is not touched)."""
        if entry in entry.owner.items:
            entry.owner.items.remove(entry)

    def rename(self, entry: RequestEntry, name: str) -> None:
        """Give a request a new name (an edit, saved with ctrl+s; the id stays, so references hold)."""
        name = name.strip()
        if not name:
            raise TwibenchError("a request needs a name")
        if any(item is not entry and item.request.name == name for item in entry.owner.items):
            raise TwibenchError(f"'{entry.owner.name}' already has a request named '{name}'")
        draft = entry.edit()
        if not draft.explicit_id:
            draft.explicit_id = True
        draft.name = name
        if entry.saved is None:  # nothing refers to a request not in its file yet: its id follows the name
            draft.id = ""
            draft.id = self.unique_id(entry.owner, model.slug(name))

    # --- saving -----------------------------------------------------------------------------------

    def _refresh(self, owner: CollectionEntry) -> None:
        owner.fingerprint = Fingerprint.of(owner.path)
        owner.collection.requests = [item.saved for item in owner.items if item.saved is not None]

    def save(self, entry: RequestEntry) -> None:
        """Write this request's part of its file (the rest of the file, comments included, is kept).

        Callers check `entry.owner.changed_on_disk()` first and let the user choose.
        """
        owner = entry.owner
        if owner.scratch:
            raise TwibenchError("an opened link belongs to no collection yet; use 'Save request to collection'")
        if not entry.request.url.strip():
            raise TwibenchError(f"'{entry.request.name}' has no URL yet; type one (ctrl+l) before saving")
        position = None
        if entry.saved is None:  # a new request goes where the tree shows it: tree order = file order
            position = sum(1 for item in owner.items[: owner.items.index(entry)] if item.saved is not None)
        original_id = entry.saved.id if entry.saved is not None else None
        _io().save_request(owner.collection, entry.request, owner.path, original_id=original_id, position=position)
        entry.mark_saved()
        self._refresh(owner)

    def delete(self, entry: RequestEntry) -> None:
        """Remove a request from the tree and, when it was saved, from its file."""
        owner = entry.owner
        if entry.saved is not None and not owner.scratch:
            _io().delete_request(owner.path, entry.saved.id)
        self.forget(entry)
        self._refresh(owner)

    def reload(self, owner: CollectionEntry) -> None:
        """Re-read `owner` from disk, keeping every unsaved edit on top of the new version."""
        fresh = model.load_collection(owner.path, self.cache)
        drafts = {item.request.id: item for item in owner.items if item.modified}
        owner.collection = fresh
        owner.fingerprint = Fingerprint.of(owner.path)
        items: list[RequestEntry] = []
        for request in fresh.requests:
            kept = drafts.pop(request.id, None)
            if kept is None:
                items.append(RequestEntry(owner, request))
            else:
                kept.saved = request
                items.append(kept)
        for leftover in drafts.values():
            # The file no longer has this request: it stays as a new, unsaved one.
            leftover.draft = copy.deepcopy(leftover.request)
            leftover.saved = None
            items.append(leftover)
        owner.items = items

    def save_as(self, entry: RequestEntry, path: Path) -> RequestEntry:
        """Write the collection, with this request's edits, to a new file and open it in the tree."""
        if path.exists():
            raise TwibenchError(f"{path} already exists; choose another file name")
        owner = entry.owner
        requests = [item.request if item is entry else item.saved for item in owner.items]
        copied = copy.deepcopy(owner.collection)
        copied.path = path
        copied.requests = [r for r in requests if r is not None]
        _io().save_collection(copied, path)
        loaded = self._entry(model.load_collection(path, self.cache))
        self.collections.append(loaded)
        entry.draft, entry.rows = None, {}
        if entry.saved is None:
            self.forget(entry)
        return next(item for item in loaded.items if item.request.id == entry.request.id)

    def new_collection(self, folder: Path, name: str, first: Request | None = None) -> CollectionEntry:
        """Create a collection file holding `first` (default: a starter request), and open it."""
        name = name.strip()
        if not name:
            raise TwibenchError("a collection needs a name")
        path = folder / f"{model.slug(name) or 'collection'}.yaml"
        if path.exists():
            raise TwibenchError(f"{path} already exists; choose another name")
        starter = Request(
            name="Fetch your account",
            id="fetch-account",
            url="/2010-04-01/Accounts/{{account_sid}}.json",
            explicit_id=True,
        )
        if first is not None:
            starter = copy.deepcopy(first)
            starter.id, starter.explicit_id = starter.id or model.slug(starter.name) or "request", True
        folder.mkdir(parents=True, exist_ok=True)
        _io().save_collection(Collection(name=name, path=path, requests=[starter]), path)
        entry = self._entry(model.load_collection(path, self.cache))
        self.collections.append(entry)
        return entry


def runnable(owner: CollectionEntry) -> Collection:
    """The collection as the tree shows it: unsaved edits and new requests included, in tree order.

    Raises:
        TwibenchError: a request's JSON body does not parse.
    """
    broken = next((item for item in owner.items if item.body_error), None)
    if broken is not None:
        raise TwibenchError(f"the JSON body of '{broken.request.name}' is not valid; fix it before running")
    collection = copy.copy(owner.collection)
    collection.requests = [item.request for item in owner.items]
    return collection
