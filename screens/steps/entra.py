"""Step: configure provisioning in Entra, watching Steeple hear Entra's Test Connection live.

Signed in to Entra (always in `--sandbox`), the step does the clicks itself through the Entra
facade: Test Connection is `validateCredentials` with Entra's answer decoded, Save stores the
tenant URL and token as the job's secrets. Through Graph the step is done once Entra holds the
saved credentials, not after Test Connection alone (it saves nothing). A first Test Connection on
a fresh tenant creates the app, which Entra takes a while to make usable: a progress line says
so. Without a sign-in it lists the clicks to make in the Entra admin center. Either way,
Steeple's request log shows what Entra's test sent.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Input, Static

from assistant.journey.steps import StepId
from screens.foreign_text import shown as text_of
from screens.steps.polling import PollingStep
from screens.widgets.request_stream import RequestStream
from screens.words import keyed, say


def explain_test(status: int | None, lang: str = "en") -> tuple[str, str]:
    """Sentence and CSS class for the last Test Connection Steeple saw."""

    if status is None:
        return say(lang, "entra.waiting"), "muted"
    if 200 <= status < 300:
        return say(lang, "entra.test_ok"), "ok"
    if status == 401:
        return say(lang, "entra.test_401"), "bad"
    return say(lang, "entra.test_failed", status=status), "bad"


class EntraStep(PollingStep):
    """Shows the exact clicks and the live request log; signed in to Entra, performs them."""

    STEP_ID = StepId.ENTRA
    BINDINGS = [Binding("t", "test", "entra.test"), Binding("s", "save", "entra.save")]
    WRITE_ACTIONS = frozenset({"test", "save"})

    def compose_body(self) -> ComposeResult:
        yield Static(say(self, "entra.clicks"), classes="clicks", id="clicks")
        yield Static(say(self, "entra.waiting"), id="status", classes="muted")
        with Vertical(id="sandbox-entra", classes="panel") as panel:
            panel.border_title = say(self, "entra.graph_panel")
            yield Static(say(self, "credentials.tenant_url"), classes="field-label")
            yield Input(id="tenant-url")
            yield Static(say(self, "credentials.secret_token"), classes="field-label")
            yield Input(id="token", password=True)
            yield Static("", id="sim-result")
        yield RequestStream(id="stream")

    def compose_actions(self) -> ComposeResult:
        yield Button(keyed(self, "entra.test", "t"), id="test", variant="primary")
        yield Button(keyed(self, "entra.save", "s"), id="save")

    @property
    def through_graph(self) -> bool:
        return self.assistant.entra_side is not None

    def setup(self) -> None:
        self.query_one("#sandbox-entra").display = self.through_graph
        self.query_one("#clicks").display = not self.through_graph
        for action in ("#test", "#save"):  # in the action bar: only where the step does them
            self.query_one(action).display = self.through_graph
        self._saved = False
        """Through Graph: Entra holds a tenant URL and token for the job (read, or just saved)."""

    async def load(self) -> None:
        self.start_polling(self._refresh)  # first, so it heals a load that fails
        client = self.client
        if self.through_graph and not self.query_one("#tenant-url", Input).value:
            credentials = await client.get_credentials()
            self.query_one("#tenant-url", Input).value = credentials.tenant_url
            self.query_one("#token", Input).value = self.assistant.revealed_secret
            self.query_one("#test").focus()
        await self._refresh()

    async def _refresh(self) -> bool:
        client = self.client
        added = await self.query_one(RequestStream).follow(client)
        status = await client.get_provisioning()
        text, css = explain_test(status.last_test_connection_status, self.assistant.lang)
        widget = self.query_one("#status", Static)
        widget.update(text)
        widget.set_classes(css)
        side = self.assistant.entra_side
        if side is not None and not self._saved:
            self._saved = await side.credentials_saved()
        continue_button = self.query_one("#continue")
        heard = css == "ok"
        if heard and not continue_button.display and not self.through_graph:
            continue_button.display = True
            continue_button.focus()  # the next action: through Graph it is Save first
        continue_button.display = heard and (self._saved or not self.through_graph)
        return added > 0

    @on(Input.Submitted)  # Enter in either field tests, as Test Connection under them does
    @on(Button.Pressed, "#test")
    def action_test(self) -> None:
        tenant_url = self.query_one("#tenant-url", Input).value.strip()
        token = self.query_one("#token", Input).value.strip()

        async def test() -> None:
            side = self.assistant.entra_side
            if side is None:  # signed out meanwhile: the copy-paste path is on screen next
                return
            shown = self.query_one("#sim-result", Static)

            def waiting(line: str) -> None:  # a new app replicating in Entra: say so, live
                shown.update(text_of(line))
                shown.set_classes("muted")

            side.progress = waiting
            try:
                verdict = await side.test_connection(tenant_url, token)
            finally:
                side.progress = None
            if verdict.ok:
                shown.update(text_of(say(self, "entra.says_save", message=verdict.sentence)))
            else:
                text = say(self, "entra.says", message=verdict.sentence)
                shown.update(text_of(f"{text}\n{say(self, 'common.fix', fix=verdict.fix)}"))
            shown.set_classes("ok" if verdict.ok else "bad")
            if verdict.ok:
                self.query_one("#save").focus()
            await self._refresh()

        self.run_write(test)

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        tenant_url = self.query_one("#tenant-url", Input).value.strip()
        token = self.query_one("#token", Input).value.strip()

        async def save() -> None:
            side = self.assistant.entra_side
            if side is None:
                return
            await side.save_credentials(tenant_url, token)
            self._saved = True
            saved = self.query_one("#sim-result", Static)  # "now Save" is done: say so instead
            saved.update(say(self, "entra.saved"))
            saved.set_classes("ok")
            await self._refresh()
            if self.query_one("#continue").display:
                self.query_one("#continue").focus()

        self.run_write(save)
