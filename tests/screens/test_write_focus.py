"""While a write runs its controls are disabled; when it ends, focus is where the step put it, so
docs/admin-guide.md's keyboard-only journey (Enter, Enter, …) still works.

Each app talks HTTP to an in-process sandbox (with the simulated Entra tenant for the Entra step).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widgets import Button

from assistant.steeple.client import SteepleClient
from screens.modals.confirm import ConfirmModal
from screens.steps.activate import ActivateStep
from screens.steps.entra import EntraStep
from screens.steps.install import InstallStep
from tests.support.app import frozen_clock
from tests.support.pilot import wait_for, wait_for_io, wait_for_screen
from tests.support.prepare import prepare


def focused_id(app: Any) -> str | None:
    return app.focused.id if app.focused is not None else None


async def test_install_then_activate_by_keyboard(
    start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    server = start_sandbox(clock=frozen_clock)
    check = SteepleClient(server.base_url, admin_key)
    app = build_app(SteepleClient(server.base_url, admin_key), step="install")
    async with check, app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, InstallStep)
        assert focused_id(app) == "install"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), "the confirmation")
        done = screen.completed_io
        await pilot.press("enter")
        await wait_for_io(pilot, screen, done, "the install")
        await wait_for(pilot, lambda: focused_id(app) == "continue", "focus on Continue")
        assert (await check.get_integration()).installed
        assert not screen.query_one("#continue", Button).disabled

    await prepare(server.base_url, admin_key, "mapped")  # already installed: this is idempotent
    check = SteepleClient(server.base_url, admin_key)
    app = build_app(SteepleClient(server.base_url, admin_key), step="activate")
    async with check, app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, ActivateStep)
        assert focused_id(app) == "activate"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), "the confirmation")
        done = screen.completed_io
        await pilot.press("y")  # Enter alone would press Cancel: activation is said out loud
        await wait_for_io(pilot, screen, done, "the activation")
        await wait_for(pilot, lambda: focused_id(app) == "continue", "focus on Continue")
        assert (await check.get_integration()).sync_active


async def test_entra_test_connection_then_save_by_keyboard(
    start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    """Test Connection focuses Save while Save is still disabled by the running write."""
    from tests.support.app import signed_in_side

    server = start_sandbox(clock=frozen_clock, with_entra=True, with_graph=True)
    prepared = await prepare(server.base_url, admin_key, "token")
    side = signed_in_side(server)
    app = build_app(SteepleClient(server.base_url, admin_key), step="entra", entra_side=side)
    app.revealed_secret = prepared.secret
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, EntraStep)
        assert focused_id(app) == "test"
        done = screen.completed_io
        await pilot.press("enter")
        await wait_for_io(pilot, screen, done, "the Test Connection")
        assert screen.query_one("#sim-result").has_class("ok")
        await wait_for(pilot, lambda: focused_id(app) == "save", "focus on Save")
        assert not screen.query_one("#save", Button).disabled
