"""Waiting on state in Pilot and snapshot tests: the screen on top, and its I/O settled."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from textual.command import CommandList
from textual.pilot import Pilot
from textual.widgets import DataTable

from screens.steps.base import StepScreen

WAIT_LIMIT_SECONDS = 15.0


async def wait_for(pilot: Pilot[Any], condition: Callable[[], bool], what: str) -> None:
    """Let the app run until `condition` holds; fail the test with `what` if it never does."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_LIMIT_SECONDS
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what} (on {pilot.app.screen!r})")
        await pilot.pause(0.02)


async def wait_for_screen(pilot: Pilot[Any], screen_type: type[StepScreen], ios: int = 1) -> Any:
    """Wait until a `screen_type` is on top and has finished `ios` I/O actions; return it."""
    app = pilot.app

    def ready() -> bool:
        screen = app.screen
        return isinstance(screen, screen_type) and screen.completed_io >= ios

    await wait_for(pilot, ready, f"{screen_type.__name__} to load")
    await settle(pilot)
    return app.screen


async def settle(pilot: Pilot[Any]) -> None:
    """Let pending layout (a button relabelled, rows added) reach the screen before a snapshot.

    Focusing a button low on a small terminal scrolls the step's body at a moment that depends on
    timing; snapshots show the body from the top, so every run sees the same rows.
    """
    for _ in range(3):
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
    await wait_for(pilot, lambda: tables_measured(pilot), "the tables to measure their rows")
    bodies = pilot.app.screen.query("#body")
    if bodies:
        bodies.first().scroll_home(animate=False, immediate=True)
        await pilot.pause()
    # The request stream shows its newest request (what it follows on its own once its rows are
    # measured, a moment that depends on the machine's load): the snapshot waits for no race.
    from screens.widgets.request_stream import RequestStream

    for stream in pilot.app.screen.query(RequestStream):
        if stream.row_count:
            stream.scroll_end(animate=False, immediate=True)
    await pilot.pause()


def tables_measured(pilot: Pilot[Any]) -> bool:
    """Whether every table on screen has measured its rows.

    A DataTable sizes its columns on idle, after rows are added; under load a snapshot taken
    before that idle shows the columns as wide as their headers (times cut to "09:30").
    """
    return not any(
        table._require_update_dimensions or table._updated_cells
        for table in pilot.app.screen.query(DataTable)
    )


def settle_on(screen_type: type[StepScreen], ios: int = 1) -> Callable[[Pilot[Any]], Any]:
    """A `run_before` for snap_compare: the screenshot is taken once the step has loaded."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_for_screen(pilot, screen_type, ios)

    return run_before


async def wait_for_instance(
    pilot: Pilot[Any], check: Callable[[], Awaitable[bool]], what: str
) -> None:
    """Like `wait_for`, for a condition read from the instance (through the client)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_LIMIT_SECONDS * 2
    while not await check():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.1)


async def click_laid_out(pilot: Pilot[Any], selector: str) -> None:
    """Click `selector` once it has been laid out on screen.

    A button just made visible has no region until the next layout; clicking it then lands at
    the screen's top-left corner (the header's palette icon), not on the button.
    """
    widget = pilot.app.screen.query_one(selector)

    def placed() -> bool:
        region = widget.region
        return widget.display and region.width > 0 and region.height > 0

    await wait_for(pilot, placed, f"{selector} to be laid out")
    widget.scroll_visible(animate=False, immediate=True)
    await pilot.pause()
    await pilot.click(selector)


async def wait_for_io(pilot: Pilot[Any], screen: StepScreen, since: int, what: str) -> None:
    """Wait until `screen` has finished an I/O action after `since` (its `completed_io` read
    before the key press or click that starts it): a change of state, never an absolute count,
    which earlier loads and searches may already have reached."""
    await wait_for(pilot, lambda: screen.completed_io > since, what)


def palette_offers(app: Any, prompt: str) -> bool:
    """Whether the open command palette's first hit is `prompt`."""
    lists = app.screen.query(CommandList)
    if not lists or lists.first().option_count == 0:
        return False
    option = lists.first().get_option_at_index(0)
    return prompt in str(option.prompt)
