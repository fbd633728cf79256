"""Step: start provisioning in Entra, then watch users and groups arrive without freezing the UI."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, ProgressBar, Static

from assistant.cycle_clock import cycle_line
from assistant.i18n import t
from screens import entra_actions
from screens.foreign_text import shown
from screens.steps.polling import PollingStep
from screens.widgets.request_stream import RequestStream
from screens.words import say


def counts_line(status: Any, lang: str = "en") -> str:
    """The counters, each saying what it counts over (errors: since the integration's install)."""
    from assistant.i18n import t

    return t(
        "provision.counts",
        lang,
        users=status.users_received,
        active=status.users_active,
        groups=status.groups_received,
        errors=status.errors_total,
    )


class ProvisioningStep(PollingStep):
    """Polls the instance's counters and request log with backoff while the screen is shown."""

    STEP_ID = "provision"
    SHOW_GUIDANCE = False

    def compose_body(self) -> ComposeResult:
        yield Static(say(self, "provision.clicks"), classes="clicks")
        yield Static("", id="counts")
        yield Static("", id="cycle", classes="muted")
        yield Static("", id="last-error", classes="bad")
        yield Static(t("lifecycle.deprovisioning", self.assistant.lang), id="deprovisioning")
        yield ProgressBar(id="progress", show_eta=False)
        with Horizontal(classes="actions"):
            yield Button(say(self, "provision.start"), id="start", variant="primary")
            yield Button(say(self, "common.continue"), id="continue", classes="later")
        yield RequestStream(id="stream")

    def setup(self) -> None:
        self._expected_users: int | None = None
        self.query_one("#start").display = self.assistant.in_sandbox

    async def load(self) -> None:
        self.start_polling(self._refresh)  # first, so it heals a load that fails
        if self.assistant.in_sandbox:
            self.query_one("#start").focus()
        await self._refresh()

    async def _refresh(self) -> bool:
        client = self.assistant.client
        added = await self.query_one(RequestStream).follow(client)
        status = await client.get_provisioning()
        lang = self.assistant.lang
        self.query_one("#counts", Static).update(counts_line(status, lang))
        self.query_one("#cycle", Static).update(cycle_line(status, self.assistant.now(), lang))
        last_error = status.last_error
        self.query_one("#last-error", Static).update(
            shown(
                say(
                    self,
                    "provision.last_error",
                    time=last_error.time.strftime("%H:%M"),
                    status=last_error.status,
                    kind=last_error.kind.replace("_", " "),
                )
            )
            if last_error
            else ""
        )
        if self.assistant.in_sandbox:
            await self._update_progress(status.users_received)
        else:
            self.query_one("#progress").display = False
        arrived = status.users_received > 0
        continue_button = self.query_one("#continue")
        if arrived and not continue_button.display:
            continue_button.display = True
            continue_button.focus()
        return added > 0

    async def _update_progress(self, received: int) -> None:
        job = await entra_actions.job_status(self.assistant.entra)
        expected = entra_actions._field(job, "users_in_scope", "users_total", "expected_users")
        bar = self.query_one("#progress", ProgressBar)
        if isinstance(expected, int) and expected > 0:
            bar.display = True
            bar.update(total=expected, progress=min(received, expected))
        else:
            bar.display = False

    @on(Button.Pressed, "#start")
    def _start(self) -> None:
        async def start() -> None:
            await entra_actions.start_provisioning(self.assistant.entra)
            self.notify(say(self, "provision.started"))
            await self._refresh()

        self.run_write(start)

    @on(Button.Pressed, "#continue")
    def _continue(self) -> None:
        self.action_continue()
