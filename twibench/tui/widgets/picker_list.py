"""The open list of a Picker: an OptionList on a see-through modal screen, placed right under the picker.

Loaded on the first open only (the closed picker is all the first frame needs). Letters typed in the list
jump to the first option containing them, as Select's type-to-search does.
"""

from __future__ import annotations

from functools import cache
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.geometry import Offset
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import OptionList

SEARCH_RESET = 0.7
"""Seconds after the last letter typed in an open list before a new letter starts a new search (as Select)."""


class PickerList(OptionList):
    """The open list: the options, with type-to-search (letters jump to the first option containing them)."""

    DEFAULT_CSS = """
    PickerList {
        width: auto;
        max-width: 100%;
        height: auto;
        max-height: 12;
        constrain: inside inside;  /* near an edge: moved up or left to stay on the screen */
        color: $foreground;
        background: $surface;
        border: tall $border-blurred;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        &:focus {
            background-tint: $foreground 5%;
        }
        & > .option-list--option {
            padding: 0 1;
        }
    }
    """

    def __init__(self, labels: list[Text], *, id: str | None = None) -> None:
        super().__init__(*labels, id=id)
        self._plain = [label.plain.lower() for label in labels]
        self._query = ""
        self._query_timer: Timer | None = None

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        """Letters belong to the search, not to the app's bindings."""
        return character is not None and character.isprintable()

    def on_key(self, event: events.Key) -> None:
        """A printable key extends the search and highlights the best match."""
        if event.character is None or not event.is_printable:
            return
        event.stop()
        event.prevent_default()
        if self._query_timer is not None:
            self._query_timer.stop()
        self._query += event.character.lower()
        self._query_timer = self.set_timer(SEARCH_RESET, self._reset_query)
        index = self.match(self._query)
        if index is not None:
            self.highlighted = index

    def _reset_query(self) -> None:
        self._query = ""

    def match(self, query: str) -> int | None:
        """The option whose text contains `query` earliest (the first such option on a tie), as Select does."""
        best: tuple[int, int] | None = None
        for index, plain in enumerate(self._plain):
            at = plain.find(query.lower())
            if at != -1 and (best is None or at < best[0]):
                best = (at, index)
        return None if best is None else best[1]


@cache
def _list_class(title: str, text: str) -> type[PickerList]:
    """A PickerList whose f1 help is the picker's (the open list is on its own screen, away from it)."""
    return type("PickerList", (PickerList,), {"HELP_TITLE": title, "HELP": text})


class PickerDropDown(ModalScreen[str | None]):
    """The open list of one picker, on a see-through screen: a choice dismisses it with its value; escape or
    a click elsewhere with None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close the list", show=False),
        # A modal screen hides the app's keys; f1 (same id, so the keymap moves it too) still explains the list.
        Binding("f1", "app.help", "Help", id="help", show=False),
    ]

    DEFAULT_CSS = """
    PickerDropDown {
        background: transparent;
    }
    """

    def __init__(self, picker: Widget, options: list[tuple[Text, str]], value: str) -> None:
        """The list of `options` under `picker` (the widget it belongs to), `value` highlighted. (Given
        apart, so that this module needs nothing from picker.py, which imports it when a list opens.)"""
        super().__init__()
        self.picker = picker
        self.options = options
        self.value = value
        self._opened_in = picker.app.size
        self._width = 0

    def compose(self) -> ComposeResult:
        """The list, as the picker's f1 help would explain it."""
        from twibench.tui.dialogs.help import widget_help  # the open list answers f1 as its picker does

        picker = self.picker
        labels = [label for label, _value in self.options]
        option_list = _list_class(*widget_help(picker))(labels, id=f"{picker.id}-list" if picker.id else None)
        self._place(option_list)
        yield option_list

    def _place(self, option_list: PickerList) -> bool:
        """Put the list right under the picker and make it at least as wide (the CSS keeps it on the screen);
        False if it was there already."""
        region = self.picker.region
        offset = Offset(region.x, region.bottom)
        if option_list.absolute_offset == offset and self._width == region.width:
            return False
        option_list.absolute_offset = offset
        option_list.styles.min_width = self._width = region.width
        return True

    def on_mount(self) -> None:
        """The list takes the keys, the current choice highlighted."""
        option_list = self.query_one(PickerList)
        values = [value for _label, value in self.options]
        option_list.highlighted = values.index(self.value)
        option_list.focus()
        option_list.scroll_to_highlight()
        self.call_after_refresh(self._follow)

    def _follow(self) -> None:
        """Opened while the screen below was still being laid out (a key pressed at start-up): move with the
        picker."""
        option_list = self.query_one(PickerList)
        if self._place(option_list):
            option_list.refresh(layout=True)

    def on_resize(self, event: events.Resize) -> None:
        """The terminal changed size: the screen below will be laid out anew, so the list closes (the value
        unchanged) rather than hang where the picker was. (A screen also gets a Resize when first shown.)"""
        if event.size != self._opened_in and self.is_active:
            self.dismiss(None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """enter or a click on an option chooses it."""
        event.stop()
        self.dismiss(self.options[event.option_index][1])

    def on_click(self, event: events.Click) -> None:
        """A click beside the list closes it (the click goes no further, as with Select)."""
        if self.get_widget_at(event.screen_x, event.screen_y)[0] is self:
            event.stop()
            self.dismiss(None)

    def action_close(self) -> None:
        """escape: close the list, the value unchanged."""
        self.dismiss(None)
