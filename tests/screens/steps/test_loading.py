"""The loading screen, shown while the journey is read at start: then the step the instance is at
opens; an instance that does not answer gets the error and a Retry, never a traceback. Against a
sandbox over HTTP (a stopped one for the failure)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assistant.steeple.client import SteepleClient
from screens.steps.credentials import CredentialsStep
from screens.steps.loading import LoadingScreen
from screens.widgets.error_panel import ErrorPanel
from tests.support.app import frozen_clock
from tests.support.pilot import wait_for, wait_for_screen
from tests.support.prepare import prepare


async def test_the_journey_loads_then_the_step_the_instance_is_at_opens(
    start_sandbox: Callable[..., Any], build_app: Callable[..., Any], admin_key: str
) -> None:
    server = start_sandbox(clock=frozen_clock)
    await prepare(server.base_url, admin_key, "installed")  # installed, no token yet
    app = build_app(SteepleClient(server.base_url, admin_key))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, CredentialsStep)


async def test_unreachable_instance_at_start_shows_message_and_retry(
    start_sandbox: Callable[..., Any], build_app: Callable[..., Any], admin_key: str
) -> None:
    server = start_sandbox(clock=frozen_clock)
    url = server.base_url
    server.stop()
    app = build_app(SteepleClient(url, admin_key, timeout=1.5, retries=0))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, LoadingScreen)
                and app.screen.query_one(ErrorPanel).has_class("-visible")
            ),
            "the connection error",
        )
        assert "Fix:" in str(app.screen.query_one("#error-fix").content)
        assert app.is_running
