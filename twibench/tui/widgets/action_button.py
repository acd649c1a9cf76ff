"""A one-widget button for the first frame (Send, + Profile), with the look of Textual's default Button.

Textual's Button brings 57 CSS rules (every variant, flat and ANSI styles) that are parsed before the first
frame; the request line and the profile bar need two looks, default and primary, framed or compact.
enter, space or a click press it: it flashes and posts `ActionButton.Pressed`.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message

from twibench.tui.later_css import add_css
from twibench.tui.widgets.compact import CompactWidget

ACTIVE_FLASH = 0.2
"""Seconds the button shows itself pressed (as Button's active effect)."""


class ActionButton(CompactWidget, can_focus=True):
    """A label that is pressed with enter, space or a click."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter,space", "press", "Press", show=False)]

    # Button's "-style-default" rules, for the default and primary variants: the looks of the first frame
    # here, those of a focused, hovered or pressed button in LATER_CSS.
    DEFAULT_CSS = """
    ActionButton {
        width: auto;
        min-width: 16;
        height: auto;
        line-pad: 1;
        text-align: center;
        content-align: center middle;
        pointer: pointer;
        text-style: bold;
        color: $button-foreground;
        background: $surface;
        border: none;
        border-top: tall $surface-lighten-1;
        border-bottom: tall $surface-darken-1;
        &.-compact {
            border: none !important;
        }
        &.-primary {
            color: $button-color-foreground;
            background: $primary;
            border-top: tall $primary-lighten-3;
            border-bottom: tall $primary-darken-3;
        }
    }
    """

    LATER_CSS: ClassVar[str] = """
    ActionButton {
        &:focus {
            text-style: $button-focus-text-style;
            background-tint: $foreground 5%;
        }
        &:hover {
            border-top: tall $surface;
            background: $surface-darken-1;
        }
        &.-active {
            background: $surface;
            border-bottom: tall $surface-lighten-1;
            border-top: tall $surface-darken-1;
            tint: $background 30%;
        }
        &.-primary {
            &:hover {
                background: $primary-darken-2;
                border-top: tall $primary;
            }
            &.-active {
                background: $primary;
                border-bottom: tall $primary-lighten-3;
                border-top: tall $primary-darken-3;
            }
        }
    }
    """
    """The focused, hovered and pressed looks, added right after the first frame (or at the first focus or
    press before it) as the defaults they are (`twibench.tui.later_css`)."""

    class Pressed(Message):
        """The button was pressed."""

        def __init__(self, button: ActionButton) -> None:
            super().__init__()
            self.button = button

        @property
        def control(self) -> ActionButton:
            """The pressed button (so `@on(ActionButton.Pressed, "#id")` can match it)."""
            return self.button

    def __init__(
        self,
        label: str,
        *,
        primary: bool = False,
        compact: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """A button reading `label`; `primary` is the accent-coloured look (Send).

        Its look classes are given to Textual with the others: set after it, each restyled the button before
        it was even mounted (it is styled again when it mounts)."""
        looks = [name for name, on in (("-primary", primary), ("-compact", compact)) if on]
        super().__init__(id=id, classes=" ".join([*looks, *([classes] if classes else [])]) or None)
        self.label = label

    def on_mount(self) -> None:
        """The focused, hovered and pressed looks come right after the first frame."""
        self.call_after_refresh(self._later_looks)

    def watch_has_focus(self, has_focus: bool) -> None:
        """Textual's (restyle), with the focused look there even before the first frame."""
        self._later_looks()
        super().watch_has_focus(has_focus)

    def _later_looks(self) -> None:
        """Add the looks of LATER_CSS once, and restyle the buttons styled without them (Textual restyles a
        hovered widget only if a :hover rule matched it when it was styled)."""
        if self.is_attached and add_css(self, self.LATER_CSS, name="ActionButton.LATER_CSS", default_of="ActionButton"):
            for screen in self.app.screen_stack:
                for button in screen.query(ActionButton):
                    button.update_node_styles()

    def render(self) -> Content:
        """The label (centred, and padded by a space each side, by the CSS)."""
        return Content(self.label)

    def press(self) -> None:
        """Show the press for a moment and post `Pressed` (nothing while disabled or hidden)."""
        if self.disabled or not self.display:
            return
        self._later_looks()
        self.add_class("-active")
        self.set_timer(ACTIVE_FLASH, lambda: self.remove_class("-active"))
        self.post_message(self.Pressed(self))

    def action_press(self) -> None:
        """enter or space: press the button."""
        if not self.has_class("-active"):
            self.press()

    def on_click(self, event: events.Click) -> None:
        """A click presses the button."""
        event.stop()
        if not self.has_class("-active"):
            self.press()
