"""Every step screen survives the faults `tests/screens/test_errors.py` does not inject — malformed
JSON, a proxy's 502 HTML page, the connection dropped mid-answer, the API gone altogether — with a
message, a fix and a Retry, and recovers on Retry once the instance answers again."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from assistant.steeple.client import SteepleClient
from screens.steps.base import StepScreen
from screens.widgets.error_panel import ErrorPanel
from tests.screens.scenes import STEP_CALLS
from tests.support.faults import EXTRA_FAULTS, FaultyPeer
from tests.support.pilot import wait_for_io, wait_for_screen

EXPECTED = {
    "malformed": "not a Steeple admin API response",
    "proxy_502": "(502)",
    "dropped": "closed the connection before its answer was complete",
}

pytestmark = pytest.mark.usefixtures("deterministic_ui")  # the screens' frozen, blink-free app


@pytest.mark.parametrize(
    ("step", "level", "screen_type", "method", "path", "journey_calls"),
    STEP_CALLS,
    ids=[case[0] for case in STEP_CALLS],
)
async def test_step_survives_bad_answers_and_the_api_going_away(
    step: str,
    level: str,
    screen_type: type[StepScreen],
    method: str,
    path: str,
    journey_calls: int,
    peer_in_front: Callable[[str], Awaitable[FaultyPeer]],
    build_app: Callable[..., Any],  # noqa: F811
    admin_key: str,
) -> None:
    """Malformed JSON on the step's first load, then a proxy 502 and a dropped connection on
    Retry, then a healthy Retry, then the instance stops answering at all."""
    peer = await peer_in_front(level)
    first, *others = EXTRA_FAULTS
    peer.fail(method, path, first, let_through=journey_calls)
    client = SteepleClient(peer.base_url, admin_key, timeout=5, retries=0)
    app = build_app(client, step=step)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, screen_type)
        panel = screen.query_one(ErrorPanel)
        for fault in (first, *others, None):
            if fault != first:  # the first failure came from the screen's own load
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
                assert EXPECTED[fault] in panel.message_text, panel.message_text
                assert "Fix:" in str(screen.query_one("#error-fix").content)
                assert admin_key not in panel.message_text
            assert app.is_running and app.screen is screen
        # Then the instance goes away altogether (connection refused): the step's next read
        # fails (r only exists while an error is shown), and the admin retries.
        peer.stop()
        for by_key in (False, True):
            before = screen.completed_io
            if by_key:
                await pilot.press("r")
            else:
                screen.run_io(screen.load)
            await wait_for_io(pilot, screen, before, "the read")
            assert panel.has_class("-visible")
            assert "refused the connection" in panel.message_text, panel.message_text
            assert "Fix:" in str(screen.query_one("#error-fix").content)
            assert app.is_running and app.screen is screen
