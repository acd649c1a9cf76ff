"""The `compact` switch the first frame's light widgets share (the picker and the action button)."""

from __future__ import annotations

from textual.widget import Widget


class CompactWidget(Widget):
    """A widget whose bare one-row look (no frame, as Textual's compact widgets) is its `-compact` class."""

    @property
    def compact(self) -> bool:
        """True when the widget is one bare row (no frame)."""
        return self.has_class("-compact")

    @compact.setter
    def compact(self, compact: bool) -> None:
        self.set_class(compact, "-compact")
