"""When a state reaches the screen: a hook on the frames a Textual app hands to its terminal.

Pilot's `press` and `pause` each sleep at least 20 ms (Textual's `wait_for_idle` polls every
1/50 s), so timing "press → pause" measures Pilot, not the app: a keystroke that does nothing
took ~60 ms that way. This clock instead sends the key event as the terminal driver does and
notes the time of the first frame whose state matches what the bench waits for. Headless apps
skip turning a frame into terminal output; the clock does that work too, so a frame costs what
it costs on a real terminal.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any


class PaintClock:
    """Install on an app before `run_test`; `await clock.frame_where(cond)` → time of that frame."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.frames = 0
        self._waiting: list[tuple[Callable[[], bool], asyncio.Future[tuple[float, float]]]] = []
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if renderable is None:
                return
            if app.is_headless and hasattr(renderable, "render_segments"):
                renderable.render_segments(app.console)  # what a real terminal would be sent
            self.frames += 1
            now = (time.perf_counter(), time.process_time())
            for entry in list(self._waiting):
                condition, future = entry
                if not future.done() and condition():
                    future.set_result(now)
                    self._waiting.remove(entry)

        app._display = display

    async def frame_where(
        self, condition: Callable[[], bool], limit: float = 60.0
    ) -> tuple[float, float]:
        """(perf_counter, process_time) of the first frame from now on painted while `condition`
        holds. Process time is this process's CPU: on a loaded shared machine the wall time
        includes waiting for a core, the CPU time does not."""
        future: asyncio.Future[tuple[float, float]] = asyncio.get_running_loop().create_future()
        self._waiting.append((condition, future))
        try:
            return await asyncio.wait_for(future, limit)
        except TimeoutError:
            raise TimeoutError("the awaited state never reached the screen") from None

    def press(self, key: str) -> tuple[float, float]:
        """Send one key as the terminal driver would; returns (perf_counter, process_time)."""
        from textual import events

        char = {"slash": "/", "space": " "}.get(key, key if len(key) == 1 else None)
        event = events.Key(key, char)
        event.set_sender(self.app)
        sent = (time.perf_counter(), time.process_time())
        self.app._driver.send_message(event)
        return sent
