"""Step: single sign-on must be configured first, or provisioned people could not log in."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Static

from assistant.journey.steps import StepId
from screens.foreign_text import one_line, shown
from screens.steps.base import StepScreen
from screens.words import keyed, say


class SsoStep(StepScreen):
    """Verified → continue; missing → what to do in Steeple, and Recheck."""

    STEP_ID = StepId.SSO
    BINDINGS = [
        Binding("k", "recheck", "sso.recheck"),
        Binding("c", "configure", "sso.configure"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static(say(self, "sso.checking"), id="status")
        yield Static(say(self, "sso.howto"), id="howto", classes="clicks later")

    def compose_actions(self) -> ComposeResult:
        yield Button(keyed(self, "sso.recheck", "k"), id="recheck")
        configure = keyed(self, "sso.configure", "c")
        yield Button(configure, id="configure", variant="primary", classes="later")

    async def load(self) -> None:
        sso = await self.client.get_sso()
        status = self.query_one("#status", Static)
        configured = sso.configured
        self.query_one("#howto").display = not configured
        self.query_one("#continue").display = configured
        self.query_one("#configure").display = not configured and self.assistant.in_sandbox
        if configured:
            protocol = one_line((sso.protocol or "").upper())
            claim = one_line(sso.identifier_claim or "?")
            status.update(shown(say(self, "sso.ok", protocol=protocol, claim=claim)))
            status.set_classes("ok")
            self.query_one("#continue").focus()
        else:
            status.update(say(self, "sso.missing"))
            status.set_classes("bad")
            state = self.step_state  # the journey's ✗ already says it, with what to do
            status.display = not (state is not None and state.blockers)
            self.query_one("#configure" if self.assistant.in_sandbox else "#recheck").focus()

    @on(Button.Pressed, "#recheck")
    def action_recheck(self) -> None:
        self.assistant.advance(self.STEP_ID)

    @on(Button.Pressed, "#configure")
    def action_configure(self) -> None:
        from assistant.steeple.contract import SsoConfigUpdate

        async def configure() -> None:
            await self.client.configure_sso(SsoConfigUpdate())
            self.assistant.advance()

        self.confirm_then(
            say(self, "sso.confirm.title"),
            say(self, "sso.confirm.body"),
            configure,
        )
