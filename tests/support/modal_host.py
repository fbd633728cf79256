"""Just enough app to show one modal (and keep what it was dismissed with) or one widget: their
own rules (focus, keys, what they answer or show) tested without a wizard around them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App, ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Static


class ModalHost(App[None]):
    """Pushes `make()` when mounted; `results` holds every value the modal was dismissed with."""

    def __init__(self, make: Callable[[], ModalScreen[Any]], lang: str = "en") -> None:
        super().__init__()
        self.lang = lang
        self.make = make
        self.results: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        self.push_screen(self.make(), self.results.append)


class WidgetHost(App[None]):
    """Mounts `make()` alone; `retries` counts the `ErrorPanel.RetryRequested` it posted."""

    def __init__(self, make: Callable[[], Any], lang: str = "en") -> None:
        super().__init__()
        self.lang = lang
        self.make = make
        self.retries = 0

    def compose(self) -> ComposeResult:
        yield self.make()

    def on_error_panel_retry_requested(self) -> None:
        self.retries += 1
