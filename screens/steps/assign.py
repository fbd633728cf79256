"""Step: assign groups to the Steeple app in Entra — the groups decide who gets Steeple."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, SelectionList, Static

from assistant.i18n import t
from screens import entra_actions
from screens.foreign_text import one_line, shown
from screens.steps.base import StepScreen

CLICKS = (
    "Entra → Enterprise applications → your Steeple app → Users and groups → "
    "Add user/group → pick the groups → Assign."
)


def community_advice(names: list[str]) -> str:
    """The seed's advice: one members group and one admins group per community."""
    if not names:
        return "Assign one group per audience; you map groups to communities later."
    lines = [f"• {one_line(name)}: a users group and an admins group" for name in names[:6]]
    if len(names) > 6:
        lines.append(f"• … and {len(names) - 6} more communities")
    return "Advice — two groups per community:\n" + "\n".join(lines)


class AssignStep(StepScreen):
    """Advice from the instance's communities; in sandbox mode, a picker of the tenant's groups."""

    STEP_ID = "assign"
    BINDINGS = [Binding("a", "select_all", "Select all groups")]

    def compose_body(self) -> ComposeResult:
        yield Static(CLICKS, classes="clicks")
        yield Static("", id="advice")
        yield Static("", id="status", classes="muted")
        yield SelectionList[str](id="groups")
        with Horizontal(classes="actions"):
            yield Button("Assign selected", id="assign", variant="primary")
            yield Button("Continue (n)", id="continue")

    def setup(self) -> None:
        sandbox = self.assistant.in_sandbox
        self.query_one("#groups").display = sandbox
        self.query_one("#assign").display = sandbox
        self.query_one("#groups").border_title = "Groups of the simulated tenant"

    async def load(self) -> None:
        client = self.assistant.client
        communities = await client.list_communities()
        self.query_one("#advice", Static).update(
            shown(community_advice([c.name for c in communities.items]))
        )
        status = await client.get_provisioning()
        self.query_one("#status", Static).update(
            f"Steeple has received {status.groups_received} groups so far."
        )
        if self.assistant.in_sandbox:
            groups = await entra_actions.list_groups(self.assistant.entra)
            picker = self.query_one("#groups", SelectionList)
            picker.clear_options()
            for group in groups:
                label = shown(f"{group.name} ({group.members})", multiline=False)
                picker.add_option((label, group.id, group.assigned))
            picker.focus()
        else:  # the next action is in Entra, then here: Continue
            self.query_one("#continue").focus()

    def action_select_all(self) -> None:
        if self.assistant.in_sandbox:
            self.query_one("#groups", SelectionList).select_all()
            self.query_one("#assign").focus()

    @on(Button.Pressed, "#assign")
    def _assign(self) -> None:
        picked = list(self.query_one("#groups", SelectionList).selected)
        if not picked:
            self.notify("Select groups with Space first.", severity="warning")
            return

        async def assign() -> None:
            await entra_actions.assign_groups(self.assistant.entra, picked)
            self.notify(f"Assigned {len(picked)} groups in the simulated tenant.")
            self.assistant.advance()

        self.run_write(assign)

    def action_continue(self) -> None:
        """On a real instance the assignment is invisible until a cycle: ask the admin's word.

        The confirmation says what to check; the provisioning step verifies it by the data (a
        cycle that brings no group says so). In sandbox mode the picker is the assignment.
        """
        state = self.step_state
        done = state is not None and str(state.status) == "done"
        if done or self.assistant.assign_confirmed:
            super().action_continue()
            return
        lang = self.assistant.lang
        if self.assistant.in_sandbox:
            self.notify(t("assign.pick_first", lang), severity="warning")
            self.query_one("#groups").focus()
            return
        from screens.modals.confirm import ConfirmModal

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.assistant.assign_confirmed = True
                super(AssignStep, self).action_continue()

        modal = ConfirmModal(
            t("assign.confirm_title", lang),
            t("assign.confirm_body", lang),
            t("assign.confirm_yes", lang),
        )
        self.app.push_screen(modal, answered)

    @on(Button.Pressed, "#continue")
    def _continue(self) -> None:
        self.action_continue()
