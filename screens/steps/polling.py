"""Polling that belongs to a screen: backs off when nothing changes or on errors, stops when hidden.

Workers started here are in group "poll" on the screen, so leaving the screen (which removes it)
cancels them; a modal on top pauses them through `on_screen_suspend`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from textual import work

from screens.steps.base import StepScreen, describe_failure

PollOnce = Callable[[], Awaitable[bool]]
"""One poll; returns True when something changed (the interval then goes back to the base)."""

BASE_INTERVAL = 2.0
MAX_INTERVAL = 30.0


def next_interval(current: float, changed: bool, failed: bool) -> float:
    """Back to the base on news; grow slowly when quiet, fast after a failure."""
    if failed:
        return min(MAX_INTERVAL, current * 2)
    if changed:
        return BASE_INTERVAL
    return min(MAX_INTERVAL, current * 1.5)


class PollingStep(StepScreen):
    """Base for steps that poll: call `start_polling(fn)` once the first load has succeeded."""

    poll_once: PollOnce | None = None
    _poll_wanted: bool = False

    def start_polling(self, poll_once: PollOnce) -> None:
        self.poll_once = poll_once
        self._poll_wanted = True
        self._poll_loop(poll_once)

    def stop_polling(self) -> None:
        self.workers.cancel_group(self, "poll")

    def on_screen_suspend(self) -> None:
        self.stop_polling()

    def on_screen_resume(self) -> None:
        if self._poll_wanted and self.poll_once is not None:
            self._poll_loop(self.poll_once)

    @work(exclusive=True, exit_on_error=False, group="poll")
    async def _poll_loop(self, poll_once: PollOnce) -> None:
        interval = BASE_INTERVAL
        while True:
            await asyncio.sleep(interval)
            try:
                changed = await poll_once()
            except Exception as error:  # shown, then retried with backoff
                self.on_poll_failed(*describe_failure(error))
                interval = next_interval(interval, False, True)
            else:
                self.on_poll_succeeded()
                interval = next_interval(interval, changed, False)

    def on_poll_failed(self, message: str, fix: str) -> None:
        """Subclasses show it; the loop keeps going."""

    def on_poll_succeeded(self) -> None:
        """Subclasses clear a shown poll error."""
