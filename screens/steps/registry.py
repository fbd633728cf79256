"""Which screen shows which journey step; imports lazily so the app starts fast."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from textual.screen import Screen

SCREENS: dict[str, tuple[str, str]] = {
    "connect": ("screens.steps.connect", "ConnectScreen"),
    "sso": ("screens.steps.sso", "SsoStep"),
    "install": ("screens.steps.install", "InstallStep"),
    "credentials": ("screens.steps.credentials", "CredentialsStep"),
    "entra": ("screens.steps.entra", "EntraStep"),
    "assign": ("screens.steps.assign", "AssignStep"),
    "provision": ("screens.steps.provisioning", "ProvisioningStep"),
    "roles": ("screens.steps.roles", "RolesStep"),
    "activate": ("screens.steps.activate", "ActivateStep"),
    "done": ("screens.steps.done", "DoneScreen"),
    "removal": ("screens.steps.removal", "RemovalScreen"),
    "deactivate": ("screens.steps.deactivate", "DeactivateScreen"),
    "explain": ("screens.steps.explain", "ExplainScreen"),
}

def step_key(step: Any) -> str:
    """`StepId.SSO`, "SSO" and "sso" all name the same screen."""
    return str(getattr(step, "name", step)).lower()


def screen_for(step: Any) -> Screen[Any]:
    module_name, class_name = SCREENS[step_key(step)]
    screen_class = getattr(import_module(module_name), class_name)
    screen: Screen[Any] = screen_class()
    return screen
