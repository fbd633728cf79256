"""Removal: impact first, then the safe order (Entra off first), then a typed confirmation.

Turning provisioning off in Entra first matters: otherwise Entra keeps calling with a revoked
token, gets 401s and quarantines the job. The enterprise app itself stays: it carries the
customer's single sign-on. The impact comes from the instance's removal preview, counted with
the conditions the removal then updates by, so the result repeats the announced numbers.

Signed in to Entra (issue 20, point 5), the screen reads the provisioning job's state and says
it; Remove… on a running job first offers to pause it through Graph (confirmed), and only then
asks for the typed confirmation. Without Graph the order text says to set Provisioning Status to
Off, and after the removal the screen keeps watching the request log: Entra calling on (with the
now revoked token) is said in the result, with what to do.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Static

from assistant.journey.lifecycle import removal_done, removal_lines
from assistant.journey.removal import EntraJob, calls_after_line, job_line, log_tail, read_job
from screens.foreign_text import shown
from screens.messages import SecretRevoked
from screens.steps.polling import PollingStep
from screens.words import keyed, say


class RemovalScreen(PollingStep):
    """Impact counts, Entra's job, the ordered steps, then TypedConfirmModal."""

    HEADING = "removal.heading"
    WHY = "why.removal"
    HAS_CONTINUE = False
    BINDINGS = [Binding("s", "stop", "removal.stop"), Binding("x", "remove", "removal.remove")]
    WRITE_ACTIONS = frozenset({"stop", "remove"})

    def compose_body(self) -> ComposeResult:
        lang = self.assistant.lang
        yield Static(say(lang, "lifecycle.computing"), id="impact", classes="panel")
        yield Static(say(lang, "lifecycle.removal.order"), id="order", classes="clicks")
        yield Static("", id="result", classes="ok")

    def compose_actions(self) -> ComposeResult:
        yield Button(keyed(self, "removal.stop", "s"), id="stop")
        remove = keyed(self, "removal.remove", "x")
        yield Button(remove, id="remove", variant="error", classes="later")

    def setup(self) -> None:
        self.query_one("#stop").display = self.assistant.entra_side is not None
        self._impact: list[str] = []
        self._done = ""
        self._cursor = "0"

    async def load(self) -> None:
        client = self.client
        integration = await client.get_integration()
        if not integration.installed:
            self.query_one("#impact", Static).update(say(self, "lifecycle.not_installed"))
            self.query_one("#remove").display = False
            return
        preview = await client.removal_preview()
        self._impact = removal_lines(preview, self.assistant.lang)
        self._show_impact()
        self.query_one("#remove").display = True
        self.query_one("#stop" if self.assistant.entra_side is not None else "#remove").focus()
        side = self.assistant.entra_side
        if side is not None:
            self._show_impact(await read_job(side))

    def _show_impact(self, job: EntraJob | None = None) -> None:
        """The preview's lines, and Entra's job when signed in (its state is Entra's word)."""
        lines = list(self._impact)
        if job is not None:
            lines += ["", job_line(job, self.assistant.lang)]
        self.query_one("#impact", Static).update(shown("\n".join(lines)))

    @on(Button.Pressed, "#stop")
    def action_stop(self) -> None:
        async def stop() -> None:
            side = self.assistant.entra_side
            if side is None:
                return
            await side.pause()
            self.notify(say(self, "removal.stopped"))
            self._show_impact(await read_job(side))
            self.query_one("#remove").focus()

        self.run_write(stop)

    @on(Button.Pressed, "#remove")
    def action_remove(self) -> None:
        """Signed in: Entra's job is read first, and a running one is paused first (asked)."""
        side = self.assistant.entra_side
        if side is None:
            self._confirm_removal()
            return

        async def check() -> None:
            job = await read_job(side)
            self._show_impact(job)
            if job.running:
                from screens.modals.confirm import ConfirmModal

                modal = ConfirmModal(
                    say(self, "lifecycle.removal.pause_first.title"),
                    say(self, "lifecycle.removal.pause_first.body"),
                    say(self, "lifecycle.removal.pause_first.button"),
                )
                self.app.push_screen(modal, self._pause_answered)
            else:
                self._confirm_removal()

        self.run_io(check, group="entra-job")

    def _pause_answered(self, confirmed: bool | None) -> None:
        if not confirmed:
            return

        async def pause_then_ask() -> None:
            side = self.assistant.entra_side
            if side is None:
                return
            await side.pause()
            job = await read_job(side)
            self._show_impact(job)
            if job.running or not job.read:
                lang = self.assistant.lang
                key = "lifecycle.removal.pause_failed"
                message = say(lang, key, state=job.state or job.message or "?")
                self.show_error(message, say(lang, f"{key}.fix"), retry=None, move_focus=True)
                return
            self.notify(say(self, "removal.stopped"))
            self._confirm_removal()

        self.run_write(pause_then_ask)

    def _confirm_removal(self) -> None:
        from screens.modals.confirm import TypedConfirmModal

        host = urlsplit(self.client.base_url).netloc

        async def remove() -> None:
            self._cursor = await log_tail(self.client)
            result = await self.client.remove_integration()
            self._done = removal_done(result, self.assistant.lang)
            self.query_one("#result", Static).update(shown(self._done))
            for before in ("#impact", "#order", "#remove", "#stop"):  # "would" is history now
                self.query_one(before).display = False
            self.app.post_message(SecretRevoked())  # the token shown on step 3 is revoked now
            self.start_polling(self._watch_entra)  # does Entra call on with the revoked token?

        self.ask_then(
            lambda: TypedConfirmModal(
                say(self, "removal.confirm.title"),
                say(self, "removal.confirm.body", word=say(self, "removal.word"), host=host),
                (say(self, "removal.word"), host),
            ),
            remove,
        )

    async def _watch_entra(self) -> bool:
        """After the removal: Entra's requests (they bear the revoked token) are said."""
        page = await self.client.list_requests(after=self._cursor, limit=1000)
        warning = calls_after_line(page.items, self.assistant.lang)
        if warning is None:
            return False
        result = self.query_one("#result", Static)
        result.update(shown(f"{self._done}\n{warning}"))
        result.set_classes("warning")
        return True
