"""A table whose columns always fit: at 80 columns a long name ends in "…" instead of pushing
the last column out of sight, the flexible column gives up width before the others and never
below its header, and the highlighted row is available whole (what the screens show under it)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.widgets.data_table import ColumnKey

from screens.widgets.fitted_table import FittedTable, cell
from tests.support.modal_host import WidgetHost

LONG = ("Steeple - Usine de Lyon - Administrateurs de la communauté des ateliers " * 2).strip()


class Groups(FittedTable):
    FLEXIBLE: ClassVar[tuple[str, ...]] = ("name",)


def make() -> Groups:
    return Groups(id="groups")


async def test_a_long_cell_is_cut_with_an_ellipsis_and_every_column_stays_on_screen() -> None:
    host = WidgetHost(make)
    async with host.run_test(size=(80, 24)) as pilot:
        table = host.query_one(Groups)
        table.add_fitted_column("Name", "name")
        table.add_fitted_column("Role", "role")
        rows = [("name", cell(Text(LONG))), ("role", cell(Text("Administrators")))]
        table.note_cells(rows)
        table.add_row(*(text for _, text in rows), key="g1")
        table.add_row(cell(Text("Sales")), cell(Text("Members")), key="g2")
        await pilot.pause()
        widths = {key: table.columns[ColumnKey(key)].width for key in ("name", "role")}
        padding = 2 * table.cell_padding * len(widths)
        assert sum(widths.values()) + padding <= table.size.width  # nothing off screen
        assert widths["role"] == len("Administrators")  # the fixed one keeps its width
        assert len("Name") <= widths["name"] < len(LONG)  # the flexible one gave way
        assert table.cut_text("g1") == f"{LONG}  Administrators"
        assert table.cut_text("g2") == ""  # nothing cut: nothing to show under the table
        assert table.highlighted_cut_text() == table.cut_text("g1")
