"""Pick a community and a role for one or many groups; choosing is the confirmation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, RadioButton, RadioSet, Select, Static

from assistant.steeple.contract import GroupMapping
from screens.foreign_text import shown
from screens.words import keyed, localise_bindings, say, say_n

if TYPE_CHECKING:
    from assistant.steeple.contract import Community, Role


class MappingModal(ModalScreen[GroupMapping | None]):
    """Dismissed with the chosen mapping, or None when cancelled."""

    BINDINGS = [Binding("escape", "dismiss(None)", "key.cancel")]

    def __init__(self, group_count: int, communities: list[Community]) -> None:
        super().__init__()
        localise_bindings(self)
        self._count = group_count
        self._communities = communities

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Label(say_n(self, "modal.map.title", self._count), classes="modal-title")
            yield Static(say(self, "modal.map.body"))
            options = [(shown(c.name, multiline=False), c.id) for c in self._communities]
            prompt = say(self, "modal.map.community")
            yield Select(options, prompt=prompt, id="community", allow_blank=True)
            with RadioSet(id="role"):
                yield RadioButton(say(self, "modal.map.members"), value=True, id="user")
                yield RadioButton(say(self, "modal.map.admins"), id="admin")
            with Horizontal(classes="modal-buttons"):
                yield Button(say(self, "modal.map.apply"), variant="primary", id="confirm")
                yield Button(keyed(self, "common.cancel", "esc"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#community", Select).focus()

    @on(Button.Pressed, "#confirm")
    def _confirmed(self) -> None:
        community = self.query_one("#community", Select).value
        if not isinstance(community, str):
            self.notify(say(self, "modal.map.pick_first"), severity="warning")
            return
        pressed = self.query_one("#role", RadioSet).pressed_button
        role: Role = "admin" if pressed is not None and pressed.id == "admin" else "user"
        self.dismiss(GroupMapping(community_id=community, role=role))

    @on(Button.Pressed, "#cancel")
    def _cancelled(self) -> None:
        self.dismiss(None)
