"""Step: install the Azure AD integration in Steeple (idempotent, says when it already was)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Static

from screens.foreign_text import shown
from screens.steps.base import StepScreen


class InstallStep(StepScreen):
    """Installing creates the SCIM endpoint Entra will call; nothing reaches users yet."""

    STEP_ID = "install"

    def compose_body(self) -> ComposeResult:
        yield Static("Checking the integration…", id="status")
        with Horizontal(classes="actions"):
            yield Button(
                "Install the integration", id="install", variant="primary", classes="later"
            )
            yield Button("Continue (n)", id="continue", classes="later")

    async def load(self) -> None:
        state = await self.assistant.client.get_integration()
        self._show(state.installed, "")

    def _show(self, installed: bool, message: str) -> None:
        status = self.query_one("#status", Static)
        if installed:
            status.update(shown(message or "✓ The Azure AD integration is installed."))
            status.set_classes("ok")
        else:
            status.update(
                "The Azure AD integration is not installed yet. Installing it opens the SCIM "
                "endpoint for Entra; no user is changed until you activate at the end."
            )
            status.set_classes("")
        self.query_one("#install").display = not installed
        self.query_one("#continue").display = installed
        self.query_one("#continue" if installed else "#install").focus()

    @on(Button.Pressed, "#install")
    def _install(self) -> None:
        async def install() -> None:
            result = await self.assistant.client.install_integration()
            prefix = "✓ " if result.changed else "✓ Already installed: "
            self._show(True, prefix + result.message)

        self.confirm_then(
            "Install the Azure AD integration?",
            "Creates the SCIM endpoint on this instance. Safe to repeat.",
            install,
            "Install",
        )

    @on(Button.Pressed, "#continue")
    def _continue(self) -> None:
        self.action_continue()
