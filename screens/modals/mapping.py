"""Pick a community and a role for one or many groups; choosing is the confirmation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, RadioButton, RadioSet, Select, Static

from screens.foreign_text import shown

if TYPE_CHECKING:
    from assistant.contract import Community


class MappingModal(ModalScreen["GroupMapping | None"]):
    """Dismissed with the chosen mapping, or None when cancelled."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, group_count: int, communities: list[Community]) -> None:
        super().__init__()
        self._count = group_count
        self._communities = communities

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal-box"):
            yield Label(f"Map {self._count} group(s)", classes="modal-title")
            yield Static("Members of these groups get this community, with this role:")
            options = [(shown(c.name, multiline=False), c.id) for c in self._communities]
            yield Select(options, prompt="Community", id="community", allow_blank=True)
            with RadioSet(id="role"):
                yield RadioButton("Members (user)", value=True, id="user")
                yield RadioButton("Administrators (admin)", id="admin")
            with Horizontal(classes="modal-buttons"):
                yield Button("Apply", variant="primary", id="confirm")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#community", Select).focus()

    @on(Button.Pressed, "#confirm")
    def _confirmed(self) -> None:
        from assistant.contract import GroupMapping

        community = self.query_one("#community", Select).value
        if not isinstance(community, str):
            self.notify("Pick a community first.", severity="warning")
            return
        pressed = self.query_one("#role", RadioSet).pressed_button
        role = "admin" if pressed is not None and pressed.id == "admin" else "user"
        self.dismiss(GroupMapping(community_id=community, role=role))

    @on(Button.Pressed, "#cancel")
    def _cancelled(self) -> None:
        self.dismiss(None)
