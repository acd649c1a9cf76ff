"""The main screen's keys: each runs one of its actions (`MainScreen.action_*`); the palette runs the same."""

from __future__ import annotations

from textual.binding import Binding, BindingType

__all__ = ["MAIN_KEYS"]

# fmt: off
MAIN_KEYS: list[BindingType] = [
    Binding(
        "ctrl+j,alt+enter,f5", "send", "Send", id="send", priority=True,
        tooltip="Send the open request; the focus stays where it is",
    ),
    Binding(
        "escape", "cancel", "Cancel", id="cancel", show=False,
        tooltip="Cancel the request in flight, or stop the collection run, or show every pane again (after ctrl+o); "
        "otherwise leave the field for the tree",
    ),
    Binding(
        "ctrl+l", "focus_url", "URL", id="focus_url", priority=True,
        tooltip="Go to the URL, cursor at the end (nothing selected)",
    ),
    Binding("ctrl+t", "method", "Method", id="method", priority=True, tooltip="Choose the HTTP method"),
    Binding(
        "ctrl+s", "save", "Save", id="save", priority=True,
        tooltip="Write the open request into its collection file (the rest of the file is kept)",
    ),
    Binding(
        "ctrl+n", "new_request", "New", id="new_request", priority=True,
        tooltip="Add a new request: asks its name and collection (default: the one under the cursor)",
    ),
    Binding(
        "ctrl+z", "app.undo_edit", "Undo", id="undo", show=False, priority=True,
        tooltip="Undo the open request's last edit (URL, method, a table row, the body), per request",
    ),
    Binding(
        "ctrl+y,ctrl+shift+z", "app.undo_edit(True)", "Redo", id="redo", show=False, priority=True,
        tooltip="Redo what ctrl+z undid (ctrl+shift+z too where the terminal can tell it from ctrl+z)",
    ),
    Binding(
        "ctrl+r", "run_collection", "Run collection", id="run_collection", show=False, priority=True,
        tooltip="Run the selected collection in order, with its checks; escape stops it",
    ),
    Binding(
        "f2", "focus_history", "History", id="focus_history", show=False,
        tooltip="Open the request history and go to it; from the history, close it",
    ),
    Binding(
        "f4", "focus_inbox", "Inbox", id="focus_inbox", show=False,
        tooltip="Open the callbacks inbox ({{inbox_url}}) and go to it; from the inbox, close it",
    ),
    Binding(
        "ctrl+o", "toggle_maximize", "Maximize", id="toggle_maximize", show=False,
        tooltip="The pane with the cursor fills the screen (the tree, the request, the response, the history); "
        "again, or escape, shows every pane",
    ),
    Binding(
        "f3", "variables", "Variables", id="variables", show=False,
        tooltip="See and edit the variables and captured values of this session",
    ),
]
# fmt: on
