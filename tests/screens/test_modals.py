"""Every modal at 80×24: its buttons on screen, and a blind Enter never activates the sync.

The activation confirmation once put its buttons below the bottom of an 80×24 terminal, and its
focused button was "Activate": pressing Enter without seeing anything turned the sync on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.errors import NoWidget
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widgets import Button

from screens.steps.activate import ActivateStep
from screens.steps.credentials import CredentialsStep
from screens.steps.install import InstallStep
from screens.steps.removal import RemovalScreen
from screens.steps.roles import RolesStep
from screens.steps.sso import SsoStep
from tests.support.pilot import settle, wait_for, wait_for_screen

Opener = Callable[[Pilot[Any]], Awaitable[None]]


def _press(screen_type: type[Any], button: str) -> Opener:
    async def open_modal(pilot: Pilot[Any]) -> None:
        screen = await wait_for_screen(pilot, screen_type)
        screen.query_one(f"#{button}", Button).press()  # may be below the fold at 80×24
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ModalScreen), "the modal")
        await settle(pilot)

    return open_modal


def _key(screen_type: type[Any], key: str, ios: int = 1) -> Opener:
    async def open_modal(pilot: Pilot[Any]) -> None:
        await wait_for_screen(pilot, screen_type, ios)
        await pilot.press(key)
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ModalScreen), "the modal")
        await settle(pilot)

    return open_modal


MODALS: dict[str, tuple[str, str | None, dict[str, Any], Opener]] = {
    "configure_sso": ("none", "sso", {"sso": False, "sim": True}, _press(SsoStep, "configure")),
    "install": ("none", "install", {}, _press(InstallStep, "install")),
    "create_token": ("installed", "credentials", {}, _press(CredentialsStep, "create")),
    "rotate_token": ("token", "credentials", {}, _press(CredentialsStep, "rotate")),
    "suggestions": ("provisioned", "roles", {}, _key(RolesStep, "a")),
    "mapping": ("provisioned", "roles", {}, _key(RolesStep, "m")),
    "unmap": ("mapped", "roles", {}, _key(RolesStep, "x")),
    "activation": ("mapped", "activate", {"hostile": True}, _press(ActivateStep, "activate")),
    "removal": ("active", "removal", {}, _press(RemovalScreen, "remove")),
}


def _on_screen(pilot: Pilot[Any], button: Button) -> bool:
    """True when the button is what the terminal shows at its own centre (not clipped away)."""
    region = button.region
    if not region.area:
        return False
    try:
        widget, _ = pilot.app.screen.get_widget_at(*region.center)
    except NoWidget:  # outside every visible region: clipped off the bottom
        return False
    return widget is button


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("name", list(MODALS))
def test_modal_buttons_are_on_screen_at_80x24(name: str, lang: str, app_at: Any) -> None:
    level, step, options, open_modal = MODALS[name]
    app = app_at(level, step, lang=lang, **options)  # prepares the sandbox in its own loop

    async def drive() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_modal(pilot)
            # A button not displayed in this state (the rotation's "Saved in Entra" before the
            # token is shown) is not meant to be on screen yet.
            buttons = [b for b in pilot.app.screen.query(Button) if b.display]
            assert buttons, name
            hidden = [str(b.label) for b in buttons if not _on_screen(pilot, b)]
            assert not hidden, f"{name}: buttons off-screen at 80×24: {hidden}"

    asyncio.run(drive())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_blind_enter_does_not_activate(size: tuple[int, int], app_at: Any) -> None:
    app = app_at("mapped", "activate", hostile=True)  # the longest dry run we seed

    async def drive() -> None:
        async with app.run_test(size=size) as pilot:
            await _press(ActivateStep, "activate")(pilot)
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(pilot.app.screen, ActivateStep), "the step")
            await settle(pilot)
            integration = await pilot.app.client.get_integration()
            assert integration.sync_active is False

    asyncio.run(drive())


@pytest.mark.parametrize("name", list(MODALS))
def test_modal_snapshot_80x24(name: str, snap_compare: Any, app_at: Any) -> None:
    level, step, options, open_modal = MODALS[name]
    app = app_at(level, step, **options)
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_modal)


@pytest.mark.parametrize("name", list(MODALS))
def test_modal_snapshot_80x24_in_french(name: str, snap_compare: Any, app_at: Any) -> None:
    """French is longer: the buttons must still be on screen."""
    level, step, options, open_modal = MODALS[name]
    app = app_at(level, step, lang="fr", **options)
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_modal)
