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
from screens.words import relabel_binding, say, say_n


class RemovalScreen(StepScreen):
    """Impact counts, the ordered steps, then TypedConfirmModal."""

    HEADING = "removal.heading"

    def compose_body(self) -> ComposeResult:
        yield Static(say(self, "removal.counting"), id="impact", classes="panel")
        yield Static(say(self, "removal.order"), classes="clicks")
        yield Static("", id="result", classes="ok")
        with Horizontal(classes="actions"):
            yield Button(say(self, "removal.stop"), id="stop")
            yield Button(say(self, "removal.remove"), id="remove", variant="error", classes="later")
            yield Button(say(self, "removal.back"), id="continue")

    def setup(self) -> None:
        self.query_one("#stop").display = self.assistant.in_sandbox
        relabel_binding(self, "n", "key.back")  # the footer says what the "Back (n)" button says

    async def load(self) -> None:
        client = self.assistant.client
        integration = await client.get_integration()
        if not integration.installed:
            self.query_one("#impact", Static).update(say(self, "removal.not_installed"))
            self.query_one("#remove").display = False
            return
        provisioning = await client.get_provisioning()
        self.query_one("#impact", Static).update(
            say(
                self,
                "removal.impact",
                people=provisioning.users_active,
                tokens=say_n(self, "count.tokens", integration.live_tokens),
            )
        )
        self.query_one("#remove").display = True
        self.query_one("#stop" if self.assistant.in_sandbox else "#remove").focus()

    @on(Button.Pressed, "#stop")
    def _stop(self) -> None:
        async def stop() -> None:
            await entra_actions.stop_provisioning(self.assistant.entra)
            self.notify(say(self, "removal.stopped"))
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
                say(
                    self,
                    "removal.done",
                    people=result.users_switched_to_password,
                    tokens=say_n(self, "count.tokens", result.tokens_revoked),
                    until=until,
                )
            )
            self.query_one("#remove").display = False
            self.assistant.revealed_secret = ""

        self.ask_then(
            lambda: TypedConfirmModal(
                say(self, "removal.confirm.title"),
                say(self, "removal.confirm.body", host=host),
                ("REMOVE", host),
            ),
            remove,
        )

    @on(Button.Pressed, "#continue")
    def _continue(self) -> None:
        self.action_continue()
