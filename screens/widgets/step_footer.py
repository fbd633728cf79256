"""The steps' footer: Textual's `Footer`, rebuilt only when the keys it shows change.

Textual's `Footer` removes and mounts every key widget again (then styles and lays them out)
each time the screen says its bindings *may* have changed: every focus move and every
`refresh_bindings()`, which a step calls on each write, error and retry. A `--sandbox` start
rebuilt it more than twenty times for two different rows of keys, and a search keystroke on the
roles step once more for the same keys. This footer compares what it would show — each shown
binding's key, action, description, enabled state and tooltip, and the palette key — with what
it shows, and rebuilds only on a difference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen

Shown = tuple[tuple[str, str, str, bool, str], ...]


class StepFooter(Footer):
    """`Footer`, recomposed only when the keys it would show differ from those on screen."""

    _shown: Shown | None = None

    def shown_keys(self) -> Shown:
        """What `Footer.compose` draws from, in its order: shown bindings and the palette's."""
        palette = self.app.COMMAND_PALETTE_BINDING
        return tuple(
            (b.key, b.action, b.description, active.enabled, active.tooltip)
            for name, active in self.screen.active_bindings.items()
            if (b := active.binding).show or name == palette
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        if not self.is_attached:
            return
        shown = self.shown_keys()
        if shown == self._shown:
            return
        self._shown = shown
        await self.recompose()
