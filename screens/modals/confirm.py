"""Confirmations for every instance-changing action: asked once, answered with a bool."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from screens.foreign_text import shown
from screens.words import describe_binding, keyed, localise_bindings, say


class ConfirmModal(ModalScreen[bool]):
    """Yes/No question about a change to the instance; Escape means no.

    The body scrolls and the buttons stay below it, so a long dry run at 80×24 cannot push them
    off-screen. `safe_default` puts focus on Cancel: for a change a careful admin reads before
    making (activation), a blind Enter must not make it.
    """

    BINDINGS = [
        Binding("escape", "dismiss(False)", "key.cancel"),
        Binding("y", "dismiss(True)", "key.yes"),
    ]

    def __init__(
        self,
        title: str,
        body: str,
        confirm_label: str = "",
        *,
        safe_default: bool = False,
    ) -> None:
        super().__init__()
        localise_bindings(self)
        self._title = title
        self._body = body
        self._confirm_label = confirm_label or say(self, "modal.yes")
        self._safe_default = safe_default
        describe_binding(self, "y", self._confirm_label)  # y says what the button says

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Label(shown(self._title), classes="modal-title")
            with VerticalScroll(classes="modal-scroll"):
                yield Static(shown(self._body), classes="modal-body")
            with Horizontal(classes="modal-buttons"):
                yield Button(f"{self._confirm_label} (y)", variant="primary", id="confirm")
                yield Button(keyed(self, "common.cancel", "esc"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#cancel" if self._safe_default else "#confirm", Button).focus()

    @on(Button.Pressed, "#confirm")
    def _confirmed(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def _cancelled(self) -> None:
        self.dismiss(False)


class TypedConfirmModal(ModalScreen[bool]):
    """For what cannot be undone (removal): the admin types a word, so a stray Enter is harmless."""

    BINDINGS = [Binding("escape", "dismiss(False)", "key.cancel")]

    def __init__(self, title: str, body: str, accepted: tuple[str, ...]) -> None:
        super().__init__()
        localise_bindings(self)
        self._title = title
        self._body = body
        self._accepted = accepted

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Label(shown(self._title), classes="modal-title")
            with VerticalScroll(classes="modal-scroll"):
                yield Static(shown(self._body), classes="modal-body")
            yield Input(
                placeholder=say(self, "modal.type_word", word=self._accepted[0]), id="typed"
            )
            with Horizontal(classes="modal-buttons"):
                yield Button(
                    say(self, "modal.remove"), variant="error", id="confirm", disabled=True
                )
                yield Button(keyed(self, "common.cancel", "esc"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#typed", Input).focus()

    def _matches(self) -> bool:
        return self.query_one("#typed", Input).value.strip() in self._accepted

    @on(Input.Changed, "#typed")
    def _typed(self) -> None:
        self.query_one("#confirm", Button).disabled = not self._matches()

    @on(Input.Submitted, "#typed")
    def _submitted(self) -> None:
        if self._matches():
            self.dismiss(True)

    @on(Button.Pressed, "#confirm")
    def _confirmed(self) -> None:
        if self._matches():
            self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def _cancelled(self) -> None:
        self.dismiss(False)
