"""The wizard on the hostile directory (sandbox/hostile.py): names appear literally, nothing
crashes, nothing clicked acts.

Snapshots show every step and the modals that quote names at 80×24 and 120×40; the Pilot tests
click every row of every table holding a `[@click=…]` name and check the app kept running and no
screenshot was written.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button, DataTable, SelectionList

from screens.modals.confirm import ConfirmModal
from screens.modals.mapping import MappingModal
from screens.steps.activate import ActivateStep
from screens.steps.assign import AssignStep
from screens.steps.credentials import CredentialsStep
from screens.steps.deactivate import DeactivateScreen
from screens.steps.done import DoneScreen
from screens.steps.entra import EntraStep
from screens.steps.install import InstallStep
from screens.steps.provisioning import ProvisioningStep
from screens.steps.removal import RemovalScreen
from screens.steps.roles import RolesStep
from screens.steps.sso import SsoStep
from screens.widgets.request_stream import RequestStream
from screens.widgets.role_table import RoleTable
from tests.screens.scenes import SIZES
from tests.screens.scenes import Scene as Case
from tests.support.pilot import settle, settle_on, wait_for, wait_for_screen

CASES = {
    "sso": Case("none", "sso", SsoStep),
    "install": Case("none", None, InstallStep),
    "credentials": Case("token", "credentials", CredentialsStep),
    "entra_stream": Case("provisioned", "entra", EntraStep),
    "sim_entra": Case("token", None, EntraStep, (("sim", True),)),
    "assign_advice": Case("provisioned", "assign", AssignStep),
    "sim_assign": Case("tested", "assign", AssignStep, (("sim", True),)),
    "provision": Case("provisioned", "provision", ProvisioningStep),
    "roles_unmapped": Case("provisioned", None, RolesStep),
    "roles_mapped": Case("mapped", "roles", RolesStep),
    "activate": Case("mapped", None, ActivateStep),
    "done": Case("active", None, DoneScreen),
    "removal": Case("active", "removal", RemovalScreen),
    "deactivate": Case("active", "deactivate", DeactivateScreen),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", list(CASES))
def test_hostile_step(
    name: str, size: tuple[int, int], snap_compare: Any, app_at: Callable[..., Any]
) -> None:
    case = CASES[name]
    app = app_at(case.level, case.step, hostile=True, **dict(case.options))
    assert snap_compare(app, terminal_size=size, run_before=settle_on(case.screen))


async def _open_suggestions(pilot: Any) -> None:
    await wait_for_screen(pilot, RolesStep)
    await pilot.press("a")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmModal), "suggestions")
    await settle(pilot)


async def _open_mapping(pilot: Any) -> None:
    await wait_for_screen(pilot, RolesStep)
    await pilot.press("m")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, MappingModal), "mapping modal")
    await pilot.press("enter")  # open the community list: the names are its options
    await settle(pilot)


async def _open_activation(pilot: Any) -> None:
    screen = await wait_for_screen(pilot, ActivateStep)
    screen.query_one("#activate", Button).press()  # below the fold at 80×24
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmModal), "confirmation")
    await settle(pilot)


MODALS = {
    "suggestions": ("provisioned", "roles", _open_suggestions),
    "mapping": ("provisioned", "roles", _open_mapping),
    "activation": ("mapped", "activate", _open_activation),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", list(MODALS))
def test_hostile_modal(
    name: str, size: tuple[int, int], snap_compare: Any, app_at: Callable[..., Any]
) -> None:
    level, step, run_before = MODALS[name]
    app = app_at(level, step, hostile=True)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def _click_every_row(pilot: Any, widget: DataTable[Any]) -> int:
    """Click along the first cells of each row holding an action name (screen coordinates)."""
    clicked = 0
    for row in range(widget.row_count):
        cells = [str(cell) for cell in widget.get_row_at(row)]
        if not any("[@click" in cell for cell in cells):
            continue
        widget.move_cursor(row=row, animate=False, scroll=True)
        await settle(pilot)
        region = widget.content_region
        y = region.y + widget.header_height + row - round(widget.scroll_offset.y)
        for x in range(region.x, region.x + 40, 2):
            await pilot.click(offset=(x, y))
            assert pilot.app.is_running and pilot.app.return_code is None, cells
        clicked += 1
    return clicked


async def _click_every_option(pilot: Any, picker: SelectionList[Any]) -> int:
    clicked = 0
    for index in range(picker.option_count):
        prompt = str(picker.get_option_at_index(index).prompt)
        if "[@click" not in prompt:
            continue
        picker.highlighted = index
        picker.scroll_to_highlight()
        await settle(pilot)
        region = picker.content_region
        y = region.y + index - round(picker.scroll_offset.y)
        for x in range(region.x, region.x + 40, 2):
            await pilot.click(offset=(x, y))
            assert pilot.app.is_running and pilot.app.return_code is None, prompt
        clicked += 1
    return clicked


TABLES = {
    "role_table": ("provisioned", "roles", RolesStep, RoleTable, False),
    "request_stream": ("provisioned", "provision", ProvisioningStep, RequestStream, False),
    "simulated_tenant_groups": ("tested", "assign", AssignStep, SelectionList, True),
}


@pytest.mark.parametrize("name", list(TABLES))
def test_clicking_an_action_name_does_nothing(
    name: str, app_at: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    level, step, screen, widget_type, sim = TABLES[name]
    monkeypatch.chdir(tmp_path)  # where `app.screenshot('owned.txt','.')` would write
    app = app_at(level, step, sim=sim, hostile=True)  # prepares with its own event loop

    async def click_everything() -> int:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_screen(pilot, screen)
            widget = pilot.app.screen.query_one(widget_type)
            if isinstance(widget, SelectionList):
                clicked = await _click_every_option(pilot, widget)
            else:
                clicked = await _click_every_row(pilot, widget)
            await settle(pilot)
            assert pilot.app.is_running and pilot.app.return_code is None
            return clicked

    assert asyncio.run(click_everything()) >= 2  # the quit and the screenshot names, at least
    assert not (tmp_path / "owned.txt").exists()
    assert list(tmp_path.glob("*.svg")) == []


HOSTILE_MESSAGE = "Refused [/link] by [@click=app.quit]policy[/] \x1b]0;PWNED\x07 \x9b2J \u202eevil"


async def hostile_instance(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Not our API: a server at a typed URL whose error messages carry markup and escapes."""
    if scope["type"] != "http":
        return
    body = json.dumps({"code": "conflict", "message": HOSTILE_MESSAGE}).encode()
    headers = [(b"content-type", b"application/json")]
    await send({"type": "http.response.start", "status": 409, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def test_error_panel_shows_a_server_message_literally(
    build_app: Callable[..., Any],
) -> None:
    from assistant.steeple.client import SteepleClient
    from screens.steps.loading import LoadingScreen
    from screens.widgets.error_panel import ErrorPanel
    from tests.support.servers import ThreadedServer

    server = ThreadedServer(hostile_instance).start()
    try:
        app = build_app(SteepleClient(server.base_url, "adm_0123456789abcdef", retries=0))
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_screen(pilot, LoadingScreen)
            panel = app.screen.query_one(ErrorPanel)
            await wait_for(pilot, lambda: panel.has_class("-visible"), "the error panel")
            await settle(pilot)
            assert app.is_running and app.return_code is None
            shown = panel.message_text
    finally:
        server.stop()
    assert shown == "Refused [/link] by [@click=app.quit]policy[/] ␛]0;PWNED␇ \\x9b2J \\u202eevil"
