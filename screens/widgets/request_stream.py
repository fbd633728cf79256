"""The live "heard from Entra" list: inbound SCIM requests as the instance logged them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import DataTable

from assistant.i18n import TEXTS
from screens.foreign_text import shown
from screens.words import say

if TYPE_CHECKING:
    from assistant.contract import RequestLogEntry

MAX_ROWS = 200
"""Only the newest requests stay on screen: the full log lives on the instance."""


class RequestStream(DataTable[Text]):
    """Newest request at the bottom; the admin sees Entra's traffic without reading server logs."""

    DEFAULT_CSS = """
    RequestStream { height: 1fr; min-height: 5; border: round $panel; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self.border_title = say(self, "stream.title")
        self._seen: set[int] = set()

    def on_mount(self) -> None:
        keys = ("stream.time", "stream.status", "stream.request", "stream.what")
        self.add_columns(*(say(self, key) for key in keys))

    def add_entries(self, entries: Iterable[RequestLogEntry]) -> int:
        """Append the entries not already shown; returns how many were new."""
        added = 0
        for entry in entries:
            if entry.seq in self._seen:
                continue
            self._seen.add(entry.seq)
            status = str(entry.status)
            what = entry.summary or f"{entry.method} {entry.path.split('?')[0]}"
            self.add_row(  # the path and summary quote whatever the caller sent: literal text
                Text(entry.time.strftime("%H:%M:%S")),
                Text(status),
                shown(kind_label(self, entry.kind), multiline=False),
                shown(what, multiline=False),
                key=str(entry.seq),
            )
            added += 1
        while self.row_count > MAX_ROWS:
            first = next(iter(self.rows))
            self.remove_row(first)
        if added:
            self.move_cursor(row=self.row_count - 1)
        return added

    def _follow_newest(self) -> None:
        """Show the newest request again while the cursor is on it (the admin did not move up).

        The table measures new rows later (on idle), and a long row adds a horizontal scrollbar
        that takes a line: the scroll done by `move_cursor` can land one or two rows short, which
        hid the newest request — the one the admin waits for, e.g. a 401.
        """
        if self.row_count and self.cursor_row == self.row_count - 1:
            self.scroll_end(animate=False)

    def watch_virtual_size(self) -> None:
        self._follow_newest()

    def on_resize(self) -> None:
        self._follow_newest()


def kind_label(node: DataTable[Text], kind: str) -> str:
    """The request kind in the app's language; a kind this build does not know is shown as sent."""
    key = f"stream.kind_{kind}"
    return say(node, key) if key in TEXTS else kind.replace("_", " ")
