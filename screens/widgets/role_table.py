"""Received groups → community and role, fed page by page so 10,000 groups stay responsive.

The table never holds more than the pages the admin scrolled to; reaching the last rows posts
`RoleTable.MoreWanted`, and the screen fetches the next page through the API.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import CellKey, ColumnKey, RowKey

from screens.foreign_text import shown
from screens.words import localise_bindings, say

if TYPE_CHECKING:
    from assistant.contract import ReceivedGroup

PREFETCH_MARGIN = 10
"""Ask for the next page when the cursor is this close to the last loaded row."""

COLUMNS = ("mark", "group", "members", "community", "role")
WIDTHS: dict[str, int | None] = {"mark": 1, "group": None, "members": 7, "community": 12, "role": 5}
"""Fixed widths where a later mapping would otherwise be cut to the first page's widest cell."""
GROUP_NAME_MAX = 56
"""Longer group names end in "…" here, so a 200-character name cannot push the community and
role columns off a 120-column screen (the search still matches the whole name)."""


class RoleTable(DataTable[Text]):
    """Rows keyed by group id; Space marks rows for bulk actions."""

    BINDINGS = [
        Binding("space", "toggle_mark", "key.mark", show=False),  # said above the table
        Binding("end", "scroll_bottom", "key.last_row", show=False),
        Binding("home", "scroll_top", "key.first_row", show=False),
    ]

    class MoreWanted(Message):
        """The cursor is near the end of the loaded rows: load the next page."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
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
            self.add_column(label, key=column, width=WIDTHS[column])

    def set_communities(self, names: Mapping[str, str]) -> None:
        self._community_names = names

    def _cells(self, group: ReceivedGroup) -> tuple[Text, ...]:
        """Every cell as literal text: group and community names are the directory's."""
        mapping = group.mapping
        community = self._community_names.get(mapping.community_id, "?") if mapping else "—"
        members = str(group.member_count)
        if group.nested_group_count:
            members += f" +{group.nested_group_count}g"
        mark = "●" if group.id in self.marked else " "
        cells = (mark, group.display_name, members, community, mapping.role if mapping else "")
        texts = tuple(shown(cell, multiline=False) for cell in cells)
        texts[1].truncate(GROUP_NAME_MAX, overflow="ellipsis")
        return texts

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

        Rows that exist are rewritten in place (one refresh for the page), surplus rows are
        removed from the end and missing ones appended: no clear-and-rebuild, and no column
        re-measured unless a name is wider than its column. The cursor goes back to the first
        row, as after a new search. (It replaces `reset()` + `add_groups()`.)
        """
        self.marked.clear()
        unique = list({group.id: group for group in groups}.values())
        reused = min(len(unique), self.row_count)
        self.groups = {group.id: group for group in unique[:reused]}
        self._rows = {group.id: f"row-{index}" for index, group in enumerate(unique[:reused])}
        for group in unique[:reused]:
            self._write_row(group, refresh=False)
        if reused:
            self.refresh()  # once for the page, not once per cell as `update_cell` does
        for index in range(self.row_count - 1, reused - 1, -1):
            self.remove_row(f"row-{index}")
        self.add_groups(unique[reused:])
        if self.row_count:
            self.move_cursor(row=0, animate=False)
        self.scroll_to(y=0, animate=False, immediate=True)

    def _write_row(self, group: ReceivedGroup, refresh: bool = True) -> None:
        """Rewrite one row's cells: what `DataTable.update_cell` does for each cell (data, update
        count, the group column re-measured only when the new name is wider), with at most one
        refresh; 500 `update_cell` calls per page were a third of a keystroke's CPU time."""
        key = RowKey(self._rows[group.id])
        cells = self._cells(group)
        self._data[key] = dict(zip((ColumnKey(c) for c in COLUMNS), cells, strict=True))
        self._update_count += 1
        name = cells[COLUMNS.index("group")]
        if name.cell_len > self.columns[ColumnKey("group")].content_width:
            self._updated_cells.add(CellKey(key, ColumnKey("group")))
            self._require_update_dimensions = True
        if refresh:
            self.refresh()

    def update_group(self, group: ReceivedGroup) -> None:
        if group.id not in self.groups:
            return
        self.groups[group.id] = group
        self._write_row(group)

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
        group_id = self.highlighted_id()
        if group_id is None:
            return
        self.marked.symmetric_difference_update({group_id})
        self.update_group(self.groups[group_id])
        if self.cursor_row < self.row_count - 1:
            self.move_cursor(row=self.cursor_row + 1)

    def watch_cursor_coordinate(self, old: object, new: object) -> None:
        super().watch_cursor_coordinate(old, new)  # type: ignore[arg-type]
        moved = old != new  # rows being added re-validate the cursor without moving it
        if moved and self.row_count and self.cursor_row >= self.row_count - PREFETCH_MARGIN:
            self.post_message(self.MoreWanted())
