"""An interactive session without the UI: profiles, the active profile, variables, and sending.

The variables live in one `twibench.runner.Session`, shared by single sends and collection runs: a SID
captured by a run fills the next single send and the other way round, and values edited in the
Variables view (overrides) win over every other source for both. It is created on first need (the
runner imports httpx), so start-up never loads it; until then nothing was captured or edited.

The httpx-based client is imported the first time a request is sent (never before the first frame).
One Client is kept for the session, so each profile's connection pool is reused between requests.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from rich.text import Text

from twibench import profiles as profiles_mod
from twibench import variables
from twibench.errors import TwibenchError
from twibench.profiles import Profile, ProfileSet
from twibench.redact import Redactor
from twibench.sending import PromptedSecrets, refuse_sandbox_only
from twibench.settings import Settings
from twibench.workbench.history_log import HistoryLog
from twibench.workbench.responses import ResponseMemory
from twibench.workbench.workspace import RequestEntry, Workspace

if TYPE_CHECKING:
    import httpx

    from twibench.client import Client
    from twibench.collection import Collection, Request
    from twibench.exchange import Exchange
    from twibench.runner import Session as Variables
    from twibench.runner import VariableEntry
    from twibench.workbench.inbox_service import InboxService


def _ask_first(profile: Profile) -> str:
    """The session's fallback prompt: the UI asks in a modal before sending, never on the terminal under it."""
    raise TwibenchError(f"profile '{profile.name}' needs its secret; run again to be asked for it")


EDITED_ORIGIN = "edited in this session"
"""How the Variables view names the origin of an override (the runner says `--var`)."""


