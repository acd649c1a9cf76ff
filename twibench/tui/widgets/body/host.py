"""What each part of the body viewer needs from the viewer it serves, as small `typing.Protocol`s.

Why: the viewer imports its parts (`layout`, `searching`, `filtering`, `copying`), so they must not
import the viewer back, not even under `TYPE_CHECKING` (that is an import circle in this project, see
ARCHITECTURE.md). Each part names exactly the members it uses instead, and `BodyViewer` satisfies all of
them structurally (mypy checks it where the viewer builds its parts). The Textual members are copied from
Textual's `Widget`/`DOMNode`/`MessagePump`, keeping only the parameters the parts pass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from textual.app import App
    from textual.css.styles import RenderStyles
    from textual.geometry import Offset, Region, Size
    from textual.message import Message
    from textual.notifications import SeverityLevel
    from textual.timer import Timer, TimerCallback
    from textual.worker import Worker, WorkType

    from twibench.tui.widgets.body.painter import BottomRow
    from twibench.workbench.body_document import BodyDocument

__all__ = ["CopyHost", "FilterHost", "LayoutHost", "SearchHost"]

ResultType = TypeVar("ResultType")


class CopyHost(Protocol):
    """What `copying.Copier` uses: the app (bell, clipboard, dialogs), notifications, the body's kind."""

    @property
    def app(self) -> App[object]:
        """The running app."""
        ...

    @property
    def kind(self) -> str | None:
        """How the body is shown ("json", "xml", …), or None."""
        ...

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information") -> None:
        """Show a toast."""
        ...


class LayoutHost(Protocol):
    """What `layout.Layout` uses: the shown lines and the widget's scroll geometry."""

    virtual_size: Size

    @property
    def app(self) -> App[object]:
        """The running app (its console measures lines)."""
        ...

    @property
    def document(self) -> BodyDocument | None:
        """The shown document."""
        ...

    @property
    def formatting(self) -> bool:
        """True while a large body is being formatted."""
        ...

    @property
    def line_count(self) -> int:
        """Lines shown so far."""
        ...

    @property
    def cursor_line(self) -> int:
        """The highlighted line."""
        ...

    @property
    def search_text(self) -> str:
        """The highlighted search ("" when none)."""
        ...

    @property
    def bottom_row(self) -> BottomRow | None:
        """The prompt or status on the bottom row, if any."""
        ...

    @property
    def styles(self) -> RenderStyles:
        """The widget's computed styles (for the scrollbar's width)."""
        ...

    @property
    def content_region(self) -> Region:
        """The widget's region less padding and border."""
        ...

    @property
    def scrollable_content_region(self) -> Region:
        """The content region less the scrollbars shown."""
        ...

    @property
    def scroll_offset(self) -> Offset:
        """The scroll position."""
        ...

    def scroll_to(self, x: float | None = None, y: float | None = None, *, animate: bool = True) -> None:
        """Scroll to a position."""
        ...


class FilterHost(Protocol):
    """What `filtering.FilterController` uses: the documents, notifications, a timer and a worker."""

    @property
    def app(self) -> App[object]:
        """The running app (for the bell)."""
        ...

    @property
    def document(self) -> BodyDocument | None:
        """The shown document."""
        ...

    @property
    def whole_document(self) -> BodyDocument | None:
        """The whole body, filtered or not."""
        ...

    @property
    def formatting(self) -> bool:
        """True while a large body is being formatted."""
        ...

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information") -> None:
        """Show a toast."""
        ...

    def set_timer(self, delay: float, callback: TimerCallback | None = None) -> Timer:
        """Call `callback` after `delay` seconds."""
        ...

    def run_worker(
        self,
        work: WorkType[ResultType],
        name: str | None = "",
        group: str = "default",
        description: str = "",
        exit_on_error: bool = True,
        start: bool = True,
        exclusive: bool = False,
        thread: bool = False,
    ) -> Worker[ResultType]:
        """Run `work` in a worker."""
        ...

    def post_message(self, message: Message) -> bool:
        """Queue a message for the widget (thread-safe)."""
        ...

    def refresh(self) -> object:
        """Redraw the widget."""
        ...

    def refresh_search(self) -> None:
        """The bottom row changed."""
        ...

    def replace_document(self, document: BodyDocument) -> None:
        """Show another document of the same body."""
        ...


class SearchHost(Protocol):
    """What `searching.SearchController` uses: the shown document, the cursor, and redrawing."""

    @property
    def document(self) -> BodyDocument | None:
        """The shown document."""
        ...

    @property
    def generation(self) -> int:
        """Changes whenever another body is loaded."""
        ...

    @property
    def cursor_line(self) -> int:
        """The highlighted line."""
        ...

    def move_cursor(self, index: int, *, center: bool = False) -> None:
        """Put the cursor on a line and scroll it into view."""
        ...

    def place_cursor(self, index: int, needle: str) -> None:
        """Put the cursor on a match, with the match scrolled into view."""
        ...

    def search_in_background(self, needle: str, backwards: bool, include_cursor: bool) -> Worker[None]:
        """Search in a worker (a newer search replaces it)."""
        ...

    def action_close_search(self) -> None:
        """Close the search prompt."""
        ...

    def refresh(self) -> object:
        """Redraw the widget."""
        ...

    def refresh_search(self) -> None:
        """The bottom row changed."""
        ...

    def restyle_lines(self) -> None:
        """The highlight changed."""
        ...
