"""The live "heard from Entra" list: inbound SCIM requests as the instance logged them.

The stream follows the instance's request log itself (cursor and paging), so every step that
shows it (Entra, Provisioning) asks it to `follow` and nothing else: one implementation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from rich.text import Text
from textual import events
from textual.dom import DOMNode

from screens.foreign_text import shown
from screens.widgets.fitted_table import FittedTable, cell
from screens.words import known, say

if TYPE_CHECKING:
    from assistant.steeple.contract import RequestLogEntry, RequestLogPage

MAX_ROWS = 200
"""Only the newest requests stay on screen: the full log lives on the instance."""
PAGE_SIZE = 100
MAX_PAGES_PER_FOLLOW = 5
"""One `follow` reads at most this many pages, so a poll stays short; the next poll goes on."""


class RequestLogSource(Protocol):
    """What the stream reads: the admin API's request log (`SteepleClient.list_requests`)."""

    async def list_requests(self, after: str | None = None, limit: int = 50) -> RequestLogPage: ...


COLUMNS = ("time", "status", "request", "what")


class RequestStream(FittedTable):
    """Newest request at the bottom; the admin sees Entra's traffic without reading server logs.

    It also counts every request it reads per minute (`minute_counts`), rows dropped or not, for
    the dashboard's sparkline of Entra's traffic over the last hour.
    """

    DEFAULT_CSS = """
    RequestStream { height: 1fr; min-height: 5; border: round $primary; }
    """
    FLEXIBLE = ("request", "what")  # the summary gives way first

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.border_title = say(self, "stream.title")
        self._seen: set[int] = set()
        self.cursor: str | None = None
        """Where the next `follow` reads from: the last page's `next_cursor`."""
        self.minute_counts: Counter[datetime] = Counter()
        """Requests read, by the minute they arrived in (the instance's clock)."""

    def on_mount(self) -> None:
        for column in COLUMNS:
            self.add_fitted_column(
                say(self, f"stream.{column}"), column, 8 if column == "time" else None
            )

    async def follow(self, source: RequestLogSource) -> int:
        """Read the request log from where the last call stopped, page by page, and show it.

        Stops at a short page (caught up) or after `MAX_PAGES_PER_FOLLOW`, so a burst of
        thousands of requests is caught up over a few polls without one long read.
        Returns how many entries were new.
        """
        added = 0
        for _ in range(MAX_PAGES_PER_FOLLOW):
            page = await source.list_requests(after=self.cursor, limit=PAGE_SIZE)
            if page.next_cursor:
                self.cursor = page.next_cursor
            added += self.add_entries(page.items)
            if len(page.items) < PAGE_SIZE or not page.next_cursor:
                break
        return added

    def add_entries(self, entries: Iterable[RequestLogEntry]) -> int:
        """Append the entries not already shown; returns how many were new."""
        added = 0
        for entry in entries:
            if entry.seq in self._seen:
                continue
            self._seen.add(entry.seq)
            self.minute_counts[entry.time.replace(second=0, microsecond=0)] += 1
            status = str(entry.status)
            what = entry.summary or f"{entry.method} {entry.path.split('?')[0]}"
            cells = (  # the path and summary quote whatever the caller sent: literal text
                Text(entry.time.strftime("%H:%M:%S")),
                Text(status),
                cell(shown(kind_label(self, entry.kind), multiline=False)),
                cell(shown(what, multiline=False)),
            )
            self.note_cells(zip(COLUMNS, cells, strict=True))
            self.add_row(*cells, key=str(entry.seq))
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

    def on_resize(self, event: events.Resize) -> None:
        super().on_resize(event)
        self._follow_newest()


def kind_label(node: DOMNode, kind: str) -> str:
    """The request kind in the app's language; a kind this build does not know is shown as sent."""
    key = f"stream.kind_{kind}"
    return say(node, key) if known(key) else kind.replace("_", " ")
