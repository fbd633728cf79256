"""Step: start provisioning in Entra, then watch users and groups arrive — a dashboard to watch.

The admin may wait here through cycles of 25–40 minutes, and support staff watch it over a shared
screen: the counts are drawn large (received users and groups, and Entra's in-scope count when
signed in), Entra's initial cycle is a progress bar (Graph's own progress when signed in, else
received against expected), Entra's requests per minute over the last hour a sparkline, the next
cycle a countdown. Below, *Entra says* (the job and its provisioning log, from Graph), the gap
line, and *Steeple heard* (the instance's request log): a gap between the two shows at once.
Without a sign-in the step says what to click in Entra and watches Steeple's side only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, ProgressBar, Sparkline, Static

from assistant.entra.graph_errors import GraphLicenceRequired
from assistant.journey.cycle_clock import cycle_line, next_cycle
from assistant.journey.steps import StepId
from screens.foreign_text import one_line, shown
from screens.steps.polling import PollingStep
from screens.widgets.dashboard import HOUR_MINUTES, Figure, countdown, per_minute, rate_line
from screens.widgets.entra_says import EntraSays, gap_line
from screens.widgets.fitted_table import show_whole_row
from screens.widgets.request_stream import RequestStream, kind_label
from screens.words import keyed, say, say_n

if TYPE_CHECKING:
    from assistant.entra.facts import JobFacts
    from assistant.entra.graph_models import OnDemandResult
    from assistant.steeple.contract import ProvisioningStatus

RUNNING = "Active"
"""Graph's synchronizationStatus code of a job that runs: Stop is offered instead of Start."""


def on_demand_line(who: str, result: OnDemandResult, lang: str) -> str:
    """Entra's answer to "provision this person now", every part of it quoted as data."""
    action = say(lang, "ondemand.action", action=one_line(result.action)) if result.action else ""
    error = (
        say(
            lang,
            "ondemand.error",
            code=one_line(result.error_code or "?"),
            message=one_line(result.error_message or ""),
        )
        if result.error_code or result.error_message
        else ""
    )
    return say(
        lang,
        "ondemand.result",
        who=one_line(who),
        result=one_line(result.result),
        action=action,
        error=error,
    )


def expected_progress(status: ProvisioningStatus, facts: JobFacts | None) -> tuple[int, int] | None:
    """(done, total) for the progress bar: Graph's own progress of the initial cycle when it
    says, else the users received against Entra's in-scope count; None when nothing is known."""
    if facts is None:
        return None
    if facts.progress is not None and facts.in_initial_cycle and facts.progress[1] > 0:
        done, total = facts.progress
        return min(done, total), total
    if facts.users_in_scope:
        return min(status.users_received, facts.users_in_scope), facts.users_in_scope
    return None


