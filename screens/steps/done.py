"""The end: sync is active; what happens next, how to get a report, how to remove."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Static

from assistant.i18n import t
from screens.steps.base import StepScreen

NEXT = (
    "What happens next\n"
    "• Entra runs a provisioning cycle every 25–40 minutes: new, changed and unassigned people\n"
    "  reach Steeple by themselves.\n"
    "• A report for support: `steeple-assistant report` (no secret in it).\n"
    "• To undo: command palette (Ctrl+P) → Remove the integration."
)


class DoneScreen(StepScreen):
    """Shown when the journey is complete."""

    HEADING = "✓ Sync active — provisioning is set up"

    def compose_body(self) -> ComposeResult:
        yield Static("", id="summary", classes="ok")
        yield Static(NEXT, classes="panel")
        yield Static(t("lifecycle.done.pause", self.assistant.lang), id="pause")
        with Horizontal(classes="actions"):
            yield Button("Quit (ctrl+q)", id="quit", variant="primary")
            yield Button(
                t("lifecycle.button.deactivate", self.assistant.lang),
                id="deactivate",
                variant="warning",
            )
            yield Button("Remove the integration…", id="remove", variant="error")

    async def load(self) -> None:
        status = await self.assistant.client.get_provisioning()
        self.query_one("#summary", Static).update(
            f"{status.users_active} active users and {status.groups_received} groups "
            "received from Entra."
        )
        self.query_one("#quit").focus()

    @on(Button.Pressed, "#quit")
    def _quit(self) -> None:
        self.app.exit()

    @on(Button.Pressed, "#deactivate")
    def _deactivate(self) -> None:
        from screens.steps.registry import screen_for

        self.app.switch_screen(screen_for("deactivate"))

    @on(Button.Pressed, "#remove")
    def _remove(self) -> None:
        from screens.steps.registry import screen_for

        self.app.switch_screen(screen_for("removal"))
