"""A table whose columns always fit its width: wide cells end in "…", no column ever disappears.

A DataTable sizes each column to its widest cell and scrolls sideways when they do not fit, so on
an 80-column terminal the last columns (a role, a reason) slid out of sight and a name was cut
with nothing saying so. Here the flexible columns (names, reasons) give up width, in the order
the table says (a reason before a name), never below their header; the others keep theirs. A cut
cell ends in "…", and the screen shows the highlighted row whole (`cut_text`) under the table:
the way to read any value.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual._types import SegmentLines
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import DataTable, Static
from textual.widgets.data_table import ColumnKey, RowKey

from screens.foreign_text import shown


def show_whole_row(table: FittedTable, detail: Static) -> None:
    """Under `table`, its highlighted row whole when a column cuts it; nothing otherwise."""
    text = table.highlighted_cut_text()
    detail.update(shown(text))
    detail.display = bool(text)


def cell(text: Text) -> Text:
    """`text` as a one-line cell that ends in "…" when its column is narrower than it."""
    text.no_wrap = True
    text.overflow = "ellipsis"
    return text


class FittedTable(DataTable[Text]):
    """Rows of `Text` cells; `FLEXIBLE` names the columns that shrink when the width is short."""

    FLEXIBLE: ClassVar[tuple[str, ...]] = ()
    """Keys of the columns that may shrink, the last first: a name listed before a reason keeps
    its width until the reason is down to its header."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._natural: dict[str, int] = {}
        """Column key → the widest cell (or header) ever added: the width it would like."""
        self._widths: dict[str, int] = {}
        """Column key → the width given to it by the last fit."""
        self._drawn_width = 0
        """The width the cached rows were drawn for (see `render_lines`)."""

    def add_fitted_column(self, label: str, key: str, width: int | None = None) -> None:
        """A column keyed `key`; `width` fixes it (a mark, a time), else it follows its cells."""
        self.add_column(label, key=key, width=width)
        self._natural[key] = max(cell_len(label), width or 0)

    def note_cells(self, cells: Iterable[tuple[str, Text]]) -> None:
        """Record the widths of cells about to be added (cheaper than measuring the table)."""
        grew = False
        for key, text in cells:
            width = cell_len(text.plain)
            if width > self._natural.get(key, 0):
                self._natural[key] = width
                grew = True
        if grew:
            self.fit_columns()

    def on_resize(self, event: events.Resize) -> None:
        self.fit_columns()

    def render_lines(self, crop: Region) -> list[Strip]:
        """Rows drawn for the width the table has now, even before its Resize event is handled.

        DataTable caches each row's drawing (the cursor and header colour run to the right edge)
        under a counter it bumps when it handles Resize, not under the width. The compositor
        draws at the new width as soon as the layout changes, so a frame drawn in between — a
        snapshot taken on a loaded machine — showed the highlighted row and the header stopping
        two cells short of the edge (the width of a scrollbar that had just gone).
        """
        if self.size.width != self._drawn_width:
            self._drawn_width = self.size.width
            self._update_count += 1
        return super().render_lines(crop)

    def fit_columns(self) -> None:
        """Give every column its natural width if all fit, else shrink the flexible ones."""
        if not self.columns:
            return
        padding = 2 * self.cell_padding
        # room for a vertical scrollbar is kept: it appears with the rows, with no resize event
        available = self.size.width - self.styles.scrollbar_size_vertical
        if self.size.width <= 0 or available <= 0:
            return
        widths = {key: self._natural.get(key, 0) for key in self._keys()}
        headers = {key: cell_len(self.columns[ColumnKey(key)].label.plain) for key in self._keys()}
        excess = sum(widths.values()) + padding * len(widths) - available
        for key in reversed(self.FLEXIBLE):
            if excess <= 0 or key not in widths:
                break
            given = min(excess, max(0, widths[key] - headers[key]))
            widths[key] -= given
            excess -= given
        if widths == self._widths:
            return
        self._widths = widths
        for key, width in widths.items():
            column = self.columns[ColumnKey(key)]
            column.auto_width = False
            column.width = width
        self._require_update_dimensions = True
        self.refresh()

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> SegmentLines:
        """A one-line `Text` cell drawn straight from its segments: the same line DataTable draws
        (padding, "…", the cursor's and the CSS styles, the row/column meta for the mouse),
        without Rich's generic layout of a `Padding` in a `Styled` (wrap, split, crop, shape),
        which was most of a search keystroke's CPU once a page fills the screen
        (bench/large_directory.py). Anything else (headers, fixed cells, tabs, other
        renderables, taller rows) goes to DataTable's own path; tests compare the two."""
        found = self._plain_cell(row_index, column_index)
        if found is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key, column_key, text = found
        cache_key = (
            row_key,
            column_key,
            base_style,
            cursor,
            hover,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        cached = self._cell_render_cache.get(cache_key)
        if cached is not None:
            return cached
        component_style, post_style = self._get_styles_to_render_cell(
            False,
            False,
            False,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        meta = Style.from_meta({"row": row_index, "column": column_index})
        pre_style = base_style + meta + component_style
        inner = max(0, width - 2 * self.cell_padding)
        shown = text.copy()
        shown.truncate(inner, overflow=text.overflow)
        blank = Style()
        segments = [Segment(" " * self.cell_padding, blank)] if self.cell_padding else []
        segments.extend(shown.render(self.app.console, end=""))
        filled = cell_len(shown.plain)
        if filled < inner:
            segments.append(Segment(" " * (inner - filled), blank))
        if self.cell_padding:
            segments.append(Segment(" " * self.cell_padding, blank))
        line = list(Segment.apply_style(segments, style=pre_style, post_style=post_style))
        lines: SegmentLines = [line]
        self._cell_render_cache[cache_key] = lines
        return lines

    def _plain_cell(
        self, row_index: int, column_index: int
    ) -> tuple[RowKey, ColumnKey, Text] | None:
        """The cell's keys and `Text` when the fast path draws it as DataTable would, else None."""
        if row_index < self.fixed_rows or column_index < self.fixed_columns:
            return None  # also the header (-1) and row labels (-1)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        if row_key is None or column_key is None:
            return None
        row = self.rows.get(row_key)
        value = self._data.get(row_key, {}).get(column_key)
        if row is None or row.height != 1 or not isinstance(value, Text):
            return None
        if not value.no_wrap or value.justify not in (None, "default"):
            return None
        if "\n" in value.plain or "\t" in value.plain or value.end != "\n":
            return None
        return row_key, column_key, value

    def _keys(self) -> list[str]:
        return [str(column.key.value) for column in self.ordered_columns]

    def cut_text(self, row_key: RowKey | str) -> str:
        """The row's cells whole, one after the other, when one of them is cut; else ""."""
        try:
            row = self.get_row(row_key)
        except Exception:  # the row went (the table keeps only its newest rows)
            return ""
        keys = self._keys()
        cut = any(
            cell_len(value.plain) > self._widths.get(key, cell_len(value.plain))
            for key, value in zip(keys, row, strict=False)
        )
        if not cut:
            return ""
        return "  ".join(value.plain for value in row if value.plain.strip())

    def highlighted_cut_text(self) -> str:
        """`cut_text` of the row under the cursor ("" with no rows)."""
        if not self.row_count:
            return ""
        row_key = self.ordered_rows[min(self.cursor_row, self.row_count - 1)].key
        return self.cut_text(row_key)
