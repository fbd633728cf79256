"""A tenant without Entra ID P1/P2 in the TUI (issue 19, point 8): assigning groups on step 5 and
reading the provisioning logs on step 6 say "Entra ID P1 or P2" and what still works, in English
and French (step 6 in its Entra says panel, the job's state still shown) — never the permission
advice a 403 otherwise gets.

Real sandbox, Graph and login emulators (the tenant switched to "free"), MSAL's device code, the
facade; the emulator refuses exactly what Graph refuses on a Free tenant.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from assistant.steeple.client import SteepleClient
from screens.modals.confirm import ConfirmModal
from screens.steps.assign import AssignStep
from screens.steps.provisioning import ProvisioningStep
from screens.widgets.error_panel import ErrorPanel
from tests.support.app import frozen_clock, signed_in_side
from tests.support.pilot import wait_for, wait_for_screen
from tests.support.prepare import prepare

NEEDS = {"en": "Entra ID P1 or P2", "fr": "Entra ID P1 ou P2"}
STILL = {"en": ("one by one", "admin center"), "fr": ("une par une", "centre d'administration")}
PERMISSION_ADVICE = (
    "Grant admin consent",
    "Reports Reader",
    "AuditLog",
    "Accorder le consentement",
)


def screen_loading(lang: str) -> str:
    from assistant.i18n.translate import t

    return t("says.loading", lang)


async def failure_shown(pilot: Any, screen: Any) -> tuple[str, str]:
    """The step's error panel once shown: (message, fix)."""
    panel = screen.query_one(ErrorPanel)
    await wait_for(pilot, lambda: panel.is_shown, "the licence")
    return panel.message_text, str(screen.query_one("#error-fix").render())


def free_sandbox(start_sandbox: Callable[..., Any]) -> Any:
    return start_sandbox(clock=frozen_clock, with_entra=True, with_graph=True, entra_licence="free")


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_assigning_groups_says_the_licence(
    lang: str, start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    server = free_sandbox(start_sandbox)
    await prepare(server.base_url, admin_key, "tested")
    app = build_app(
        SteepleClient(server.base_url, admin_key),
        step="assign",
        entra_side=signed_in_side(server, lang),
        lang=lang,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, AssignStep)
        picker = screen.query_one("#groups")
        await wait_for(pilot, lambda: picker.option_count > 0, "Entra's groups")
        picker.select(picker.get_option_at_index(0).value)
        await pilot.click("#assign")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), "the confirmation")
        await pilot.click("#confirm")
        message, fix = await failure_shown(pilot, screen)
    assert NEEDS[lang] in message and STILL[lang][0] in fix
    assert not any(advice in message + fix for advice in PERMISSION_ADVICE)


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_reading_the_logs_says_the_licence(
    lang: str, start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    server = free_sandbox(start_sandbox)
    prepared = await prepare(server.base_url, admin_key, "tested")
    setter = signed_in_side(server)  # what still works on Free: credentials, one person
    try:
        await setter.save_credentials(prepared.tenant_url, prepared.secret)
        person = next(iter(server.graph.emulator.host.tenant.users))
        assert (await setter.assign_groups([person])).added == 1
    finally:
        await setter.aclose()
    app = build_app(
        SteepleClient(server.base_url, admin_key),
        step="provision",
        entra_side=signed_in_side(server, lang),
        lang=lang,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, ProvisioningStep)
        said = screen.query_one("#says-error")
        await wait_for(pilot, lambda: NEEDS[lang] in str(said.render()), "the licence said")
        shown = str(said.render())
        state = str(screen.query_one("#says-state").render())
        panel_shown = screen.query_one(ErrorPanel).is_shown
    # Said where the log lines would be, with what still works; the job's state is still
    # Entra's word (not "loading"), and the step is not in error: Steeple's side still polls.
    assert STILL[lang][1] in shown
    assert not any(advice in shown for advice in PERMISSION_ADVICE)
    assert state and state != screen_loading(lang)
    assert not panel_shown
