"""The profile selector: which credentials the next request uses, shown safely (never a secret).

Each profile reads `name · kind · AC01…cdef · host`. Anything but the built-in sandbox reaches a real
account, so a LIVE badge stands next to the selector whenever such a profile is active.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Static

from twibench.errors import TwibenchError
from twibench.profiles import Profile, ProfileSet
from twibench.tui.widgets.action_button import ActionButton
from twibench.tui.widgets.blank import BlankContainer
from twibench.tui.widgets.picker import Picker

if TYPE_CHECKING:
    from twibench.workbench.session import Session


def profile_option(profile: Profile) -> Text:
    """The selector's text for one profile (the badge beside the selector marks a live one)."""
    return Text(profile.describe())


class ProfileSelect(Picker):
    """The profile picker. A subclass, as the method picker is: Textual files a base class's CSS under how
    deep it sits below the widget's class, so a plain Picker then a MethodSelect parsed Picker's rules twice
    before the first frame."""


class ProfileBar(Horizontal, BlankContainer):
    """Profile selector, LIVE/SANDBOX badge and the button that edits profiles."""

    HELP_TITLE: ClassVar[str] = "Profile"

    HELP: ClassVar[str] = (
        "Chooses the credential profile the next request is sent with. A profile shows its name, "
        "kind (Auth Token or API Key), masked SID and host — never its secret. **LIVE** means the "
        "profile reaches a real Twilio account; **LOCAL** a server on this machine (a loopback base URL, "
        "no live-run confirmation); **SANDBOX** the built-in offline sandbox, whose address shows in its line. "
        "Add or edit profiles with the **+ Profile** button or from the command palette (ctrl+p)."
    )

    class Switched(Message):
        """The user picked another profile."""

        def __init__(self, name: str) -> None:
            self.name = name
            super().__init__()

    class EditRequested(Message):
        """The user wants to add or edit a profile."""

    def __init__(self, profiles: ProfileSet, active: str, *, id: str | None = None) -> None:
        """The bar, showing `active` among `profiles` from the start."""
        super().__init__(id=id)
        self._initial = (profiles, active)

    def compose(self) -> ComposeResult:
        """Label, selector, badge, edit button (the label and badge are Statics sized by app.tcss: Textual's
        Label brings seven rules of colour variants, parsed before the first frame)."""
        profiles, active = self._initial
        options = [(profile_option(p), name) for name, p in profiles.profiles.items()]
        yield Static("Profile", classes="bar-label")
        yield ProfileSelect(options, id="profile-select", compact=True, value=active)
        profile = profiles.profiles[active]
        # The badge has its look from the start: set once mounted, it restyled and laid out the bar again.
        badge = Static(f" {profile.badge} ", id="profile-badge", classes=_badge_class(profile))
        badge.tooltip = _badge_tooltip(profile)
        yield badge
        yield ActionButton("+ Profile", id="profile-edit", compact=True)

    def on_mount(self) -> None:
        """Follow the sandbox's address (the badge is composed with the starting profile's look)."""
        profiles = self._initial[0]
        # Deterministic rendering (snapshots, screenshots: timings hidden) shows no port numbers.
        if any(p.is_sandbox for p in profiles.profiles.values()) and getattr(self.app, "show_timings", True):
            self._address_timer = self.set_interval(0.5, self._sandbox_address)

    def _sandbox_address(self) -> None:
        """Once the sandbox runs, its profile line shows its address (127.0.0.1:PORT) to point others at."""
        profiles = self._initial[0]
        sandbox = next((p for p in profiles.profiles.values() if p.is_sandbox), None)
        if sandbox is None or sandbox.host_label() == "local sandbox":
            return
        self._address_timer.stop()
        with self.prevent(Picker.Changed):
            self.query_one("#profile-select", Picker).set_options(
                [(profile_option(p), name) for name, p in profiles.profiles.items()]
            )

    def show(self, profiles: ProfileSet, active: str) -> None:
        """Fill the selector and mark the active profile."""
        self._initial = (profiles, active)
        picker = self.query_one("#profile-select", Picker)
        with self.prevent(Picker.Changed):
            picker.set_options([(profile_option(p), name) for name, p in profiles.profiles.items()])
            picker.value = active
        self._badge(profiles.profiles[active])

    def switch(self, session: Session, name: str) -> bool:
        """Make `name` the session's active profile and show it (a live one says so); False if it was not."""
        if name == session.active:
            return False
        try:
            profile = session.switch(name)
        except TwibenchError as exc:
            self.notify(str(exc), severity="error")
            return False
        self.show(session.profiles, profile.name)
        if profile.is_live:  # LOCAL and SANDBOX stay on this machine
            self.notify(f"Profile '{profile.name}' is LIVE: requests reach a real Twilio account.", title="Live")
        return True

    def _badge(self, profile: Profile) -> None:
        badge = self.query_one("#profile-badge", Static)
        badge.update(f" {profile.badge} ")
        badge.update_classes({name: name == _badge_class(profile) for name in ("-live", "-local", "-sandbox")})
        badge.tooltip = _badge_tooltip(profile)

    @on(Picker.Changed, "#profile-select")
    def _switched(self, event: Picker.Changed) -> None:
        event.stop()
        if event.value == event.picker.value:
            self.post_message(self.Switched(event.value))

    @on(ActionButton.Pressed, "#profile-edit")
    def _edit(self, event: ActionButton.Pressed) -> None:
        event.stop()
        self.post_message(self.EditRequested())

    def open(self) -> None:
        """Focus the selector and open its list."""
        self.query_one("#profile-select", Picker).open()


def _badge_class(profile: Profile) -> str:
    """The badge's class: its colour (`-live`, `-local` or `-sandbox`)."""
    return f"-{profile.badge.lower()}"


def _badge_tooltip(profile: Profile) -> str:
    """What the badge means for `profile`."""
    return {
        "LIVE": "Requests go to a real Twilio account with this profile's credentials.",
        "LOCAL": f"Requests go to {profile.host_label()} on this machine (a loopback base URL).",
        "SANDBOX": "Requests go to the built-in offline sandbox.",
    }[profile.badge]
