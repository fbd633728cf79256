"""Step: the activation dry run, then an explicit confirmation — the moment users are touched.

The dry run is the one `steeple-assistant activate --dry-run` prints, from the same function
(`assistant.journey.lifecycle.activation_lines`): the counts — people skipped, not conflicts —,
every administrator who keeps their rights, then each person — what they keep (rights granted in
Steeple by hand) and what Entra's groups add or remove.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Static

from assistant.journey.lifecycle import activation_done, activation_lines
from assistant.journey.steps import StepId
from screens.foreign_text import shown
from screens.steps.base import StepScreen
from screens.words import keyed, say

if TYPE_CHECKING:
    from assistant.steeple.contract import ActivationPreview


def preview_text(preview: ActivationPreview, lang: str = "en", *, people: bool = True) -> str:
    """The dry run as the CLI prints it (the confirmation leaves out the person-by-person list,
    so its buttons stay in sight at 80×24)."""
    return "\n".join(activation_lines(preview, lang, people=people, heading=False))


class ActivateStep(StepScreen):
    """Nothing reaches Steeple accounts until this step; the dry run says exactly what will."""

    STEP_ID = StepId.ACTIVATE
    BINDINGS = [
        Binding("a", "activate", "activate.button"),
        Binding("c", "recompute", "activate.recompute"),
    ]
    WRITE_ACTIONS = frozenset({"activate"})
    _preview: ActivationPreview | None = None
    """The dry run on screen: the confirmation repeats its counts."""

    def compose_body(self) -> ComposeResult:
        yield Static(say(self, "activate.computing"), id="status")
        yield Static("", id="preview", classes="panel later")
        yield Static(say(self, "lifecycle.deprovisioning"), id="deprovisioning")

    def compose_actions(self) -> ComposeResult:
        activate = keyed(self, "activate.button", "a")
        yield Button(activate, id="activate", variant="success", classes="later")
        yield Button(keyed(self, "activate.recompute", "c"), id="recompute")

    async def load(self) -> None:
        client = self.client
        integration = await client.get_integration()
        active = integration.sync_active
        status = self.query_one("#status", Static)
        panel = self.query_one("#preview", Static)
        self.query_one("#activate").display = not active
        self.query_one("#recompute").display = not active
        self.query_one("#continue").display = active
        if active:
            status.update(say(self, "activate.already"))
            status.set_classes("ok")
            panel.display = False
            self.query_one("#continue").focus()
            return
        preview = await client.activation_preview()
        status.update(say(self, "activate.ready"))
        status.set_classes("")
        panel.border_title = say(self, "activate.dry_run")
        panel.update(shown(preview_text(preview, self.assistant.lang)))
        panel.display = True
        self._preview = preview
        self.query_one("#activate").focus()

    @on(Button.Pressed, "#recompute")
    def action_recompute(self) -> None:
        self.run_io(self.load)

    @on(Button.Pressed, "#activate")
    def action_activate(self) -> None:
        async def activate() -> None:
            result = await self.client.activate()
            status = self.query_one("#status", Static)  # the dry run is history now: replace it
            status.update(shown(activation_done(result, self.assistant.lang)))
            status.set_classes("ok")
            self.query_one("#preview").display = False
            for done in ("#activate", "#recompute"):
                self.query_one(done).display = False
            self.query_one("#continue").display = True
            self.query_one("#continue").focus()

        preview = self._preview
        lang = self.assistant.lang
        body = preview_text(preview, lang, people=False) if preview is not None else ""
        self.confirm_then(
            say(self, "activate.confirm.title"),
            body + "\n\n" + say(self, "activate.confirm.tail"),
            activate,
            say(self, "activate.button"),
            safe_default=True,  # users are touched from here on: Enter alone must not do it
        )
