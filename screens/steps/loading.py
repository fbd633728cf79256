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

    def action_retry(self) -> None:
        self.assistant.advance(self.assistant.start_step)
