"""FittedTable draws its rows for the width it has now, even before it has handled the Resize.

Under load a snapshot of the provisioning step showed the request stream's header and highlighted
row stopping two cells short of the table's right edge: the compositor drew the table at its new
width (a scrollbar beside it had gone) while DataTable still served rows cached for the old one.
"""

from __future__ import annotations

from rich.color import Color
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.strip import Strip

from screens.widgets.fitted_table import FittedTable


class LateToResize(FittedTable):
    """A table whose Resize events are not handled yet: the moment a loaded machine shows."""

    def _on_resize(self, event: events.Resize) -> None:
        event.prevent_default()  # neither DataTable nor FittedTable sees it


class OneTable(App[None]):
    CSS = "LateToResize { width: 1fr; }"

    def compose(self) -> ComposeResult:
        yield LateToResize(cursor_type="row")


def backgrounds(strip: Strip) -> list[Color | None]:
    return [segment.style.bgcolor if segment.style else None for segment in strip]


async def test_the_highlighted_row_reaches_the_edge_after_a_resize() -> None:
    app = OneTable()
    async with app.run_test(size=(50, 8)) as pilot:
        table = app.query_one(LateToResize)
        table.add_fitted_column("name", "name", 10)
        table.add_row(Text("Ada"))
        await pilot.pause()
        table.render_lines(Region(0, 0, table.size.width, 2))  # drawn (and cached) at 50

        await pilot.resize_terminal(60, 8)
        await pilot.pause()
        width = table.size.width
        assert width == 60

        header, row = table.render_lines(Region(0, 0, width, 2))
        for line in (header, row):
            first, last = line.crop(0, 1), line.crop(width - 1, width)
            assert last.cell_length == 1
            assert backgrounds(last) == backgrounds(first), line.text
