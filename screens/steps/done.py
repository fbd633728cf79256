"""The end: sync is active; what happens next, how to get a report, how to remove."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Static

from screens.steps.base import StepScreen
from screens.words import say


class DoneScreen(StepScreen):
    """Shown when the journey is complete."""

    HEADING = "done.heading"

    def compose_body(self) -> ComposeResult:
        yield Static("", id="summary", classes="ok")
        yield Static(say(self, "done.next"), classes="panel")
        yield Static(say(self, "lifecycle.done.pause"), id="pause")
        with Horizontal(classes="actions"):
            yield Button(say(self, "done.quit"), id="quit", variant="primary")
            yield Button(
                say(self, "lifecycle.button.deactivate"), id="deactivate", variant="warning"
            )
            yield Button(say(self, "done.remove"), id="remove", variant="error")

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
    def _deactivate(self) -> None:
        from screens.steps.registry import ScreenId, screen_for

        self.app.switch_screen(screen_for(ScreenId.DEACTIVATE))

    @on(Button.Pressed, "#remove")
    def _remove(self) -> None:
        from screens.steps.registry import ScreenId, screen_for

        self.app.switch_screen(screen_for(ScreenId.REMOVAL))
