"""Shown while the journey loads at start; a failure there gets a Retry like any step."""

from __future__ import annotations

from screens.steps.base import READ, Retry, StepScreen


class LoadingScreen(StepScreen):
    """Placeholder until the first journey arrives."""

    HEADING = "loading.heading"
    WHY = "loading.body"
    HAS_BACK = False
    HAS_CONTINUE = False
    LOADS = False
    SHOWS_INSTANCE = False

    def setup(self) -> None:
        """No load of its own: the app loads the journey; the indicator shows meanwhile."""
        self.query_one("#busy").display = True

    def show_error(
        self,
        message: str,
        fix: str = "",
        *,
        retry: Retry | None = None,
        kind: str = READ,
        move_focus: bool = True,
    ) -> None:
        """Any failure here is the journey's: Retry loads it again."""
        retry = retry or self._load_journey
        super().show_error(message, fix, retry=retry, kind=kind, move_focus=move_focus)
        if self.is_ready:
            self.query_one("#busy").display = False
            self.completed_io += 1

    def _load_journey(self) -> None:
        self.query_one("#busy").display = True
        self.assistant.advance(self.assistant.start_step)
