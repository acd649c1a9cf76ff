"""The collection tree: collections by their `name:`, requests with a coloured method tag and a marker.

Moving the cursor onto a request opens it (browsing is one key per request); files that failed to load
stay in the tree with their first error on one line, so the other collections still work.

It stays fast at the scale of the whole API (1,447 requests in ~180 files, `bench/whole_api.py`): a
large folder is loaded after the first frame (the tree says "loading N files…" until then), a
collection's requests are only made into nodes when it is first opened (with more than
`EXPAND_ALL_REQUESTS` requests the collections start closed, except the one holding the start request),
and `/` narrows the tree to matching requests (`twibench.workbench.tree_filter`), listing at most
`FILTER_MAX_FOLDERS` folders and opening those of the first `FILTER_EXPAND_BUDGET` matches.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on
from textual.binding import Binding, BindingType
from textual.markup import escape
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import NodeID, TreeNode
from textual.worker import Worker, WorkerState

from twibench.tui.startup import freeze_loaded, long_lived
from twibench.tui.widgets.tree_paint import PaintedTree
from twibench.workbench.workspace import BrokenFile, CollectionEntry, RequestEntry, Workspace

if TYPE_CHECKING:
    from twibench.tui.flows.outcome import Outcome
    from twibench.workbench.tree_filter import RequestIndex

NodeData = CollectionEntry | RequestEntry | BrokenFile

EXPAND_ALL_REQUESTS = 400
"""Up to this many requests every collection starts open; above it only the start request's."""
FILTER_EXPAND_BUDGET = 60
"""While filtering, folders of matches open until this many requests are shown (the rest open on demand)."""
FILTER_MAX_FOLDERS = 40
"""While filtering, at most this many folders of matches are listed, then a line says how many more match
(one or two letters match nearly every one of the whole API's ~180 collections; the next word narrows)."""
WIDEN_STEP = 8
"""Columns `>` adds to the tree (and `<` takes away)."""

METHOD_STYLES = {
    "GET": "bold green",
    "POST": "bold yellow",
    "PUT": "bold blue",
    "PATCH": "bold magenta",
    "DELETE": "bold red",
    "HEAD": "bold cyan",
    "OPTIONS": "bold cyan",
}


def method_tag(method: str) -> Text:
    """The method as a fixed-width coloured tag with its trailing space (`POST `, `DEL  `)."""
    short = {"DELETE": "DEL", "OPTIONS": "OPT", "PATCH": "PTCH"}.get(method, method)
    return Text(f"{short:<5}", style=METHOD_STYLES.get(method, "bold"))


def request_label(entry: RequestEntry) -> Text:
    """A request's tree label: method tag, a marker, the name.

    The marker comes before the name so a long name never hides it: `●` for unsaved edits, `+` for a
    request that is not in its file yet.
    """
    request = entry.request
    label = method_tag(request.method)
    if entry.is_new and not entry.owner.scratch:
        label.append("+ ", style="bold cyan")
    elif entry.modified:
        label.append("● ", style="bold yellow")
    label.append(request.name)
    return label


