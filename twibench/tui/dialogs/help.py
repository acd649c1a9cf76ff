"""F1: help for the focused widget — what it is for, and the keys that work there and everywhere."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Label, Static

GENERAL = (
    "twibench sends requests to the Twilio REST API (or its offline sandbox) and explains the answers. "
    "Pick a request on the left, check the profile and URL at the top, send with **ctrl+j** or **f5**, "
    "and read the status line: the code, its documented meaning, and any Twilio error decoded."
)


@dataclass(frozen=True)
class KeyHelp:
    """One key and what it does."""

    key: str
    description: str
    here: bool
    workbench: bool = False


def widget_help(widget: DOMNode | None) -> tuple[str, str]:
    """The title and text of the nearest widget (from the focused one up) that has a HELP text."""
    node = widget
    while node is not None:
        text = getattr(type(node), "HELP", None)
        if isinstance(text, str) and text:
            title = getattr(type(node), "HELP_TITLE", None)
            if not title:
                border = node.border_title if isinstance(node, Widget) else None
                title = str(border) if border else _title(type(node).__name__)
            return str(title), text
        node = node.parent
    return "twibench", GENERAL


def _title(name: str) -> str:
    """`CollectionTree` → `Collection tree`."""
    words: list[str] = []
    for char in name:
        if char.isupper() and words:
            words.append(" ")
            char = char.lower()
        words.append(char)
    return "".join(words)


def keys_for(screen: Screen[object]) -> list[KeyHelp]:
    """The workbench's keys (the screen's and the app's), then the focused widget's own keys.

    Keys of the containers in between (scrolling) are left out: they are the same everywhere.
    """
    focused = screen.focused
    seen: set[tuple[DOMNode, str]] = set()
    here: list[KeyHelp] = []
    everywhere: list[KeyHelp] = []
    bindings = screen.active_bindings
    for active in bindings.values():
        binding, node = active.binding, active.node
        is_here = node is focused and focused is not None
        if not binding.description or (node, binding.action) in seen:
            continue
        if not is_here and node is not screen and node is not screen.app:
            continue
        seen.add((node, binding.action))
        keys = [k for k, b in bindings.items() if b.binding.action == binding.action and b.node is node]
        display = " / ".join(screen.app.get_key_display(Binding(k, binding.action)) for k in dict.fromkeys(keys))
        item = KeyHelp(display, binding.tooltip or binding.description, is_here, binding.id is not None)
        (here if is_here else everywhere).append(item)
    # The workbench's own keys (they have ids, so the keymap can change them) before Textual's generic ones.
    everywhere.sort(key=lambda k: not k.workbench)
    return everywhere + here


class HelpScreen(ModalScreen[None]):
    """Help for one widget; any of escape, f1 or q closes it."""

    CSS_PATH = "dialogs.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "dismiss", "Close help", id="help_close"),
    ]

    def __init__(self, title: str, text: str, keys: list[KeyHelp]) -> None:
        super().__init__()
        self.help_title = title
        self.help_text = text
        self.key_help = keys

    def compose(self) -> ComposeResult:
        """Title, explanation, keys."""
        from textual.widgets import Markdown  # lazy: only when help is opened

        with Vertical(classes="dialog", id="help-dialog"):
            yield Label(f"Help: {self.help_title}", classes="dialog-title")
            with VerticalScroll(id="help-body"):
                yield Markdown(self.help_text, id="help-text")
                yield Label("Keys everywhere", classes="help-section")
                yield Static(_key_lines([k for k in self.key_help if not k.here]), classes="help-keys")
                here = [k for k in self.key_help if k.here]
                if here:
                    yield Label(f"Keys in the {self.help_title.lower()} field", classes="help-section")
                    yield Static(_key_lines(here), classes="help-keys")
            yield Static("escape, f1 or q closes this help", classes="dialog-note")


def _key_lines(keys: list[KeyHelp]) -> Table:
    """Keys and what they do, as two columns (long descriptions wrap in their own column)."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for key in keys:
        table.add_row(key.key, key.description)
    return table
