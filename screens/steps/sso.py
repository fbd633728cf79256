"""Step: single sign-on must be configured first, or provisioned people could not log in."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Static

from screens.foreign_text import one_line, shown
from screens.steps.base import StepScreen

SSO_HOWTO = (
    "In Steeple: Administration → Security → Single sign-on → Microsoft Entra ID.\n"
    "Configure SAML (or OIDC) with the identifier claim 'email', save, then press Recheck."
)


class SsoStep(StepScreen):
    """Verified → continue; missing → what to do in Steeple, and Recheck."""

    STEP_ID = "sso"

    def compose_body(self) -> ComposeResult:
        yield Static("Checking single sign-on…", id="status")
        yield Static(SSO_HOWTO, id="howto", classes="clicks later")
        with Horizontal(classes="actions"):
            yield Button("Continue (n)", id="continue", variant="primary", classes="later")
            yield Button("Recheck (r)", id="recheck")
            yield Button("Configure SSO (sandbox)", id="configure", classes="later")

    async def load(self) -> None:
        sso = await self.assistant.client.get_sso()
        status = self.query_one("#status", Static)
        configured = sso.configured
        self.query_one("#howto").display = not configured
        self.query_one("#continue").display = configured
        self.query_one("#configure").display = not configured and self.assistant.in_sandbox
        if configured:
            protocol = one_line((sso.protocol or "").upper())
            claim = one_line(sso.identifier_claim or "?")
            status.update(
                shown(f"✓ Single sign-on is configured ({protocol}, matching on '{claim}').")
            )
            status.set_classes("ok")
            self.query_one("#continue").focus()
        else:
            status.update(
                "✗ Single sign-on is not configured: provisioned people could not log in."
            )
            status.set_classes("bad")

    @on(Button.Pressed, "#continue")
    def _continue(self) -> None:
        self.action_continue()

    @on(Button.Pressed, "#recheck")
    def _recheck(self) -> None:
        self.assistant.advance(self.STEP_ID)

    @on(Button.Pressed, "#configure")
    def _configure(self) -> None:
        from assistant.contract import SsoConfigUpdate

        async def configure() -> None:
            await self.assistant.client.configure_sso(SsoConfigUpdate())
            self.assistant.advance()

        self.confirm_then(
            "Configure SSO on the sandbox?",
            "Sets Microsoft Entra ID SAML single sign-on, matching people on 'email'.",
            configure,
        )
