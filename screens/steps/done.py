"""The end: sync is active; what happens next, how to get a report, how to remove."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Static

from assistant.journey.steps import StepId
from screens.steps.base import StepScreen
from screens.words import keyed, say


class DoneScreen(StepScreen):
    """Shown when the journey is complete: Quit sits where Continue sits on every step."""

    HEADING = "done.heading"
    WHY = "why.done"
    HAS_CONTINUE = False
    BINDINGS = [
        Binding("d", "deactivate", "lifecycle.button.deactivate"),
        Binding("x", "remove", "done.remove"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static("", id="summary", classes="ok")
        yield Static(say(self, "done.next"), classes="panel")
        yield Static(say(self, "lifecycle.done.pause"), id="pause")

    def compose_actions(self) -> ComposeResult:
        deactivate = keyed(self, "lifecycle.button.deactivate", "d")
        yield Button(deactivate, id="deactivate", variant="warning")
        yield Button(keyed(self, "done.remove", "x"), id="remove", variant="error")
        yield Button(keyed(self, "key.quit", "^q"), id="quit", variant="primary")

    def back_target(self) -> StepId:
        """The last step: its state (active) and the way to deactivate from there."""
        return StepId.ACTIVATE

    async def load(self) -> None:
        status = await self.client.get_provisioning()
        self.query_one("#summary", Static).update(
            say(self, "done.summary", users=status.users_active, groups=status.groups_received)
        )
        self.query_one("#quit").focus()

    @on(Button.Pressed, "#quit")
    def _quit(self) -> None:
        self.app.exit()

    @on(Button.Pressed, "#deactivate")
    def action_deactivate(self) -> None:
        from screens.steps.registry import ScreenId, screen_for

        self.assistant.leave_step(lambda: self.app.switch_screen(screen_for(ScreenId.DEACTIVATE)))

    @on(Button.Pressed, "#remove")
    def action_remove(self) -> None:
        from screens.steps.registry import ScreenId, screen_for

        self.assistant.leave_step(lambda: self.app.switch_screen(screen_for(ScreenId.REMOVAL)))
