"""Every step screen and its main states (blocked, waiting, error, done) at 80×24 and 120×40.

Each app starts directly on its step, on a sandbox prepared through the API, with frozen time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from screens.steps.activate import ActivateStep
from screens.steps.assign import AssignStep
from screens.steps.base import StepScreen
from screens.steps.credentials import CredentialsStep
from screens.steps.done import DoneScreen
from screens.steps.entra import EntraStep
from screens.steps.install import InstallStep
from screens.steps.provisioning import ProvisioningStep
from screens.steps.removal import RemovalScreen
from screens.steps.roles import RolesStep
from screens.steps.sso import SsoStep
from tests.support.pilot import settle, settle_on

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@dataclass(frozen=True)
class Case:
    level: str
    step: str | None
    screen: type[StepScreen]
    options: tuple[tuple[str, Any], ...] = ()
    revealed: bool = False


CASES = {
    "sso_blocked": Case("none", None, SsoStep, (("sso", False),)),
    "sso_ok": Case("none", "sso", SsoStep),
    "install_todo": Case("none", None, InstallStep),
    "install_done": Case("installed", "install", InstallStep),
    "credentials_empty": Case("installed", None, CredentialsStep),
    "credentials_revealed": Case("token", "credentials", CredentialsStep, revealed=True),
    "credentials_hint_only": Case("token", "credentials", CredentialsStep),
    "entra_waiting": Case("token", None, EntraStep),
    "entra_ok": Case("tested", "entra", EntraStep),
    "assign": Case("tested", None, AssignStep),
    "provision_waiting": Case("tested", "provision", ProvisioningStep),
    "provision_received": Case("provisioned", "provision", ProvisioningStep),
    "roles_unmapped": Case("provisioned", None, RolesStep),
    "roles_mapped": Case("mapped", "roles", RolesStep),
    "activate_preview": Case("mapped", None, ActivateStep),
    "done": Case("active", None, DoneScreen),
    "removal": Case("active", "removal", RemovalScreen),
    # sandbox mode: the simulated tenant's panels
    "sim_entra": Case("token", None, EntraStep, (("sim", True),)),
    # (through Graph, step 4 is done once Entra holds saved credentials: "tested" alone is not)
    "sim_assign": Case("tested", "assign", AssignStep, (("sim", True),)),
    "sim_removal": Case(
        "active", "removal", RemovalScreen, (("sim", True), ("entra", "configured"))
    ),
    # signed in to Entra: the provisioning step with Entra says beside Steeple heard
    "sim_provision": Case(
        "tested", "provision", ProvisioningStep, (("sim", True), ("entra", "configured"))
    ),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", list(CASES))
def test_step_screen(
    name: str, size: tuple[int, int], snap_compare: Any, app_at: Callable[..., Any]
) -> None:
    case = CASES[name]
    app = app_at(case.level, case.step, **dict(case.options))
    if case.revealed:
        app.revealed_secret = app.prepared.secret

    async def run_before(pilot: Any) -> None:
        await settle_on(case.screen)(pilot)
        if case.revealed:
            await pilot.press("v")
            await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", list(CASES))
def test_step_screen_in_french(
    name: str, size: tuple[int, int], snap_compare: Any, app_at: Callable[..., Any]
) -> None:
    """`--lang fr`: every text of every screen in French, footer and sidebar included."""
    case = CASES[name]
    app = app_at(case.level, case.step, lang="fr", **dict(case.options))
    if case.revealed:
        app.revealed_secret = app.prepared.secret

    async def run_before(pilot: Any) -> None:
        await settle_on(case.screen)(pilot)
        if case.revealed:
            await pilot.press("v")
            await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_error_state(
    size: tuple[int, int],
    snap_compare: Any,
    start_sandbox: Callable[..., Any],
    admin_key: str,
    build_app: Callable[..., Any],
) -> None:
    """A 500 from the instance on the Credentials step: message, fix, Retry."""
    import asyncio

    from tests.support.app import PUBLIC_URL, frozen_clock, public_client
    from tests.support.faults import FaultyPeer
    from tests.support.prepare import prepare

    server = start_sandbox(clock=frozen_clock, public_url=PUBLIC_URL)
    asyncio.run(prepare(server.base_url, admin_key, "installed"))
    peer = FaultyPeer(server.base_url).start()
    peer.fail("GET", "/credentials", "500")
    try:
        app = build_app(public_client(peer.base_url, admin_key), step="credentials")
        assert snap_compare(app, terminal_size=size, run_before=settle_on(CredentialsStep))
    finally:
        peer.stop()


@pytest.mark.parametrize("size", SIZES)
def test_install_confirmation(size: tuple[int, int], snap_compare: Any, app_at: Any) -> None:
    app = app_at("none", "install")

    async def run_before(pilot: Any) -> None:
        await settle_on(InstallStep)(pilot)
        await pilot.click("#install")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_light_theme(snap_compare: Any, app_at: Any) -> None:
    app = app_at("installed", "credentials")
    app.theme = "textual-light"
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle_on(CredentialsStep))
