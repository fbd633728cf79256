"""Ask which person to provision now: their UPN or e-mail, as Entra's "Provision on demand" does."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from screens.words import keyed, localise_bindings, say


class AskPersonModal(ModalScreen[str | None]):
    """Dismissed with the typed UPN / e-mail (trimmed), or None when cancelled.

    Typing the name and pressing Provision is the confirmation: provisioning one person is the
    change the admin asked for, and Entra answers with what it did.
    """

    BINDINGS = [Binding("escape", "dismiss(None)", "key.cancel")]

    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self)

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Label(say(self, "ondemand.title"), classes="modal-title")
            yield Static(say(self, "ondemand.body"), classes="modal-body")
            yield Input(placeholder=say(self, "ondemand.placeholder"), id="person")
            with Horizontal(classes="modal-buttons"):
                yield Button(
                    say(self, "ondemand.go"), variant="primary", id="confirm", disabled=True
                )
                yield Button(keyed(self, "common.cancel", "esc"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#person", Input).focus()

    @property
    def person(self) -> str:
        return self.query_one("#person", Input).value.strip()

    @on(Input.Changed, "#person")
    def _typed(self) -> None:
        self.query_one("#confirm", Button).disabled = not self.person

    @on(Input.Submitted, "#person")
    @on(Button.Pressed, "#confirm")
    def _confirmed(self) -> None:
        if self.person:
            self.dismiss(self.person)

    @on(Button.Pressed, "#cancel")
    def _cancelled(self) -> None:
        self.dismiss(None)
