"""Bad answers from the API (500, 401, timeout) appear in each step screen with the fix and a
Retry; the app keeps running, and Retry works once the instance answers again."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from assistant.steeple.client import SteepleClient
from screens.steps.base import StepScreen
from screens.widgets.error_panel import ErrorPanel
from tests.screens.scenes import STEP_CALLS
from tests.support.faults import FaultyPeer
from tests.support.pilot import wait_for_io, wait_for_screen

EXPECTED = {
    "500": "internal error (500)",
    "401": "did not accept the admin API key",
    "timeout": "did not answer in time",
}


@pytest.mark.parametrize(
    ("step", "level", "screen_type", "method", "path", "journey_calls"),
    STEP_CALLS,
    ids=[case[0] for case in STEP_CALLS],
)
async def test_step_shows_api_failures_and_recovers(
    step: str,
    level: str,
    screen_type: type[StepScreen],
    method: str,
    path: str,
    journey_calls: int,
    peer_in_front: Callable[[str], Awaitable[FaultyPeer]],
    build_app: Callable[..., Any],
    admin_key: str,
) -> None:
    """500 on the step's first load, then 401 and a timeout on Retry, then a healthy Retry."""
    peer = await peer_in_front(level)
    peer.fail(method, path, "500", let_through=journey_calls)
    # The timeout fault waits out the client's read timeout: short keeps the test quick, but
    # not so short that a healthy answer from a loaded machine's sandbox misses it (1.5 s did,
    # leaving the journey's load failed on the loading screen).
    client = SteepleClient(peer.base_url, admin_key, timeout=3.0, retries=0)
    app = build_app(client, step=step)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, screen_type)
        panel = screen.query_one(ErrorPanel)
        for fault in ("500", "401", "timeout", None):
            if fault != "500":  # the first failure came from the screen's own load
                peer.heal()
                if fault is not None:
                    peer.fail(method, path, fault)
                before = screen.completed_io
                await pilot.press("r")
                await wait_for_io(pilot, screen, before, "the retry")
            if fault is None:
                assert not panel.has_class("-visible")
            else:
                assert panel.has_class("-visible"), fault
                assert EXPECTED[fault] in panel.message_text
                assert "Fix:" in str(screen.query_one("#error-fix").content)
                assert admin_key not in panel.message_text
            assert app.is_running and app.screen is screen
