"""A one-widget drop-down (the method and profile selectors): cheap while closed, its list built when opened.

Textual's Select mounts six widgets (and a hidden option list) per selector, and the CSS of all of them is
parsed before the first frame. The request line and the profile bar show two selectors from the start,
so they use a Picker instead: one focusable row that draws the current choice and a ▼. Opening it (enter,
space, up/down, a click, or `open()`) pushes a small see-through modal screen (picker_list.py, loaded then)
holding an OptionList right under the picker, moved up or left only as far as it takes to stay on the
screen. Its API follows Select's where the workbench uses it: `value`, `set_options`, `expanded`,
`compact`, and a `Changed` message with `.picker` and `.value` that `prevent(Picker.Changed)` silences.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message

from twibench.tui.widgets.compact import CompactWidget

if TYPE_CHECKING:
    from twibench.tui.widgets.picker_list import PickerDropDown

PickerOption = tuple[str | Text, str]
"""One choice: the text the picker and its list show, and the value it stands for."""


def as_text(label: str | Text) -> Text:
    """A copy of an option's label as Rich text (the picker styles and cuts it)."""
    return label.copy() if isinstance(label, Text) else Text(label)


class Picker(CompactWidget, can_focus=True):
    """One row showing the chosen option and a ▼; its list opens right under it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,space,down,up", "open", "Show the list", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"picker--arrow"}

    # The look of Textual's Select (its SelectCurrent line), compact or framed.
    DEFAULT_CSS = """
    Picker {
        width: 1fr;
        height: auto;
        color: $foreground;
        background: $surface;
        border: tall $border-blurred;
        padding: 0 2;
        pointer: pointer;
        &:focus {
            border: tall $border;
            background-tint: $foreground 5%;
        }
        &.-compact {
            border: none !important;
            padding: 0 1 0 0;
        }
        & > .picker--arrow {
            color: $foreground 50%;
        }
    }
    """

    class Changed(Message):
        """The picker's value changed (by the user or by code, unless prevented)."""

        def __init__(self, picker: Picker, value: str) -> None:
            super().__init__()
            self.picker = picker
            self.value = value

        @property
        def control(self) -> Picker:
            """The picker that changed (so `@on(Picker.Changed, "#id")` can match it)."""
            return self.picker

    def __init__(
        self,
        options: Iterable[PickerOption],
        *,
        value: str | None = None,
        compact: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """A picker over `options`, showing `value` (the first option when None); `compact` is a class given
        with the others (set after them it restyled the picker before it was mounted)."""
        super().__init__(id=id, classes=" ".join(["-compact", *([classes] if classes else [])]) if compact else classes)
        self._options: list[PickerOption] = []
        self._value = ""
        self._set_options(options)
        self._value = self._options[0][1] if value is None else self._checked(value)
        self._dropdown: PickerDropDown | None = None

    # -- the value and the options ------------------------------------------------------------------------

    @property
    def value(self) -> str:
        """The chosen option's value."""
        return self._value

    @value.setter
    def value(self, value: str) -> None:
        """Show another option; a change posts `Changed` (setting the same value again posts nothing)."""
        value = self._checked(value)
        if value == self._value:
            return
        self._value = value
        self.refresh(layout=True)  # an auto-width picker follows its label
        self.post_message(self.Changed(self, value))

    @property
    def options(self) -> list[PickerOption]:
        """The choices, in order."""
        return list(self._options)

    def set_options(self, options: Iterable[PickerOption]) -> None:
        """Replace the choices (their labels may change). The value stays if it is still a choice; otherwise
        it becomes the first one, which posts `Changed`."""
        self._set_options(options)
        values = [value for _label, value in self._options]
        if self._value in values:
            self.refresh(layout=True)
        else:
            self.value = values[0]

    def _set_options(self, options: Iterable[PickerOption]) -> None:
        options = list(options)
        if not options:
            raise ValueError(f"The picker {self.id or ''} needs at least one option.")
        self._options = options

    def _checked(self, value: str) -> str:
        if all(value != option_value for _label, option_value in self._options):
            choices = ", ".join(repr(option_value) for _label, option_value in self._options)
            raise ValueError(f"{value!r} is not one of the picker's choices ({choices}).")
        return value

    def label(self) -> Text:
        """The chosen option's text, as the picker shows it."""
        for label, value in self._options:
            if value == self._value:
                return as_text(label)
        return Text()  # unreachable: the value is always one of the options

    # -- the closed look -------------------------------------------------------------------------------------

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """Auto width: the longest option, a space and the arrow."""
        return max(as_text(label).cell_len for label, _value in self._options) + 2

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """Always one row: long labels end in an ellipsis."""
        return 1

    def render(self) -> Text:
        """The label cut to fit, then ` ▼` at the right edge."""
        label = self.label()
        label.no_wrap = True
        label.truncate(max(0, self.content_size.width - 2), overflow="ellipsis", pad=True)
        return Text.assemble(label, " ", ("▼", self.get_component_rich_style("picker--arrow")), no_wrap=True)

    # -- the list --------------------------------------------------------------------------------------------

    @property
    def expanded(self) -> bool:
        """True while the list is open."""
        return self._dropdown is not None

    @expanded.setter
    def expanded(self, expanded: bool) -> None:
        if expanded:
            self.open()
        else:
            self.close()

    def open(self) -> None:
        """Focus the picker and open its list under it, the current choice highlighted."""
        if self._dropdown is not None or not self.is_mounted:
            return
        from twibench.tui.widgets.picker_list import PickerDropDown  # the list's code loads on the first open

        if self.screen.focused is not self:
            self.screen.set_focus(self)
        options = [(as_text(label), value) for label, value in self._options]
        self._dropdown = PickerDropDown(self, options, self.value)
        self.app.push_screen(self._dropdown, self._chosen)

    def close(self) -> None:
        """Close the list without changing the value."""
        if self._dropdown is not None:
            self._dropdown.dismiss(None)

    def _chosen(self, value: str | None) -> None:
        self._dropdown = None
        if value is not None:
            self.value = value

    def action_open(self) -> None:
        """Open the list (enter, space, up, down)."""
        self.open()

    def on_click(self, event: events.Click) -> None:
        """A click opens the list."""
        event.stop()
        self.open()
