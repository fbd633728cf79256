"""Issue 11, point 1: on step 5 Continue always moves on or says why not.

On a real instance the assignment cannot be observed before a cycle, so Continue asks the admin's
confirmation (Cancel keeps the step, Confirm moves on); with the simulated tenant the picker is
the assignment, so Continue without one says what to do instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from assistant.i18n.translate import t
from screens.modals.confirm import ConfirmModal
from screens.steps.assign import AssignStep
from screens.steps.provisioning import ProvisioningStep
from tests.support.pilot import wait_for, wait_for_screen


def test_real_instance_continue_asks_for_the_admins_word(app_at: Callable[..., Any]) -> None:
    asyncio.run(_real_instance(app_at("tested")))


async def _real_instance(app: Any) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, AssignStep)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), "the question")
        assert "Users and groups" in app.screen._body  # what to check in Entra
        await pilot.press("escape")  # not yet: the step stays, unconfirmed
        await wait_for(pilot, lambda: isinstance(app.screen, AssignStep), "the step back")
        assert not app.assign_confirmed
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), "the question")
        await pilot.press("y")
        await wait_for_screen(pilot, ProvisioningStep)
        assert app.assign_confirmed


def test_sandbox_continue_without_an_assignment_says_why(app_at: Callable[..., Any]) -> None:
    # On step 5 itself: through Graph, step 4 is done only once Entra holds saved credentials.
    asyncio.run(_sandbox(app_at("tested", step="assign", sim=True)))


async def _sandbox(app: Any) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_screen(pilot, AssignStep)
        screen.query_one("#continue").focus()
        await pilot.press("n")
        why = t("assign.pick_first", "en")
        await wait_for(pilot, lambda: any(n.message == why for n in app._notifications), "why")
        assert isinstance(app.screen, AssignStep) and not app.assign_confirmed
        await wait_for(pilot, lambda: screen.query_one("#groups").has_focus, "the picker")
