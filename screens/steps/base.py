"""What every wizard step has in common: layout, journey guidance, safe I/O, errors with Retry.

Steps do I/O only through `run_io`, which runs one exclusive worker and turns any failure into a
visible message with its fix; the `Worker.StateChanged` handler is the safety net behind it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, LoadingIndicator, Static
from textual.worker import Worker, WorkerState

from screens.foreign_text import one_line, shown
from screens.widgets.error_panel import ErrorPanel
from screens.widgets.step_sidebar import StepSidebar

if TYPE_CHECKING:
    from screens.app import ProvisioningAssistant

IoAction = Callable[[], Awaitable[None]]

UNEXPECTED_FIX = (
    "Press r to retry. If it keeps failing, run `steeple-assistant report` for support."
)


def describe_failure(error: BaseException) -> tuple[str, str]:
    """Message and fix for any failure; core errors carry both, anything else gets a safe summary.

    The exception text of foreign errors is not shown: it might quote a request with a secret.
    """
    message = getattr(error, "message", None)
    fix = getattr(error, "fix", None)
    if isinstance(message, str) and message:
        return message, fix if isinstance(fix, str) else ""
    return f"Something went wrong ({type(error).__name__}).", UNEXPECTED_FIX


class StepScreen(Screen[None]):
    """Base of every step: header, step sidebar, guidance, the step's body, error panel, footer."""

    STEP_ID: ClassVar[Any] = None
    """The `assistant.journey.StepId` this screen shows (None for Connect / Done / Removal)."""
    HEADING: ClassVar[str] = ""
    SHOW_GUIDANCE: ClassVar[bool] = True
    """Steps that list the exact clicks themselves skip the journey's summary of them."""

    BINDINGS = [
        Binding("r", "retry", "Retry"),
        Binding("n", "continue", "Continue"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._last_action: IoAction | None = None
        self.completed_io = 0
        """How many I/O actions have finished (either way): tests wait on it, not on sleeps."""

    @property
    def assistant(self) -> ProvisioningAssistant:
        return self.app  # type: ignore[return-value]

    @property
    def step_state(self) -> Any:
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
                title = self.HEADING or (f"{state.number}. {state.title}" if state else "")
                yield Static(shown(title), id="step-title")
                yield ErrorPanel(id="errors")
                if state is not None and state.guidance and self.SHOW_GUIDANCE:
                    yield Static(shown(state.guidance), id="guidance")
                if state is not None and state.blockers:
                    blockers = "\n".join(f"✗ {one_line(b)}" for b in state.blockers)
                    yield Static(shown(blockers), id="blockers")
                yield from self.compose_body()
                yield LoadingIndicator(id="busy")
        yield Footer()

    def compose_body(self) -> ComposeResult:
        """The step's own widgets; the base has none."""
        yield from ()

    LOADS: ClassVar[bool] = True
    """Whether the step fetches its own data when shown."""

    def on_mount(self) -> None:
        """The only `on_mount` of the steps (Textual calls every class's): steps use `setup`."""
        self.query_one("#busy", LoadingIndicator).display = False
        self.setup()
        if self.LOADS:
            self.run_io(self.load)

    def setup(self) -> None:
        """Synchronous preparation once composed (show/hide sandbox-only widgets...)."""

    @property
    def is_ready(self) -> bool:
        """True once composed, so errors can be shown in it."""
        return bool(self.query(ErrorPanel))

    async def load(self) -> None:
        """Fetch what the screen shows; steps override. Runs in a worker via `run_io`."""

    # --- I/O ---------------------------------------------------------------------------------

    def run_io(self, action: IoAction) -> None:
        """Run `action` in the exclusive I/O worker; a newer action cancels an older one."""
        self._last_action = action
        self._io_worker(action)

    @work(exclusive=True, exit_on_error=False, group="io")
    async def _io_worker(self, action: IoAction) -> None:
        busy = self.query_one("#busy", LoadingIndicator)
        busy.display = True
        try:
            await action()
        except Exception as error:  # every failure becomes a message, never a traceback
            self.show_error(*describe_failure(error))
        else:
            self.query_one(ErrorPanel).clear()
        finally:
            busy.display = False
        self.completed_io += 1  # not reached when cancelled by a newer action

    def show_error(self, message: str, fix: str = "") -> None:
        if not self.is_ready:  # failed before the screen was composed: show it right after
            self.call_after_refresh(self.show_error, message, fix)
            return
        self.query_one(ErrorPanel).show_error(message, fix)
        self.query_one("#retry").focus()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Safety net: a worker that died outside `run_io`'s guard still ends as a message."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.show_error(*describe_failure(event.worker.error))

    @on(ErrorPanel.RetryRequested)
    def _retry_requested(self) -> None:
        self.action_retry()

    def action_retry(self) -> None:
        self.run_io(self._last_action or self.load)

    def action_continue(self) -> None:
        """Re-load the journey and land on whatever step is now current."""
        self.assistant.advance()

    # --- confirmations -----------------------------------------------------------------------

    def confirm_then(self, title: str, body: str, action: IoAction, label: str = "Yes") -> None:
        """Ask once, then run the instance-changing `action` in the I/O worker."""
        from screens.modals.confirm import ConfirmModal

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.run_io(action)

        self.app.push_screen(ConfirmModal(title, body, label), answered)
