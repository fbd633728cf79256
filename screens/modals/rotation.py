"""The token rotation, stage by stage, live (issue 12, point 5): `assistant.rotation.engine` drawn.

With Graph (the app's `entra_side`) every stage is automatic. Without it, the new token is shown
masked (reveal `v`, copy `c`, copy the URL `u`) for the admin to paste into the Entra admin
center; `s` says it is saved, and the flow waits for Entra's provisioning to bear it (the Test
Connection they press shows as the first sign). When Entra's traffic cannot tell which of two
live tokens it holds, `WhichTokenModal` asks (issue 20). Cancel or Escape stops the flow:
nothing is revoked before Entra's provisioning works with the new token, so closing loses
nothing, and the next rotation resumes or cleans up what this one left. Dismissed with True
when the old token was revoked.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static
from textual.worker import Worker, WorkerState

from assistant.rotation.engine import Rotation, default_time_limit
from assistant.rotation.events import (
    Action,
    Plan,
    Revoked,
    RotationEvent,
    Stage,
    Stopped,
    plan_rotation,
)
from assistant.rotation.journal import RotationJournal
from assistant.rotation.text import choice_label, event_line, plan_lines, stop_lines
from screens.failures import describe_failure
from screens.foreign_text import shown
from screens.messages import SecretRevealed, SecretRevoked
from screens.modals.confirm import ConfirmModal
from screens.widgets.secret_field import SecretField
from screens.words import localise_bindings, relabel_binding, say

if TYPE_CHECKING:
    from assistant.rotation.engine import EntraCredentials
    from assistant.steeple.client import SteepleClient
    from assistant.steeple.contract import TokenInfo
    from screens.app import ProvisioningAssistant

GRAPH_STAGES = (Stage.CHECKED, Stage.CREATED, Stage.TESTED, Stage.SAVED, Stage.VERIFIED)
MANUAL_STAGES = (Stage.CHECKED, Stage.CREATED, Stage.SAVED, Stage.FIRST_SIGN, Stage.VERIFIED)
RESUME_STAGES = (Stage.CHECKED, Stage.RESUMED, Stage.VERIFIED)
MARKS = {"done": "✓", "current": "▶", "todo": "·", "failed": "✗"}


class WhichTokenModal(ModalScreen["TokenInfo | None"]):
    """ "Which token is saved in Entra?" — asked when Entra's traffic cannot tell (issue 20).

    One button per live token, the one on Entra's latest provisioning request first, and "I
    don't know" (also Escape), which stops the rotation with nothing revoked.
    """

    BINDINGS = [Binding("escape", "dismiss(None)", "key.cancel")]

    def __init__(self, plan: Plan) -> None:
        super().__init__()
        localise_bindings(self)
        self._plan = plan
        self._choices = [token for token in (plan.old, plan.other) if token is not None]

    def compose(self) -> ComposeResult:
        lang = cast("ProvisioningAssistant", self.app).lang
        with Vertical(classes="modal-box"):
            yield Label(say(self, "rotation.which.title"), classes="modal-title")
            with VerticalScroll(classes="modal-scroll"):
                lines = plan_lines(self._plan, 0, lang, via_graph=False, asking=False)
                body = "\n".join(lines)
                yield Static(shown(body), classes="modal-body")
            with Vertical(classes="modal-buttons", id="which-buttons"):
                for number, token in enumerate(self._choices):
                    label = shown(choice_label(token, self._plan, lang), multiline=False)
                    yield Button(label, id=f"token-{number}", classes="which-token")
                yield Button(say(self, "rotation.which.unknown"), id="unknown")

    def on_mount(self) -> None:
        self.query_one("#unknown", Button).focus()  # a blind Enter decides nothing

    @on(Button.Pressed, ".which-token")
    def _chosen(self, event: Button.Pressed) -> None:
        number = int((event.button.id or "token-0").removeprefix("token-"))
        self.dismiss(self._choices[number])

    @on(Button.Pressed, "#unknown")
    def _unknown(self) -> None:
        self.dismiss(None)


class RotationModal(ModalScreen[bool]):
    """Runs one rotation in a worker that belongs to this modal; leaving it cancels the flow."""

    BINDINGS = [
        Binding("escape", "close", "key.cancel"),
        Binding("v", "reveal", "key.reveal"),
        Binding("c", "copy_token", "key.copy_token"),
        Binding("u", "copy_url", "key.copy_url"),
        Binding("s", "pasted", "key.rotation_saved"),
    ]

    def __init__(
        self,
        client: SteepleClient,
        entra: EntraCredentials | None = None,
        *,
        time_limit: float | None = None,
        poll_seconds: float | None = None,
    ) -> None:
        super().__init__()
        localise_bindings(self)
        self._client = client
        self._entra = entra
        self._time_limit = time_limit
        self._poll_seconds = poll_seconds
        self._stages: tuple[Stage, ...] = GRAPH_STAGES if entra is not None else MANUAL_STAGES
        self._reached: list[Stage] = []
        self._tenant_url = ""
        self._pasted: asyncio.Future[bool] | None = None
        self.outcome: Revoked | Stopped | None = None
        self.events: list[RotationEvent] = []
        """Every event shown, in order: tests wait on it."""

    @property
    def assistant(self) -> ProvisioningAssistant:
        return cast("ProvisioningAssistant", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box", id="rotation-box"):
            yield Label(say(self, "rotation.title"), classes="modal-title")
            with VerticalScroll(classes="modal-scroll"):
                yield Static("…", id="plan", classes="modal-body")
                with Vertical(id="paste"):  # first: the token must not be scrolled away
                    yield Static("", id="paste-help")
                    yield Static("", id="paste-url", classes="clicks")
                    yield SecretField(id="secret")
                yield Static("", id="stages")
                yield Static("", id="line", classes="modal-body")
            with Horizontal(classes="modal-buttons"):
                yield Button(say(self, "rotation.start"), variant="primary", id="start")
                yield Button(say(self, "rotation.saved_button"), variant="primary", id="pasted")
                yield Button(say(self, "common.cancel"), id="close")

    def on_mount(self) -> None:
        self.query_one("#paste").display = False
        self.query_one("#pasted").display = False
        self.query_one("#start", Button).disabled = True
        self._plan()

    # --- before: the plan (a read) -----------------------------------------------------------

    @work(exclusive=True, exit_on_error=False, group="rotation-plan")
    async def _plan(self) -> None:
        live = (await self._client.list_tokens()).tokens
        if not live:
            self.query_one("#plan", Static).update(say(self, "rotation.stop.no_token"))
            return
        limit = self._time_limit or default_time_limit(await self._client.get_provisioning())
        self._time_limit = limit  # the flow uses the limit the plan announced
        journal = self._journal()
        plan = plan_rotation(live, journal.pending(live) if journal is not None else None)
        if plan.action is Action.RESUME:
            self._stages = RESUME_STAGES
        lines = plan_lines(plan, limit, self.assistant.lang, via_graph=self._entra is not None)
        self.query_one("#plan", Static).update(shown("\n".join(lines)))
        self._draw_stages()
        start = self.query_one("#start", Button)
        start.disabled = False
        start.focus()

    def _journal(self) -> RotationJournal | None:
        base_url = getattr(self._client, "base_url", None)
        return RotationJournal.for_instance(base_url) if isinstance(base_url, str) else None

    # --- the flow (a write that runs until verified, stopped or cancelled) ----------------------

    @on(Button.Pressed, "#start")
    def _start(self) -> None:
        self.query_one("#start").display = False
        self.query_one("#plan").display = False  # the stages say it from now on
        self._rotate()

    @work(exclusive=True, exit_on_error=False, group="rotation")
    async def _rotate(self) -> None:
        rotation = Rotation(
            self._client,
            entra=self._entra,
            paste=None if self._entra is not None else self._paste,
            confirm_replace=self._confirm_replace,
            which_token=self._which_token,
            journal=self._journal(),
            time_limit=self._time_limit,
            on_event=self._show,
            lang=self.assistant.lang,
        )
        if self._poll_seconds is not None:
            rotation.poll_seconds = self._poll_seconds
        self.outcome = await rotation.run()
        secret = self.assistant.revealed_secret
        if isinstance(self.outcome, Revoked) and secret[-4:] != self.outcome.new_hint:
            self.app.post_message(SecretRevoked())  # the token shown on step 3 is revoked now
        self._finished()

    def _show(self, event: RotationEvent) -> None:
        self.events.append(event)
        if event.stage not in (Stage.WAITING, Stage.STOPPED) and event.stage not in self._reached:
            self._reached.append(event.stage)
        if isinstance(event, Stopped):
            lines = stop_lines(event, self.assistant.lang, limit=self._time_limit)
            self.query_one("#line", Static).update(shown("\n".join(lines), style="bold"))
        else:
            self.query_one("#line", Static).update(shown(event_line(event, self.assistant.lang)))
        if event.stage is Stage.SAVED:
            self.query_one("#paste").display = False
            self.query_one("#pasted").display = False
            self.refresh_bindings()
        self._draw_stages(failed=isinstance(event, Stopped))

    def _draw_stages(self, *, failed: bool = False) -> None:
        text = Text()
        current_marked = False
        for stage in (*self._stages, Stage.REVOKED):
            if stage in self._reached or (stage is Stage.FIRST_SIGN and self._verified):
                state = "done"
            elif not current_marked and self._started:
                state, current_marked = ("failed" if failed else "current"), True
            else:
                state = "todo"
            label = say(self, f"rotation.stage.{stage.value}")
            text.append(f"{MARKS[state]} {label}\n", style="bold" if state == "current" else "")
        self.query_one("#stages", Static).update(text)

    @property
    def _started(self) -> bool:
        return bool(self.events)

    @property
    def _verified(self) -> bool:
        return Stage.VERIFIED in self._reached

    async def _confirm_replace(self, replaced: TokenInfo, kept: TokenInfo) -> bool:
        body = say(self, "rotation.replace", max=2, replaced=replaced.hint, kept=kept.hint)
        title = say(self, "rotation.title")
        confirmed = await self.app.push_screen_wait(ConfirmModal(title, body))
        return bool(confirmed)

    async def _which_token(self, plan: Plan) -> TokenInfo | None:
        """The person says which token is saved in Entra (None: they do not know)."""
        answer: TokenInfo | None = await self.app.push_screen_wait(WhichTokenModal(plan))
        return answer

    async def _paste(self, secret: str, tenant_url: str) -> bool:
        """Show the token for the admin to paste; wait for `s` (saved) or a cancel."""
        self._tenant_url = tenant_url
        self.app.post_message(SecretRevealed(secret))  # in memory only, like one from step 3
        self.query_one("#paste-url", Static).update(shown(tenant_url, multiline=False))
        self.query_one(SecretField).set_secret(secret, secret[-4:])
        press = say(self, "rotation.saved_key")
        self.query_one("#paste-help", Static).update(say(self, "rotation.paste", press=press))
        self.query_one("#paste").display = True
        pasted = self.query_one("#pasted", Button)
        pasted.display = True
        pasted.focus()
        self.refresh_bindings()
        self._pasted = asyncio.get_running_loop().create_future()
        return await self._pasted

    def _finished(self) -> None:
        close = self.query_one("#close", Button)
        close.label = say(self, "rotation.close")
        close.focus()
        relabel_binding(self, "escape", "rotation.close")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """An unexpected failure still ends in a sentence and a fix; nothing was revoked."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            message, fix = describe_failure(event.worker.error, self.assistant.lang)
            self.query_one("#line", Static).update(shown(f"{message}\n{fix}", style="bold"))
            self._draw_stages(failed=True)
            self._finished()

    # --- keys ------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("reveal", "copy_token", "copy_url", "pasted"):
            return self._pasted is not None and not self._pasted.done()
        return True

    @on(Button.Pressed, "#pasted")
    def action_pasted(self) -> None:
        if self._pasted is not None and not self._pasted.done():
            self._pasted.set_result(True)

    def action_reveal(self) -> None:
        field = self.query_one(SecretField)
        field.revealed = not field.revealed
        relabel_binding(self, "v", "key.hide" if field.revealed else "key.reveal")

    def action_copy_token(self) -> None:
        if self.query_one(SecretField).copy():
            self.notify(say(self, "lifecycle.copy.token_sent"))

    def action_copy_url(self) -> None:
        if self._tenant_url:
            self.app.copy_to_clipboard(self._tenant_url)
            self.notify(say(self, "lifecycle.copy.url_sent"))

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Cancel a running flow (nothing revoked), or close a finished one."""
        self.workers.cancel_group(self, "rotation")
        self.workers.cancel_group(self, "rotation-plan")
        self.dismiss(isinstance(self.outcome, Revoked))
