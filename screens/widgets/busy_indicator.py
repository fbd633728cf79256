"""The busy indicator, in the app's language even with animations off.

Textual's `LoadingIndicator` draws moving dots, or — with animations off (`TEXTUAL_ANIMATIONS=none`,
which people who find motion hard choose) — its own English words "Loading...", which a French
screen would show as they are. This one says them through the catalogue
(`textual.Loading...`, as the app words Textual's other built-in texts).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import RenderResult
from textual.widgets import LoadingIndicator

from screens.words import say


class BusyIndicator(LoadingIndicator):
    """`LoadingIndicator` whose still form ("Loading...") is in the app's language."""

    def render(self) -> RenderResult:
        if self.app.animation_level == "none":
            return Text(say(self, "textual.Loading..."))
        return super().render()
