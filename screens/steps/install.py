"""Step: install the Azure AD integration in Steeple (idempotent, says when it already was)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Static

from assistant.journey.steps import StepId
from screens.steps.base import StepScreen
from screens.words import keyed, say


class InstallStep(StepScreen):
    """Installing creates the SCIM endpoint Entra will call; nothing reaches users yet."""

    STEP_ID = StepId.INSTALL
    BINDINGS = [Binding("i", "install", "install.button")]
    WRITE_ACTIONS = frozenset({"install"})

    def compose_body(self) -> ComposeResult:
        yield Static(say(self, "install.checking"), id="status")

    def compose_actions(self) -> ComposeResult:
        label = keyed(self, "install.button", "i")
        yield Button(label, id="install", variant="primary", classes="later")

    async def load(self) -> None:
        state = await self.client.get_integration()
        self._show(state.installed)

    def _show(self, installed: bool, already: bool = False) -> None:
        """The state in the app's language: the instance's own message may be in another."""
        status = self.query_one("#status", Static)
        if installed:
            status.update(say(self, "install.already" if already else "install.installed"))
            status.set_classes("ok")
        else:
            status.update(say(self, "install.not_installed"))
            status.set_classes("")
        self.query_one("#install").display = not installed
        self.query_one("#continue").display = installed
        self.query_one("#continue" if installed else "#install").focus()

    @on(Button.Pressed, "#install")
    def action_install(self) -> None:
        async def install() -> None:
            result = await self.client.install_integration()
            self._show(True, already=not result.changed)

        self.confirm_then(
            say(self, "install.confirm.title"),
            say(self, "install.confirm.body"),
            install,
            say(self, "install.confirm.ok"),
        )
