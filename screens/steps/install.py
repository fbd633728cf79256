"""Step: install the Azure AD integration in Steeple (idempotent, says when it already was)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Static

from assistant.journey import StepId
from screens.foreign_text import shown
from screens.steps.base import StepScreen
from screens.words import say


class InstallStep(StepScreen):
    """Installing creates the SCIM endpoint Entra will call; nothing reaches users yet."""

    STEP_ID = StepId.INSTALL

    def compose_body(self) -> ComposeResult:
        yield Static(say(self, "install.checking"), id="status")
        with Horizontal(classes="actions"):
            yield Button(
                say(self, "install.button"), id="install", variant="primary", classes="later"
            )
            yield Button(say(self, "common.continue"), id="continue", classes="later")

    async def load(self) -> None:
        state = await self.client.get_integration()
        self._show(state.installed, "")

    def _show(self, installed: bool, message: str) -> None:
        status = self.query_one("#status", Static)
        if installed:
            status.update(shown(message or say(self, "install.installed")))
            status.set_classes("ok")
        else:
            status.update(say(self, "install.not_installed"))
            status.set_classes("")
        self.query_one("#install").display = not installed
        self.query_one("#continue").display = installed
        self.query_one("#continue" if installed else "#install").focus()

    @on(Button.Pressed, "#install")
    def _install(self) -> None:
        async def install() -> None:
            result = await self.client.install_integration()
            key = "install.changed" if result.changed else "install.already"
            self._show(True, say(self, key, message=result.message))

        self.confirm_then(
            say(self, "install.confirm.title"),
            say(self, "install.confirm.body"),
            install,
            say(self, "install.confirm.ok"),
        )
