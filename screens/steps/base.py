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
from textual.widgets import Button, Header, Input, LoadingIndicator, Static
from textual.worker import Worker, WorkerState

from screens.failures import describe_failure
from screens.foreign_text import one_line, shown
from screens.messages import JourneyLoaded, StepLoaded
from screens.widgets.action_bar import ActionBar
from screens.widgets.busy_indicator import BusyIndicator
from screens.widgets.error_panel import ErrorPanel
from screens.widgets.step_footer import StepFooter
from screens.widgets.step_sidebar import StepSidebar, blocking_step
from screens.words import keyed, localise_bindings, say

if TYPE_CHECKING:
    from assistant.journey.steps import Journey, StepId, StepState
    from assistant.steeple.client import SteepleClient
    from screens.app import ProvisioningAssistant
    from screens.steps.registry import ScreenId

IoAction = Callable[[], Awaitable[None]]
Retry = Callable[[], object]
"""What Retry does for one failure: run the read again, or ask a write's confirmation again."""

READ = "read"
WRITE = "write"


def is_shown(widget: Widget) -> bool:
    """Displayed, and so are all its containers (a button in a hidden panel is not offered)."""
    return all(node.display for node in widget.ancestors_with_self if isinstance(node, Widget))


class BulkWriteStopped(Exception):
    """A bulk write stopped on a failure: says how many of how many changes were applied.

    Carries `message` and `fix` like the core's errors, so `describe_failure` shows it as is.
    """

    def __init__(
        self, applied: int, total: int, what: str, error: BaseException, lang: str = "en"
    ) -> None:
        reason, fix = describe_failure(error, lang)
        self.applied, self.total = applied, total
        self.message = say(
            lang, "common.bulk_stopped", applied=applied, total=total, what=what, reason=reason
        )
        self.fix = fix
        super().__init__(self.message)


