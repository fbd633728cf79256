"""The provisioning screen's polling belongs to it: paused under a modal, gone when it is left."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from screens.modals.confirm import ConfirmModal
from screens.steps.polling import BASE_INTERVAL, MAX_INTERVAL, next_interval
from screens.steps.provisioning import ProvisioningStep
from tests.screens.conftest import frozen_clock
from tests.screens.helpers import wait_for, wait_for_screen
from tests.screens.prepare import prepare


def polling(screen: Any) -> bool:
    return any(w.group == "poll" and not w.is_finished for w in screen.workers)


def test_backoff_grows_on_quiet_and_failure_and_resets_on_news() -> None:
    assert next_interval(BASE_INTERVAL, changed=False, failed=False) > BASE_INTERVAL
    assert next_interval(8.0, changed=False, failed=True) == 16.0
    assert next_interval(20.0, changed=False, failed=True) == MAX_INTERVAL
    assert next_interval(20.0, changed=True, failed=False) == BASE_INTERVAL


async def test_polling_pauses_under_modal_and_stops_when_left(
    start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    from assistant.client import SteepleClient

    server = start_sandbox(clock=frozen_clock)
    await prepare(server.base_url, admin_key, "provisioned")
    app = build_app(SteepleClient(server.base_url, admin_key), step="provision")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, ProvisioningStep)
        assert "Users received: 3" in str(screen.query_one("#counts").content)
        await wait_for(pilot, lambda: polling(screen), "polling to start")

        app.push_screen(ConfirmModal("?", "?"))
        await wait_for(pilot, lambda: not polling(screen), "polling to pause")
        await pilot.press("escape")
        await wait_for(pilot, lambda: polling(screen), "polling to resume")

        screen.action_continue()  # the journey moves on to Roles: the screen is removed
        await wait_for(pilot, lambda: app.screen is not screen, "the next step")
        await wait_for(pilot, lambda: not polling(screen), "polling to stop")
        assert app.is_running
