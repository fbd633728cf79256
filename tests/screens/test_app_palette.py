"""Issue 11, point 1: the palette's steps, in journey order, titled as the sidebar; a step not
reached yet says which step comes first (and why) instead of opening it, as the sidebar does."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from assistant.i18n.translate import t
from screens.steps.install import InstallStep
from screens.steps.sso import SsoStep
from tests.support.pilot import wait_for, wait_for_screen


def step_commands(app: Any) -> list[Any]:
    goto = t("palette.goto", app.lang, number=0, title="").split("0")[0]
    return [c for c in app.get_system_commands(app.screen) if c.title.startswith(goto)]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_steps_in_journey_order_with_the_sidebar_titles(
    lang: str, app_at: Callable[..., Any]
) -> None:
    app = app_at("none")  # prepared synchronously, so the test drives its own loop
    app.lang = lang
    asyncio.run(_in_journey_order(app, lang))


async def _in_journey_order(app: Any, lang: str) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, InstallStep)
        commands = step_commands(app)
        expected = [
            t("palette.goto", lang, number=s.number, title=s.title) for s in app.journey.steps
        ]
        assert [c.title for c in commands] == expected
        # Textual's palette lists discovered commands sorted by name: numbered, that is this order.
        assert sorted(expected) == expected
        assert [s.number for s in app.journey.steps] == list(range(1, 9))
        sidebar = [s.title for s in app.journey.steps]
        assert sidebar[0] == t("sso.title", lang) and sidebar[-1] == t("activate.title", lang)
        # Reached steps open (done ones and the first not done); later ones say what comes first,
        # as a click on them in the sidebar does.
        current = next(s.number for s in app.journey.steps if str(s.status) != "done")
        for state, command in zip(app.journey.steps, commands, strict=True):
            reached = state.number <= current
            help_key = "palette.goto_help" if reached else "palette.blocked_help"
            assert command.help == t(help_key, lang, number=current), state.title


def test_a_blocked_step_keeps_later_steps_out_of_reach_and_says_why(
    app_at: Callable[..., Any],
) -> None:
    asyncio.run(_blocked(app_at("none", sso=False)))


async def _blocked(app: Any) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, SsoStep)
        commands = step_commands(app)
        assert commands[0].help == t("palette.goto_help", "en")  # the blocked step itself
        install = commands[1]
        assert install.help == t("palette.blocked_help", "en", number=1)
        install.callback()
        await wait_for(pilot, lambda: bool(app._notifications), "the reason")
        message = list(app._notifications)[-1].message
        assert (
            "Step 2 (Install Azure AD) is not reached yet: step 1 (Check SSO) comes first."
            in message
        )
        assert "Single sign-on is not configured" in message
        await pilot.pause()
        assert isinstance(app.screen, SsoStep)
