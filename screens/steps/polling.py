"""Polling that belongs to a screen: backs off when nothing changes or on errors, stops when hidden.

Workers started here are in group "poll" on the screen, so leaving the screen (which removes it)
cancels them; a modal on top pauses them through `on_screen_suspend`. A failed poll shows its
error without moving focus (the admin may be typing) and the loop keeps going with backoff, so
the first poll that succeeds again clears the error by itself. A poll that fails after a read
sent later has succeeded (a Retry that worked) says nothing: the instance answered since.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from textual import work

from screens.failures import describe_failure
from screens.steps.base import READ, StepScreen

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
    """Base for steps that poll: call `start_polling(fn)` from `load`, before its first read.

    Started before the first read, polling also heals a screen whose load failed.
    """

    poll_once: PollOnce | None = None
    _poll_wanted: bool = False
    polls_failed: int = 0
    """Failed polls, shown or found stale: tests wait on it."""

    def start_polling(self, poll_once: PollOnce, immediately: bool = False) -> None:
        """Start the loop, or keep the running one (and its backoff) unless `immediately`."""
        self.poll_once = poll_once
        self._poll_wanted = True
        if self.is_polling and not immediately:
            return  # a re-load must not reset the backoff of a loop that is already going
        self._poll_loop(poll_once, immediately)

    @property
    def is_polling(self) -> bool:
        return any(
            worker.node is self and worker.group == "poll" and not worker.is_finished
            for worker in self.workers
        )

    def stop_polling(self) -> None:
        self.workers.cancel_group(self, "poll")

    def on_screen_suspend(self) -> None:
        self.stop_polling()

    def on_screen_resume(self) -> None:
        if self._poll_wanted and self.poll_once is not None:
            self._poll_loop(self.poll_once)

    @work(exclusive=True, exit_on_error=False, group="poll")
    async def _poll_loop(self, poll_once: PollOnce, immediately: bool = False) -> None:
        interval = BASE_INTERVAL
        if not immediately:
            await asyncio.sleep(interval)
        retried = immediately  # the first poll is what Retry asked for: it counts as its I/O
        while True:
            sent = time.monotonic()
            try:
                changed = await poll_once()
            except Exception as error:  # shown, then retried with backoff
                self.polls_failed += 1
                if self.last_read_ok <= sent:  # a read that succeeded since makes it stale
                    self.on_poll_failed(*describe_failure(error, self.assistant.lang))
                interval = next_interval(interval, False, True)
            else:
                self.on_poll_succeeded()
                if changed:  # the journey's lines follow the instance, as the step's own do
                    self.run_io(self.rederive_lines, group="lines", quiet=True)
                interval = next_interval(interval, changed, False)
            if retried:  # Retry's read has finished, either way, as a load's does
                retried = False
                self.completed_io += 1
            await asyncio.sleep(interval)

    def on_poll_failed(self, message: str, fix: str) -> None:
        """Shown without taking focus; Retry polls at once instead of waiting for the backoff."""
        retry = self._poll_now if self.poll_once is not None else None
        self.show_error(message, fix, retry=retry, move_focus=False)

    def on_poll_succeeded(self) -> None:
        """The instance answers again: a poll's error is stale, and a failed load is redone
        (it fills what polls do not, such as the Entra step's fields)."""
        if self.failed_read == self.load:
            self.run_io(self.load, quiet=True)
        else:
            self.clear_error(READ)

    def _poll_now(self) -> None:
        if self.poll_once is not None:
            self.start_polling(self.poll_once, immediately=True)
