"""Step: map received groups to communities and roles — the decision only a person can make.

Groups come page by page from the API (search is server-side), so a 10,000-group tenant costs one
page per scroll, never one call per group on screen.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Button, Input, Static

from assistant.journey.steps import StepId
from screens.failures import describe_failure
from screens.foreign_text import one_line
from screens.foreign_text import shown as text_of
from screens.steps.base import StepScreen
from screens.widgets.fitted_table import show_whole_row
from screens.widgets.role_table import RoleTable
from screens.words import keyed, say, say_n

if TYPE_CHECKING:
    from assistant.journey.advice import CommunityCoverage
    from assistant.steeple.contract import Community, GroupMapping, ReceivedGroup

PAGE_SIZE = 100
"""Rows fetched when the admin scrolls near the end of the loaded ones."""
FIRST_PAGE_MIN = 40
"""A first page (the step's, and each search's) holds the rows the table can show and a margin,
at least this many: a keystroke validates and writes those rows only, not a whole page of 100
that waits below the fold (bench/large_directory.py); scrolling there loads the next page."""
SEARCH_DEBOUNCE = 0.08
"""Seconds a burst of keystrokes is gathered into one search (a steady typist's keystrokes are
~150 ms apart and each is searched at once; a paste or a held key makes one search)."""
SCAN_PAGE_SIZE = 1000
FLAGS = ("no_users_group", "no_admins_group")
LINT_SHOWN = 4
"""Findings listed under the table; the rest are counted ("… and N more")."""


def coverage_line(coverage: list[CommunityCoverage], lang: str = "en") -> str:
    """One line per community: ✓ when it has a users and an admins group, else what is missing."""

    lines = []
    for item in coverage:
        missing = [say(lang, f"roles.flag.{f}") for f in item.flags if f in FLAGS]
        mark = "✓" if not missing else "!"
        detail = (
            ", ".join(missing)
            if missing
            else say(lang, "roles.coverage_ok", users=item.users_groups, admins=item.admin_groups)
        )
        name = one_line(item.community_name)
        lines.append(say(lang, "roles.coverage", mark=mark, community=name, detail=detail))
    return "\n".join(lines)


class RolesStep(StepScreen):
    """Search, mark (Space), map (m), unmap (x), apply suggestions (a); lint and coverage below."""

    STEP_ID = StepId.ROLES
    BINDINGS = [
        Binding("slash", "search", "key.search", show=False),  # the field says "search (/)"
        Binding("m", "map", "key.map"),
        Binding("x", "unmap", "key.unmap"),
        Binding("a", "suggest", "key.suggest"),
    ]
    WRITE_ACTIONS = frozenset({"map", "unmap", "suggest"})

    CONTINUE_SHOWN = True

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="role-tools"):
            yield Input(placeholder=say(self, "roles.search"), id="search")
        yield Static("", id="table-info", classes="muted")
        yield RoleTable(id="role-table")
        yield Static("", id="row-detail", classes="row-detail")
        yield Static("", id="communities")
        yield Static("", id="lint")

    def compose_actions(self) -> ComposeResult:
        yield Button(keyed(self, "key.map", "m"), id="map", variant="primary")
        yield Button(keyed(self, "key.unmap", "x"), id="unmap")
        yield Button(keyed(self, "key.suggest", "a"), id="suggest")

    @on(RoleTable.RowHighlighted)
    def _row_highlighted(self) -> None:
        """The highlighted group whole, when the narrow columns cut its name or community."""
        show_whole_row(self.query_one(RoleTable), self.query_one("#row-detail", Static))

    def setup(self) -> None:
        self._query = ""
        """The search the rows on screen answer."""
        self._wanted = ""
        """The search typed last: the one the next page load is for."""
        self._cursor: str | None = None
        self._total = 0
        self._communities: list[Community] = []
        self._search_window: Timer | None = None
        self._search_pending = False

    async def load(self) -> None:
        client = self.client
        self._communities = list((await client.list_communities()).items)
        table = self.query_one(RoleTable)
        table.set_communities({c.id: c.name for c in self._communities})
        await self._load_first_page()
        table.focus()  # the rows are there: the admin can act before the findings arrive
        await self._refresh_findings()

    def first_page_size(self) -> int:
        """Rows in a first page: as many as the terminal has lines, at least FIRST_PAGE_MIN. The
        table shows fewer (the header, the step's text and the action bar take ~15 lines), so
        the rows below the last one shown are the margin a scroll needs before the next page
        is asked for; a larger page was written and compared on every search keystroke for
        nothing. The same for every search at one terminal size."""
        return max(FIRST_PAGE_MIN, self.app.size.height)

    async def _load_first_page(self) -> None:
        query = self._wanted
        page = await self.client.list_groups(query, None, self.first_page_size())
        if query != self._wanted:
            return  # typed meanwhile: the newer search's page is the one to show
        self.query_one(RoleTable).show_page(page.items)
        self._query = query
        self._cursor = page.next_cursor
        self._total = page.total
        self._update_info()

    def _update_info(self) -> None:
        loaded = self.query_one(RoleTable).row_count
        if self._query:
            shown = say(
                self,
                "roles.info_matching",
                loaded=loaded,
                total=self._total,
                query=one_line(self._query),
            )
        else:
            shown = say(self, "roles.info", loaded=loaded, total=self._total)
        text = text_of(shown + say(self, "roles.info_keys"))
        info = self.query_one("#table-info", Static)
        width, height = info.content_size
        same_height = width > 0 and len(text.wrap(self.app.console, width)) == height
        info.update(text, layout=not same_height)  # a layout pass per keystroke is costly

    async def _refresh_findings(self) -> None:
        """Coverage and lint on the groups loaded so far (the first pages hold most tenants)."""
        from assistant.journey.advice import community_coverage
        from assistant.journey.linter import lint

        client = self.client
        groups = list(self.query_one(RoleTable).groups.values())
        coverage = community_coverage(groups, self._communities)
        lang = self.assistant.lang
        self.query_one("#communities", Static).update(text_of(coverage_line(coverage, lang)))
        users = await client.list_scim_users(limit=SCAN_PAGE_SIZE)
        sso = await client.get_sso()
        findings = lint(users.items, groups, sso, self.assistant.lang)
        lines = [f"⚠ {one_line(f.message)}" for f in findings[:LINT_SHOWN]]
        if len(findings) > LINT_SHOWN:
            lines.append(say(self, "common.and_more", count=len(findings) - LINT_SHOWN))
        text = "\n".join(lines)
        self.query_one("#lint", Static).update(text_of(text))

    @on(RoleTable.MoreWanted)
    def _more_wanted(self) -> None:
        if self._cursor:
            self._next_page(self._query, self._cursor)

    @work(exclusive=True, exit_on_error=False, group="page")
    async def _next_page(self, query: str, cursor: str) -> None:
        try:
            page = await self.client.list_groups(query, cursor, PAGE_SIZE)
        except Exception as error:
            self.show_error(
                *describe_failure(error, self.assistant.lang),
                retry=partial(self._next_page, query, cursor),
            )
            return
        if query != self._query or cursor != self._cursor:
            return  # a search replaced the list meanwhile
        self.query_one(RoleTable).add_groups(page.items)
        self._cursor = page.next_cursor
        self._update_info()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        """Debounced: a keystroke on its own is searched at once; in a burst, the last one wins.

        The first keystroke starts the search and opens a short window; keystrokes inside it
        only restart the window, and when it closes the last text typed is searched. Each
        search runs in the "load" worker group, which cancels the search still in flight.
        """
        self._wanted = event.value.strip()
        if self._search_window is not None:
            self._search_pending = True
            self._search_window.reset()
            return
        self._search_now()

    def _search_now(self) -> None:
        self._search_pending = False
        self._search_window = self.set_timer(SEARCH_DEBOUNCE, self._search_window_closed)
        self.run_io(self._load_first_page, busy=False)

    def _search_window_closed(self) -> None:
        self._search_window = None
        if self._search_pending:
            self._search_now()

    @property
    def searching(self) -> bool:
        """A search typed is not on screen yet (waiting for its window, or for its page)."""
        return self._search_pending or self._wanted != self._query

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one(RoleTable).focus()

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    @on(Button.Pressed, "#map")
    def action_map(self) -> None:
        targets = self.query_one(RoleTable).targets()
        if targets:
            self._ask_mapping(targets)

    def _ask_mapping(self, targets: list[str]) -> None:
        """Choosing in the modal is the confirmation, so a retry of the write opens it again."""
        from screens.modals.mapping import MappingModal

        def chosen(mapping: GroupMapping | None) -> None:
            if mapping is not None:
                apply = partial(self._apply, dict.fromkeys(targets, mapping))
                self.run_write(apply, retry=partial(self._ask_mapping, targets))

        self.app.push_screen(MappingModal(len(targets), self._communities), chosen)

    @on(Button.Pressed, "#unmap")
    def action_unmap(self) -> None:
        targets = self.query_one(RoleTable).targets()
        if not targets:
            return

        async def unmap() -> None:
            from screens.steps.base import BulkWriteStopped

            table = self.query_one(RoleTable)
            for done, group_id in enumerate(targets):
                try:
                    await self.client.delete_mapping(group_id)
                except Exception as error:
                    what = say(self, "count.unmappings")
                    raise BulkWriteStopped(
                        done, len(targets), what, error, self.assistant.lang
                    ) from error
                if group_id in table.groups:  # a search may have replaced the rows meanwhile
                    unmapped = table.groups[group_id].model_copy(update={"mapping": None})
                    table.update_group(unmapped)
            table.marked.clear()
            self._refresh_findings_later()

        self.confirm_then(
            say_n(self, "roles.unmap.title", len(targets)),
            say(self, "roles.unmap.body"),
            unmap,
        )

    async def _apply(self, mappings: dict[str, GroupMapping]) -> None:
        """One mapping at a time; a failure stops it and says how many of how many were done."""
        from screens.steps.base import BulkWriteStopped

        table = self.query_one(RoleTable)
        for done, (group_id, mapping) in enumerate(mappings.items()):
            try:
                updated = await self.client.set_mapping(group_id, mapping)
            except Exception as error:
                what = say(self, "count.mappings")
                raise BulkWriteStopped(
                    done, len(mappings), what, error, self.assistant.lang
                ) from error
            table.update_group(updated)
        table.marked.clear()
        for group_id in list(table.groups):
            table.update_group(table.groups[group_id])
        self._refresh_findings_later()
        self.notify(say_n(self, "roles.mapped", len(mappings)))

    def _refresh_findings_later(self) -> None:
        """After a write, as a read of its own: its failure retries the read, not the write."""
        self.run_io(self._refresh_findings, group="findings")

    @on(Button.Pressed, "#suggest")
    def action_suggest(self) -> None:
        """A read of every group, in its own group: a search keystroke does not cancel it."""
        self.run_io(self._offer_suggestions, group="suggest")

    async def _offer_suggestions(self) -> None:
        from assistant.journey.advice import suggest_mappings
        from assistant.steeple.contract import GroupMapping

        client = self.client
        groups: list[ReceivedGroup] = []
        cursor: str | None = None
        while True:
            page = await client.list_groups("", cursor, SCAN_PAGE_SIZE)
            groups.extend(page.items)
            cursor = page.next_cursor
            if not cursor or not page.items:
                break
        suggestions = suggest_mappings(groups, self._communities)
        if not suggestions:
            self.notify(say(self, "roles.no_suggestion"))
            return
        preview = "\n".join(
            f"{one_line(s.group_name)} → {one_line(s.community_name)} "
            f"({say(self, f'role.{s.role}')})"
            for s in suggestions[:8]
        )
        if len(suggestions) > 8:
            preview += "\n" + say(self, "common.and_more", count=len(suggestions) - 8)
        mappings = {
            s.group_id: GroupMapping(community_id=s.community_id, role=s.role) for s in suggestions
        }

        async def apply() -> None:
            await self._apply(mappings)

        title = say_n(self, "roles.suggest.title", len(suggestions))
        self.confirm_then(title, preview, apply, say(self, "modal.map.apply"))
