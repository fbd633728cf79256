"""Every step and every modal of the wizard, as a scene a test can open directly.

A scene is an instance prepared up to a level (through the API and SCIM, never by clicks), the
step the app opens on, and — for a modal — what the admin presses once the step has loaded. The
snapshot tests, the fit test (issue 23, point 4) and the sidebar test share this list, so "every
step and modal" means the same thing in each of them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widgets import Button, Input

from screens.steps.activate import ActivateStep
from screens.steps.assign import AssignStep
from screens.steps.base import StepScreen
from screens.steps.credentials import CredentialsStep
from screens.steps.deactivate import DeactivateScreen
from screens.steps.done import DoneScreen
from screens.steps.entra import EntraStep
from screens.steps.explain import ExplainScreen
from screens.steps.install import InstallStep
from screens.steps.provisioning import ProvisioningStep
from screens.steps.removal import RemovalScreen
from screens.steps.roles import RolesStep
from screens.steps.sso import SsoStep
from tests.support.pilot import settle, wait_for, wait_for_screen

Opener = Callable[[Pilot[Any]], Awaitable[None]]

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
"""The two terminal sizes every screen is shown at (the guide's 80×24 and 120×40)."""


@dataclass(frozen=True)
class Scene:
    level: str
    step: str | None
    screen: type[StepScreen]
    options: tuple[tuple[str, Any], ...] = ()
    revealed: bool = False
    opener: Opener | None = None
    """For a modal: what opens it once the step has loaded (keys or a button press)."""
    ios: int = 1
    """I/O actions the screen finishes before it shows its state (0: it loads nothing)."""


def build(app_at: Callable[..., Any], scene: Scene, lang: str = "en") -> Any:
    """The app for `scene`, on its own sandbox, in `lang`."""
    app = app_at(scene.level, scene.step, lang=lang, **dict(scene.options))
    if scene.revealed:
        app.revealed_secret = app.prepared.secret
    return app


async def reach(pilot: Pilot[Any], scene: Scene) -> None:
    """Wait for the scene's step, reveal the token if asked, open its modal if it has one."""
    await wait_for_screen(pilot, scene.screen, scene.ios)
    if scene.revealed:
        await pilot.press("v")
        await settle(pilot)
    if scene.opener is not None:
        await scene.opener(pilot)


def _press(button: str) -> Opener:
    async def open_modal(pilot: Pilot[Any]) -> None:
        pilot.app.screen.query_one(f"#{button}", Button).press()
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ModalScreen), "the modal")
        await settle(pilot)

    return open_modal


def _keys(*keys: str) -> Opener:
    async def open_modal(pilot: Pilot[Any]) -> None:
        await pilot.press(*keys)
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ModalScreen), "the modal")
        await settle(pilot)

    return open_modal


STEPS: dict[str, Scene] = {
    "sso_blocked": Scene("none", None, SsoStep, (("sso", False),)),
    "sso_ok": Scene("none", "sso", SsoStep),
    "install_todo": Scene("none", None, InstallStep),
    "install_done": Scene("installed", "install", InstallStep),
    "credentials_empty": Scene("installed", None, CredentialsStep),
    "credentials_revealed": Scene("token", "credentials", CredentialsStep, revealed=True),
    "credentials_hint_only": Scene("token", "credentials", CredentialsStep),
    "entra_waiting": Scene("token", None, EntraStep),
    "entra_ok": Scene("tested", "entra", EntraStep),
    "assign": Scene("tested", None, AssignStep),
    "provision_waiting": Scene("tested", "provision", ProvisioningStep),
    "provision_received": Scene("provisioned", "provision", ProvisioningStep),
    "roles_unmapped": Scene("provisioned", None, RolesStep),
    "roles_mapped": Scene("mapped", "roles", RolesStep),
    "activate_preview": Scene("mapped", None, ActivateStep),
    "done": Scene("active", None, DoneScreen),
    "removal": Scene("active", "removal", RemovalScreen),
    "deactivate": Scene("active", "deactivate", DeactivateScreen),
    "explain": Scene("active", "explain", ExplainScreen, ios=0),
    # sandbox mode: the simulated tenant's panels
    "sim_entra": Scene("token", None, EntraStep, (("sim", True),)),
    # (through Graph, step 4 is done once Entra holds saved credentials: "tested" alone is not)
    "sim_assign": Scene("tested", "assign", AssignStep, (("sim", True),)),
    "sim_removal": Scene(
        "active", "removal", RemovalScreen, (("sim", True), ("entra", "configured"))
    ),
    # signed in to Entra: the provisioning dashboard with Entra says beside Steeple heard
    "sim_provision": Scene(
        "tested", "provision", ProvisioningStep, (("sim", True), ("entra", "configured"))
    ),
}
"""Every step screen in its main states (blocked, waiting, done), and the screens off the
journey (removal, deactivate, explain)."""

