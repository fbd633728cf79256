"""FittedTable draws a data row's whole line itself and keeps it until that row changes: every
line must be the line DataTable's own `_render_line` draws — for every kind of cell the screens
put in it, under the cursor, the hover cursor, focus and not, cropped sideways — and must stay so
after anything that changes a line (a write, a cursor move, a theme, a width, a column, a row
removed and its key reused). A page that brings back the rows on screen draws nothing anew."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from unittest.mock import patch

from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widgets import DataTable, Input
from textual.widgets.data_table import ColumnKey, RowKey

from screens.foreign_text import shown
from screens.widgets.fitted_table import FittedTable, cell
from tests.screens.widgets.test_fitted_table_drawing import VALUES, Table


class Drawn(Table):
    """Notes the rows it draws anew (what the row-line cache did not have)."""

    drawn: list[int]

    def _draw_row(
        self, row_index: int, x1: int, x2: int, base_style: Style, cursor: bool, hover: bool
    ) -> Strip:
        self.drawn.append(row_index)
        return super()._draw_row(row_index, x1, x2, base_style, cursor, hover)


class TableApp(App[None]):
    CSS = """
    Drawn.loud > .datatable--even-row { background: red; }
    Drawn.loud > .datatable--cursor { color: yellow; }
    """

    def compose(self) -> ComposeResult:
        yield Input()
        yield Drawn(cursor_type="row", zebra_stripes=True)


def _styled() -> Text:
    styled = Text("styled ")
    styled.append("span", style="bold red")
    styled.append(" and more text than fits", style=Style(italic=True))
    return cell(styled)


def _row(index: int, value: str) -> dict[ColumnKey, Text]:
    name = _styled() if index == len(VALUES) else cell(shown(value, multiline=False))
    return {
        ColumnKey("name"): name,
        ColumnKey("n"): cell(Text(str(index))),
        ColumnKey("role"): cell(shown("admin" if index % 2 else "member")),
    }


async def _table(pilot: Pilot[None]) -> Drawn:
    table = pilot.app.query_one(Drawn)
    table.drawn = []
    table.add_fitted_column("Name", "name")
    table.add_fitted_column("N", "n", 3)
    table.add_fitted_column("Role", "role")
    for index, value in enumerate([*VALUES, "styled"]):
        cells = _row(index, value)
        table.note_cells((str(key.value), text) for key, text in cells.items())
        table.add_row(*cells.values(), key=f"row-{index}")
    await pilot.pause()
    return table


def _lines(table: FittedTable, x1: int, x2: int) -> tuple[list[Strip], list[Strip]]:
    """Every line of the table as it draws it now (its caches as they are), and as DataTable's
    own path draws it from scratch, its own cells included."""
    table.render_lines(Region(0, 0, table.size.width, table.size.height))  # the frame's state
    base = table.rich_style
    height = table.header_height + table.row_count + 2  # and blank lines under the rows
    ours = [table._render_line(y, x1, x2, base) for y in range(height)]
    table._line_cache.clear()
    table._row_render_cache.clear()
    table._cell_render_cache.clear()
    own_cells = partial(DataTable._render_cell, table)  # not FittedTable's cell path either
    with patch.object(table, "_render_cell", own_cells):
        theirs = [DataTable._render_line(table, y, x1, x2, base) for y in range(height)]
    table._line_cache.clear()
    table._row_render_cache.clear()
    table._cell_render_cache.clear()
    return ours, theirs


def _assert_same(table: FittedTable, what: str) -> None:
    width = table.size.width
    for x1, x2 in ((0, width), (2, width + 2), (5, width - 7)):
        ours, theirs = _lines(table, x1, x2)
        for y, (mine, own) in enumerate(zip(ours, theirs, strict=True)):
            assert list(mine) == list(own), (what, y, x1, x2)


async def test_a_row_line_is_the_line_datatable_draws_in_every_state() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = await _table(pilot)
        assert table._plain_row(1) is not None  # the row path is the one under test
        _assert_same(table, "cursor on the first row, not focused")
        table.focus()
        await pilot.pause()
        _assert_same(table, "focused")
        table.move_cursor(row=3)
        await pilot.pause()
        _assert_same(table, "cursor on a middle row")
        table._set_hover_cursor(True)
        table.hover_coordinate = Coordinate(5, 1)
        await pilot.pause()
        _assert_same(table, "hover cursor shown")
        table.show_cursor = False
        await pilot.pause()
        _assert_same(table, "cursor hidden")
        table.cursor_type = "none"
        await pilot.pause()
        _assert_same(table, "no cursor type")


async def test_the_row_line_cache_follows_every_change() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = await _table(pilot)
        table.focus()

        async def after(what: str, change: Callable[[], object]) -> None:
            _lines(table, 0, table.size.width)  # the lines are cached before the change
            result = change()
            if isinstance(result, Awaitable):
                await result
            await pilot.pause()
            _assert_same(table, what)

        await after("cursor moved", lambda: table.move_cursor(row=2))
        await after("theme", lambda: setattr(app, "theme", "textual-light"))
        await after("the rows' own styles", lambda: table.add_class("loud"))
        await after("narrower", lambda: pilot.resize_terminal(44, 20))
        await after("wider", lambda: pilot.resize_terminal(90, 20))
        wider = {**_row(1, "y" * 30), ColumnKey("role"): cell(Text("administrator of all"))}
        await after(
            "a column widened", lambda: table.note_cells([("role", wider[ColumnKey("role")])])
        )
        await after("a row rewritten", lambda: table.write_rows([(RowKey("row-1"), wider)]))
        await after("a cell updated", lambda: table.update_cell("row-2", "n", cell(Text("99"))))
        await after("zebra stripes off", lambda: setattr(table, "zebra_stripes", False))
        await after("wider padding", lambda: setattr(table, "cell_padding", 2))
        await after("sorted", lambda: table.sort("n", key=lambda text: text.plain))
        await after("row removed", lambda: table.remove_row("row-4"))
        await after("key reused", lambda: table.add_row(*_row(9, "back").values(), key="row-4"))
        await after("blurred", lambda: app.query_one(Input).focus())

        def refill() -> None:
            table.clear()
            for index, value in enumerate(reversed(VALUES)):
                table.add_row(*_row(index, value).values(), key=f"row-{index}")

        await after("cleared and filled again under the same keys", refill)


async def test_a_page_that_brings_back_the_rows_on_screen_draws_nothing_anew() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = await _table(pilot)
        rows = [(RowKey(f"row-{i}"), _row(i, value)) for i, value in enumerate(VALUES)]
        table.drawn.clear()
        assert table.write_rows(rows) == []  # the same cells: nothing written
        await pilot.pause()
        assert table.drawn == []  # nor drawn again
        changed = _row(2, "Sales - Users")
        assert table.write_rows([*rows[:2], (RowKey("row-2"), changed), *rows[3:]]) == [
            RowKey("row-2")
        ]
        await pilot.pause()
        assert set(table.drawn) == {2}  # the changed row only
        shown_now = table.render_lines(Region(0, 0, table.size.width, table.size.height))
        line = "".join(segment.text for segment in shown_now[table.header_height + 2])
        assert "Sales - Users" in line  # and it reached the screen
        assert table.get_row("row-2")[0].plain == "Sales - Users"
        table.move_cursor(row=4)
        table.drawn.clear()
        await pilot.pause()
        assert set(table.drawn) == {0, 4}  # a cursor move: the two rows it left and reached


async def test_a_cell_with_a_base_style_is_drawn_with_it() -> None:
    """A cell with a base style keeps it (`Text.render` alone would drop it), and a change of
    style alone is a change."""
    app = TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = await _table(pilot)
        red = {**_row(1, VALUES[1]), ColumnKey("name"): cell(Text(VALUES[1], style="red"))}
        assert table.write_rows([(RowKey("row-1"), red)]) == [RowKey("row-1")]  # not the cursor's
        await pilot.pause()
        _assert_same(table, "a cell with a base style")
        name = table._render_line(table.header_height + 1, 0, table.size.width, table.rich_style)
        assert any(s.style and s.style.color and s.style.color.name == "red" for s in name)
        bold = {**red, ColumnKey("name"): cell(Text(VALUES[1], style="bold"))}
        assert table.write_rows([(RowKey("row-1"), bold)]) == [RowKey("row-1")]  # only a style