class CollectionTree(PaintedTree[NodeData]):
    """Every loaded collection and its requests."""

    HELP_TITLE: ClassVar[str] = "Collections"

    HELP: ClassVar[str] = (
        "The collections you opened, each shown by its name, with its requests below. "
        "Move the cursor onto a request to open it in the editor; **●** marks unsaved edits and "
        "**+** a request not yet in its file. A file that failed to load is listed in red with "
        "the line and column of its first problem.\n\n"
        "**/** filters: type words and the tree keeps the requests whose collection, method, name or URL "
        "contain every word (any case), with their folders open and the match count below; **enter** "
        "opens the highlighted request, **escape** shows every request again. **>** and **<** widen and "
        "narrow the tree for long names (the full name is also the tooltip of the highlighted request)."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash", "filter", "Filter", id="tree.filter", show=False,
            tooltip="Filter the requests by words of their name, method, URL or collection; escape clears",
        ),
        Binding(
            "greater_than_sign", f"widen({WIDEN_STEP})", "Wider", id="tree.widen", show=False,
            tooltip="Widen the tree (long request names)",
        ),
        Binding(
            "less_than_sign", f"widen({-WIDEN_STEP})", "Narrower", id="tree.narrow", show=False,
            tooltip="Narrow the tree",
        ),
    ]  # fmt: skip

    class RequestOpened(Message):
        """The cursor moved onto a request: the screen shows it in the editor."""

        def __init__(self, entry: RequestEntry) -> None:
            self.entry = entry
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text("Collections"), id=id)  # as Text: a str is Rich markup, whose emoji table is ~1.5 ms
        self.border_title = "Collections"
        # Set without Textual's watchers, which rebuild the lines of a tree already shown (~0.3 ms): the
        # tree is built when the workbench loads it.
        self.set_reactive(Tree.show_root, False)
        self.set_reactive(Tree.guide_depth, 2)
        self._node_of: dict[int, TreeNode[NodeData]] = {}
        self._unbuilt: dict[NodeID, list[RequestEntry] | None] = {}
        """Collection nodes whose request nodes are not made yet: their requests (None: all of them)."""
        self._workspace: Workspace | None = None
        self._index: RequestIndex | None = None
        self._quiet: TreeNode[NodeData] | None = None
        """A node the filter put the cursor on: highlighting it does not open it (enter does)."""
        self.opened: RequestEntry | None = None
        """The request open in the editor (the screen tells the tree): escape on the filter goes back to it."""
        self.filter_query = ""
        """The words typed after `/` (empty: no filter)."""
        self.typing = False
        """True while keys go into the filter."""
        self.matches: int | None = None
        """How many requests the filter shows (None: no filter)."""

    # --- building ----------------------------------------------------------------------------------

    def load(self, workspace: Workspace) -> None:
        """Rebuild the tree from the workspace (collections, broken files, opened links); drops a filter."""
        self._workspace = workspace
        self._index, self.filter_query, self.typing, self.matches = None, "", False, None
        self._show_filter()
        self._build_full(workspace)

    @contextmanager
    def _batch(self) -> Iterator[None]:
        """Add many nodes with one layout refresh: Textual's `TreeNode.add` invalidates the tree each time."""
        self.__dict__["_invalidate"] = lambda: None
        try:
            yield
        finally:
            del self.__dict__["_invalidate"]
            self._invalidate()

    def _reset_nodes(self) -> None:
        """No nodes, no cursor (Textual would put it on its old line, clamped to the new last, and open that)."""
        _drop(self.root)
        self.clear()
        self._tree_nodes = {self.root.id: self.root}  # Textual's clear keeps the old nodes by id (see _drop)
        self.unselect()  # the cursor line is -1, so the rebuild does not move it ...
        self.move_cursor(None)  # ... and on the empty tree this forgets the old node without a highlight
        self._node_of.clear()
        self._unbuilt.clear()
        self._quiet = None

    def _build_full(self, workspace: Workspace) -> None:
        self._reset_nodes()
        if workspace.pending:
            self.root.add_leaf(Text(f"⋯ loading {workspace.pending_files} collection files…", style="italic"))
            return
        expand = sum(len(c.items) for c in workspace.collections) <= EXPAND_ALL_REQUESTS
        with self._batch():
            for entry in workspace.collections:
                self._add_collection(entry, expand=expand)
            for broken in workspace.broken:
                node = self.root.add_leaf(Text(f"⚠ {broken.one_line()}", style="bold red"), broken)
                self._node_of[id(broken)] = node
            if workspace.scratch.items:
                self._add_collection(workspace.scratch)

    def _add_collection(
        self, entry: CollectionEntry, items: list[RequestEntry] | None = None, *, expand: bool = True
    ) -> TreeNode[NodeData]:
        """A collection node; its request nodes (`items`, else all) are made now if open, else on opening."""
        label = Text(entry.name, style="bold italic" if entry.scratch else "bold")
        if items is not None:
            label.append(f"  {len(items)}", style="dim")
        node = self.root.add(label, entry, expand=expand)
        self._node_of[id(entry)] = node
        if expand:
            self._build_children(node, entry.items if items is None else items)
        else:
            self._unbuilt[node.id] = items
        return node

    def _build_children(self, node: TreeNode[NodeData], items: list[RequestEntry]) -> None:
        for item in items:
            self._node_of[id(item)] = node.add_leaf(request_label(item), item)

    def _ensure_built(self, node: TreeNode[NodeData]) -> None:
        """Make a collection's request nodes if they are not made yet."""
        if node.id in self._unbuilt and isinstance(node.data, CollectionEntry):
            items = self._unbuilt.pop(node.id)
            with self._batch():
                self._build_children(node, node.data.items if items is None else items)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[NodeData]) -> None:
        """A collection opened for the first time: make its request nodes."""
        event.stop()
        self._ensure_built(event.node)

    def load_pending(self) -> None:
        """Load the collections put off until after the first frame (`Workspace.defer`), in a thread."""
        workspace = self._workspace
        if workspace is not None and workspace.pending:
            self.run_worker(workspace.load_pending, thread=True, group="collections", exit_on_error=False)

    @on(Worker.StateChanged)
    def _loaded(self, event: Worker.StateChanged) -> None:
        """The put-off collections are loaded: show them and open the start request."""
        if event.worker.group != "collections" or self._workspace is None:
            return
        event.stop()
        workspace = self._workspace
        if event.state == WorkerState.ERROR:
            workspace.pending = []
            self.app.notify(f"The collections did not load: {event.worker.error}", severity="error", timeout=30)
        if event.state in (WorkerState.SUCCESS, WorkerState.ERROR):
            freeze_loaded()
            self.load(workspace)
            target = self.opened or workspace.start()
            if target is not None:
                self.select_entry(target)

    # --- following the workspace -------------------------------------------------------------------

    def add_entry(self, entry: RequestEntry) -> None:
        """Show a request added to the workspace (new, duplicated, opened link) right after its siblings."""
        owner = entry.owner
        parent = self._node_of.get(id(owner)) or self._add_collection(owner)
        if id(entry) in self._node_of or parent.id in self._unbuilt:
            return  # shown, or shown when the collection is first opened
        index = owner.items.index(entry)
        before = owner.items[index + 1] if index + 1 < len(owner.items) else None
        before_node = self._node_of.get(id(before)) if before is not None else None
        if before_node is not None and before_node.parent is parent:
            node = parent.add_leaf(request_label(entry), entry, before=before_node)
        else:
            node = parent.add_leaf(request_label(entry), entry)
        self._node_of[id(entry)] = node

    def remove_entry(self, entry: RequestEntry) -> None:
        """Take a deleted request out of the tree."""
        if entry is self.opened:
            self.opened = None
        node = self._node_of.pop(id(entry), None)
        if node is not None:
            node.remove()

    def refresh_entry(self, entry: RequestEntry) -> None:
        """Redraw a request's label (method, name, modified marker)."""
        node = self._node_of.get(id(entry))
        if node is not None:
            node.set_label(request_label(entry))

    def refresh_all(self) -> None:
        """Redraw every request label (after a save or reload)."""
        for node in self._node_of.values():
            if isinstance(node.data, RequestEntry):
                node.set_label(request_label(node.data))

    def follow(self, outcome: Outcome, workspace: Workspace, current: RequestEntry | None) -> None:
        """Show what a flow changed: files reloaded or added, labels, a request removed or added."""
        if outcome.reload_tree:
            self.load(workspace)
            if current is not None:
                self.select_entry(current)
        if outcome.refresh_tree:
            self.refresh_all()
        if outcome.removed is not None:
            self.remove_entry(outcome.removed)
        if outcome.added is not None:
            self.add_entry(outcome.added)
            self.select_entry(outcome.added)

    def select_entry(self, entry: RequestEntry) -> None:
        """Put the cursor on a request (which opens it), opening its collection (and dropping a filter
        that hides it) first."""
        node = self._find(entry)
        if node is None and self.filter_query and self._workspace is not None:
            self.load(self._workspace)
            node = self._find(entry)
        if node is None:
            return
        self._expand_parent(node)
        self.call_after_refresh(self._move_to, node)

    def _expand_parent(self, node: TreeNode[NodeData]) -> None:
        parent = node.parent
        if parent is not None and parent is not self.root and not parent.is_expanded:
            parent.expand()

    def _find(self, entry: RequestEntry) -> TreeNode[NodeData] | None:
        """The request's node, made now if its collection was never opened."""
        node = self._node_of.get(id(entry))
        if node is None:
            owner = self._node_of.get(id(entry.owner))
            if owner is not None:
                self._ensure_built(owner)
                node = self._node_of.get(id(entry))
        return node

    def _move_to(self, node: TreeNode[NodeData]) -> None:
        """Move the cursor to `node`; a rebuilt tree may have it on that line already, which moves nothing
        and so opens nothing: then the request is opened here."""
        unmoved = self.cursor_node is node
        self.move_cursor(node)
        if unmoved and isinstance(node.data, RequestEntry):
            self.post_message(self.RequestOpened(node.data))

    @property
    def current_collection(self) -> CollectionEntry | None:
        """The collection under the cursor (the request's collection for a request)."""
        node = self.cursor_node
        data = node.data if node is not None else None
        if isinstance(data, RequestEntry):
            return data.owner
        if isinstance(data, CollectionEntry):
            return data
        return None

    # --- the cursor --------------------------------------------------------------------------------

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[NodeData]) -> None:
        """Open the request under the cursor, unless the filter put it there or the node is gone (keys typed
        quickly into the filter are all queued before the first rebuild's highlight, which so comes after the
        next rebuild); its full name is the tooltip."""
        event.stop()
        data = event.node.data
        self.tooltip = _tooltip(data)
        if event.node is self._quiet:
            self._quiet = None
        elif isinstance(data, RequestEntry) and self._node_of.get(id(data)) is event.node:
            self._open(data)

    def on_tree_node_selected(self, event: Tree.NodeSelected[NodeData]) -> None:
        """Enter on a request opens it too (it already is, unless the tree was rebuilt)."""
        event.stop()
        if isinstance(event.node.data, RequestEntry):
            self._open(event.node.data)

    def _open(self, entry: RequestEntry) -> None:
        self.opened = entry
        self.post_message(self.RequestOpened(entry))

    def action_widen(self, step: int) -> None:
        """`>` / `<`: make the tree wider or narrower (between 20 columns and three quarters of the screen)."""
        from textual.css.scalar import Unit

        asked = self.styles.width  # the width asked last (keys pressed faster than a layout see it)
        current = int(asked.value) if asked is not None and asked.unit == Unit.CELLS else self.outer_size.width
        width = max(20, min(current + step, self.screen.size.width * 3 // 4))
        self.styles.width = self.styles.min_width = self.styles.max_width = width

    # --- the filter --------------------------------------------------------------------------------

    def action_filter(self) -> None:
        """`/`: type words to narrow the tree (again: go on editing the words)."""
        if self._workspace is None or self._workspace.pending:
            return
        self._request_index(self._workspace)
        self.typing = True
        self._show_filter()

    def on_key(self, event: events.Key) -> None:
        """While filtering, characters, backspace, enter and escape go to the filter."""
        if not self.typing:
            if event.key == "escape" and self.filter_query:
                self.clear_filter()
                event.stop()
                event.prevent_default()
            return
        if event.key == "backspace":
            self.set_filter(self.filter_query[:-1])
        elif event.key == "escape":
            self.clear_filter()
        elif event.key == "enter":
            self.typing = False
            self._show_filter()
            node = self.cursor_node
            if node is not None and isinstance(node.data, RequestEntry):
                self._open(node.data)
        elif event.is_printable and event.character:
            self.set_filter(self.filter_query + event.character)
        else:
            return
        event.stop()
        event.prevent_default()

    def _request_index(self, workspace: Workspace) -> RequestIndex:
        """The filter's index, built on first use (and frozen: `long_lived`); so is its module imported."""
        if self._index is None:
            from twibench.workbench.tree_filter import RequestIndex

            self._index = long_lived(RequestIndex(workspace.entries()))
        return self._index

    def set_filter(self, query: str) -> None:
        """Show only the requests matching `query` (every request for blank), cursor on the first match; the
        garbage of the rebuild is collected once the keys pause (`idle_gc`), not in the middle of one."""
        if self._workspace is None:
            return
        from twibench.tui.idle_gc import collect_when_idle  # only once the filter is used, not at start-up

        collect_when_idle(self)
        index = self._request_index(self._workspace)
        self.filter_query = query
        if not query.strip():
            self.matches = None
            self._build_full(self._workspace)
            self._show_filter()
            node = self._find(self.opened) if self.opened is not None else None
            if node is not None:
                self._put_cursor(node)
            return
        result = index.match(query)
        self._reset_nodes()
        budget = FILTER_EXPAND_BUDGET
        with self._batch():
            for owner, items in result.groups[:FILTER_MAX_FOLDERS]:
                self._add_collection(owner, items, expand=budget > 0)
                budget -= len(items)
            hidden = len(result.groups) - FILTER_MAX_FOLDERS
            if hidden > 0:
                self.root.add_leaf(Text(f"… {hidden} more collections match: type another word", style="dim"))
        self.matches = result.count
        self._show_filter()
        first = result.first()
        if first is not None:
            self._put_cursor(self._node_of[id(first)])

    def _put_cursor(self, node: TreeNode[NodeData]) -> None:
        """Move the cursor of a rebuilt tree (so from no line) to `node` without opening it."""
        self._expand_parent(node)
        _ = self._tree_lines  # lay the lines out now: the cursor moves in the same frame as the rebuild
        self._quiet = node  # from no line the move always highlights, and that highlight opens nothing
        self.move_cursor(node)

    def clear_filter(self) -> None:
        """Every request again, the cursor back on the request open in the editor (which opens nothing)."""
        if self._workspace is None:
            return
        self.load(self._workspace)
        if self.opened is not None:
            self.select_entry(self.opened)

    def _show_filter(self) -> None:
        """The filter in the border: the words (with a cursor while typing) above, the match count below."""
        if not self.typing and not self.filter_query:
            self.border_title, self.border_subtitle = "Collections", ""
            return
        cursor = "▏" if self.typing else ""
        self.border_title = f"/ {escape(self.filter_query)}{cursor}"
        if self.matches is None:
            self.border_subtitle = "type words · esc clears"
        elif self.matches == 0:
            self.border_subtitle = "no match · esc clears"
        else:
            self.border_subtitle = f"{self.matches} request{'s' if self.matches != 1 else ''} · esc clears"


def _drop(root: TreeNode[NodeData]) -> None:
    """Unlink a tree about to be cleared (Textual's `_children` lists), so reference counting frees it at once.

    Textual's `clear` keeps the old nodes in its id table (new nodes replace only the ids they reuse), and
    nodes and parents point to each other: a narrow filter after a broad one kept ~1,400 nodes alive.
    """
    stack = [root]
    while stack:
        node = stack.pop()
        stack.extend(node._children)
        node._children = []


def _tooltip(data: NodeData | None) -> str | None:
    """The full name of a request (the tree may cut it) with its URL; a collection's name and file."""
    if isinstance(data, RequestEntry):
        request = data.request
        return f"{data.owner.name} › {request.method} {request.name}\n{request.url}"
    if isinstance(data, CollectionEntry):
        return f"{data.name}\n{data.path}"
    return None
