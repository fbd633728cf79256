"""Which screen shows which step: real classes, keyed by `StepId` (or `ScreenId` off the journey).

The classes are imported on first use, not with the app: the step modules and what they pull
in cost about 0.3 s of a 0.5 s cold start on this machine, and the loading screen paints first.
The imports are still plain `from … import …`, so a misspelt name fails mypy and ruff, not a
click at run time.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.journey.steps import StepId
    from screens.steps.base import StepScreen


class ScreenId(StrEnum):
    """Screens that are not a journey step (those are named by `assistant.journey.steps.StepId`)."""

    DONE = "done"
    REMOVAL = "removal"
    DEACTIVATE = "deactivate"
    EXPLAIN = "explain"


@cache
def screen_classes() -> dict[StepId | ScreenId, type[StepScreen]]:
    """Every step and screen the app switches to; imported once, when the first is shown."""
    from assistant.journey.steps import StepId
    from screens.steps.activate import ActivateStep
    from screens.steps.assign import AssignStep
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

    return {
        StepId.SSO: SsoStep,
        StepId.INSTALL: InstallStep,
        StepId.CREDENTIALS: CredentialsStep,
        StepId.ENTRA: EntraStep,
        StepId.ASSIGN: AssignStep,
        StepId.PROVISION: ProvisioningStep,
        StepId.ROLES: RolesStep,
        StepId.ACTIVATE: ActivateStep,
        ScreenId.DONE: DoneScreen,
        ScreenId.REMOVAL: RemovalScreen,
        ScreenId.DEACTIVATE: DeactivateScreen,
        ScreenId.EXPLAIN: ExplainScreen,
    }


def screen_for(target: StepId | ScreenId) -> StepScreen:
    """A new screen for `target` (both enums are `str`s: "roles" names `StepId.ROLES` too)."""
    return screen_classes()[target]()
