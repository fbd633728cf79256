"""Step: assign groups to the Steeple app in Entra — the groups decide who gets Steeple."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, SelectionList, Static

from assistant.i18n import t
from assistant.journey import StepId
from screens import entra_actions
from screens.foreign_text import one_line, shown
from screens.steps.base import StepScreen
from screens.words import say, say_n


def community_advice(names: list[str], lang: str = "en") -> str:
    """The seed's advice: one members group and one admins group per community."""
    from assistant.i18n import t

    if not names:
        return t("assign.advice_none", lang)
    lines = [t("assign.advice_line", lang, name=one_line(name)) for name in names[:6]]
    if len(names) > 6:
        lines.append(t("assign.advice_more", lang, count=len(names) - 6))
    return t("assign.advice_head", lang) + "\n" + "\n".join(lines)


class AssignStep(StepScreen):
    """Advice from the instance's communities; in sandbox mode, a picker of the tenant's groups."""

    STEP_ID = StepId.ASSIGN
    BINDINGS = [Binding("a", "select_all", "key.select_all")]

    def compose_body(self) -> ComposeResult:
        yield Static(say(self, "assign.clicks"), classes="clicks")
        yield Static("", id="advice")
        yield Static("", id="status", classes="muted")
        yield SelectionList[str](id="groups")
        with Horizontal(classes="actions"):
            yield Button(say(self, "assign.button"), id="assign", variant="primary")
            yield Button(say(self, "common.continue"), id="continue")

    def setup(self) -> None:
        sandbox = self.assistant.in_sandbox
        self.query_one("#groups").display = sandbox
        self.query_one("#assign").display = sandbox
        self.query_one("#groups").border_title = say(self, "assign.sim_groups")

    async def load(self) -> None:
        client = self.client
        communities = await client.list_communities()
        self.query_one("#advice", Static).update(
            shown(community_advice([c.name for c in communities.items], self.assistant.lang))
        )
        status = await client.get_provisioning()
        self.query_one("#status", Static).update(
            say_n(self, "assign.received", status.groups_received)
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
            self.notify(say(self, "assign.select_first"), severity="warning")
            return

        async def assign() -> None:
            await entra_actions.assign_groups(self.assistant.entra, picked)
            self.notify(say_n(self, "assign.assigned", len(picked)))
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
