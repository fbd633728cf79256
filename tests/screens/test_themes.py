"""Issue 23, point 6: dark, light and high-contrast themes; NO_COLOR respected.

Under NO_COLOR Textual's driver filters every colour out (its monochrome filter) — checked here on
the very lines the compositor renders — and the app starts in high contrast, where the states
still read by their marks (✓ ▶ ✗) and by weight and reverse video.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from rich.segment import Segment
from textual.color import Color
from textual.filter import Monochrome, NoColor

from screens.app import ProvisioningAssistant
from screens.steps.roles import RolesStep
from screens.themes import DARK, HIGH_CONTRAST, LIGHT
from tests.screens.scenes import STEPS, build, reach
from tests.support.pilot import settle, wait_for_screen


def test_ctrl_t_goes_through_dark_light_and_high_contrast(app_at: Callable[..., Any]) -> None:
    app = app_at("mapped", "roles")

    async def drive() -> list[str]:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_screen(pilot, RolesStep)
            seen = [app.theme]
            for _ in range(3):
                await pilot.press("ctrl+t")
                seen.append(app.theme)
            return seen

    assert asyncio.run(drive()) == [DARK, LIGHT, HIGH_CONTRAST, DARK]


def test_no_color_strips_every_colour_and_starts_in_high_contrast(
    app_at: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_at("mapped", "roles")  # an app built before NO_COLOR: only its client is taken
    monkeypatch.setenv("NO_COLOR", "1")
    plain = ProvisioningAssistant(app.settings, app.client, start_step="roles")
    plain.animation_level = "none"
    assert plain.no_color and plain.theme == HIGH_CONTRAST
    filters = [f for f in plain._filters if isinstance(f, Monochrome | NoColor)]
    assert filters, "Textual's driver filter for NO_COLOR"

    async def drive() -> list[list[Segment]]:
        async with plain.run_test(size=(80, 24)) as pilot:
            await wait_for_screen(pilot, RolesStep)
            await settle(pilot)
            update = plain.screen._compositor.render_update(full=True)
            rows = update.strips  # type: ignore[union-attr]
            return [[segment for strip in row for segment in strip] for row in rows]

    lines = asyncio.run(drive())
    background = Color(0, 0, 0)  # the filter's second argument (monochrome ignores it)
    coloured = []
    text = []
    for segments in lines:
        text.append("".join(segment.text for segment in segments))
        for _, style, _ in filters[0].apply(segments, background):
            for colour in (style.color, style.bgcolor) if style else ():
                if colour is None or colour.triplet is None:
                    continue
                red, green, blue = colour.triplet
                if not red == green == blue:
                    coloured.append(colour)
    assert not coloured, coloured[:5]
    screen_text = "\n".join(text)
    assert "✓ 1." in screen_text and "▶ 8." in screen_text  # states read by their marks


@pytest.mark.parametrize("theme", [LIGHT, HIGH_CONTRAST])
def test_theme_snapshot(theme: str, snap_compare: Any, app_at: Callable[..., Any]) -> None:
    """The provisioning dashboard in light and high contrast: panel titles readable."""
    scene = STEPS["sim_provision"]
    app = build(app_at, scene, "fr")
    app.theme = theme

    async def run_before(pilot: Any) -> None:
        await reach(pilot, scene)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