class Session:
    """What the user works with: the workspace, the profiles, the active profile and the client."""

    def __init__(
        self,
        workspace: Workspace,
        profile_set: ProfileSet,
        active: str | None = None,
        *,
        settings: Settings | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.workspace = workspace
        self.profiles = profile_set
        self.active = profile_set.get(active).name
        self.settings = settings or Settings()
        self.transport = transport
        self.last_exchange: Exchange | None = None
        self.responses = ResponseMemory()
        """Each request's last answer this session (the response area shows the open request's)."""
        self.last_captured: list[tuple[str, str]] = []
        """What the last send captured: (name, value as it may be shown)."""
        self._variables: Variables | None = None
        self.override_secrets: set[str] = set()
        """Names among the overrides that replaced a secret (masked like one)."""
        self.secrets = PromptedSecrets(_ask_first)
        """Secrets typed in this session's prompts (the UI asks when `secrets.needs_prompt(profile)`)."""
        self.history = HistoryLog(self.settings.history)
        """Every send is recorded here (on a background thread; sqlite3 is imported on the first write)."""
        self._client: Client | None = None

    @property
    def profile(self) -> Profile:
        """The active profile."""
        return self.profiles.get(self.active)

    def switch(self, name: str) -> Profile:
        """Make another profile active.

        Raises:
            ProfileError: no such profile.
        """
        self.active = self.profiles.get(name).name
        return self.profile

    # --- variables ---------------------------------------------------------------------------------

    @property
    def variables(self) -> Variables:
        """The session's variables: captured values and overrides (created on first use; imports the runner).

        A collection run continues it (`Runner(session=...)`), so what a run captures is kept here.
        """
        if self._variables is None:
            from twibench.runner import Session as Variables

            self._variables = Variables(self.profile)
        return self._variables

    @property
    def captured(self) -> dict[str, str]:
        """Values captured from responses this session (`capture:`/`capture_secret:`), by name."""
        if self._variables is None:
            return {}
        return {name: item.value for name, item in self._variables.captured.items()}

    @property
    def captured_secrets(self) -> set[str]:
        """Names among `captured` that came from `capture_secret:` (never shown)."""
        if self._variables is None:
            return set()
        return {name for name, item in self._variables.captured.items() if item.secret}

    @property
    def overrides(self) -> dict[str, str]:
        """Values set in the Variables view: they win over every other source, like `--var`."""
        return {} if self._variables is None else dict(self._variables.overrides)

    def inbox_service(self) -> InboxService:
        """A callbacks inbox checking signatures with the active profile's Auth Token (the Inbox tab's)."""
        from twibench.workbench.inbox_service import for_profile

        return for_profile(self.profile, self.profiles)

    def values(self, entry: RequestEntry, profile: Profile | None = None) -> dict[str, str]:
        """The variables a request sees (DESIGN §2): collection < profile < captured < edited this session."""
        builtins = (profile or self.profile).builtin_variables()
        return variables.merge(entry.owner.collection.variables, builtins, self.captured, self.overrides)

    def secret_values(self) -> list[str]:
        """Captured and edited secrets (masked wherever shown or recorded)."""
        if self._variables is None:
            return []
        overrides = self._variables.overrides
        edited = [overrides[name] for name in self.override_secrets if name in overrides]
        return [*self._variables.secret_values, *edited]

    def variable_entries(self, collection: Collection | None) -> list[VariableEntry]:
        """Every variable a request of `collection` sees, by name, each from the source that wins.

        Overrides read as edited in this session (not `--var`), and an override that replaced a secret
        stays secret.
        """
        import dataclasses

        shared = self.variables
        shared.profile = self.profile  # a run leaves its own profile there
        shown: list[VariableEntry] = []
        for entry in shared.entries(collection):
            if entry.source == "override":
                entry = dataclasses.replace(entry, origin=EDITED_ORIGIN, secret=entry.name in self.override_secrets)
            shown.append(entry)
        return shown

    def set_override(self, name: str, value: str, *, secret: bool) -> None:
        """Give `name` a value that wins over every other source for later sends and runs."""
        self.variables.overrides[name] = value
        if secret:
            self.override_secrets.add(name)
        else:
            self.override_secrets.discard(name)

    def drop_override(self, name: str) -> bool:
        """Forget an edited value (the next source shows through again); False when there was none."""
        self.override_secrets.discard(name)
        return self.variables.overrides.pop(name, None) is not None

    def for_run(self, profile: Profile) -> Variables:
        """The variables a collection run continues with `profile` (its captures stay in this session)."""
        shared = self.variables
        shared.profile = profile
        return shared

    # --- sending -------------------------------------------------------------------------------------

    def redactor(self) -> Redactor:
        """Masks every profile secret known without asking, and every captured secret."""
        return Redactor(
            credentials=profiles_mod.known_secrets(self.profiles, prompt=self.secrets),
            secrets=self.secret_values(),
        )

    def known_secrets(self) -> list[str]:
        """The secrets of every profile that are known without asking (masked wherever shown)."""
        return [secret for _user, secret in profiles_mod.known_secrets(self.profiles, prompt=self.secrets)]

    def capture(self, entry: RequestEntry, exchange: Exchange) -> list[tuple[str, str]]:
        """Apply the request's `capture`/`capture_secret` to a successful answer and keep the values.

        Returns:
            (name, shown value) per captured variable; a secret's value is shown masked.
        """
        request = entry.request
        response = exchange.response
        if response is None or response.status >= 400 or not (request.capture or request.capture_secret):
            return []
        from twibench.redact import shown
        from twibench.runner.capture import capture_values  # JSONPath is loaded with the first capture
        from twibench.runner.expressions import Body

        source = f"{entry.owner.path.name}#{request.id}"
        found, _missing = capture_values(Body(exchange), request.capture, request.capture_secret, source)
        self.variables.remember(found)
        return [(item.name, shown(item.value, secret=item.secret)) for item in found]

    def check_sendable(self, entry: RequestEntry, profile: Profile | None = None) -> None:
        """Refuse what must not be sent with this profile (default: the active one).

        Raises:
            TwibenchError: a sandbox-only collection with a live profile, or a JSON body that does not parse.
        """
        refuse_sandbox_only(entry.owner.collection, profile or self.profile)
        if entry.body_error:
            raise TwibenchError(f"the JSON body is not valid ({entry.body_error}); fix it in the Body tab")

    def client(self) -> Client:
        """The session's client (created on the first send; single sends and runs share its pools)."""
        if self._client is None:
            from twibench.client import Client  # httpx is imported here, on the first send

            self._client = Client(transport=self.transport)
        return self._client

    async def send(self, entry: RequestEntry, profile: Profile | None = None) -> Exchange:
        """Send the request as it is now (draft included), apply its captures, and record it in history.

        Args:
            entry: the request.
            profile: send with this profile instead of the active one (a history re-send).

        Raises:
            TwibenchError: before anything is sent (unknown variable, missing secret, refused host…).
        """
        exchange = await self._dispatch(entry, entry.request, profile or self.profile)
        self.last_exchange = exchange
        self.responses.remember(entry, exchange)
        self.last_captured = self.capture(entry, exchange)
        self.record(entry, exchange)
        return exchange

    async def send_page(self, entry: RequestEntry, request: Request, profile: Profile) -> Exchange:
        """Send the next page of `entry`'s list (`request`: a GET of the link Twilio gave) the way `send`
        sends: the same variables, prompted secret and guarded names (Fetch all pages; not recorded here)."""
        return await self._dispatch(entry, request, profile)

    async def _dispatch(self, entry: RequestEntry, request: Request, profile: Profile) -> Exchange:
        """The one way this session sends: its policy checks, variables, secret sources and guarded names."""
        self.check_sendable(entry, profile)
        values = self.values(entry, profile)
        await self.obtain_secret(profile, request.auth.mode == "profile")
        return await self.client().send(
            request,
            profile,
            values,
            collection=entry.owner.collection.name,
            secret_names=[*self.captured_secrets, *self.override_secrets],
            prompt=self.secrets,
        )

    def record(self, entry: RequestEntry, exchange: Exchange) -> None:
        """Record an exchange of `entry` in history (on the writer thread)."""
        owner = entry.owner
        self.history.submit(exchange, self.redactor(), collection_file=None if owner.scratch else owner.path)

    async def obtain_secret(self, profile: Profile, needed: bool = True) -> None:
        """Read a `{keyring: …}` or `{command: […]}` secret on a worker thread, once per session.

        A password manager may take seconds (an unlock): the UI's event loop never waits for it. A
        `{prompt: true}` secret is the UI's to ask (`secrets.needs_prompt`); literals and env are at hand.

        Raises:
            ProfileError: the keyring or command gave no usable secret.
        """
        ref = profile.secret
        if needed and (ref.keyring is not None or ref.command is not None) and self.secrets.typed(profile) is None:
            import asyncio

            await asyncio.to_thread(profiles_mod.resolve_secret, profile, self.secrets)

    async def aclose(self) -> None:
        """Close pooled connections, and the history once its last writes are done."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        await self.history.aclose()


def url_preview(entry: RequestEntry, profile: Profile, values: Mapping[str, str]) -> tuple[Text, list[str]]:
    """The URL the request will go to, variables resolved, and the names no source defines.

    The sandbox's address is not known before it starts, so sandbox URLs show `sandbox:` and the path.
    """
    request = entry.request
    template = request.url.strip()
    unknown: list[str] = []
    text = Text("→ ", style="dim")
    if template.startswith("/"):
        base = "sandbox:" if profile.base_url_provider is not None else profile.static_base()
        text.append(base, style="dim")
    position = 0
    for span in variables.references(template):
        text.append(template[position : span.start].replace("{{{{", "{{"))
        if span.name in values:
            text.append(values[span.name], style="cyan")
        else:
            text.append("{{" + span.name + "}}", style="bold red reverse")
            if span.name not in unknown:
                unknown.append(span.name)
        position = span.end
    text.append(template[position:].replace("{{{{", "{{"))
    for index, (key, value) in enumerate(request.params):
        text.append("?" if index == 0 and "?" not in template else "&", style="dim")
        for name in variables.names(value) + variables.names(key):
            if name not in values and name not in unknown:
                unknown.append(name)
        try:  # encoded as the client sends it (`+1555` goes out as `%2B1555`)
            sent_key, sent_value = urlencode([(variables.render(key, values), variables.render(value, values))]).split(
                "=", 1
            )
        except TwibenchError:
            text.append(f"{key}=", style="dim")
            text.append(value, style="red")
        else:
            text.append(f"{sent_key}=", style="dim")
            text.append(sent_value, style="dim")
    for pairs in (request.form or [], request.headers):
        for key, value in pairs:
            for name in variables.names(key) + variables.names(value):
                if name not in values and name not in unknown:
                    unknown.append(name)
    if unknown:
        text.append("   unknown: ", style="bold red")
        text.append(", ".join(unknown), style="bold red")
    return text, unknown
