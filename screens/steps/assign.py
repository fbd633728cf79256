"""Step: assign groups to the Steeple app in Entra — the groups decide who gets Steeple.

Signed in to Entra, the step lists the tenant's groups through the Entra facade a page at a time
(`$top`, `$search` on the name: a tenant of 20,000 groups shows its first page at once), with
member counts for the groups on screen only, and assigns the picked ones once the admin
confirms; the picks survive a new search. Otherwise it says what to click and takes the admin's
word.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Input, SelectionList, Static

from assistant.journey.steps import StepId
from screens.foreign_text import one_line, shown
from screens.messages import AssignmentConfirmed
from screens.steps.base import StepScreen
from screens.words import keyed, say, say_n

PAGE = 50
"""Groups read (and counted) per page: a screenful and then some."""


def community_advice(names: list[str], lang: str = "en") -> str:
    """The seed's advice: one members group and one admins group per community."""

    if not names:
        return say(lang, "assign.advice_none")
    listed = ", ".join(one_line(name) for name in names[:6])  # one paragraph: the list in sight
    if len(names) > 6:
        listed += " " + say(lang, "assign.advice_more", count=len(names) - 6)
    return say(lang, "assign.advice_head", communities=listed)


def group_label(name: str, members: int | None) -> str:
    """ "Name (12)" once counted, the name alone until then."""
    return name if members is None else f"{name} ({members})"


class AssignStep(StepScreen):
    """Advice from the instance's communities; signed in to Entra, a picker of its groups."""

    STEP_ID = StepId.ASSIGN
    BINDINGS = [
        Binding("a", "select_all", "key.select_all", show=False),  # on its button, by the list
        Binding("plus", "more", "assign.more", show=False),  # on its button, by the list
        Binding("s", "assign", "assign.button"),
    ]
    WRITE_ACTIONS = frozenset({"assign"})
    CONTINUE_SHOWN = True

    def compose_body(self) -> ComposeResult:
        yield Static(say(self, "assign.clicks"), classes="clicks", id="clicks")
        yield Static("", id="advice")
        yield Static("", id="status", classes="muted")
        yield Input(placeholder=say(self, "assign.search"), id="search")
        with Horizontal(classes="tools", id="group-tools"):
            yield Button(keyed(self, "key.select_all", "a"), id="select-all", compact=True)
            yield Button(keyed(self, "assign.more", "+"), id="more", compact=True)
        yield SelectionList[str](id="groups")

    def compose_actions(self) -> ComposeResult:
        yield Button(keyed(self, "assign.button", "s"), id="assign", variant="primary")

    @property
    def through_graph(self) -> bool:
        return self.assistant.entra_side is not None

    def setup(self) -> None:
        graph = self.through_graph
        for widget_id in ("#groups", "#assign", "#search", "#group-tools"):
            self.query_one(widget_id).display = graph
        self.query_one("#more").display = False
        self.query_one("#clicks").display = not graph
        self.query_one("#groups").border_title = say(self, "assign.graph_groups")
        self._names: dict[str, str] = {}
        self._chosen: set[str] = set()
        """Picked group ids, kept across searches and pages."""
        self._next_link: str | None = None
        self._search = ""

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
        if self.through_graph:
            await self._show_page(self._search, None)
            self.query_one("#groups", SelectionList).focus()
        else:  # the next action is in Entra, then here: Continue
            self.query_one("#continue").focus()

    async def _show_page(self, search: str, link: str | None) -> None:
        """One page of groups (the next one when `link`), counted; the picks stay picked."""
        side = self.assistant.entra_side
        if side is None:
            return
        page = await side.group_page(search=search, link=link, top=PAGE)
        picker = self.query_one("#groups", SelectionList)
        if link is None:
            picker.clear_options()
        for group in page.groups:
            self._names[group.id] = group.name
            if group.assigned:
                self._chosen.add(group.id)
            label = shown(group_label(group.name, group.members), multiline=False)
            picker.add_option((label, group.id, group.id in self._chosen))
        self._next_link = page.next_link
        self.query_one("#more").display = page.next_link is not None

    @on(SelectionList.SelectedChanged, "#groups")
    def _picked(self, event: SelectionList.SelectedChanged[str]) -> None:
        picker = event.selection_list
        on_screen = {picker.get_option_at_index(i).value for i in range(picker.option_count)}
        self._chosen = (self._chosen - on_screen) | set(picker.selected)

    @on(Input.Submitted, "#search")
    def _searched(self, event: Input.Submitted) -> None:
        self._search = event.value.strip()

        async def search() -> None:
            await self._show_page(self._search, None)
            self.query_one("#groups").focus()

        self.run_io(search, group="groups")

    @on(Button.Pressed, "#more")
    def action_more(self) -> None:
        link = self._next_link
        if link is None:
            return

        async def more() -> None:
            await self._show_page(self._search, link)

        self.run_io(more, group="groups")

    @on(Button.Pressed, "#select-all")
    def action_select_all(self) -> None:
        if self.through_graph:
            self.query_one("#groups", SelectionList).select_all()
            self.query_one("#assign").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Select all exists only where there is a list to select in (signed in to Entra)."""
        if action == "select_all" and not self.through_graph:
            return False
        return super().check_action(action, parameters)

    @on(Button.Pressed, "#assign")
    def action_assign(self) -> None:
        picked = sorted(self._chosen, key=lambda g: (self._names.get(g) or g).casefold())
        if not picked:
            self.notify(say(self, "assign.select_first"), severity="warning")
            return

        async def assign() -> None:
            side = self.assistant.entra_side
            if side is None:
                return
            outcome = await side.assign_groups(picked)
            self.notify(say_n(self, "assign.assigned", outcome.added))
            for name, role in outcome.other_role:
                self.notify(
                    say(
                        self,
                        "entra.assign.other_role",
                        name=one_line(name),
                        role=role,
                    ),
                    severity="warning",
                    markup=False,
                )
            self.assistant.advance()

        names = [one_line(self._names.get(group_id, group_id)) for group_id in picked]
        listed = "\n".join(f"• {name}" for name in names[:12])
        if len(names) > 12:
            more = len(names) - 12
            listed += "\n" + say(self, "assign.confirm_graph_more", count=more)
        self.confirm_then(
            say_n(self, "assign.confirm_graph_title", len(picked)),
            say(self, "assign.confirm_graph_body", groups=listed),
            assign,
            say(self, "assign.button"),
        )

    def action_continue(self) -> None:
        """On a real instance the assignment is invisible until a cycle: ask the admin's word.

        The confirmation says what to check; the provisioning step verifies it by the data (a
        cycle that brings no group says so). Signed in to Entra, the picker is the assignment.
        """
        state = self.step_state
        done = state is not None and str(state.status) == "done"
        if done or self.assistant.assign_confirmed:
            super().action_continue()
            return
        lang = self.assistant.lang
        if self.through_graph:
            self.notify(say(lang, "assign.pick_first"), severity="warning")
            self.query_one("#groups").focus()
            return
        from screens.modals.confirm import ConfirmModal

        def answered(confirmed: bool | None) -> None:
            if confirmed:  # the app remembers it, then continues as Continue does
                self.app.post_message(AssignmentConfirmed(StepId.ASSIGN))

        modal = ConfirmModal(
            say(lang, "assign.confirm_title"),
            say(lang, "assign.confirm_body"),
            say(lang, "assign.confirm_yes"),
        )
        self.app.push_screen(modal, answered)
