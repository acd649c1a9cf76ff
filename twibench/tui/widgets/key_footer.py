"""The footer: Textual's, except that a key which does not fit is left out whole instead of being cut.

With the history focused, its six keys and the workbench's filled more than a 160-column line and the
last one read `f1 H`. Here the keys are kept in their order while they fit (the focused widget's come
first), a longer one that does not fit is skipped for a shorter one after it, and `f1 Help` always stays:
it lists every key, the ones left out too.
"""

from __future__ import annotations

from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # the footer's item widget (Textual exports only Footer)

KEPT = "help"
"""The action whose key always shows (f1: the help lists every key)."""


class KeyFooter(Footer):
    """A footer that never cuts a key in the middle."""

    async def recompose(self) -> None:
        """New bindings (the focus moved): keys again, then only those that fit."""
        await super().recompose()
        self.call_after_refresh(self.fit)

    def on_resize(self) -> None:
        """A new width: choose the keys again."""
        self.call_after_refresh(self.fit)

    def fit(self) -> None:
        """Show the keys that fit the width left beside the palette key, in order, f1 Help first of all."""
        keys = [key for key in self.query_children(FooterKey) if not key.has_class("-command-palette")]
        palette = [key for key in self.query_children(FooterKey) if key.has_class("-command-palette")]
        room = self.size.width - sum(_width(key) for key in palette)
        widths = {key: _width(key) for key in keys}
        room -= sum(width for key, width in widths.items() if key.action.split(".")[-1] == KEPT)
        for key in keys:
            if key.action.split(".")[-1] == KEPT:
                key.display = True
                continue
            key.display = widths[key] <= room
            if key.display:
                room -= widths[key]

    @property
    def shown(self) -> list[str]:
        """The descriptions of the keys on screen, in order (what a test, or a screen reader, reads)."""
        return [key.description for key in self.query_children(FooterKey) if key.display]


def _width(key: FooterKey) -> int:
    """The columns a key takes: its text, padding, border and margin (known before it is laid out)."""
    styles = key.styles
    return key.render().cell_len + styles.gutter.width + styles.margin.width
