"""What every wizard step has in common: layout, journey guidance, safe I/O, errors with Retry.

Steps read through `run_io` (one exclusive worker per group: the newest read wins) and change the
instance through `run_write` (runs to its end, one at a time, never cancelled by a read). Either
turns a failure into a visible message with its fix and a Retry that repeats exactly the failed
action — asking its confirmation again — and nothing else; `Worker.StateChanged` is the safety net.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, Footer, Header, Input, LoadingIndicator, Static
from textual.worker import Worker, WorkerState

from screens.foreign_text import one_line, shown
from screens.widgets.error_panel import ErrorPanel
from screens.widgets.step_sidebar import StepSidebar
from screens.words import localise_bindings, say

if TYPE_CHECKING:
    from assistant.client import SteepleClient
    from assistant.journey import StepId, StepState
    from screens.app import ProvisioningAssistant

IoAction = Callable[[], Awaitable[None]]
Retry = Callable[[], object]
"""What Retry does for one failure: run the read again, or ask a write's confirmation again."""

READ = "read"
WRITE = "write"


def describe_failure(error: BaseException, lang: str = "en") -> tuple[str, str]:
    """Message and fix for any failure; core errors carry both, anything else gets a safe summary.

    The exception text of foreign errors is not shown: it might quote a request with a secret.
    """
    from assistant.i18n import t
    from screens.graph_failures import graph_failure

    graph = graph_failure(error, lang)
    if graph is not None:  # Microsoft Graph's failures, worded in the admin's language
        return graph
    localised = getattr(error, "text", None)
    if callable(localised):  # a core error: its own sentence, in the admin's language
        message, fix = localised(lang)
        if message:
            return message, fix
    message = getattr(error, "message", None)
    fix = getattr(error, "fix", None)
    if isinstance(message, str) and message:
        return message, fix if isinstance(fix, str) else ""
    return (
        t("common.unexpected", lang, name=type(error).__name__),
        t("common.unexpected.fix", lang),
    )


class BulkWriteStopped(Exception):
    """A bulk write stopped on a failure: says how many of how many changes were applied.

    Carries `message` and `fix` like the core's errors, so `describe_failure` shows it as is.
    """

    def __init__(
        self, applied: int, total: int, what: str, error: BaseException, lang: str = "en"
    ) -> None:
        from assistant.i18n import t

        reason, fix = describe_failure(error, lang)
        self.applied, self.total = applied, total
        self.message = t(
            "common.bulk_stopped", lang, applied=applied, total=total, what=what, reason=reason
        )
        self.fix = fix
        super().__init__(self.message)


