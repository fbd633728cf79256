"""Every modal in both languages at 80×24 and 120×40, and a blind Enter never activates the sync.

The activation confirmation once put its buttons below the bottom of an 80×24 terminal, and its
focused button was "Activate": pressing Enter without seeing anything turned the sync on. That
every modal's buttons are whole on screen at both sizes is the fit test's (test_fit.py).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from screens.steps.activate import ActivateStep
from tests.screens.scenes import MODALS, SIZES, build, reach
from tests.support.pilot import settle, wait_for


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_blind_enter_does_not_activate(size: tuple[int, int], app_at: Any) -> None:
    scene = MODALS["activation"]  # the longest dry run we seed
    app = build(app_at, scene)

    async def drive() -> None:
        async with app.run_test(size=size) as pilot:
            await reach(pilot, scene)
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(pilot.app.screen, ActivateStep), "the step")
            await settle(pilot)
            integration = await pilot.app.client.get_integration()
            assert integration.sync_active is False

    asyncio.run(drive())


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("name", list(MODALS))
def test_modal_snapshot(
    name: str, lang: str, size: tuple[int, int], snap_compare: Any, app_at: Any
) -> None:
    """Centred over the whole window, its buttons in sight; French is longer."""
    scene = MODALS[name]
    app = build(app_at, scene, lang)

    async def run_before(pilot: Any) -> None:
        await reach(pilot, scene)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
