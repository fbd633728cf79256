"""A table whose columns always fit its width: wide cells end in "…", no column ever disappears.

A DataTable sizes each column to its widest cell and scrolls sideways when they do not fit, so on
an 80-column terminal the last columns (a role, a reason) slid out of sight and a name was cut
with nothing saying so. Here the flexible columns (names, reasons) give up width, in the order
the table says (a reason before a name), never below their header; the others keep theirs. A cut
cell ends in "…", and the screen shows the highlighted row whole (`cut_text`) under the table:
the way to read any value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import count
from typing import ClassVar, Self

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual._segment_tools import line_crop
from textual._types import SegmentLines
from textual.cache import LRUCache
from textual.color import Color
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
        # before DataTable's own __init__, which may clear the caches
        self._versions = count(1)
        self._row_versions: dict[RowKey, int] = {}
        """Row key → a number that changes whenever that row's cells do (`write_rows`,
        `add_row`, `update_cell`): what the row-line cache knows a row by, so that writing one
        row does not throw away the drawing of the others (DataTable keys its caches on one
        counter for the whole table)."""
        self._row_lines: LRUCache[tuple[object, ...], Strip] = LRUCache(1024)
        """A data row's whole line (see `_render_line`)."""
        self._frame_key: tuple[object, ...] = ()
        """What every row line of this frame depends on beside the row (see `render_lines`)."""
        self._frame_columns: list[tuple[ColumnKey, int]] = []
        """The columns of this frame, in order, with their render widths."""
        self._frame_styles: dict[tuple[object, ...], tuple[Style, Style, Style]] = {}
        """Styles worked out once per frame for every fresh row that needs them."""
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
        self._frame_columns = [
            (column.key, column.get_render_width(self)) for column in self.ordered_columns
        ]
        self._frame_styles = {}
        self._frame_key = (
            self.size.width,
            self.cell_padding,
            self.zebra_stripes,
            self.show_cursor,
            self.cursor_foreground_priority,
            self.cursor_background_priority,
            tuple(self._frame_columns),
        )
        return super().render_lines(crop)

    def write_rows(self, rows: Iterable[tuple[RowKey, Mapping[ColumnKey, Text]]]) -> list[RowKey]:
        """Put each row's cells in place (what `update_cell` does per cell); returns the rows
        that changed. A row whose cells are what it shows already is left alone: its drawing
        stays cached and its lines are not repainted, so a search that brings back the rows
        on screen (a refined or widened query, a backspace) repaints nothing in the table.
        Changed rows get a new version and only the lines from the first changed row to the
        last are refreshed (the unchanged ones between them come from the row-line cache)."""
        changed: list[RowKey] = []
        data = self._data
        for row_key, cells in rows:
            old = data.get(row_key)
            if old is not None and _same_cells(old, cells):
                continue
            data[row_key] = dict(cells)
            self._row_versions[row_key] = next(self._versions)
            changed.append(row_key)
        if changed:
            self._update_count += 1  # DataTable's own caches (header, other kinds of cells)
            indices = [self.get_row_index(row_key) for row_key in changed]
            first, last = self._get_row_region(min(indices)), self._get_row_region(max(indices))
            self._refresh_region(first.union(last))  # one region: `refresh_row` is O(rows)
        return changed

    def add_row(
        self,
        *cells: Text,
        height: int | None = 1,
        key: str | None = None,
        label: str | Text | None = None,
    ) -> RowKey:
        row_key = super().add_row(*cells, height=height, key=key, label=label)
        self._row_versions[row_key] = next(self._versions)  # a key may come back after removal
        return row_key

    def update_cell(
        self,
        row_key: RowKey | str,
        column_key: ColumnKey | str,
        value: Text,
        *,
        update_width: bool = False,
    ) -> None:
        super().update_cell(row_key, column_key, value, update_width=update_width)
        key = row_key if isinstance(row_key, RowKey) else RowKey(row_key)
        self._row_versions[key] = next(self._versions)

    def clear(self, columns: bool = False) -> Self:
        self._row_versions.clear()  # rows added afterwards get new versions
        return super().clear(columns)

    def remove_row(self, row_key: RowKey | str) -> None:
        super().remove_row(row_key)
        self._row_versions.pop(row_key if isinstance(row_key, RowKey) else RowKey(row_key), None)

    def _clear_caches(self) -> None:
        super()._clear_caches()
        self._row_lines.clear()

    def notify_style_update(self) -> None:
        self._row_lines.clear()  # a theme or CSS change: every line is drawn anew
        super().notify_style_update()

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        """A data row's line from the row-line cache, drawn once per state of that row.

        DataTable caches a line under the whole table's update counter and the exact cursor and
        hover coordinates, so any write, cursor move or hover drew every visible row again;
        here a line is kept for its row's version, its position, and whether the cursor or the
        hover cursor is on it (the width, columns and styles of the frame too: `_frame_key`).
        Headers, fixed rows or columns, row labels, taller rows and cell or column cursors go
        to DataTable's own path. The line is the one DataTable draws (tests compare them)."""
        row = self._plain_row(y)
        if row is None:
            return super()._render_line(y, x1, x2, base_style)
        row_key, row_index = row
        cursor_type = self.cursor_type
        cursor = cursor_type == "row" and self.cursor_coordinate.row == row_index
        hover = cursor_type == "row" and self.hover_coordinate.row == row_index
        cache_key = (
            row_key,
            self._row_versions.get(row_key, 0),
            row_index,
            x1,
            x2,
            base_style,
            cursor_type,
            cursor,
            hover,
            self._show_hover_cursor,
            self._pseudo_class_state,
            self._frame_key,
        )
        strip = self._row_lines.get(cache_key)
        if strip is None:
            strip = self._draw_row(row_index, x1, x2, base_style, cursor, hover)
            self._row_lines[cache_key] = strip
        return strip

    def _plain_row(self, y: int) -> tuple[RowKey, int] | None:
        """The key and index of the one-line data row at line `y`, when the row-line cache may
        draw it; None for a header, a blank line, and what `_render_line` leaves to DataTable."""
        if self.cursor_type not in ("row", "none") or self.fixed_columns or self.fixed_rows:
            return None
        if self._labelled_row_exists and self.show_row_labels:
            return None
        try:
            row_key, line_no = self._get_offsets(y)
        except LookupError:
            return None
        if row_key is self._header_row_key or line_no:
            return None
        row = self.rows.get(row_key)
        if row is None or row.height != 1:
            return None
        return row_key, self.get_row_index(row_key)

    def _draw_row(
        self, row_index: int, x1: int, x2: int, base_style: Style, cursor: bool, hover: bool
    ) -> Strip:
        """One data row as DataTable's `_render_line_in_row` and `_render_line` draw it: its
        cells, the row's colour carried to the right edge, cropped to `x1`–`x2`.

        The styles shared by the row's cells are worked out once per frame (`_row_styles`),
        and a cell of plain text (no spans, no style: what `screens.foreign_text.shown`
        gives) is one segment — the segments DataTable draws for it all carry the same style
        and the line is simplified into one anyway. Other cells go through `_render_cell`."""
        pre_row, post, extend_style = self._row_styles(row_index, base_style, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        values = self._data.get(row_key, {}) if row_key is not None else {}
        padding = self.cell_padding
        blank = " " * padding
        segments: list[Segment] = []
        append = segments.append
        x = 0
        for column_index, (column_key, width) in enumerate(self._frame_columns):
            x += width
            meta = Style.from_meta({"row": row_index, "column": column_index})
            value = values.get(column_key)
            inner = max(0, width - 2 * padding)
            if (
                isinstance(value, Text)
                and not value._spans
                and not value.style
                and _one_line(value)
            ):
                plain = value.plain
                length = cell_len(plain)
                if length > inner:
                    cut = value.copy()
                    cut.truncate(inner, overflow=value.overflow)
                    plain = cut.plain
                    length = cell_len(plain)
                fill = " " * max(0, inner - length)
                append(Segment(f"{blank}{plain}{fill}{blank}", pre_row + meta + post))
            else:
                row_style = self._get_row_style(row_index, base_style)
                cell = self._render_cell(row_index, column_index, row_style, width, cursor, hover)
                segments.extend(cell[0])
        width = self.size.width
        extend = extend_style + Style.from_meta(
            {"row": row_index, "column": 0, "out_of_bounds": True}
        )
        segments.append(Segment(" " * max(0, width - x), extend))
        if x1 or x2 < max(x, width):
            segments = line_crop(segments, x1, x2, width)
        return Strip(segments).adjust_cell_length(width, base_style).simplify()

    def _row_styles(
        self, row_index: int, base_style: Style, cursor: bool, hover: bool
    ) -> tuple[Style, Style, Style]:
        """(the style before a plain cell's meta, the style after it, the row's filler style):
        what DataTable works out for every cell of every row, once per frame and row kind."""
        parity = row_index % 2 if self.zebra_stripes else -1
        key = (parity, base_style, cursor, hover, self._show_hover_cursor)
        found = self._frame_styles.get(key)
        if found is not None:
            return found
        row_style = self._get_row_style(row_index, base_style)
        component, post = self._cell_styles(cursor, hover)
        if self.cursor_type == "row":
            extend = row_style + self._cell_styles(cursor, hover, css_priority=False)[0]
        elif row_style.bgcolor is not None:
            faded = Color.from_rich_color(row_style.bgcolor).blend(
                self.background_colors[1], factor=0.25
            )
            extend = Style.from_color(color=row_style.color, bgcolor=faded.rich_color)
        else:
            extend = Style.from_color(row_style.color, row_style.bgcolor)
        # a cell adds its meta to the first style: meta carries no colour and no attribute
        found = self._frame_styles[key] = (row_style + component, post, extend)
        return found

    def _cell_styles(
        self, cursor: bool, hover: bool, css_priority: bool = True
    ) -> tuple[Style, Style]:
        """DataTable's (component, post) styles of a data cell under the cursor or hover or
        not; without `css_priority` as for the filler right of the last column."""
        return self._get_styles_to_render_cell(
            False,
            False,
            False,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            css_priority and self.cursor_foreground_priority == "css",
            css_priority and self.cursor_background_priority == "css",
        )

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
        self._update_count += 1  # DataTable's caches do not know column widths: the header too
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
        component_style, post_style = self._cell_styles(cursor, hover)
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
        if value.style:  # `Text.render` draws the spans only: the base style is `join`'s
            return None
        return (row_key, column_key, value) if _one_line(value) else None

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


def _one_line(text: Text) -> bool:
    """`text` draws as one line cut with its overflow: what DataTable's path would draw too."""
    if not text.no_wrap or text.justify not in (None, "default") or text.end != "\n":
        return False
    plain = text.plain
    return "\n" not in plain and "\t" not in plain


def _same_cells(old: Mapping[ColumnKey, object], new: Mapping[ColumnKey, Text]) -> bool:
    """The two rows show the same thing: same columns, and `Text`s equal in what they draw
    (`Text.__eq__` compares the characters and spans, not the base style or the overflow)."""
    if old.keys() != new.keys():
        return False
    for key, text in new.items():
        was = old[key]
        if not isinstance(was, Text) or was != text:
            return False
        if (was.style, was.overflow, was.no_wrap, was.justify, was.end) != (
            text.style,
            text.overflow,
            text.no_wrap,
            text.justify,
            text.end,
        ):
            return False
    return True
