"""FittedTable draws a one-line `Text` cell itself (faster than Rich's generic path): the lines
it draws must be exactly the lines DataTable's own `_render_cell` draws, for every kind of cell
the screens put in it (cut with "…", wide characters, styled spans, control characters made
visible, empty), under the cursor and not, on zebra stripes and not."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from screens.foreign_text import shown
from screens.widgets.fitted_table import FittedTable, cell

VALUES = [
    "Steeple - Équipe 00042 - Users",
    "x" * 90,  # cut with "…"
    "東京チーム 管理者グループ・とても長い名前のグループ",  # wide characters, cut mid-glyph
    "bell\x07 and [bold]markup[/bold] and \x1b[31mansi",  # made visible, never interpreted
    "",
    "a",
]


class Table(FittedTable):
    FLEXIBLE = ("name",)


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Table(cursor_type="row", zebra_stripes=True)


def _cells() -> list[Text]:
    styled = Text("styled ")
    styled.append("span", style="bold red")
    styled.append(" and more text than fits", style=Style(italic=True))
    return [cell(shown(value, multiline=False)) for value in VALUES] + [cell(styled)]


async def test_the_fast_path_draws_what_datatable_draws() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(Table)
        table.add_fitted_column("Name", "name")
        table.add_fitted_column("N", "n", 3)
        texts = _cells()
        table.note_cells(("name", text) for text in texts)
        for index, text in enumerate(texts):
            table.add_row(text, cell(Text(str(index))), key=f"row-{index}")
        await pilot.pause()
        assert table._plain_cell(0, 0) is not None  # the fast path is the one under test
        compared = 0
        for row in range(table.row_count):
            for column in range(len(table.columns)):
                width = table.ordered_columns[column].get_render_width(table)
                for base in (Style(), Style(bgcolor="blue"), Style(color="red", bold=True)):
                    for cursor, hover in ((False, False), (True, False), (False, True)):
                        fast = table._render_cell(row, column, base, width, cursor, hover)
                        table._cell_render_cache.clear()
                        own = DataTable._render_cell(table, row, column, base, width, cursor, hover)
                        table._cell_render_cache.clear()
                        assert fast == own, (row, column, base, cursor, hover)
                        compared += 1
        assert compared == table.row_count * 2 * 9


async def test_headers_and_other_renderables_keep_datatables_path() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(Table)
        table.add_fitted_column("Name", "name")
        table.add_row(Text("one\ttab"), key="tab")
        table.add_row(Text("two\nlines"), key="lines", height=2)
        await pilot.pause()
        assert table._plain_cell(-1, 0) is None  # the header
        assert table._plain_cell(0, 0) is None  # a tab: Rich expands it
        assert table._plain_cell(1, 0) is None  # a taller row
