"""Step: the Tenant URL and Secret Token, labelled as Entra labels them, with a safe token display.

The secret exists only in the answer to `create_token`; it is kept in memory for this session
(to prefill the Entra step) and never written anywhere.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Static

from assistant.journey.steps import StepId
from screens.foreign_text import shown
from screens.messages import SecretRevealed
from screens.steps.base import StepScreen
from screens.widgets.secret_field import SecretField
from screens.words import keyed, relabel_binding, say


class CredentialsStep(StepScreen):
    """Shows what to paste into Entra; creates or rotates the token."""

    STEP_ID = StepId.CREDENTIALS
    BINDINGS = [
        Binding("t", "create", "credentials.create"),
        Binding("t", "rotate", "credentials.rotate"),
        # on the buttons beside the fields, with their keys: the footer keeps the action bar's
        Binding("v", "reveal", "key.reveal", show=False),
        Binding("c", "copy_token", "key.copy_token", show=False),
        Binding("u", "copy_url", "key.copy_url", show=False),
    ]
    WRITE_ACTIONS = frozenset({"create", "rotate"})

    def compose_body(self) -> ComposeResult:
        yield Static(say(self, "credentials.tenant_url"), classes="field-label")
        yield Static("…", id="tenant-url", classes="clicks")
        with Horizontal(classes="tools later", id="url-tools"):
            yield Button(keyed(self, "key.copy_url", "u"), id="copy-url", compact=True)
        yield Static(say(self, "credentials.secret_token"), classes="field-label")
        yield SecretField(id="secret")
        with Horizontal(classes="tools later", id="secret-tools"):
            yield Button(keyed(self, "key.reveal", "v"), id="reveal", compact=True)
            yield Button(keyed(self, "key.copy_token", "c"), id="copy-token", compact=True)
        yield Static("", id="token-note", classes="muted")

    def compose_actions(self) -> ComposeResult:
        create, rotate = (
            keyed(self, "credentials.create", "t"),
            keyed(self, "credentials.rotate", "t"),
        )
        yield Button(create, id="create", variant="primary", classes="later")
        yield Button(rotate, id="rotate", variant="primary", classes="later")

    async def load(self) -> None:
        credentials = await self.client.get_credentials()
        self._tenant_url = credentials.tenant_url
        self.query_one("#tenant-url", Static).update(shown(credentials.tenant_url, multiline=False))
        secret_field = self.query_one(SecretField)
        note = self.query_one("#token-note", Static)
        create = self.query_one("#create", Button)
        rotate = self.query_one("#rotate", Button)
        secret = self.assistant.revealed_secret
        hints = ", ".join(f"…{t.hint}" for t in credentials.tokens)
        if secret:
            secret_field.set_secret(secret, secret[-4:])
            note.update(shown(say(self, "credentials.copy_now", hints=hints)))
        elif credentials.tokens:
            secret_field.set_secret("", credentials.tokens[-1].hint)
            note.update(shown(say(self, "credentials.hint_only", hints=hints)))
        else:
            secret_field.set_secret("", "")
            note.update(say(self, "credentials.none"))
        self._label_reveal(False)  # set_secret masks it again
        has_secret = bool(secret)
        has_tokens = bool(credentials.tokens)
        create.display = not has_tokens
        rotate.display = has_tokens
        self.query_one("#secret-tools").display = has_secret
        self.query_one("#url-tools").display = bool(credentials.tenant_url)
        self.query_one("#continue").display = has_secret or bool(credentials.tokens)
        (self.query_one("#continue") if has_secret else rotate if has_tokens else create).focus()

    @on(Button.Pressed, "#create")
    def action_create(self) -> None:
        async def create() -> None:
            created = await self.client.create_token()
            self.app.post_message(SecretRevealed(created.secret))  # the app keeps it in memory
            # Queued behind it, so the read shows the token; a read: Retry never re-creates.
            self.app.call_later(self.run_io, self.load)

        body = say(self, "credentials.create_body")
        title, label = say(self, "credentials.confirm.title"), say(self, "credentials.confirm.ok")
        self.confirm_then(title, body, create, label)

    @on(Button.Pressed, "#rotate")
    def action_rotate(self) -> None:
        """The rotation runs in its own modal: the old token is revoked only once Entra uses
        the new one (through Graph when signed in, else the admin pastes it)."""
        from screens.modals.rotation import RotationModal

        modal = RotationModal(self.client, self.assistant.entra_side)
        self.app.push_screen(modal, lambda _revoked: self.run_io(self.load))

    @on(Button.Pressed, "#reveal")
    def action_reveal(self) -> None:
        field = self.query_one(SecretField)
        field.revealed = not field.revealed
        self._label_reveal(field.revealed)

    def _label_reveal(self, revealed: bool) -> None:
        """The button and the footer say what `v` does next: Reveal, or Hide once revealed."""
        words = "key.hide" if revealed else "key.reveal"
        button = self.query_one("#reveal", Button)
        button.label = keyed(self, words, "v")
        button.refresh(layout=True)  # a new label does not re-measure the button by itself
        relabel_binding(self, "v", words)

    @on(Button.Pressed, "#copy-token")
    def action_copy_token(self) -> None:
        if self.query_one(SecretField).copy():
            self.notify(say(self, "lifecycle.copy.token_sent"))
        else:
            self.notify(say(self, "credentials.no_token"), severity="warning")

    @on(Button.Pressed, "#copy-url")
    def action_copy_url(self) -> None:
        url = getattr(self, "_tenant_url", "")
        if url:
            self.app.copy_to_clipboard(url)
            self.notify(say(self, "lifecycle.copy.url_sent"))
