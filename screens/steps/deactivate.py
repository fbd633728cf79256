"""Deactivate the sync ("untick synchronization"): the preview, a confirmation, the result.

Steeple's own procedure lets an administrator return everyone to classic e-mail + password
sign-in without removing the integration. The preview comes from the instance (counted with the
condition the deactivation then updates by) and says what Entra's next cycles will still send and
what Steeple does with it; re-activating goes through the activation step, so its dry run is
shown again before anything changes.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Static

from assistant.journey.lifecycle import deactivation_done, deactivation_lines
from assistant.journey.steps import StepId
from screens.foreign_text import shown
from screens.steps.base import StepScreen
from screens.words import keyed, say


class DeactivateScreen(StepScreen):
    """Preview of the deactivation, then ConfirmModal; afterwards the way back (re-activate)."""

    HEADING = "lifecycle.deactivate.title"
    WHY = "why.deactivate"
    HAS_CONTINUE = False
    BINDINGS = [
        Binding("d", "deactivate", "lifecycle.button.deactivate"),
        Binding("a", "reactivate", "lifecycle.button.reactivate"),
    ]
    WRITE_ACTIONS = frozenset({"deactivate"})

    def compose_body(self) -> ComposeResult:
        lang = self.assistant.lang
        yield Static(say(lang, "lifecycle.computing"), id="preview", classes="panel")
        yield Static("", id="result", classes="ok")

    def compose_actions(self) -> ComposeResult:
        deactivate = keyed(self, "lifecycle.button.deactivate", "d")
        yield Button(deactivate, id="deactivate", variant="warning", classes="later")
        reactivate = keyed(self, "lifecycle.button.reactivate", "a")
        yield Button(reactivate, id="reactivate", classes="later")

    def setup(self) -> None:
        self._lines: list[str] = []
        self._question = ""
        """The confirmation's body: the counts only, so its buttons fit at 80×24."""

    async def load(self) -> None:
        client = self.client
        lang = self.assistant.lang
        integration = await client.get_integration()
        deactivate, reactivate = self.query_one("#deactivate"), self.query_one("#reactivate")
        if not integration.installed:
            self.query_one("#preview", Static).update(say(lang, "lifecycle.not_installed"))
            deactivate.display = reactivate.display = False
            self.query_one("#back").focus()
            return
        preview = await client.deactivation_preview()
        self._lines = deactivation_lines(preview, lang)
        self._question = "\n".join(deactivation_lines(preview, lang, short=True))
        self.query_one("#preview", Static).update(shown("\n".join(self._lines)))
        deactivate.display = preview.sync_active
        reactivate.display = not preview.sync_active
        (deactivate if preview.sync_active else reactivate).focus()

    @on(Button.Pressed, "#deactivate")
    def action_deactivate(self) -> None:
        lang = self.assistant.lang

        async def deactivate() -> None:
            result = await self.client.deactivate()
            self.query_one("#result", Static).update(shown(deactivation_done(result, lang)))
            self.query_one("#preview").display = False  # "would" is history now
            self.query_one("#deactivate").display = False
            self.query_one("#reactivate").display = True
            self.query_one("#reactivate").focus()

        self.confirm_then(
            say(lang, "lifecycle.deactivate.confirm"),
            self._question,
            deactivate,
            say(lang, "lifecycle.deactivate.button"),
        )

    @on(Button.Pressed, "#reactivate")
    def action_reactivate(self) -> None:
        """The activation step: its dry run first, then its own confirmation."""
        self.assistant.advance(StepId.ACTIVATE)
