"""Removal: impact first, then the safe order (Entra off first), then a typed confirmation.

Turning provisioning off in Entra first matters: otherwise Entra keeps calling with a revoked
token, gets 401s and quarantines the job. The enterprise app itself stays: it carries the
customer's single sign-on. The impact comes from the instance's removal preview, counted with
the conditions the removal then updates by, so the result repeats the announced numbers.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Static

from assistant.i18n import t
from assistant.lifecycle import removal_done, removal_lines
from screens.foreign_text import shown
from screens.steps.base import StepScreen
from screens.words import relabel_binding, say


class RemovalScreen(StepScreen):
    """Impact counts, the ordered steps, then TypedConfirmModal."""

    HEADING = "removal.heading"

    def compose_body(self) -> ComposeResult:
        lang = self.assistant.lang
        yield Static(t("lifecycle.computing", lang), id="impact", classes="panel")
        yield Static(t("lifecycle.removal.order", lang), id="order", classes="clicks")
        yield Static("", id="result", classes="ok")
        with Horizontal(classes="actions"):
            yield Button(say(self, "removal.stop"), id="stop")
            yield Button(say(self, "removal.remove"), id="remove", variant="error", classes="later")
            yield Button(say(self, "removal.back"), id="continue")

    def setup(self) -> None:
        self.query_one("#stop").display = self.assistant.entra_side is not None
        relabel_binding(self, "n", "key.back")  # the footer says what the "Back (n)" button says

    async def load(self) -> None:
        client = self.client
        integration = await client.get_integration()
        if not integration.installed:
            self.query_one("#impact", Static).update(
                t("lifecycle.not_installed", self.assistant.lang)
            )
            self.query_one("#remove").display = False
            return
        preview = await client.removal_preview()
        lines = removal_lines(preview, self.assistant.lang)
        self.query_one("#impact", Static).update(shown("\n".join(lines)))
        self.query_one("#remove").display = True
        self.query_one("#stop" if self.assistant.entra_side is not None else "#remove").focus()

    @on(Button.Pressed, "#stop")
    def _stop(self) -> None:
        async def stop() -> None:
            side = self.assistant.entra_side
            if side is None:
                return
            await side.pause()
            self.notify(say(self, "removal.stopped"))
            self.query_one("#remove").focus()

        self.run_write(stop)

    @on(Button.Pressed, "#remove")
    def _remove(self) -> None:
        from screens.modals.confirm import TypedConfirmModal

        host = urlsplit(self.client.base_url).netloc

        async def remove() -> None:
            result = await self.client.remove_integration()
            done = removal_done(result, self.assistant.lang)
            self.query_one("#result", Static).update(shown(done))
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
