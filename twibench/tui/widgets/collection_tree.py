"""The collection tree: collections by their `name:`, requests with a coloured method tag and a marker.

Moving the cursor onto a request opens it (browsing is one key per request); files that failed to load
stay in the tree with their first error on one line, so the other collections still work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from twibench.workbench.workspace import BrokenFile, CollectionEntry, RequestEntry, Workspace

if TYPE_CHECKING:
    from twibench.tui.flows.outcome import Outcome

NodeData = CollectionEntry | RequestEntry | BrokenFile

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


class CollectionTree(Tree[NodeData]):
    """Every loaded collection and its requests."""

    HELP_TITLE: ClassVar[str] = "Collections"

    HELP: ClassVar[str] = (
        "The collections you opened, each shown by its name, with its requests below. "
        "Move the cursor onto a request to open it in the editor; **●** marks unsaved edits and "
        "**+** a request not yet in its file. A file that failed to load is listed in red with "
        "the line and column of its first problem."
    )

    class RequestOpened(Message):
        """The cursor moved onto a request: the screen shows it in the editor."""

        def __init__(self, entry: RequestEntry) -> None:
            self.entry = entry
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Collections", id=id)
        self.border_title = "Collections"
        self.show_root = False
        self.guide_depth = 2
        self._node_of: dict[int, TreeNode[NodeData]] = {}

    def load(self, workspace: Workspace) -> None:
        """Rebuild the tree from the workspace (collections, broken files, opened links)."""
        self.clear()
        self._node_of.clear()
        for entry in workspace.collections:
            self._add_collection(entry)
        for broken in workspace.broken:
            node = self.root.add_leaf(Text(f"⚠ {broken.one_line()}", style="bold red"), broken)
            self._node_of[id(broken)] = node
        if workspace.scratch.items:
            self._add_collection(workspace.scratch)

    def _add_collection(self, entry: CollectionEntry) -> TreeNode[NodeData]:
        label = Text(entry.name, style="bold italic" if entry.scratch else "bold")
        node = self.root.add(label, entry, expand=True)
        self._node_of[id(entry)] = node
        for item in entry.items:
            self._node_of[id(item)] = node.add_leaf(request_label(item), item)
        return node

    def add_entry(self, entry: RequestEntry) -> None:
        """Show a request added to the workspace (new, duplicated, opened link) right after its siblings."""
        owner = entry.owner
        parent = self._node_of.get(id(owner)) or self._add_collection(owner)
        if id(entry) in self._node_of:
            return
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
        """Put the cursor on a request (which opens it)."""
        node = self._node_of.get(id(entry))
        if node is not None:
            self.call_after_refresh(self._move_to, node)

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

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[NodeData]) -> None:
        """Open the request under the cursor."""
        event.stop()
        if isinstance(event.node.data, RequestEntry):
            self.post_message(self.RequestOpened(event.node.data))

    def on_tree_node_selected(self, event: Tree.NodeSelected[NodeData]) -> None:
        """Enter on a request opens it too (it already is, unless the tree was rebuilt)."""
        event.stop()
        if isinstance(event.node.data, RequestEntry):
            self.post_message(self.RequestOpened(event.node.data))
