"""The provisioning dashboard's pieces: big figures, Entra's traffic per minute, the countdown.

An admin waits through Entra's cycles of 25–40 minutes on this screen (and support staff watch it
over a shared screen): the figures people wait on are drawn large (Textual's `Digits`), Entra's
requests per minute over the last hour as a `Sparkline`, and the next cycle as a countdown. All
of it is computed from "now" as the app gives it, so frozen-clock snapshots are stable.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Digits, Static

from assistant.journey.cycle_clock import CycleWindow
from screens.words import say

HOUR_MINUTES = 60


class Figure(Vertical):
    """One number drawn large, what it counts under it, and an optional note ("38 active")."""

    DEFAULT_CSS = """
    Figure { height: auto; }
    Figure > .figure-label { color: $text-muted; }
    Figure > .figure-note { color: $text-muted; }
    """

    def __init__(self, label: str, *, id: str | None = None) -> None:
        super().__init__(classes="figure", id=id)
        self._label = label
        self.value: int | None = None
        """The number on show (None: not known, e.g. Entra's scope when not signed in)."""

    def compose(self) -> ComposeResult:
        yield Digits("-")
        yield Static(self._label, classes="figure-label")
        yield Static("", classes="figure-note")

    def show(self, value: int | None, note: str = "") -> None:
        self.value = value
        self.query_one(Digits).update("-" if value is None else str(value))
        note_widget = self.query_one(".figure-note", Static)
        note_widget.update(note)
        note_widget.display = bool(note)


def minute_of(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def per_minute(counts: Counter[datetime], now: datetime) -> list[int]:
    """Requests in each of the last 60 minutes, oldest first, the current minute last."""
    current = minute_of(now)
    return [
        counts.get(current - timedelta(minutes=ago), 0) for ago in range(HOUR_MINUTES - 1, -1, -1)
    ]


def rate_line(values: list[int], lang: str) -> str:
    """What the sparkline shows, in words: its peak and the current minute."""
    return say(lang, "dash.rate_now", now=values[-1] if values else 0, peak=max(values, default=0))


def clock_text(seconds: int) -> str:
    """A duration as a countdown reads: "4:07", "1:02:30"."""
    seconds = max(0, seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def countdown(window: CycleWindow | None, now: datetime, lang: str) -> str:
    """The next cycle as a countdown: "in 24:13 to 39:13", overdue, stopped, or not yet known."""
    if window is None:
        return say(lang, "dash.countdown_none")
    if window.stopped:
        return say(lang, "clock.stopped")
    if window.overdue or window.latest <= now:
        return say(lang, "clock.overdue")
    low = int((window.earliest - now).total_seconds())
    high = int((window.latest - now).total_seconds())
    if low <= 0:
        return say(lang, "dash.countdown_by", high=clock_text(high))
    return say(lang, "dash.countdown", low=clock_text(low), high=clock_text(high))
