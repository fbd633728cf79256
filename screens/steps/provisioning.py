"""Step: start provisioning in Entra, then watch users and groups arrive without freezing the UI.

Signed in to Entra, the step starts and pauses the job through the Entra facade and shows
*Entra says* (the job's status and provisioning log, from Graph) beside *Steeple heard* (the
instance's request log), so a gap between them shows at once; one person can be provisioned on
demand. Without a sign-in it says what to click in Entra and watches Steeple's side only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, ProgressBar, Static

from assistant.cycle_clock import cycle_line
from assistant.i18n import t
from assistant.journey import StepId
from screens.foreign_text import one_line, shown
from screens.steps.polling import PollingStep
from screens.widgets.entra_says import EntraSays, gap_line
from screens.widgets.request_stream import RequestStream
from screens.words import say

if TYPE_CHECKING:
    from assistant.contract import ProvisioningStatus
    from assistant.entra.facts import JobFacts
    from assistant.entra.graph_models import OnDemandResult

RUNNING = "Active"
"""Graph's synchronizationStatus code of a job that runs: Pause is offered instead of Start."""


def counts_line(status: ProvisioningStatus, lang: str = "en") -> str:
    """The counters, each saying what it counts over (errors: since the integration's install)."""
    return t(
        "provision.counts",
        lang,
        users=status.users_received,
        active=status.users_active,
        groups=status.groups_received,
        errors=status.errors_total,
    )


def on_demand_line(who: str, result: OnDemandResult, lang: str) -> str:
    """Entra's answer to "provision this person now", every part of it quoted as data."""
    action = t("ondemand.action", lang, action=one_line(result.action)) if result.action else ""
    error = (
        t(
            "ondemand.error",
            lang,
            code=one_line(result.error_code or "?"),
            message=one_line(result.error_message or ""),
        )
        if result.error_code or result.error_message
        else ""
    )
    return t(
        "ondemand.result",
        lang,
        who=one_line(who),
        result=one_line(result.result),
        action=action,
        error=error,
    )


class ProvisioningStep(PollingStep):
    """Polls the instance's counters and request log (and, signed in, Graph) with backoff."""

    STEP_ID = StepId.PROVISION
    SHOW_GUIDANCE = False
    WRITE_ACTIONS = frozenset({"provision_one"})

    def compose_body(self) -> ComposeResult:
        yield Static(say(self, "provision.clicks"), classes="clicks", id="clicks")
        yield Static("", id="counts")
        yield Static("", id="cycle", classes="muted")
        yield Static("", id="last-error", classes="bad")
        yield Static(t("lifecycle.deprovisioning", self.assistant.lang), id="deprovisioning")
        yield ProgressBar(id="progress", show_eta=False)
        yield Static("", id="gap", classes="warning")
        with Horizontal(classes="actions"):
            yield Button(say(self, "provision.start"), id="start", variant="primary")
            yield Button(say(self, "provision.pause"), id="pause")
            yield Button(say(self, "ondemand.button"), id="ondemand")
            yield Button(say(self, "common.continue"), id="continue", classes="later")
        yield Static("", id="ondemand-result")
        with Horizontal(id="sides"):
            yield EntraSays(id="entra-says")
            yield RequestStream(id="stream")

    @property
    def through_graph(self) -> bool:
        return self.assistant.entra_side is not None

    def setup(self) -> None:
        graph = self.through_graph
        for widget_id in ("#start", "#ondemand", "#entra-says"):
            self.query_one(widget_id).display = graph
        self.query_one("#pause").display = False
        self.query_one("#clicks").display = not graph
        self.query_one("#gap").display = False
        if graph:  # beside Entra's view, the request log is what Steeple heard
            self.query_one(RequestStream).border_title = say(self, "provision.heard")
        self._facts: JobFacts | None = None

    async def load(self) -> None:
        self.start_polling(self._refresh)  # first, so it heals a load that fails
        if self.through_graph:
            self.query_one("#start").focus()
        await self._refresh()

    async def _refresh(self) -> bool:
        client = self.client
        added = await self.query_one(RequestStream).follow(client)
        status = await client.get_provisioning()
        lang = self.assistant.lang
        self.query_one("#counts", Static).update(counts_line(status, lang))
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
        changed = await self._refresh_entra(status.users_received)
        # After Entra's view: an on-demand run is not a cycle (issue 19, point 10).
        clock = cycle_line(status, self.assistant.now(), lang, self._facts)
        self.query_one("#cycle", Static).update(clock)
        arrived = status.users_received > 0
        continue_button = self.query_one("#continue")
        if arrived and not continue_button.display:
            continue_button.display = True
            continue_button.focus()
        return added > 0 or changed

    async def _refresh_entra(self, users_heard: int) -> bool:
        """Entra's side through Graph: the panel, the gap line, the progress, Start or Pause.

        Steeple's side is already on screen when this fails: a Graph failure (403, 429) then
        shows in the error panel with its sentence and fix, and the next poll tries again.
        """
        side = self.assistant.entra_side
        bar = self.query_one("#progress", ProgressBar)
        if side is None:
            bar.display = False
            return False
        facts = await side.facts()
        lines = await side.recent_logs()
        self.query_one(EntraSays).show(facts, lines)
        gap = gap_line(facts, users_heard, self.assistant.lang)
        gap_widget = self.query_one("#gap", Static)
        gap_widget.update(shown(gap))
        gap_widget.display = bool(gap)
        expected = facts.users_in_scope
        if expected:
            bar.display = True
            bar.update(total=expected, progress=min(users_heard, expected))
        else:
            bar.display = False
        running = facts.state == RUNNING
        start, pause = self.query_one("#start"), self.query_one("#pause")
        if start.display == running:  # the job changed state: offer the other button
            had_focus = self.focused in (start, pause)
            start.display, pause.display = not running, running
            if had_focus:
                (pause if running else start).focus()
        changed = facts != self._facts
        self._facts = facts
        return changed

    @on(Button.Pressed, "#start")
    def _start(self) -> None:
        async def start() -> None:
            side = self.assistant.entra_side
            if side is None:
                return
            await side.start()
            self.notify(say(self, "provision.started"))
            await self._refresh()

        self.run_write(start)

    @on(Button.Pressed, "#pause")
    def _pause(self) -> None:
        async def pause() -> None:
            side = self.assistant.entra_side
            if side is None:
                return
            await side.pause()
            self.notify(say(self, "provision.paused"))
            await self._refresh()

        self.run_write(pause)

    @on(Button.Pressed, "#ondemand")
    def action_provision_one(self) -> None:
        """Ask who, then provision them now: typing the name and pressing Provision confirms."""
        from screens.modals.ask_person import AskPersonModal

        if not self.through_graph:
            return

        def answered(person: str | None) -> None:
            if not person:
                return

            async def provision() -> None:
                side = self.assistant.entra_side
                if side is None:
                    return
                result = await side.provision_on_demand(person)
                line = on_demand_line(person, result, self.assistant.lang)
                widget = self.query_one("#ondemand-result", Static)
                widget.update(shown(line))
                widget.set_classes("ok" if result.result == "Success" else "bad")
                await self._refresh()

            self.run_write(provision)

        self.app.push_screen(AskPersonModal(), answered)
