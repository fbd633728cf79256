"""Deactivating the sync, against a sandbox over HTTP: on an instance without the integration
there is nothing to deactivate and the screen says so; cancelling the confirmation leaves the
sync on. What the preview announces and does is `tests/screens/test_lifecycle.py`'s.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Static

from assistant.i18n.translate import t
from assistant.steeple.client import SteepleClient
from screens.modals.confirm import ConfirmModal
from screens.steps.deactivate import DeactivateScreen
from tests.support.app import frozen_clock
from tests.support.pilot import wait_for, wait_for_screen
from tests.support.prepare import prepare


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_without_the_integration_there_is_nothing_to_deactivate(
    lang: str, start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    server = start_sandbox(clock=frozen_clock)
    app = build_app(SteepleClient(server.base_url, admin_key), step="deactivate", lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, DeactivateScreen)
        preview = str(screen.query_one("#preview", Static).content)
        assert preview == t("lifecycle.not_installed", lang)
        assert not screen.query_one("#deactivate").display
        assert not screen.query_one("#reactivate").display
        assert app.focused is not None and app.focused.id == "back"


async def test_cancelling_the_confirmation_leaves_the_sync_on(
    start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    server = start_sandbox(clock=frozen_clock)
    await prepare(server.base_url, admin_key, "active")
    app = build_app(SteepleClient(server.base_url, admin_key), step="deactivate")
    async with (
        SteepleClient(server.base_url, admin_key) as admin,
        app.run_test(size=(120, 40)) as pilot,
    ):
        screen = await wait_for_screen(pilot, DeactivateScreen)
        assert app.focused is not None and app.focused.id == "deactivate"
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), "the confirmation")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, "the screen again")
        assert (await admin.get_integration()).sync_active
        assert screen.query_one("#deactivate").display
