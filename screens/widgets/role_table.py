"""Received groups → community and role, fed page by page so 10,000 groups stay responsive.

The table never holds more than the pages the admin scrolled to; reaching the last rows posts
`RoleTable.MoreWanted`, and the screen fetches the next page through the API.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.dom import DOMNode
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import CellKey, ColumnKey, RowKey

from screens.foreign_text import shown
from screens.widgets.fitted_table import FittedTable, cell
from screens.words import localise_bindings, say

if TYPE_CHECKING:
    from assistant.steeple.contract import ReceivedGroup

PREFETCH_MARGIN = 10
"""Ask for the next page when the cursor is this close to the last loaded row."""

COLUMNS = ("mark", "group", "members", "community", "role")
WIDTHS: dict[str, int | None] = {"mark": 1, "group": None, "members": 7, "community": None}
"""Fixed widths where a later page would otherwise widen the column (members: "12345 +3g")."""
GROUP_NAME_MAX = 56
"""Longer group names end in "…" here, so a 200-character name cannot push the community and
role columns off a 120-column screen (the search still matches the whole name)."""
MARK = "●"
"""A marked (selected) row: the mark reads without colour."""


def role_word(node: DOMNode, role: str) -> str:
    """A role in the app's language ("member", "admin"): never Steeple's API value."""
    return say(node, f"role.{role}")


class RoleTable(FittedTable):
    """Rows keyed by group id; Space (or a click on the highlighted row) marks rows for bulk
    actions. The group and community columns shrink with "…" on a narrow screen."""

    FLEXIBLE = ("community", "group")  # a long group name gives way first

    BINDINGS = [
        Binding("space", "toggle_mark", "key.mark", show=False),  # said above the table
        Binding("end", "scroll_bottom", "key.last_row", show=False),
        Binding("home", "scroll_top", "key.first_row", show=False),
    ]

    class MoreWanted(Message):
        """The cursor is near the end of the loaded rows: load the next page."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        localise_bindings(self)
        self.marked: set[str] = set()
        self.groups: dict[str, ReceivedGroup] = {}
        """The groups on the rows, in row order."""
        self._rows: dict[str, str] = {}
        """Group id → key of the row that shows it. Rows are keyed by position ("row-0"…), so a
        new page reuses the rows on screen instead of clearing the table and adding them anew."""
        self._community_names: Mapping[str, str] = {}

    def on_mount(self) -> None:
        for column in COLUMNS:
            label = " " if column == "mark" else say(self, f"roles.column.{column}")
            self.add_fitted_column(label, column, WIDTHS.get(column))
        roles = [role_word(self, "user"), role_word(self, "admin")]
        self.note_cells(("role", Text(word)) for word in roles)

    def set_communities(self, names: Mapping[str, str]) -> None:
        """Community names, measured now: a mapping made later never widens the column."""
        self._community_names = names
        self.note_cells(("community", Text(name)) for name in names.values())

    def _cells(self, group: ReceivedGroup) -> tuple[Text, ...]:
        """Every cell as literal text: group and community names are the directory's."""
        mapping = group.mapping
        community = self._community_names.get(mapping.community_id, "?") if mapping else "—"
        members = str(group.member_count)
        if group.nested_group_count:
            members += f" +{group.nested_group_count}g"
        mark = MARK if group.id in self.marked else " "
        role = role_word(self, mapping.role) if mapping else ""
        cells = (mark, group.display_name, members, community, role)
        texts = tuple(cell(shown(value, multiline=False)) for value in cells)
        texts[1].truncate(GROUP_NAME_MAX, overflow="ellipsis")
        self.note_cells(zip(COLUMNS, texts, strict=True))
        return texts

    def cut_text(self, row_key: RowKey | str) -> str:
        """The whole group name and community of a row whose cells are cut."""
        text = super().cut_text(row_key)
        wanted = row_key.value if isinstance(row_key, RowKey) else row_key
        group = next((g for g, key in self._rows.items() if key == wanted), None)
        if not text or group is None:
            return text
        found = self.groups[group]
        community = ""
        if found.mapping is not None:
            community = self._community_names.get(found.mapping.community_id, "?")
        parts = [
            found.display_name,
            community,
            role_word(self, found.mapping.role) if found.mapping else "",
        ]
        return " → ".join(shown(p, multiline=False).plain for p in parts if p)

    def add_groups(self, groups: Iterable[ReceivedGroup]) -> None:
        """Append rows (the next page); groups already shown are skipped."""
        for group in groups:
            if group.id in self.groups:
                continue
            key = f"row-{len(self.groups)}"
            self.groups[group.id] = group
            self._rows[group.id] = key
            self.add_row(*self._cells(group), key=key)

    def show_page(self, groups: Sequence[ReceivedGroup]) -> None:
        """Show a new first page (a search's answer) in the rows already on screen.

        Rows that exist are rewritten in place (only those that changed are repainted), surplus
        rows are removed from the end and missing ones appended: no clear-and-rebuild, no column
        re-measured unless a name is wider than its column. The cursor goes back to the first
        row, as after a new search. (It replaces `reset()` + `add_groups()`.)
        """
        self.marked.clear()
        unique = list({group.id: group for group in groups}.values())
        reused = min(len(unique), self.row_count)
        self.groups = {group.id: group for group in unique[:reused]}
        self._rows = {group.id: f"row-{index}" for index, group in enumerate(unique[:reused])}
        self._write_rows(unique[:reused])  # an unchanged row: not rewritten, not repainted
        for index in range(self.row_count - 1, reused - 1, -1):
            self.remove_row(f"row-{index}")
        self.add_groups(unique[reused:])
        if self.row_count:
            self.move_cursor(row=0, animate=False)
        self.scroll_to(y=0, animate=False, immediate=True)

    def _write_rows(self, groups: Iterable[ReceivedGroup]) -> None:
        """Rewrite rows' cells in place through `FittedTable.write_rows` (only the rows that
        changed are refreshed; 500 `update_cell` calls per page were a third of a keystroke's
        CPU time), the group column re-measured only when a new name is wider than it."""
        group_column = ColumnKey("group")
        columns = [ColumnKey(c) for c in COLUMNS]
        rows = [
            (RowKey(self._rows[group.id]), dict(zip(columns, self._cells(group), strict=True)))
            for group in groups
        ]
        changed = set(self.write_rows(rows))
        width = self.columns[group_column].content_width
        for key, cells in rows:
            if key in changed and cell_len(cells[group_column].plain) > width:
                self._updated_cells.add(CellKey(key, group_column))
                self._require_update_dimensions = True

    def update_group(self, group: ReceivedGroup) -> None:
        if group.id not in self.groups:
            return
        self.groups[group.id] = group
        self._write_rows([group])

    def highlighted_id(self) -> str | None:
        if not self.row_count:
            return None
        ids = list(self.groups)  # row order: rows are only ever appended or rewritten in place
        row = self.cursor_row
        return ids[row] if 0 <= row < len(ids) else None

    def targets(self) -> list[str]:
        """What a bulk action applies to: the marked rows, else the highlighted one."""
        if self.marked:
            return [gid for gid in self.groups if gid in self.marked]
        current = self.highlighted_id()
        return [current] if current else []

    def action_toggle_mark(self) -> None:
        """Space: mark or unmark the highlighted row, then go to the next one."""
        if self._toggle_highlighted() and self.cursor_row < self.row_count - 1:
            self.move_cursor(row=self.cursor_row + 1)

    def _toggle_highlighted(self) -> bool:
        group_id = self.highlighted_id()
        if group_id is None:
            return False
        self.marked.symmetric_difference_update({group_id})
        self.update_group(self.groups[group_id])
        return True

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter, or a click on the highlighted row, marks it as Space does (staying put: the
        mouse is on it). A first click on another row highlights it: what m and x act on."""
        event.stop()
        self._toggle_highlighted()

    def watch_cursor_coordinate(self, old: object, new: object) -> None:
        super().watch_cursor_coordinate(old, new)  # type: ignore[arg-type]
        moved = old != new  # rows being added re-validate the cursor without moving it
        if moved and self.row_count and self.cursor_row >= self.row_count - PREFETCH_MARGIN:
            self.post_message(self.MoreWanted())

    def watch_scroll_y(self, old: float, new: float) -> None:
        """Scrolled (wheel, scrollbar) near the last loaded rows: ask for more, as the cursor
        does, so a first page sized to the screen never ends where the admin looks."""
        super().watch_scroll_y(old, new)
        bottom = new + self.scrollable_content_region.height
        if new > old and self.row_count and bottom >= self.row_count - PREFETCH_MARGIN:
            self.post_message(self.MoreWanted())