class StepScreen(Screen[None]):
    """Base of every step: a card (title, why, state, body) beside the step sidebar, above the
    action bar (Back · the step's actions · Continue), with the error panel and the footer."""

    STEP_ID: ClassVar[StepId | None] = None
    """The journey step this screen shows (None for Connect / Done / Removal)."""
    HEADING: ClassVar[str] = ""
    """Catalogue key of the title of a screen that is not a journey step (Connect, Done…)."""
    WHY: ClassVar[str] = ""
    """Catalogue key of the card's one line of why (journey steps: `why.<step>` by default)."""
    HAS_BACK: ClassVar[bool] = True
    """Back (b) in the action bar: the previous step, or the journey's step for other screens."""
    HAS_CONTINUE: ClassVar[bool] = True
    """Continue (n) at the right of the action bar; screens off the journey have none."""
    CONTINUE_SHOWN: ClassVar[bool] = False
    """Continue is on show from the start; else the step shows it once its data says so."""
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    """80 columns (the support call's terminal) get the compact layout; 100 and more breathe."""

    BINDINGS = [
        Binding("r", "retry", "key.retry"),
        Binding("b", "back", "key.back"),
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
        """How many I/O actions have finished (either way): tests wait on it, not on sleeps."""
        self._said_loaded = False
        """`StepLoaded` was posted (after the first load, or at mount for a step with none)."""
        self.last_read_ok = 0.0
        """`time.monotonic()` when a read last succeeded: a poll sent before it is stale."""

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
                why = self.WHY or (f"why.{self.STEP_ID}" if self.STEP_ID else "")
                yield Static(say(self, why) if why else "", id="why")
                yield ErrorPanel(id="errors")
                yield Static("", id="blockers")
                yield from self.compose_body()
                yield BusyIndicator(id="busy")
        with ActionBar(id="actions"):
            if self.HAS_BACK:
                yield Button(keyed(self, "key.back", "b"), id="back")
            yield from self.compose_actions()
            if self.HAS_CONTINUE:
                shown_now = "" if self.CONTINUE_SHOWN else "later"
                yield Button(keyed(self, "key.continue", "n"), id="continue", classes=shown_now)
        yield StepFooter(compact=True)  # 80 columns hold the step's keys and ^q Quit

    def compose_body(self) -> ComposeResult:
        """The step's own widgets in the card; the base has none."""
        yield from ()

    def compose_actions(self) -> ComposeResult:
        """The step's action buttons, between Back and Continue; the base has none."""
        yield from ()

    LOADS: ClassVar[bool] = True
    """Whether the step fetches its own data when shown."""

    SHOWS_INSTANCE: ClassVar[bool] = True
    """False for the screens before the instance's own (loading, connect): their loads do not
    make a step the admin can act on, so they post no `StepLoaded`."""

    def on_mount(self) -> None:
        """The only `on_mount` of the steps (Textual calls every class's): steps use `setup`."""
        self.query_one("#busy", LoadingIndicator).display = False
        self.show_blockers()
        if self.HAS_BACK and self.STEP_ID is not None and self.back_target() is None:
            self.query_one("#back", Button).disabled = True  # the first step: nothing before
        self.setup()
        self.fit_actions()
        if self.LOADS:
            self.run_io(self.load)
        elif self.SHOWS_INSTANCE:  # nothing to wait for: actionable as soon as shown
            self.app.post_message(StepLoaded())

    def setup(self) -> None:
        """Synchronous preparation once composed (show/hide sandbox-only widgets...)."""

    def show_blockers(self, journey: Journey | None = None) -> None:
        """The step's blockers as the journey last derived them (`journey`, else the app's):
        none shown when none hold."""
        state = self.step_state
        if journey is not None and self.STEP_ID is not None:
            state = journey.step(self.STEP_ID)
        blockers = list(state.blockers) if state is not None else []
        widget = self.query_one("#blockers", Static)
        widget.update(shown("\n".join(f"✗ {one_line(b)}" for b in blockers)))
        widget.display = bool(blockers)

    async def rederive_lines(self) -> None:
        """Load the journey again and redraw what it says: the blockers and the sidebar.

        A polling step calls it when the instance changed, so a ✗ derived at mount never stays
        above the ✓ the step's own line now shows.
        """
        from assistant.journey.steps import load_journey

        app = self.assistant
        journey = await load_journey(self.client, lang=app.lang, entra=app.entra_side)
        self.app.post_message(JourneyLoaded(journey))  # the app keeps it; this step draws it now
        self.show_blockers(journey)
        sidebar = self.query_one(StepSidebar)
        sidebar.journey = journey
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
        self.fit_actions()  # the action the step offers may have changed with its data
        self.completed_io += 1  # not reached when cancelled by a newer read
        if not self._said_loaded and self.SHOWS_INSTANCE:
            self._said_loaded = True
            self.app.post_message(StepLoaded())

    def _begin_write(self) -> None:
        self.writing = True
        self._focus_before_write = self.focused
        self._focus_after_write = None
        self._focus_set_in_write = False
        self._disabled_for_write = [
            button for button in self.query("#body Button, #actions Button") if not button.disabled
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
        """`r` exists only while a failure can be retried; writes wait for the running one;
        Back and Continue only where the action bar has them."""
        if action == "retry":
            return self._retry is not None
        if action == "back" and not self.HAS_BACK or action == "continue" and not self.HAS_CONTINUE:
            return False
        if action == "back" and self.back_target() is None and self.STEP_ID is not None:
            return None  # the first step: nothing before it
        if self.writing and (action in self.WRITE_ACTIONS or action in ("continue", "back")):
            return None  # shown, greyed out: it comes back when the write ends
        button = self.button_for(action)
        if button is not None and action not in ("continue", "back"):
            if not is_shown(button):
                return False  # its button is not offered now: neither is its key
            if button.disabled:
                return None
        return True

    def button_for(self, action: str) -> Button | None:
        """The button that does what the key bound to `action` does: its id is the action's
        name ("provision_one" → #provision-one), so the footer can follow the buttons."""
        if not self.is_mounted:
            return None
        found = self.query(f"#{action.replace('_', '-')}")
        widget = found.first() if found else None
        return widget if isinstance(widget, Button) else None

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
        """Every step's Continue button does what `n` does, whatever it overrides."""
        self.action_continue()

    def back_target(self) -> StepId | ScreenId | None:
        """Where Back goes: the step before this one; None on the first step and off the journey
        (there Back returns to the step the journey is at)."""
        from assistant.journey.steps import ORDER

        if self.STEP_ID is None:
            return None
        index = ORDER.index(self.STEP_ID)
        return ORDER[index - 1] if index > 0 else None

    def action_back(self) -> None:
        """Open the step before this one (to review it), or, off the journey, the journey's step."""
        target = self.back_target()
        if target is None and self.STEP_ID is not None:
            return
        self.assistant.leave_step(lambda: self.assistant.advance(target))

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.action_back()

    def fit_actions(self) -> None:
        """Re-fit the action bar after the step showed, hid or relabelled one of its buttons,
        and let the footer show exactly the keys whose buttons are on offer."""
        if self.is_attached:
            for bar in self.query(ActionBar):
                bar.call_after_refresh(bar.fit)
            self.refresh_bindings()

    @on(StepSidebar.StepClicked)
    def _step_clicked(self, event: StepSidebar.StepClicked) -> None:
        """A reached step opens; a later one says which step comes first, and why."""
        journey = self.assistant.journey
        if journey is None:
            return
        blocker = blocking_step(journey, event.step_id)
        if blocker is None:
            self.assistant.leave_step(lambda: self.assistant.advance(event.step_id))
            return
        target = journey.step(event.step_id)
        reason = blocker.blockers[0] if blocker.blockers else ""
        why = say(
            self,
            "palette.blocked",
            target=target.number,
            title=target.title,
            number=blocker.number,
            blocker=blocker.title,
            reason=reason,
        )
        self.notify(one_line(why).strip(), severity="warning", markup=False)

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