MODALS: dict[str, Scene] = {
    "configure_sso": Scene(
        "none", "sso", SsoStep, (("sso", False), ("sim", True)), opener=_press("configure")
    ),
    "install": Scene("none", "install", InstallStep, opener=_press("install")),
    "create_token": Scene("installed", "credentials", CredentialsStep, opener=_press("create")),
    "rotate_token": Scene("token", "credentials", CredentialsStep, opener=_press("rotate")),
    "assign_word": Scene("tested", "assign", AssignStep, opener=_keys("n")),
    "assign_graph": Scene("tested", "assign", AssignStep, (("sim", True),), opener=_keys("a", "s")),
    "on_demand": Scene(
        "tested",
        "provision",
        ProvisioningStep,
        (("sim", True), ("entra", "configured")),
        opener=_keys("o"),
    ),
    "suggestions": Scene("provisioned", "roles", RolesStep, opener=_keys("a")),
    "mapping": Scene("provisioned", "roles", RolesStep, opener=_keys("m")),
    "unmap": Scene("mapped", "roles", RolesStep, opener=_keys("x")),
    "activation": Scene(
        "mapped", "activate", ActivateStep, (("hostile", True),), opener=_press("activate")
    ),
    "deactivation": Scene("active", "deactivate", DeactivateScreen, opener=_press("deactivate")),
    "removal": Scene("active", "removal", RemovalScreen, opener=_press("remove")),
}
"""Every modal: the confirmations of each change, the mapping, the rotation's plan, the
on-demand question. (The sign-in modal needs a fixed device code: test_entra_signin.py.)"""


# step, preparation level, the call the step makes itself, matching calls the journey makes first
STEP_CALLS: list[tuple[str, str, type[StepScreen], str, str, int]] = [
    ("sso", "none", SsoStep, "GET", "/sso", 1),
    ("install", "none", InstallStep, "GET", "/integrations/azure-ad", 1),
    ("credentials", "installed", CredentialsStep, "GET", "/credentials", 0),
    ("entra", "token", EntraStep, "GET", "/requests", 0),
    ("assign", "tested", AssignStep, "GET", "/communities", 0),
    ("provision", "tested", ProvisioningStep, "GET", "/requests", 0),
    ("roles", "provisioned", RolesStep, "GET", "/communities", 0),
    ("activate", "mapped", ActivateStep, "GET", "/activation-preview", 0),
    ("done", "active", DoneScreen, "GET", "/provisioning", 1),
    ("removal", "active", RemovalScreen, "GET", "/removal-preview", 0),
    ("deactivate", "active", DeactivateScreen, "GET", "/deactivation-preview", 0),
]


async def on_explain(pilot: Any) -> ExplainScreen:
    """Wait until the screen is on top AND composed (its input exists), then settle."""
    app = pilot.app

    def ready() -> bool:
        return isinstance(app.screen, ExplainScreen) and bool(app.screen.query("#address"))

    await wait_for(pilot, ready, "the explain screen")
    await settle(pilot)
    screen: ExplainScreen = app.screen
    return screen


async def ask(pilot: Any, address: str) -> ExplainScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ExplainScreen)
    before = screen.completed_io
    screen.query_one("#address", Input).value = address
    await pilot.press("enter")
    await wait_for(pilot, lambda: screen.completed_io > before, "the explanation")
    await settle(pilot)
    return screen
