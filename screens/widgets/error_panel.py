"""A failed call in a screen: what happened, the fix, and a Retry — never a traceback."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Static

from screens.foreign_text import shown
from screens.words import say


class ErrorPanel(Vertical):
    """Hidden until `show_error`; pressing Retry posts `ErrorPanel.RetryRequested`."""

    DEFAULT_CSS = """
    ErrorPanel { display: none; height: auto; border: round $error; padding: 0 1; margin: 0 0 1 0; }
    ErrorPanel.-visible { display: block; }
    ErrorPanel > .error-message { color: $error; text-style: bold; }
    ErrorPanel > Horizontal { height: auto; }
    """

    class RetryRequested(Message):
        """The admin asked to run the failed action again."""

    def compose(self) -> ComposeResult:
        yield Static("", classes="error-message", id="error-message")
        yield Static("", classes="error-fix", id="error-fix")
        with Horizontal():
            yield Button(say(self, "common.retry_button"), id="retry", variant="warning")

    def show_error(self, message: str, fix: str = "") -> None:
        self.query_one("#error-message", Static).update(shown(message))
        self.query_one("#error-fix", Static).update(
            shown(say(self, "common.fix", fix=fix)) if fix else ""
        )
        self.add_class("-visible")

    def clear(self) -> None:
        self.remove_class("-visible")

    @property
    def message_text(self) -> str:
        return str(self.query_one("#error-message", Static).content)

    @property
    def is_shown(self) -> bool:
        return self.has_class("-visible")

    def set_retryable(self, retryable: bool) -> None:
        """The Retry button is there only when the failure has something to retry."""
        self.query_one("#retry", Button).display = retryable

    @on(Button.Pressed, "#retry")
    def _retry(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.RetryRequested())
