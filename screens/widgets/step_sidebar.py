"""The step list on the left: where the customer is, at a glance, and a way to any reached step.

A reached step (done, or the first one not done) opens on a click; a later one says which step
comes first and why, as the palette's "Go to" does. Each step reads by its mark as well as its
colour (✓ done, ▶ current, ✗ blocked, · to do), so NO_COLOR and screenshots lose nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label

from screens.foreign_text import shown
from screens.words import say

if TYPE_CHECKING:
    from assistant.journey.steps import Journey, StepId, StepState

STATUS_MARKS = {"done": "✓", "current": "▶", "blocked": "✗", "todo": "·"}
"""One glyph per step state, so the state reads without colour too (NO_COLOR, screenshots)."""


def first_open_step(journey: Journey) -> StepState | None:
    """The first step not done: every step up to it is reached; None when all are done."""
    return next((state for state in journey.steps if str(state.status) != "done"), None)


def blocking_step(journey: Journey, step_id: StepId) -> StepState | None:
    """The step that keeps `step_id` out of reach, or None when `step_id` can be opened.

    Done steps and the first open one are reached; a later step waits for that first one.
    """
    target = journey.step(step_id)
    first_open = first_open_step(journey)
    if str(target.status) == "done" or first_open is None or target.number <= first_open.number:
        return None
    return first_open


class StepLink(Label):
    """One step in the sidebar: its mark, number and title; clicking it asks to open it."""

    def __init__(self, state: StepState, classes: str) -> None:
        mark = STATUS_MARKS.get(str(state.status), "·")
        label = shown(f"{mark} {state.number}. {state.title}")
        super().__init__(label, classes=classes, id=f"step-{state.id}")
        self.step_id = state.id

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(StepSidebar.StepClicked(self.step_id))


class StepSidebar(Vertical):
    """Shows every journey step with its state; the step on screen is highlighted."""

    DEFAULT_CSS = """
    StepSidebar { width: 24; padding: 0 1; border-right: tall $panel; }
    StepSidebar > Label { width: 100%; }
    StepSidebar > StepLink { pointer: pointer; }
    StepSidebar > StepLink:hover { background: $boost; text-style: underline; }
    StepSidebar > .-done { color: $text-success; }
    StepSidebar > .-blocked { color: $text-error; }
    StepSidebar > .-todo { color: $text-muted; }
    StepSidebar > .-current { text-style: bold; color: $text-accent; }
    StepSidebar > .-shown { background: $accent; color: $text; text-style: bold; }
    StepSidebar > .-shown:hover { background: $accent; }
    """

    class StepClicked(Message):
        """A step of the sidebar was clicked: the screen opens it, or says what blocks it."""

        def __init__(self, step_id: StepId) -> None:
            super().__init__()
            self.step_id = step_id

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
            classes = f"-{step.status.value}"
            if step.id == self._shown:
                classes += " -shown"
            yield StepLink(step, classes)
