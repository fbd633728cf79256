"""Shown while the journey loads at start; a failure there gets a Retry like any step."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from screens.steps.base import StepScreen


class LoadingScreen(StepScreen):
    """Placeholder until the first journey arrives."""

    HEADING = "Checking the instance…"

    def compose_body(self) -> ComposeResult:
        yield Static("Reading the instance's state to find the step you are at.")

    LOADS = False

    def setup(self) -> None:
        """No load of its own: the app loads the journey; the indicator shows meanwhile."""
        self.query_one("#busy").display = True

    def show_error(self, message: str, fix: str = "") -> None:
        super().show_error(message, fix)
        if self.is_ready:
            self.query_one("#busy").display = False
            self.completed_io += 1

    def action_retry(self) -> None:
        self.query_one("#busy").display = True
        self.assistant.advance(self.assistant.start_step)
