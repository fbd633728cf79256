"""The SCIM secret token on screen: masked by default, revealed on request, copied over OSC 52."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

from screens.foreign_text import shown as text_of
from screens.words import say

MASK = "•" * 24


class SecretField(Static):
    """Holds a secret in memory only; renders it masked unless `revealed` is set.

    Copying uses `App.copy_to_clipboard` (OSC 52), which also works over SSH.
    """

    DEFAULT_CSS = """
    SecretField { height: auto; padding: 0 1; background: $boost; }
    SecretField.-revealed { color: $warning; }
    """

    revealed: reactive[bool] = reactive(False)

    def __init__(self, secret: str = "", hint: str = "", **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self._secret = secret
        self._hint = hint

    def set_secret(self, secret: str, hint: str) -> None:
        self._secret = secret
        self._hint = hint
        self.revealed = False
        self._render_value()

    def on_mount(self) -> None:
        self._render_value()

    def watch_revealed(self, revealed: bool) -> None:
        self.set_class(revealed, "-revealed")
        self._render_value()

    def _render_value(self) -> None:
        if not self._secret:
            key = "secret.hint_only" if self._hint else "secret.none"
            shown = say(self, key, hint=self._hint)
        elif self.revealed:
            shown = self._secret
        else:
            shown = f"{MASK}{self._hint}"
        self.update(text_of(shown))

    def copy(self) -> bool:
        """Copy the secret to the clipboard; False when there is no secret in memory."""
        if not self._secret:
            return False
        self.app.copy_to_clipboard(self._secret)
        return True
