"""The response area: the status line at once, and the tabs (`ResponseTabs`) right after the first frame.

The status line says what happened; the tabs hold the Body (BodyViewer), Headers, the Request as sent
(redacted) and Timing. They and the body viewer are imported and mounted just after start-up paints.

The view also owns the request in flight: `send` runs it in the exclusive worker of group "send"
(asking for a prompted secret first), shows the answer or the problem, and posts `Answered` when the
answer captured variables; `cancel_send` (escape) cancels it. "Fetch all pages" (`}`) follows the shown
list's next pages in that same worker (`workbench.all_pages`), with a running count; escape keeps what
was fetched. "Diff with previous response" compares the shown response (`flows.history`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from twibench.errors import TwibenchError
from twibench.tui.widgets.blank import BlankContainer, Row
from twibench.tui.widgets.status_line import StatusLine
from twibench.variables import UnknownVariableError

if TYPE_CHECKING:
    from rich.text import Text

    from twibench.exchange import Exchange
    from twibench.history import Entry
    from twibench.profiles import Profile
    from twibench.redact import Redactor
    from twibench.runner import RequestResult
    from twibench.tui.flows.outcome import Outcome
    from twibench.tui.widgets.response_tabs import ResponseTabs
    from twibench.workbench.all_pages import PageWalk
    from twibench.workbench.session import Session
    from twibench.workbench.workspace import RequestEntry


@runtime_checkable
class ResponseHost(Protocol):
    """The screen around the view (the main screen): the session and the open request."""

    session: Session
    current: RequestEntry | None
    show_timings: bool


class ResponseView(Vertical, BlankContainer):
    """Status line and response tabs."""

    HELP_TITLE: ClassVar[str] = "Response"

    HELP: ClassVar[str] = (
        "The answer to the last request. **Body** is pretty-printed by content type (JSON, XML, CSV, "
        "form, text, binary as hex): `/` searches, `n`/`N` jump between matches, **enter** on a line "
        "with a `uri` opens it as a new request and sends it, `]` opens `next_page_uri`. **Headers** "
        "lists the response headers, **Request** the request exactly as it was sent (secrets masked), "
        "**Timing** where the time went. `}` (or the palette's *Fetch all pages*) follows a list's "
        "next pages and shows them merged into one document, with a running count; **escape** stops and "
        "keeps what was fetched. The palette's *Diff with previous response* compares the shown response "
        "with the previous response of the same request."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "right_curly_bracket",
            "fetch_all_pages",
            "All pages",
            id="response.fetch_all_pages",
            tooltip="Fetch every next page of the list shown and show them merged (escape stops)",
        ),
    ]

    class Answered(Message):
        """A send was answered and captured variables (the URL preview may change)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Response"
        self._send_worker: Worker[None] | None = None
        self._tabs: ResponseTabs | None = None
        self._pending: tuple[Exchange, Redactor, Sequence[str], bool] | None = None
        self._shown = False
        self._banner_text: Text | None = None
        self.shown_exchange: Exchange | None = None
        """The exchange in the tabs (live, a run result or a history entry)."""
        self.recorded_entry_id: int | None = None
        """The history entry shown, when one is."""
        self._walk: PageWalk | None = None
        self._entry: RequestEntry | None = None
        """The request whose answers this view shows (the open one, or the one just sent)."""
        self._exchange: Exchange | None = None
        """The live exchange on screen (None for a recorded one or none)."""
        self._sending: RequestEntry | None = None
        """The request in flight, if any."""

    def compose(self) -> ComposeResult:
        """The status row; the tabs follow (and the banner above it, the first time one is shown)."""
        with Row(id="status-row"):
            yield StatusLine(id="status-line")

    def on_mount(self) -> None:
        """Build the tabs once the first frame is out."""
        self.call_after_refresh(self._build)

    async def _build(self) -> None:
        from twibench.tui.widgets.response_tabs import ResponseTabs

        if not self.is_attached:  # the app quit before its first refresh: nothing to build
            return
        tabs = ResponseTabs()
        await self.mount(tabs)
        self._tabs = tabs
        if self._pending is not None:
            tabs.show(*self._pending)
            self._pending = None

    @property
    def status_line(self) -> StatusLine:
        """The status line widget."""
        return self.query_one(StatusLine)

    def busy(self, what: str) -> None:
        """Show the spinner (created on the first send) and what is being sent."""
        spinners = self.query("#spinner")
        if spinners:
            spinners.first().display = True
        else:
            from twibench.tui.widgets.response_signs import Spinner  # the first send's (not the first frame's)

            self.query_one("#status-row").mount(Spinner(id="spinner"), before=0)
        self._banner(None)
        self.status_line.sending(what)

    def done(self) -> None:
        """Hide the spinner."""
        for spinner in self.query("#spinner"):
            spinner.display = False

    def cancelled(self) -> None:
        """The request in flight was cancelled."""
        self.done()
        self.status_line.cancelled()

    def problem(self, message: str, title: str = "Not sent") -> None:
        """A problem before sending; the previous response stays below, marked stale by the banner."""
        self.done()
        self.status_line.problem(message, title)
        if self._shown and self.banner is None:
            from rich.text import Text

            self._banner(Text("Stale: the response below is from an earlier send; this one was not sent.", "bold"))

    @property
    def banner(self) -> str | None:
        """The banner's text while a recorded exchange (history, a run result) is shown; None when live."""
        return self._banner_text.plain if self._banner_text is not None else None

    def _banner(self, text: Text | None) -> None:
        self._banner_text = text
        found = self.query("#response-banner")
        if found:
            widget = found.first(Static)
            widget.display = text is not None
            widget.update(text or "")
        elif text is not None:
            from twibench.tui.widgets.response_signs import Banner  # the first banner's (not the first frame's)

            self.mount(Banner(text, id="response-banner", markup=False), before=0)

    def show(
        self,
        exchange: Exchange,
        redactor: Redactor,
        *,
        secrets: Sequence[str] = (),
        show_timings: bool = True,
        banner: Text | None = None,
    ) -> None:
        """Show an exchange in every tab.

        Args:
            exchange: what was sent and what came back.
            redactor: masks the request as sent (Request tab).
            secrets: profile secrets to mask in the body too (an account fetch returns its Auth Token); a
                secret the profiles do not know, such as a new API key's, is shown this once.
            show_timings: False shows "— ms".
            banner: a line above the status saying this is not the live answer (history, a run result).
        """
        self.done()
        self._banner(banner)
        self._shown = True
        self.shown_exchange, self.recorded_entry_id = exchange, None
        self._exchange = exchange if banner is None else None
        self.status_line.exchange(exchange, show_timings=show_timings)
        if self._tabs is not None:
            self._tabs.show(exchange, redactor, secrets, show_timings)
        else:
            self._pending = (exchange, redactor, secrets, show_timings)

    def focus_body(self) -> None:
        """Put the cursor in the body viewer."""
        if self._tabs is not None:
            self._tabs.focus_body()

    def reset(self) -> None:
        """Back to "no response yet": no banner, empty tabs."""
        self.done()
        self._banner(None)
        self._pending = None
        self._shown = False
        self._exchange = self.shown_exchange = self.recorded_entry_id = None
        self.status_line.idle()
        if self._tabs is not None:
            self._tabs.clear()

    # --- recorded exchanges ---------------------------------------------------------------------------

    def show_recorded(self, entry: Entry, session: Session, *, show_timings: bool) -> None:
        """A history entry, read-only, under a banner that says so."""
        from twibench.redact import StoredRedactor
        from twibench.workbench.history_log import banner_text

        self.show(
            entry.to_exchange(),
            StoredRedactor(secrets=session.secret_values()),
            secrets=session.known_secrets(),
            show_timings=show_timings,
            banner=banner_text(entry, show_times=show_timings),
        )
        self.recorded_entry_id = entry.id

    def show_run_result(
        self, result: RequestResult, run_id: str | None, session: Session, *, show_timings: bool
    ) -> None:
        """A run result's exchange, read-only, under a banner that says so."""
        from twibench.tui.widgets.run_panel import result_banner

        if result.exchange is not None:
            self.show(
                result.exchange,
                session.redactor(),
                secrets=[*session.known_secrets(), *session.secret_values()],
                show_timings=show_timings,
                banner=result_banner(result, run_id, show_timings=show_timings),
            )

    # --- the live answer, and the request in flight ---------------------------------------------------

    def show_live(self, session: Session, entry: RequestEntry | None, *, show_timings: bool) -> None:
        """Show `entry`'s last answer this session, or "not sent yet" (a recorded exchange gives way to it).

        Nothing is redrawn when that answer is on screen already. With no request open, the session's
        last answer is shown, as before requests kept their own.
        """
        last = session.responses.get(entry) if entry is not None else None
        exchange = last.exchange if last is not None else (session.last_exchange if entry is None else None)
        if self.banner is None and entry is self._entry and exchange is self._exchange:
            self._title(entry, session, show_timings)
            return
        self._entry = entry
        if exchange is None:
            self.reset()
            if entry is not None:
                self.status_line.not_sent(entry.request.name)
        else:
            self.show(exchange, session.redactor(), secrets=session.known_secrets(), show_timings=show_timings)
        self._title(entry, session, show_timings)
        if entry is not None and entry is self._sending and self.cancel_send(dry_run=True):
            self.busy(f"{entry.request.method} {entry.request.url}")

    def _title(self, entry: RequestEntry | None, session: Session, show_timings: bool) -> None:
        """`Response · Send an SMS · sent 12:00:03`: whose answer is shown (border, so it costs no line)."""
        last = session.responses.get(entry) if entry is not None else None
        if entry is None:
            self.border_title = "Response"
        elif last is None:
            self.border_title = f"Response · {entry.request.name} · not sent yet"
        else:
            owner = last.title(entry, show_times=show_timings)
            self.border_title = f"Response · {owner}"
            if self.banner is None and last.exchange is self._exchange:  # named on the status line too
                self.status_line.exchange(last.exchange, show_timings=show_timings, owner=owner)

    def send(self, session: Session, entry: RequestEntry, profile: Profile | None, *, show_timings: bool) -> None:
        """Send `entry` with `profile` (default: the active one) in the exclusive "send" worker."""
        self.show_live(session, entry, show_timings=show_timings)
        self._sending = entry
        request = entry.request
        self.busy(f"{request.method} {request.url}")
        self._send_worker = self.run_worker(
            self._send(session, entry, profile, show_timings),
            name="send",
            group="send",
            exclusive=True,
            exit_on_error=False,
        )

    def cancel_send(self, *, dry_run: bool = False) -> bool:
        """Cancel the request in flight (`dry_run`: only say whether there is one); False when there is none."""
        worker = self._send_worker
        if worker is not None and worker.state in (WorkerState.PENDING, WorkerState.RUNNING):
            if not dry_run:
                worker.cancel()
            return True
        return False

    async def _send(self, session: Session, entry: RequestEntry, profile: Profile | None, show_timings: bool) -> None:
        profile = profile or session.profile
        await self._ask_secret(session, profile)
        exchange = await session.send(entry, profile)
        if self._send_worker is not None and self._send_worker.is_cancelled:
            return
        self._sending = None
        if entry is not self._entry:  # another request was opened meanwhile: its answer stays on screen
            status = exchange.response.status if exchange.response is not None else "no answer"
            self.notify(f"'{entry.request.name}' answered {status}; open it to see the response.", timeout=4)
        else:
            self.show(exchange, session.redactor(), secrets=session.known_secrets(), show_timings=show_timings)
            self._title(entry, session, show_timings)
        captured = session.last_captured
        if captured:
            names = ", ".join(f"{{{{{name}}}}} = {value}" for name, value in captured)
            self.notify(f"Captured {names} for the requests that follow.", title="Captured")
            self.post_message(self.Answered())

    # --- the palette's response commands -------------------------------------------------------------

    def _host(self) -> ResponseHost:
        host = self.screen
        if not isinstance(host, ResponseHost):
            raise TwibenchError("this command works on the workbench screen")
        return host

    def action_fetch_all_pages(self) -> None:
        """Follow the shown list's next pages in the "send" worker (escape cancels, keeping what came)."""
        from twibench.workbench.all_pages import PageWalk, first_page

        host = self._host()
        entry, exchange = host.current, self.shown_exchange
        try:
            first_page(exchange)
            if entry is None or exchange is None or exchange.request_id != entry.request.id:
                raise TwibenchError("open the list request this response came from, then fetch all pages")
        except TwibenchError as exc:
            self.notify(str(exc), title="Fetch all pages", severity="warning")
            return
        profile = host.session.profiles.profiles.get(exchange.profile, host.session.profile)
        self._walk = walk = PageWalk(first=exchange, entry=entry, profile=profile)
        self.busy(f"all pages of {entry.request.name}")
        self._send_worker = self.run_worker(
            self._fetch_all(host.session, walk, host.show_timings),
            name="all-pages",
            group="send",
            exclusive=True,
            exit_on_error=False,
        )

    async def _fetch_all(self, session: Session, walk: PageWalk, show_timings: bool) -> None:
        from twibench.workbench.all_pages import progress_text

        await self._ask_secret(session, walk.profile)
        title = walk.entry.request.name
        answer = await walk.run(
            session, lambda pages: self.status_line.sending(f"all pages of {title}: {progress_text(pages)}")
        )
        self._show_walk(session, walk, answer, show_timings)
        self.notify(walk.summary(), title="Fetch all pages", severity="warning" if walk.stopped else "information")

    def _show_walk(self, session: Session, walk: PageWalk, answer: Exchange, show_timings: bool) -> None:
        session.last_exchange = answer
        session.responses.remember(walk.entry, answer)  # the merged list is that request's answer now
        self.show(answer, session.redactor(), secrets=session.known_secrets(), show_timings=show_timings)

    def action_body(self, action: str) -> None:
        """A body viewer command from the palette (filter, copy, wrap): show the Body tab and run it there."""
        from twibench.tui.widgets.body import BodyViewer

        viewers = self.query(BodyViewer)
        if not viewers:
            self.notify("There is no response body yet: send a request first.", severity="warning")
            return
        viewer = viewers.first()
        self.focus_body()
        if action == "toggle_wrap":
            action = f"wrap({not viewer.wrapped})"
        self.call_after_refresh(viewer.run_action, action)

    def action_diff_previous(self) -> None:
        """Compare the shown response with the previous response of the same request, in a dialog."""
        from twibench.tui.flows import history

        session = self._host().session
        if self.recorded_entry_id is not None:
            flow = history.diff(self.app, session, self.recorded_entry_id)
        elif self.shown_exchange is not None:
            flow = history.diff_exchange(self.app, session, self.shown_exchange)
        else:
            self.notify("There is no response to compare yet; send a request first.", title="Nothing to compare")
            return
        self.run_worker(self._notes(flow), group="diff", exit_on_error=False)

    async def _notes(self, flow: Awaitable[Outcome]) -> None:
        for note in (await flow).notes:
            self.notify(note.text, title=note.title, severity=note.severity, timeout=note.timeout)

    async def _ask_secret(self, session: Session, profile: Profile) -> None:
        """Ask for a `{prompt: true}` secret in a modal before sending (once per session)."""
        if session.secrets.needs_prompt(profile):
            from twibench.tui.dialogs.prompts import SecretPrompt  # dialogs load when first needed

            secret = await self.app.push_screen_wait(SecretPrompt(profile.name, profile.kind_label, profile.masked_sid))
            if not secret:
                raise TwibenchError(f"no secret was entered for profile '{profile.name}'; nothing was sent")
            session.secrets.remember(profile, secret)

    @on(Worker.StateChanged)
    def _send_state(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "send":
            return
        event.stop()
        if worker is not self._send_worker:
            return  # superseded by a newer send (exclusive): the newer one reports
        walk = self._walk if worker.name == "all-pages" else None
        if event.state == WorkerState.CANCELLED and walk is not None:
            host = self._host()
            self._show_walk(host.session, walk, walk.answer(), host.show_timings)
            self.notify(walk.summary(cancelled=True), title="Fetch all pages", severity="warning")
        elif event.state == WorkerState.CANCELLED:
            self.cancelled()
        elif event.state == WorkerState.ERROR:
            error = worker.error
            if isinstance(error, UnknownVariableError):  # the CLI says --var; here the variables editor is f3
                self.problem(f"unknown variable '{error.name}' in {error.where}; press f3, then a, to give it a value")
            else:
                self.problem(str(error) if isinstance(error, TwibenchError) else f"unexpected error: {error!r}")
