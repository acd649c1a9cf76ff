"""Small modal dialogs: ask for one line of text (masked for secrets), or choose between a few actions."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static
from textual.widgets.button import ButtonVariant


class TextPrompt(ModalScreen[str | None]):
    """Ask for one line of text; escape cancels (None)."""

    CSS_PATH = "dialogs.tcss"

    HELP: ClassVar[str] = "Type the value and press **enter** to confirm; **escape** cancels."
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="dialog_cancel")]

    def __init__(
        self,
        title: str,
        *,
        value: str = "",
        placeholder: str = "",
        note: str = "",
        password: bool = False,
        confirm: str = "OK",
    ) -> None:
        super().__init__()
        self.prompt_title = title
        self.value = value
        self.placeholder = placeholder
        self.note = note
        self.password = password
        self.confirm = confirm

    def compose(self) -> ComposeResult:
        """Title, note, input, buttons."""
        with Vertical(classes="dialog"):
            yield Label(self.prompt_title, classes="dialog-title")
            if self.note:
                yield Static(self.note, classes="dialog-note")
            yield Input(
                self.value,
                placeholder=self.placeholder,
                password=self.password,
                id="prompt-input",
                select_on_focus=False,
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.confirm, variant="primary", id="prompt-ok")
                yield Button("Cancel", id="prompt-cancel")

    def on_mount(self) -> None:
        """Cursor in the input, at the end."""
        self.query_one(Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#prompt-ok")
    def _ok(self) -> None:
        self.dismiss(self.query_one(Input).value)

    @on(Button.Pressed, "#prompt-cancel")
    def action_cancel(self) -> None:
        """Close without a value."""
        self.dismiss(None)


class SecretPrompt(TextPrompt):
    """Ask for a secret with the input masked; the value is never shown or stored by the dialog."""

    HELP: ClassVar[str] = (
        "This profile asks for its secret once per session (`{prompt: true}` in profiles.yaml). Type it "
        "and press **enter**; it is kept in memory until you quit, and never shown or written."
    )

    def __init__(self, profile_name: str, kind_label: str, masked_sid: str) -> None:
        label = "Auth Token" if kind_label == "Auth Token" else "API Key Secret"
        super().__init__(
            f"{label} for profile '{profile_name}' ({masked_sid})",
            password=True,
            note="Asked once per session; kept in memory only, never written or shown.",
            placeholder=label,
            confirm="Use it",
        )


class Choice(ModalScreen[str | None]):
    """Choose one of a few actions; escape (None) is always "do nothing"."""

    CSS_PATH = "dialogs.tcss"

    HELP: ClassVar[str] = "Pick an action with **tab** and **enter**, or press **escape** to do nothing."
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="dialog_cancel")]

    def __init__(self, title: str, message: str, choices: list[tuple[str, str, ButtonVariant]]) -> None:
        """A dialog.

        Args:
            title: the question.
            message: what the user needs to know to answer.
            choices: (label, value, variant) per button; variant is a Button variant such as "primary".
        """
        super().__init__()
        self.choice_title = title
        self.message = message
        self.choices = choices

    def compose(self) -> ComposeResult:
        """Title, message, one button per choice, and Cancel."""
        with Vertical(classes="dialog"):
            yield Label(self.choice_title, classes="dialog-title")
            yield Static(self.message, classes="dialog-note", markup=False)
            with Horizontal(classes="dialog-buttons"):
                for label, value, variant in self.choices:
                    yield Button(label, id=f"choice-{value}", variant=variant)
                yield Button("Cancel", id="choice-cancel")

    def on_mount(self) -> None:
        """Focus the first choice."""
        self.query(Button).first().focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        button_id = event.button.id or ""
        self.dismiss(None if button_id == "choice-cancel" else button_id.removeprefix("choice-"))

    def action_cancel(self) -> None:
        """Do nothing."""
        self.dismiss(None)
