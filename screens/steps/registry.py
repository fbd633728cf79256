"""Which screen shows which step: real classes, keyed by `StepId` (or `ScreenId` off the journey).

Each class is imported when its screen is first shown, not with the app, and only its own
module: the loading screen paints first, and a start pays for the one step it shows. The imports
are still plain `from … import …`, so a misspelt name fails mypy and ruff, not a click at run time.
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


def screen_class(target: StepId | ScreenId) -> type[StepScreen]:
    """The class that shows `target`, importing its module alone: a start shows one step, and
    importing all twelve (DataTable, sparklines, selection lists…) cost ~25 ms of it."""
    from assistant.journey.steps import StepId

    match target:
        case StepId.SSO:
            from screens.steps.sso import SsoStep

            return SsoStep
        case StepId.INSTALL:
            from screens.steps.install import InstallStep

            return InstallStep
        case StepId.CREDENTIALS:
            from screens.steps.credentials import CredentialsStep

            return CredentialsStep
        case StepId.ENTRA:
            from screens.steps.entra import EntraStep

            return EntraStep
        case StepId.ASSIGN:
            from screens.steps.assign import AssignStep

            return AssignStep
        case StepId.PROVISION:
            from screens.steps.provisioning import ProvisioningStep

            return ProvisioningStep
        case StepId.ROLES:
            from screens.steps.roles import RolesStep

            return RolesStep
        case StepId.ACTIVATE:
            from screens.steps.activate import ActivateStep

            return ActivateStep
        case ScreenId.DONE:
            from screens.steps.done import DoneScreen

            return DoneScreen
        case ScreenId.REMOVAL:
            from screens.steps.removal import RemovalScreen

            return RemovalScreen
        case ScreenId.DEACTIVATE:
            from screens.steps.deactivate import DeactivateScreen

            return DeactivateScreen
        case ScreenId.EXPLAIN:
            from screens.steps.explain import ExplainScreen

            return ExplainScreen
    raise KeyError(target)


@cache
def screen_classes() -> dict[StepId | ScreenId, type[StepScreen]]:
    """Every step and screen the app switches to (the sidebar's and the tests' view)."""
    from assistant.journey.steps import StepId

    return {target: screen_class(target) for target in (*StepId, *ScreenId)}


def screen_for(target: StepId | ScreenId) -> StepScreen:
    """A new screen for `target` (both enums are `str`s: "roles" names `StepId.ROLES` too)."""
    return screen_class(target)()
