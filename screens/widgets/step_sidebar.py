"""The step list on the left: where the customer is, at a glance, for admin and support alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label

from screens.foreign_text import shown
from screens.words import say

if TYPE_CHECKING:
    from assistant.journey import Journey, StepId

STATUS_MARKS = {"done": "✓", "current": "▶", "blocked": "✗", "todo": "·"}
"""One glyph per step state, so the state reads without colour too (NO_COLOR, screenshots)."""


class StepSidebar(Vertical):
    """Shows every journey step with its state; the step on screen is highlighted."""

    DEFAULT_CSS = """
    StepSidebar { width: 24; padding: 0 1; border-right: tall $panel; }
    StepSidebar > Label { width: 100%; }
    StepSidebar > .-done { color: $success; }
    StepSidebar > .-blocked { color: $error; }
    StepSidebar > .-todo { color: $text-muted; }
    StepSidebar > .-current { text-style: bold; color: $accent; }
    StepSidebar > .-shown { background: $boost; text-style: bold reverse; }
    """

    def __init__(self, journey: Journey | None, shown: StepId | None = None) -> None:
        super().__init__(id="sidebar")
        self.journey = journey
        """Set a newer journey, then `recompose()`, to redraw the marks."""
        self._shown = shown

    def compose(self) -> ComposeResult:
        yield Label(say(self, "common.steps"), classes="sidebar-title")
        if self.journey is None:
            yield Label(say(self, "common.connect"), classes="-current -shown")
            return
        for step in self.journey.steps:
            status = step.status.value
            classes = f"-{status}"
            if step.id == self._shown:
                classes += " -shown"
            mark = STATUS_MARKS.get(status, "·")
            yield Label(shown(f"{mark} {step.number}. {step.title}"), classes=classes)
