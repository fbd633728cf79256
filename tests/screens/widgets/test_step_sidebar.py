"""Issue 23, point 3: the sidebar by mouse — each reached step opens on a click, a later one
says which step comes first — and Back (b) walks the same steps by keyboard."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from assistant.i18n.translate import t
from assistant.journey.steps import ORDER, StepId
from screens.steps.activate import ActivateStep
from screens.steps.assign import AssignStep
from screens.steps.registry import screen_classes
from screens.steps.sso import SsoStep
from tests.support.pilot import wait_for, wait_for_screen


def test_each_reached_step_opens_on_a_click(app_at: Callable[..., Any]) -> None:
    """Sync active: every step is reached; a click on each opens it, whatever is on screen."""
    app = app_at("active", "activate")

    async def drive() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_screen(pilot, ActivateStep)
            for step in reversed(ORDER):  # from the last, so each click leaves another step
                await pilot.click(f"#step-{step}")
                wanted = screen_classes()[step]
                screen = await wait_for_screen(pilot, wanted)
                shown = screen.query_one(f"#step-{step}")
                assert shown.has_class("-shown"), step  # the sidebar marks the step on screen

    asyncio.run(drive())


def test_an_unreached_step_says_which_step_comes_first(app_at: Callable[..., Any]) -> None:
    app = app_at("tested", "assign", lang="fr")  # step 5 is the first not done

    async def drive() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await wait_for_screen(pilot, AssignStep)
            await pilot.click(f"#step-{StepId.ACTIVATE}")
            await wait_for(pilot, lambda: bool(app._notifications), "the reason")
            message = list(app._notifications)[-1].message
            first = app.journey.step(StepId.ASSIGN)
            expected = t(
                "palette.blocked",
                "fr",
                target=8,
                title=t("activate.title", "fr"),
                number=first.number,
                blocker=first.title,
                reason="",
            ).strip()
            assert message == expected
            assert "l'étape 5 (Attribution) vient avant" in message
            await pilot.pause()
            assert app.screen is screen  # nothing opened

            await pilot.click(f"#step-{StepId.SSO}")  # done steps stay reachable: to review
            await wait_for_screen(pilot, SsoStep)

    asyncio.run(drive())


def test_back_walks_to_the_first_step_where_it_stops(app_at: Callable[..., Any]) -> None:
    app = app_at("active", "install")

    async def drive() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_screen(pilot, screen_classes()[StepId.INSTALL])
            await pilot.press("b")
            screen = await wait_for_screen(pilot, SsoStep)
            back = screen.query_one("#back")
            assert back.disabled  # nothing before step 1: Back is there, greyed
            await pilot.press("b")
            await pilot.pause()
            assert app.screen is screen

    asyncio.run(drive())