class StepScreen(Screen[None]):
    """Base of every step: header, step sidebar, guidance, the step's body, error panel, footer."""

    STEP_ID: ClassVar[StepId | None] = None
    """The journey step this screen shows (None for Connect / Done / Removal)."""
    HEADING: ClassVar[str] = ""
    """Catalogue key of the title of a screen that is not a journey step (Connect, Done…)."""
    SHOW_GUIDANCE: ClassVar[bool] = True
    """Steps that list the exact clicks themselves skip the journey's summary of them."""

    BINDINGS = [
        Binding("r", "retry", "key.retry"),
        Binding("n", "continue", "key.continue"),
    ]

    WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset()
    """Binding actions that start a write: greyed out while one runs."""

    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self)
        self._retry: Retry | None = None
        self._error_kind = READ
        self.writing = False
        """True while a write runs; its controls are disabled meanwhile."""
        self._disabled_for_write: list[Widget] = []
        self._focus_before_write: Widget | None = None
        self._focus_after_write: Widget | None = None
        self._focus_set_in_write = False
        self._disabling = False
        self._io_running = 0
        self.failed_read: IoAction | None = None
        """The read whose failure is on screen, if a read's is (polling steps redo their load)."""
        self.completed_io = 0
        self.last_read_ok = 0.0
        """`time.monotonic()` when a read last succeeded: a poll sent before it is stale."""
        """How many I/O actions have finished (either way): tests wait on it, not on sleeps."""

    @property
    def assistant(self) -> ProvisioningAssistant:
        return self.app  # type: ignore[return-value]

    @property
    def client(self) -> SteepleClient:
        """The instance's client: a step is shown only once the app is connected."""
        return self.assistant.connected_client

    @property
    def step_state(self) -> StepState | None:
        journey = self.assistant.journey
        if journey is None or self.STEP_ID is None:
            return None
        return journey.step(self.STEP_ID)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="layout"):
            yield StepSidebar(self.assistant.journey, self.STEP_ID)
            with VerticalScroll(id="body"):
                state = self.step_state
                heading = say(self, self.HEADING) if self.HEADING else ""
                title = heading or (f"{state.number}. {state.title}" if state else "")
                yield Static(shown(title), id="step-title")
                yield ErrorPanel(id="errors")
                if state is not None and state.guidance and self.SHOW_GUIDANCE:
                    yield Static(shown(state.guidance), id="guidance")
                yield Static("", id="blockers")
                yield from self.compose_body()
                yield LoadingIndicator(id="busy")
        yield Footer(compact=True)  # 80 columns hold the step's keys and ^q Quit

    def compose_body(self) -> ComposeResult:
        """The step's own widgets; the base has none."""
        yield from ()

    LOADS: ClassVar[bool] = True
    """Whether the step fetches its own data when shown."""

    def on_mount(self) -> None:
        """The only `on_mount` of the steps (Textual calls every class's): steps use `setup`."""
        self.query_one("#busy", LoadingIndicator).display = False
        self.show_blockers()
        self.setup()
        if self.LOADS:
            self.run_io(self.load)

    def setup(self) -> None:
        """Synchronous preparation once composed (show/hide sandbox-only widgets...)."""

    def show_blockers(self) -> None:
        """The step's blockers as the journey last derived them: none shown when none hold."""
        state = self.step_state
        blockers = list(state.blockers) if state is not None else []
        widget = self.query_one("#blockers", Static)
        widget.update(shown("\n".join(f"✗ {one_line(b)}" for b in blockers)))
        widget.display = bool(blockers)

    async def rederive_lines(self) -> None:
        """Load the journey again and redraw what it says: the blockers and the sidebar.

        A polling step calls it when the instance changed, so a ✗ derived at mount never stays
        above the ✓ the step's own line now shows.
        """
        from assistant.journey import load_journey

        app = self.assistant
        app.journey = await load_journey(self.client, lang=app.lang, entra=app.entra_side)
        self.show_blockers()
        sidebar = self.query_one(StepSidebar)
        sidebar.journey = app.journey
        await sidebar.recompose()

    @property
    def is_ready(self) -> bool:
        """True once composed, so errors can be shown in it."""
        return bool(self.query(ErrorPanel))

    async def load(self) -> None:
        """Fetch what the screen shows; steps override. Runs in a worker via `run_io`."""

    # --- I/O ---------------------------------------------------------------------------------

    def run_io(
        self,
        action: IoAction,
        retry: Retry | None = None,
        *,
        group: str = "load",
        quiet: bool = False,
        busy: bool = True,
    ) -> None:
        """Run the read `action` in the exclusive worker of `group`: a newer read there wins.

        Reads never touch the "write" group, so a search keystroke cannot cancel a change.
        `retry` is what Retry does if it fails (by default: the same read again). A `quiet`
        read (one the admin did not ask for) never moves focus when it fails. `busy=False`
        leaves the busy indicator alone: showing and hiding it re-lays out the whole screen,
        too slow for a read per keystroke whose answer is on screen in a few milliseconds.
        """
        again = retry or partial(self.run_io, action, group=group, busy=busy)
        work = self._guarded(action, again, READ, move_focus=not quiet, busy=busy)
        self.run_worker(work, group=group, exclusive=True, exit_on_error=False)

    def run_write(self, action: IoAction, retry: Retry | None = None) -> None:
        """Run the instance-changing `action` to its end: no read, search or poll cancels it.

        One write at a time: while it runs, the step's buttons and `WRITE_ACTIONS` are disabled.
        `retry` is what Retry does if it fails — for a confirmed write, asking again.
        """
        if self.writing:
            self.notify(say(self, "common.wait_write"), severity="warning")
            return
        self._begin_write()
        again = retry or partial(self.run_write, action)
        work = self._guarded(action, again, WRITE)
        self.run_worker(work, group="write", exclusive=False, exit_on_error=False)

    async def _guarded(
        self,
        action: IoAction,
        retry: Retry,
        kind: str,
        move_focus: bool = True,
        busy: bool = True,
    ) -> None:
        indicator = self.query_one("#busy", LoadingIndicator)
        counted = 1 if busy or kind == WRITE else 0  # a write always shows it
        self._io_running += counted
        if counted:
            indicator.display = True
        try:
            await action()
        except Exception as error:  # every failure becomes a message, never a traceback
            self.show_error(
                *describe_failure(error, self.assistant.lang),
                retry=retry,
                kind=kind,
                move_focus=move_focus,
            )
            self.failed_read = action if kind == READ else None
        else:
            if kind == READ:
                self.last_read_ok = time.monotonic()
            self.clear_error(kind)
            if kind == WRITE and self.is_attached and self.assistant.client is not None:
                # what the change did is re-derived, so no line from before it stays on screen
                self.run_io(self.rederive_lines, group="lines", quiet=True)
        finally:
            self._io_running -= counted
            if counted:
                indicator.display = self._io_running > 0  # a read and a write may overlap
            if kind == WRITE:
                self._end_write()
        self.completed_io += 1  # not reached when cancelled by a newer read

    def _begin_write(self) -> None:
        self.writing = True
        self._focus_before_write = self.focused
        self._focus_after_write = None
        self._focus_set_in_write = False
        self._disabled_for_write = [
            button for button in self.query("#body Button") if not button.disabled
        ]
        self._disabling = True  # disabling the focused button moves focus: not the step's doing
        for button in self._disabled_for_write:
            if button.id != "retry":
                button.disabled = True
        self._disabling = False
        self.refresh_bindings()

    def _end_write(self) -> None:
        """Enable the controls again and put focus where the step asked (or where it was)."""
        self.writing = False
        for button in self._disabled_for_write:
            button.disabled = False
        self._disabled_for_write = []
        wanted = self._focus_after_write
        if wanted is None and not self._focus_set_in_write:
            wanted = self._focus_before_write
        if wanted is not None and wanted.is_attached and wanted.display and wanted.focusable:
            self.set_focus(wanted)
        self.refresh_bindings()

    def set_focus(
        self, widget: Widget | None, scroll_visible: bool = True, from_app_focus: bool = False
    ) -> None:
        """While a write runs, focus asked for a control it disabled waits for its end."""
        if self.writing and not self._disabling:
            self._focus_set_in_write = True
            if widget is not None and widget in self._disabled_for_write:
                self._focus_after_write = widget
                return
        super().set_focus(widget, scroll_visible, from_app_focus)

    def show_error(
        self,
        message: str,
        fix: str = "",
        *,
        retry: Retry | None = None,
        kind: str = READ,
        move_focus: bool = True,
    ) -> None:
        """Show a failure; `retry` (if any) is what `r` and the Retry button will do, once.

        Focus moves to Retry only when asked and never out of an input the admin is typing in,
        so their next keystrokes cannot fire a shortcut.
        """
        if not self.is_ready:  # failed before the screen was composed: show it right after
            self.call_after_refresh(
                partial(self.show_error, retry=retry, kind=kind, move_focus=move_focus),
                message,
                fix,
            )
            return
        self._retry = retry
        self._error_kind = kind
        self.failed_read = None
        panel = self.query_one(ErrorPanel)
        panel.set_retryable(retry is not None)
        panel.show_error(message, fix)
        self.refresh_bindings()
        if move_focus and retry is not None and not isinstance(self.focused, Input):
            self.query_one("#retry").focus()

    def clear_error(self, kind: str | None = None) -> None:
        """Hide the error if it is of `kind` (a read's success does not hide a write's failure)."""
        if not self.is_ready or (kind is not None and kind != self._error_kind):
            return
        panel = self.query_one(ErrorPanel)
        if not panel.is_shown:
            return
        retry_had_focus = self.focused is not None and self.focused.id == "retry"
        panel.clear()
        self._retry = None
        self.failed_read = None
        self.refresh_bindings()
        if retry_had_focus:
            self.focus_next()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Safety net: a worker that died outside `run_io`'s guard still ends as a message."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.show_error(*describe_failure(event.worker.error, self.assistant.lang))

    @on(ErrorPanel.RetryRequested)
    def _retry_requested(self) -> None:
        self.action_retry()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`r` exists only while a failure can be retried; writes wait for the running one."""
        if action == "retry":
            return self._retry is not None
        if self.writing and (action in self.WRITE_ACTIONS or action == "continue"):
            return None  # shown, greyed out: it comes back when the write ends
        return True

    def action_retry(self) -> None:
        """Run the failed action again, once: a completed action is never replayed."""
        retry, self._retry = self._retry, None
        self.refresh_bindings()
        if retry is not None:
            retry()

    def action_continue(self) -> None:
        """Re-load the journey and land on whatever step is now current, or say why not."""
        self.assistant.advance(continuing_from=self.STEP_ID)

    @on(Button.Pressed, "#continue")
    def _continue_pressed(self) -> None:
        """Every step's Continue (or Back) button does what `n` does, whatever it overrides."""
        self.action_continue()

    # --- confirmations -----------------------------------------------------------------------

    def confirm_then(
        self,
        title: str,
        body: str,
        action: IoAction,
        label: str = "Yes",
        *,
        safe_default: bool = False,
    ) -> None:
        """Ask once, then run the instance-changing `action` as a write.

        `safe_default` focuses Cancel, so a blind Enter declines.
        """
        from screens.modals.confirm import ConfirmModal

        self.ask_then(lambda: ConfirmModal(title, body, label, safe_default=safe_default), action)

    def ask_then(self, modal: Callable[[], ModalScreen[bool]], action: IoAction) -> None:
        """Show `modal`; if confirmed, run `action` as a write whose Retry asks again."""

        def ask(retrying: bool = False) -> None:
            def answered(confirmed: bool | None) -> None:
                if confirmed:
                    self.run_write(action, retry=partial(ask, True))
                elif retrying and self._retry is None:  # declined: the failure stays retryable
                    self._retry = partial(ask, True)
                    self.refresh_bindings()

            self.app.push_screen(modal(), answered)

        ask()
