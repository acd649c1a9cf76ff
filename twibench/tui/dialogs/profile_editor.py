"""The profile dialog: add or edit a credential profile, validated as you type.

A secret comes from an environment variable (recommended), a prompt once per session, the OS keyring
(the typed secret is stored there on save, service `twibench`, user = the SID), or is stored in
profiles.yaml (written 0600, with a warning). A profile whose file names a keyring entry or a command
keeps that source unless another is chosen. The secret field is masked, never pre-filled and never
echoed: editing a profile with a stored secret and leaving the field empty keeps the secret.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from twibench import profiles, secret_sources
from twibench.hostguard import base_url_problem
from twibench.profiles import Profile, SecretRef
from twibench.tui.widgets.kv_table import KeyValueTable
from twibench.workbench.workspace import Row

SOURCES = [
    ("Environment variable (recommended)", "env"),
    ("Ask once per session", "prompt"),
    ("OS keyring (stored there on save)", "keyring"),
    ("Stored in profiles.yaml", "literal"),
]
KINDS = [("Auth Token (Account SID + Auth Token)", "auth_token"), ("API Key (SK… SID + secret)", "api_key")]


class ProfileEditor(ModalScreen[Profile | None]):
    """Add a profile (no argument) or edit one."""

    CSS_PATH = "dialogs.tcss"

    HELP: ClassVar[str] = (
        "Creates or edits a credential profile. **Auth Token** profiles log in with the Account SID and "
        "its Auth Token; **API Key** profiles with an API Key SID (`SK…`) and its secret, while URLs "
        "still carry the Account SID. Prefer an environment variable for the secret; a stored secret "
        "is written to profiles.yaml with mode 0600. Region and edge pick the host "
        "(`api.{edge}.{region}.twilio.com`); a base URL replaces the host (a loopback one makes the profile "
        "**LOCAL**: it stays on this machine and needs no live-run confirmation). "
        "Variables fill `{{name}}` in requests (e.g. `from`). "
        "**escape** cancels."
    )
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="dialog_cancel")]

    def __init__(self, profile_set: profiles.ProfileSet, editing: Profile | None = None) -> None:
        super().__init__()
        self.profile_set = profile_set
        self.editing = editing

    def compose(self) -> ComposeResult:
        """The form."""
        p = self.editing
        source = "env" if p is None or p.secret.env else ("prompt" if p.secret.prompt else "literal")
        sources = list(SOURCES)
        if p is not None and (p.secret.keyring is not None or p.secret.command is not None):
            source = "kept"
            sources.insert(0, (f"As in profiles.yaml: {p.secret.describe()}", "kept"))
        with Vertical(classes="dialog", id="profile-dialog"):
            yield Label("Edit profile" if p else "Add a profile", classes="dialog-title")
            with VerticalScroll(id="profile-form"):
                yield Label("Name")
                yield Input(p.name if p else "", placeholder="live", id="p-name")
                yield Label("Kind")
                yield Select(KINDS, value=p.kind if p else "auth_token", allow_blank=False, id="p-kind")
                yield Label("Account SID")
                yield Input(p.account_sid if p else "", placeholder="AC + 32 hex digits", id="p-account")
                yield Label("API Key SID", classes="api-key-only")
                yield Input(
                    p.username if p and p.kind == "api_key" else "",
                    placeholder="SK + 32 hex digits",
                    id="p-key",
                    classes="api-key-only",
                )
                yield Label("Secret comes from")
                yield Select(sources, value=source, allow_blank=False, id="p-source")
                yield Input(p.secret.env or "" if p else "", placeholder="TWILIO_AUTH_TOKEN", id="p-env")
                yield Input(
                    "",
                    password=True,
                    placeholder="(unchanged)" if p and p.secret.literal else "the secret",
                    id="p-secret",
                )
                yield Static(
                    "⚠ The secret is written in plain text to profiles.yaml (mode 0600). "
                    "An environment variable keeps it out of files.",
                    id="p-literal-warning",
                )
                with Horizontal(id="p-host-row"):
                    with Vertical():
                        yield Label("Region (optional)")
                        yield Input(p.region or "" if p else "", placeholder="ie1", id="p-region")
                    with Vertical():
                        yield Label("Edge (optional)")
                        yield Input(p.edge or "" if p else "", placeholder="dublin", id="p-edge")
                yield Label("Base URL (optional: a sandbox or mock server, e.g. http://127.0.0.1:8787)")
                yield Input(p.base_url or "" if p else "", placeholder="e.g. http://127.0.0.1:PORT", id="p-base-url")
                yield Static("", id="p-host")
                yield Label("Variables")
                yield KeyValueTable("variables", "No variables (e.g. from = your Twilio number).", id="p-vars")
            yield Static("", id="p-errors")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="p-save")
                yield Button("Cancel", id="p-cancel")

    async def on_mount(self) -> None:
        """Focus the name (first, so keys typed while the rest is filled land in it), fill the variables
        and show the fields that apply."""
        self.query_one("#p-name", Input).focus()
        variables = self.editing.variables if self.editing else {}
        await self.query_one(KeyValueTable).load([Row(k, v) for k, v in variables.items()])
        self._update()

    @on(Select.Changed)
    @on(Input.Changed)
    def _changed(self) -> None:
        self._update()

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()

    def _update(self) -> None:
        kind = self.query_one("#p-kind", Select).value
        source = self.query_one("#p-source", Select).value
        for widget in self.query(".api-key-only"):
            widget.display = kind == "api_key"
        self.query_one("#p-env").display = source == "env"
        self.query_one("#p-secret").display = source in ("literal", "keyring")
        self.query_one("#p-literal-warning").display = source == "literal"
        env = self.query_one("#p-env", Input)
        env.placeholder = "TWILIO_API_SECRET" if kind == "api_key" else "TWILIO_AUTH_TOKEN"
        region, edge = self._value("#p-region") or None, self._value("#p-edge") or None
        base_url = self._value("#p-base-url")
        host = base_url.rstrip("/") if base_url else profiles.twilio_host(region, edge)
        draft = Profile("x", "auth_token", "", "", SecretRef(), base_url=base_url or None)
        label = "LOCAL (this machine)" if base_url and draft.is_local else "LIVE"
        self.query_one("#p-host", Static).update(f"Host: {host} · {label}")
        self.query_one("#p-errors", Static).update("\n".join(self._problems(strict=False)))

    def _problems(self, *, strict: bool = True) -> list[str]:
        """What is wrong; while typing (`strict=False`) a field left empty is not reported yet."""
        return [text for text, empty in self._all_problems() if strict or not empty]

    def _all_problems(self) -> list[tuple[str, bool]]:
        """(problem, True when it is only that a field is still empty)."""
        problems: list[tuple[str, bool]] = []
        name = self._value("#p-name")
        if not name:
            problems.append(("Name: give the profile a name, e.g. live.", True))
        elif not profiles.NAME_RE.match(name):
            problems.append(("Name: letters, digits, '.', '_' and '-'.", False))
        elif name in profiles.BUILTIN_NAMES:
            problems.append((f"Name: '{name}' is a built-in profile.", False))
        elif name in self.profile_set.profiles and (self.editing is None or self.editing.name != name):
            problems.append((f"Name: a profile '{name}' exists already.", False))
        account = self._value("#p-account")
        if not profiles.ACCOUNT_SID_RE.match(account):
            problems.append(("Account SID: AC followed by 32 lowercase hex digits.", not account))
        kind = self.query_one("#p-kind", Select).value
        key = self._value("#p-key")
        if kind == "api_key" and not profiles.API_KEY_SID_RE.match(key):
            problems.append(("API Key SID: SK followed by 32 lowercase hex digits.", not key))
        source = self.query_one("#p-source", Select).value
        if source == "env" and not self._value("#p-env"):
            example = "TWILIO_API_SECRET" if kind == "api_key" else "TWILIO_AUTH_TOKEN"
            problems.append((f"Environment variable: give its name, e.g. {example}.", True))
        keeps_literal = self.editing is not None and self.editing.secret.literal is not None
        if source == "literal" and not self.query_one("#p-secret", Input).value and not keeps_literal:
            problems.append(("Secret: type it, or choose another source.", True))
        if source == "keyring" and not self.query_one("#p-secret", Input).value:
            problems.append(("Secret: type it to store it in the keyring, or choose another source.", True))
        region, edge = self._value("#p-region"), self._value("#p-edge")
        if region and not profiles.REGION_RE.match(region):
            problems.append(("Region: such as us1, ie1 or au1.", False))
        if edge and not profiles.EDGE_RE.match(edge):
            problems.append(("Edge: such as dublin, sydney or ashburn.", False))
        base_url = self._value("#p-base-url")
        if base_url and (problem := base_url_problem(base_url)) is not None:
            problems.append((f"Base URL: {problem}.", False))
        return problems

    def _secret(self) -> SecretRef:
        source = self.query_one("#p-source", Select).value
        if source == "env":
            return SecretRef(env=self._value("#p-env"))
        if source == "prompt":
            return SecretRef(prompt=True)
        if source == "kept" and self.editing is not None:
            return self.editing.secret
        if source == "keyring":
            return SecretRef(keyring=secret_sources.DEFAULT_SERVICE)  # the typed secret is stored there on save
        typed = self.query_one("#p-secret", Input).value
        if not typed and self.editing is not None and self.editing.secret.literal is not None:
            return SecretRef(literal=self.editing.secret.literal)
        return SecretRef(literal=typed)

    @on(Button.Pressed, "#p-save")
    def _save(self) -> None:
        problems = self._problems()
        if problems:
            self.query_one("#p-errors", Static).update("\n".join(problems))
            return
        kind: profiles.Kind = "api_key" if self.query_one("#p-kind", Select).value == "api_key" else "auth_token"
        account = self._value("#p-account")
        rows = self.query_one(KeyValueTable).rows
        username = self._value("#p-key") if kind == "api_key" else account
        secret = self._secret()
        if self.query_one("#p-source", Select).value == "keyring":  # the typed secret goes there, not to the file
            typed = self.query_one("#p-secret", Input).value
            field, service = ("api_secret" if kind == "api_key" else "auth_token"), secret_sources.DEFAULT_SERVICE
            try:
                secret_sources.store_keyring(service, username, typed, self._value("#p-name"), field)
            except profiles.ProfileError as exc:
                self.query_one("#p-errors", Static).update(str(exc))
                return
        profile = Profile(
            name=self._value("#p-name"),
            kind=kind,
            account_sid=account,
            username=username,
            secret=secret,
            region=self._value("#p-region") or None,
            edge=self._value("#p-edge") or None,
            allowed_hosts=list(self.editing.allowed_hosts) if self.editing else [],
            variables={r.key: r.value for r in rows if r.enabled and r.key},
            base_url=self._value("#p-base-url").rstrip("/") or None,
        )
        self.dismiss(profile)

    @on(Button.Pressed, "#p-cancel")
    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
