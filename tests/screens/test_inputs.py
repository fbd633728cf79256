"""Typing in an input never triggers a single-letter shortcut, on every screen that has one:
Connect's fields, the roles search, the Entra step's fields, the removal's typed confirmation.

Each app talks HTTP to an in-process sandbox (the simulated Entra tenant where the step needs it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets import Input

from assistant.steeple.client import SteepleClient
from screens.modals.confirm import ConfirmModal, TypedConfirmModal
from screens.modals.mapping import MappingModal
from screens.steps.assign import AssignStep
from screens.steps.base import StepScreen
from screens.steps.connect import ConnectScreen
from screens.steps.credentials import CredentialsStep
from screens.steps.entra import EntraStep
from screens.steps.removal import RemovalScreen
from screens.steps.roles import RolesStep
from screens.widgets.role_table import RoleTable
from tests.support.app import frozen_clock
from tests.support.pilot import wait_for, wait_for_screen
from tests.support.prepare import prepare

BOUND: tuple[type[Any], ...] = (
    StepScreen,
    RolesStep,
    CredentialsStep,
    AssignStep,
    RoleTable,
    ConfirmModal,
    TypedConfirmModal,
    MappingModal,
)


def single_letter_keys() -> str:
    """Every printable one-character key bound anywhere a step can show, plus `/` (search)."""
    keys = {binding.key for owner in BOUND for binding in owner.BINDINGS if len(binding.key) == 1}
    return "".join(sorted(keys)) + "/"


def io_idle(screen: Any) -> bool:
    return all(worker.is_finished for worker in screen.workers if worker.group != "poll")


async def type_and_check(pilot: Any, field: Input) -> None:
    """Type every shortcut letter into `field`: all of it lands there and nothing else happens."""
    app = pilot.app
    screen: Screen[Any] = app.screen
    field.focus()
    field.value = ""
    typed = single_letter_keys()
    await pilot.press(*typed)
    await wait_for(pilot, lambda: io_idle(screen), "what the typing started (searches)")
    assert field.value == typed, field.id
    assert app.screen is screen, field.id
    assert app.focused is field, field.id
    assert not screen.query("ErrorPanel.-visible"), field.id


async def test_connect_fields(build_app: Callable[..., Any]) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, ConnectScreen)
        for selector in ("#url", "#key"):
            await type_and_check(pilot, screen.query_one(selector, Input))


async def test_roles_search(
    start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    server = start_sandbox(clock=frozen_clock)
    await prepare(server.base_url, admin_key, "provisioned")
    app = build_app(SteepleClient(server.base_url, admin_key), step="roles")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, RolesStep)
        await type_and_check(pilot, screen.query_one("#search", Input))


async def test_entra_fields(
    start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    from tests.support.app import signed_in_side

    server = start_sandbox(clock=frozen_clock, with_entra=True, with_graph=True)
    prepared = await prepare(server.base_url, admin_key, "token")
    side = signed_in_side(server)
    app = build_app(SteepleClient(server.base_url, admin_key), step="entra", entra_side=side)
    app.revealed_secret = prepared.secret
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, EntraStep)
        for selector in ("#tenant-url", "#token"):
            await type_and_check(pilot, screen.query_one(selector, Input))


@pytest.mark.parametrize("sim", [False, True], ids=["instance", "sandbox"])
async def test_removal_typed_confirmation(
    sim: bool,
    start_sandbox: Callable[..., Any],
    admin_key: str,
    build_app: Callable[..., Any],
) -> None:
    from tests.support.app import signed_in_side

    server = start_sandbox(clock=frozen_clock, with_entra=sim, with_graph=sim)
    await prepare(server.base_url, admin_key, "active")
    side = signed_in_side(server) if sim else None
    check = SteepleClient(server.base_url, admin_key)
    app = build_app(SteepleClient(server.base_url, admin_key), step="removal", entra_side=side)
    async with check, app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, RemovalScreen)
        await pilot.click("#remove")
        await wait_for(pilot, lambda: isinstance(app.screen, TypedConfirmModal), "the modal")
        await type_and_check(pilot, app.screen.query_one("#typed", Input))
        assert (await check.get_integration()).installed