class ProvisioningStep(PollingStep):
    """Polls the instance's counters and request log (and, signed in, Graph) with backoff."""

    STEP_ID = StepId.PROVISION
    BINDINGS = [
        Binding("s", "start", "provision.start"),
        Binding("s", "pause", "provision.pause"),
        Binding("o", "ondemand", "ondemand.button", show=False),  # on its button: o
    ]
    WRITE_ACTIONS = frozenset({"start", "pause", "ondemand"})

    def compose_body(self) -> ComposeResult:
        lang = self.assistant.lang
        yield Static(say(self, "provision.clicks"), classes="clicks", id="clicks")
        yield Static(say(self, "provision.state_waiting"), id="status")
        with Horizontal(id="figures"):
            yield Figure(say(self, "dash.users"), id="fig-users")
            yield Figure(say(self, "dash.groups"), id="fig-groups")
            yield Figure(say(self, "dash.scope"), id="fig-scope")
        with Horizontal(id="cycle-progress"):
            yield Label(say(self, "dash.initial_cycle"), id="progress-label")
            yield ProgressBar(id="progress", show_eta=False)
        with Horizontal(id="traffic"):
            with Vertical(id="rate-box"):
                yield Static(say(self, "dash.rate"), classes="figure-label")
                yield Sparkline([0] * HOUR_MINUTES, id="rate")
                yield Static("", id="rate-line", classes="muted")
            with Vertical(id="clock-box"):
                yield Static(say(self, "dash.next_cycle"), classes="figure-label")
                yield Static("", id="countdown")
                yield Static("", id="cycle", classes="muted")
        yield Static("", id="last-error", classes="bad")
        yield EntraSays(id="entra-says")
        yield Static("", id="gap")
        yield RequestStream(id="stream")
        yield Static("", id="stream-detail", classes="row-detail")
        yield Static("", id="ondemand-result")
        yield Static(say(lang, "lifecycle.deprovisioning"), id="deprovisioning", classes="muted")

    def compose_actions(self) -> ComposeResult:
        yield Button(keyed(self, "provision.start", "s"), id="start", variant="primary")
        yield Button(keyed(self, "provision.pause", "s"), id="pause", variant="warning")

    @property
    def through_graph(self) -> bool:
        return self.assistant.entra_side is not None

    def setup(self) -> None:
        graph = self.through_graph
        for widget_id in ("#start", "#entra-says", "#fig-scope", "#cycle-progress"):
            self.query_one(widget_id).display = graph
        for hidden in ("#pause", "#gap", "#last-error", "#stream-detail", "#ondemand-result"):
            self.query_one(hidden).display = False
        self.query_one("#clicks").display = not graph
        if graph:  # beside Entra's view, the request log is what Steeple heard
            self.query_one(RequestStream).border_title = say(self, "provision.heard")
        self._facts: JobFacts | None = None
        self._status: ProvisioningStatus | None = None
        self.set_interval(1.0, self._tick)

    async def load(self) -> None:
        self.start_polling(self._refresh)  # first, so it heals a load that fails
        if self.through_graph:
            self.query_one("#start").focus()
        await self._refresh()

    async def _refresh(self) -> bool:
        client = self.client
        added = await self.query_one(RequestStream).follow(client)
        status = await client.get_provisioning()
        self._status = status
        lang = self.assistant.lang
        self.query_one("#fig-users", Figure).show(
            status.users_received, say(self, "dash.users_active", count=status.users_active)
        )
        self.query_one("#fig-groups", Figure).show(status.groups_received)
        last_error = status.last_error
        error_line = self.query_one("#last-error", Static)
        error_line.display = last_error is not None
        if last_error is not None:
            error_line.update(
                shown(
                    say(
                        self,
                        "provision.last_error",
                        time=last_error.time.strftime("%H:%M"),
                        status=last_error.status,
                        kind=kind_label(self, last_error.kind),
                        count=status.errors_total,
                    )
                )
            )
        changed = await self._refresh_entra(status)
        # After Entra's view: an on-demand run is not a cycle (issue 19, point 10).
        clock = cycle_line(status, self.assistant.now(), lang, self._facts)
        self.query_one("#cycle", Static).update(clock)
        self._tick()
        self._show_state(status)
        arrived = status.users_received > 0
        self.query_one("#clicks").display = not self.through_graph and not arrived
        continue_button = self.query_one("#continue")
        if arrived and not continue_button.display:
            continue_button.display = True
            continue_button.focus()
        return added > 0 or changed

    def _show_state(self, status: ProvisioningStatus) -> None:
        """The card's state line, with its mark: received ✓, quarantined ✗, else waiting ▶."""
        line = self.query_one("#status", Static)
        facts = self._facts
        if status.users_received > 0:
            line.update(say_n(self, "provision.state_received", status.users_received))
            line.set_classes("ok")
        elif facts is not None and facts.state == "Quarantine":
            line.update(shown(say(self, "provision.state_quarantine")))
            line.set_classes("bad")
        elif facts is not None and facts.state == RUNNING:
            line.update(say(self, "provision.state_running"))
            line.set_classes("")
        else:
            key = "provision.state_start" if self.through_graph else "provision.state_waiting"
            line.update(say(self, key))
            line.set_classes("")

    def _tick(self) -> None:
        """Once a second: the countdown and the sparkline follow the clock between polls."""
        if not self.is_mounted:
            return
        status, now, lang = self._status, self.assistant.now(), self.assistant.lang
        window = next_cycle(status, now, self._facts) if status is not None else None
        self.query_one("#countdown", Static).update(countdown(window, now, lang))
        values = per_minute(self.query_one(RequestStream).minute_counts, now)
        self.query_one("#rate", Sparkline).data = values
        self.query_one("#rate-line", Static).update(rate_line(values, lang))

    async def _refresh_entra(self, status: ProvisioningStatus) -> bool:
        """Entra's side through Graph: the panel, the gap line, the progress, Start or Stop.

        Steeple's side is already on screen when this fails: a Graph failure (403, 429) then
        shows in the error panel with its sentence and fix, and the next poll tries again.
        """
        side = self.assistant.entra_side
        if side is None:
            return False
        facts = await side.facts()
        try:
            lines, logs_unavailable = await side.recent_logs(), ""
        except GraphLicenceRequired as unlicensed:  # a Free tenant: the job is still Entra's word
            lines, logs_unavailable = [], " ".join(unlicensed.text(self.assistant.lang))
        self.query_one(EntraSays).show(facts, lines, logs_unavailable)
        gap = gap_line(facts, status.users_received, self.assistant.lang)
        gap_widget = self.query_one("#gap", Static)
        gap_widget.update(shown(gap))
        gap_widget.display = bool(gap)
        self.query_one("#fig-scope", Figure).show(facts.users_in_scope)
        progress = expected_progress(status, facts)
        bar = self.query_one("#progress", ProgressBar)
        self.query_one("#cycle-progress").display = progress is not None
        if progress is not None:
            done, total = progress
            bar.update(total=total, progress=done)
        running = facts.state == RUNNING
        start, pause = self.query_one("#start"), self.query_one("#pause")
        if start.display == running:  # the job changed state: offer the other button
            had_focus = self.focused in (start, pause)
            start.display, pause.display = not running, running
            if had_focus:
                (pause if running else start).focus()
            self.fit_actions()
        changed = facts != self._facts
        self._facts = facts
        return changed

    @on(RequestStream.RowHighlighted, "#stream")
    def _stream_detail(self) -> None:
        """The highlighted request whole, when a column cuts it."""
        show_whole_row(self.query_one(RequestStream), self.query_one("#stream-detail", Static))

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        async def start() -> None:
            side = self.assistant.entra_side
            if side is None:
                return
            await side.start()
            self.notify(say(self, "provision.started"))
            await self._refresh()

        self.run_write(start)

    @on(Button.Pressed, "#pause")
    def action_pause(self) -> None:
        async def pause() -> None:
            side = self.assistant.entra_side
            if side is None:
                return
            await side.pause()
            self.notify(say(self, "provision.paused"))
            await self._refresh()

        self.run_write(pause)

    @on(Button.Pressed, "#ondemand")
    def action_ondemand(self) -> None:
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
                widget.display = True
                await self._refresh()

            self.run_write(provision)

        self.app.push_screen(AskPersonModal(), answered)
