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
from textual.binding import Binding
from textual.widgets import Button, Static

from assistant.i18n import t
from assistant.lifecycle import removal_done, removal_lines
from screens.foreign_text import shown
from screens.steps.base import StepScreen
from screens.words import keyed, say


class RemovalScreen(StepScreen):
    """Impact counts, the ordered steps, then TypedConfirmModal."""

    HEADING = "removal.heading"
    WHY = "why.removal"
    HAS_CONTINUE = False
    BINDINGS = [Binding("s", "stop", "removal.stop"), Binding("x", "remove", "removal.remove")]
    WRITE_ACTIONS = frozenset({"stop", "remove"})

    def compose_body(self) -> ComposeResult:
        lang = self.assistant.lang
        yield Static(t("lifecycle.computing", lang), id="impact", classes="panel")
        yield Static(t("lifecycle.removal.order", lang), id="order", classes="clicks")
        yield Static("", id="result", classes="ok")

    def compose_actions(self) -> ComposeResult:
        yield Button(keyed(self, "removal.stop", "s"), id="stop")
        remove = keyed(self, "removal.remove", "x")
        yield Button(remove, id="remove", variant="error", classes="later")

    def setup(self) -> None:
        self.query_one("#stop").display = self.assistant.entra_side is not None

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
    def action_stop(self) -> None:
        async def stop() -> None:
            side = self.assistant.entra_side
            if side is None:
                return
            await side.pause()
            self.notify(say(self, "removal.stopped"))
            self.query_one("#remove").focus()

        self.run_write(stop)

    @on(Button.Pressed, "#remove")
    def action_remove(self) -> None:
        from screens.modals.confirm import TypedConfirmModal

        host = urlsplit(self.client.base_url).netloc

        async def remove() -> None:
            result = await self.client.remove_integration()
            done = removal_done(result, self.assistant.lang)
            self.query_one("#result", Static).update(shown(done))
            for before in ("#impact", "#order", "#remove", "#stop"):  # "would" is history now
                self.query_one(before).display = False
            self.assistant.revealed_secret = ""

        self.ask_then(
            lambda: TypedConfirmModal(
                say(self, "removal.confirm.title"),
                say(self, "removal.confirm.body", word=say(self, "removal.word"), host=host),
                (say(self, "removal.word"), host),
            ),
            remove,
        )
