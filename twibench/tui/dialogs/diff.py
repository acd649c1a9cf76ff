"""The comparison of two responses (`d` on a history row, "Diff with previous response"), in a modal.

It shows `twibench.diff`'s rows — status, headers, then the body as JSON paths added (green), removed
(red) and changed (yellow), or a line diff for other bodies — with the volatile ones (dates, request ids,
page tokens) dimmed; `v` hides them. Every text from the exchanges was made visible by `textsafe` in
`diff.diff_rows`, and both sides are masked (history is stored masked; a live answer is masked first).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from twibench.diff import Role, diff_rows, summary
from twibench.workbench.response_diff import Comparison

STYLES: dict[Role, str] = {
    "title": "bold",
    "plain": "",
    "added": "green",
    "removed": "red",
    "changed": "yellow",
    "volatile": "dim",
    "hunk": "cyan",
    "summary": "bold",
}
MAX_ROWS = 2000
"""Rows drawn at most (a line diff of two large bodies); the CLI's `history diff` prints every one."""


def _empty_section(rows: list[tuple[str, Role]], index: int) -> bool:
    """True for a section title (unindented, ending with `:`) with no indented line after it."""
    text = rows[index][0]
    if text.startswith(" ") or not text.endswith(":"):
        return False
    return index + 1 >= len(rows) or not rows[index + 1][0].startswith(" ")


def diff_text(comparison: Comparison, *, hide_volatile: bool = False) -> Text:
    """The rows as one styled text (the labels and the summary are shown above it, not in it)."""
    rows = diff_rows(comparison.diff, comparison.labels)[2:-1]
    if hide_volatile:
        rows = [row for row in rows if row[1] != "volatile"]
        # A section title ("headers:", "body (JSON):") whose every line was volatile goes too.
        rows = [row for index, row in enumerate(rows) if not _empty_section(rows, index)]
    text = Text(no_wrap=False)
    for index, (line, role) in enumerate(rows[:MAX_ROWS]):
        text.append(("\n" if index else "") + line, style=STYLES[role])
    if len(rows) > MAX_ROWS:
        text.append(f"\n… {len(rows) - MAX_ROWS:,} more lines (`twibench history diff A B` prints them all)", "dim")
    return text


class DiffScreen(ModalScreen[None]):
    """Two responses compared; escape closes, `v` hides or shows the volatile changes."""

    CSS_PATH = "dialogs.tcss"

    HELP_TITLE: ClassVar[str] = "Compare responses"

    HELP: ClassVar[str] = (
        "The older response (`---`) against the newer one (`+++`): the status, the headers, then the body — "
        "JSON path by path (**+** added, **-** removed, **~** changed) or, for other bodies, line by line. "
        "Dimmed lines are *volatile*: dates, request ids and page tokens that change on every request; "
        "**v** hides them. Secrets are masked. **escape** closes. The command line prints the same: "
        "`twibench history diff A B`."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="dialog_cancel"),
        Binding("v", "toggle_volatile", "Hide/show volatile", id="diff.volatile"),
    ]

    def __init__(self, comparison: Comparison) -> None:
        super().__init__()
        self.comparison = comparison
        self.hide_volatile = False

    def compose(self) -> ComposeResult:
        """Title and summary, the two sides, the rows, the key note."""
        old, new = self.comparison.labels
        with Vertical(classes="dialog", id="diff-dialog"):
            yield Label(f"Compare responses — {summary(self.comparison.diff)}", classes="dialog-title", markup=False)
            yield Static(Text.assemble(("--- ", "bold red"), old), id="diff-old", markup=False)
            yield Static(Text.assemble(("+++ ", "bold green"), new), id="diff-new", markup=False)
            with VerticalScroll(id="diff-body"):
                yield Static(diff_text(self.comparison), id="diff-rows", markup=False)
            yield Static(self._note(), classes="dialog-note", id="diff-note", markup=False)

    def on_mount(self) -> None:
        """Focus the rows so the arrow keys scroll them."""
        self.query_one("#diff-body", VerticalScroll).focus()

    @property
    def rows_text(self) -> str:
        """The rows as shown, as plain text (tests, and a reader of the screen)."""
        return diff_text(self.comparison, hide_volatile=self.hide_volatile).plain

    def _note(self) -> str:
        if self.hide_volatile:
            volatile = self.comparison.diff.counts()[1]
            return (
                f"{volatile} volatile change(s) hidden (dates, request ids, page tokens) · v shows them · escape closes"
            )
        return "dim: volatile (dates, request ids, page tokens) · v hides them · escape closes"

    def action_toggle_volatile(self) -> None:
        """Hide the volatile changes, or show them again."""
        self.hide_volatile = not self.hide_volatile
        self.query_one("#diff-rows", Static).update(diff_text(self.comparison, hide_volatile=self.hide_volatile))
        self.query_one("#diff-note", Static).update(self._note())

    def action_close(self) -> None:
        """Close the dialog."""
        self.dismiss(None)
