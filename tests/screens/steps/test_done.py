"""The last screen, on an instance whose sync is active (sandbox over HTTP): its figures are the
instance's, and Deactivate and Remove open their own screens without touching the instance (each
asks first there)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Static

from assistant.i18n.translate import t
from screens.steps.deactivate import DeactivateScreen
from screens.steps.done import DoneScreen
from screens.steps.removal import RemovalScreen
from tests.support.pilot import wait_for_screen


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_summary_is_the_instances_and_quit_has_focus(
    lang: str, app_at: Callable[..., Any]
) -> None:
    asyncio.run(_summary(app_at("active", step="done", lang=lang), lang))


async def _summary(app: Any, lang: str) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, DoneScreen)
        status = await app.connected_client.get_provisioning()
        assert status.users_active > 0 and status.groups_received > 0
        wanted = t("done.summary", lang, users=status.users_active, groups=status.groups_received)
        assert str(screen.query_one("#summary", Static).content) == wanted
        assert app.focused is not None and app.focused.id == "quit"


@pytest.mark.parametrize(("key", "opens"), [("d", DeactivateScreen), ("x", RemovalScreen)])
def test_deactivate_and_remove_open_their_screen_and_change_nothing_yet(
    key: str, opens: type[Any], app_at: Callable[..., Any]
) -> None:
    asyncio.run(_leave(app_at("active", step="done"), key, opens))


async def _leave(app: Any, key: str, opens: type[Any]) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, DoneScreen)
        await pilot.press(key)
        await wait_for_screen(pilot, opens)
        integration = await app.connected_client.get_integration()
        assert integration.installed and integration.sync_active
