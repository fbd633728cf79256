"""Removal: impact first, then the safe order (Entra off first), then a typed confirmation.

Turning provisioning off in Entra first matters: otherwise Entra keeps calling with a revoked
token, gets 401s and quarantines the job.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Static

from screens import entra_actions
from screens.steps.base import StepScreen

ORDER = (
    "Do it in this order:\n"
    "1. In Entra: your Steeple app → Provisioning → Stop provisioning (Status: Off).\n"
    "2. Here: remove the integration in Steeple (tokens revoked, people back to e-mail "
    "and password).\n"
    "3. Optionally delete the enterprise app in Entra."
)


class RemovalScreen(StepScreen):
    """Impact counts, the ordered steps, then TypedConfirmModal."""

    HEADING = "Remove the Azure AD integration"

    def compose_body(self) -> ComposeResult:
        yield Static("Counting what removal would change…", id="impact", classes="panel")
        yield Static(ORDER, classes="clicks")
        yield Static("", id="result", classes="ok")
        with Horizontal(classes="actions"):
            yield Button("Stop provisioning (sandbox)", id="stop")
            yield Button("Remove…", id="remove", variant="error", classes="later")
            yield Button("Back (n)", id="continue")

    def setup(self) -> None:
        self.query_one("#stop").display = self.assistant.in_sandbox

    async def load(self) -> None:
        client = self.assistant.client
        integration = await client.get_integration()
        if not integration.installed:
            self.query_one("#impact", Static).update("The integration is not installed.")
            self.query_one("#remove").display = False
            return
        provisioning = await client.get_provisioning()
        self.query_one("#impact", Static).update(
            "Removal would:\n"
            f"• switch {provisioning.users_active} provisioned people to e-mail + password\n"
            f"• revoke {integration.live_tokens} SCIM token(s): Entra can no longer call\n"
            "• keep the received data for a while, so re-installing is quick"
        )
        self.query_one("#remove").display = True
        self.query_one("#stop" if self.assistant.in_sandbox else "#remove").focus()

    @on(Button.Pressed, "#stop")
    def _stop(self) -> None:
        async def stop() -> None:
            await entra_actions.stop_provisioning(self.assistant.entra)
            self.notify("Provisioning stopped in the simulated tenant.")
            self.query_one("#remove").focus()

        self.run_write(stop)

    @on(Button.Pressed, "#remove")
    def _remove(self) -> None:
        from screens.modals.confirm import TypedConfirmModal

        host = urlsplit(self.assistant.client.base_url).netloc

        async def remove() -> None:
            result = await self.assistant.client.remove_integration()
            until = result.staged_data_kept_until.date().isoformat()
            self.query_one("#result", Static).update(
                f"✓ Removed. {result.users_switched_to_password} people switched to password, "
                f"{result.tokens_revoked} token(s) revoked; received data kept until {until}."
            )
            self.query_one("#remove").display = False
            self.assistant.revealed_secret = ""

        self.ask_then(
            lambda: TypedConfirmModal(
                "Remove the integration?",
                f"Type REMOVE or the instance host ({host}) to confirm.",
                ("REMOVE", host),
            ),
            remove,
        )

    @on(Button.Pressed, "#continue")
    def _continue(self) -> None:
        self.action_continue()
