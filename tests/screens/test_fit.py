"""Issue 23, point 4: whole at 80×24 and 120×40, in French and English — nothing cut, nothing off.

For every step and every modal (tests/screens/scenes.py), at both sizes and in both languages:
each button shown has its whole label inside the screen (a button below the fold is scrolled to,
as the admin would; it must then be whole), each table's columns fit its width with every header
whole (cells may end in "…", the row is read whole under the table), and the footer's keys all
fit. What is checked is what the terminal shows: the text the compositor renders in the widget's
region, not the widget's own idea of its label.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from rich.cells import cell_len
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widgets import Button, DataTable, Footer

from screens.modals.entra_signin import EntraSignInModal
from screens.steps.base import is_shown
from screens.steps.entra import EntraStep
from tests.screens.scenes import MODALS, STEPS, Scene, build, reach
from tests.support.pilot import settle, wait_for, wait_for_screen
from tests.support.signin import WaitingSignIn

SIZES = ((80, 24), (120, 40))
SCENES: dict[str, Scene] = {
    **{f"step-{name}": scene for name, scene in STEPS.items()},
    **{f"modal-{name}": scene for name, scene in MODALS.items()},
}


def screen_text(pilot: Pilot[Any], region: Region) -> str:
    """What the terminal shows in `region` of the screen on top, line by line."""
    update = pilot.app.screen._compositor.render_update(full=True)
    lines = update.strips[region.y : region.bottom]  # type: ignore[union-attr]
    return "\n".join(Strip.join(list(line)).crop(region.x, region.right).text for line in lines)


def squeezed(text: str) -> str:
    return "".join(text.split())


def inside(region: Region, width: int, height: int) -> bool:
    return region.x >= 0 and region.y >= 0 and region.right <= width and region.bottom <= height


async def misfits(pilot: Pilot[Any], where: str) -> list[str]:
    """Every button, table header and footer key the screen shows cut or off-screen."""
    app = pilot.app
    width, height = app.size
    screen = app.screen
    found: list[str] = []
    for button in list(screen.query(Button)):
        if not is_shown(button):
            continue
        button.scroll_visible(animate=False, immediate=True)  # below the fold: go and look
        await pilot.pause()
        label = str(button.label)
        region = button.region
        if not inside(region, width, height):
            found.append(f"{where}: button {label!r} off-screen at {region}")
        elif squeezed(label) not in squeezed(screen_text(pilot, region)):
            shown = screen_text(pilot, region).strip()
            found.append(f"{where}: button {label!r} cut, the screen shows {shown!r}")
    for table in screen.query(DataTable):
        if not is_shown(table):
            continue
        table.scroll_visible(animate=False, immediate=True)
        await pilot.pause()
        region = table.region  # a table below the fold is scrolled to; it may be taller
        if region.x < 0 or region.right > width:
            found.append(f"{where}: table #{table.id} off-screen at {region}")
        if table.max_scroll_x > 0:
            found.append(f"{where}: table #{table.id} wider than its place (columns scroll off)")
        for column in table.ordered_columns:
            header = column.label.plain
            room = column.get_render_width(table) - 2 * table.cell_padding
            if cell_len(header) > room:
                found.append(f"{where}: table #{table.id} header {header!r} cut to {room}")
    for footer in screen.query(Footer):
        if footer.max_scroll_x > 0:
            keys = [key.description for key in footer.query("FooterKey")]  # type: ignore[attr-defined]
            found.append(f"{where}: the footer overflows: {keys}")
    return found


async def misfits_at_both_sizes(pilot: Pilot[Any], name: str, lang: str) -> list[str]:
    found: list[str] = []
    for width, height in SIZES:
        await pilot.resize_terminal(width, height)
        await settle(pilot)
        found += await misfits(pilot, f"{name} [{lang} {width}×{height}]")
    return found


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("name", list(SCENES))
def test_every_button_and_column_header_is_whole_on_screen(
    name: str, lang: str, app_at: Callable[..., Any]
) -> None:
    scene = SCENES[name]
    app = build(app_at, scene, lang)

    async def drive() -> list[str]:
        async with app.run_test(size=SIZES[0]) as pilot:
            await reach(pilot, scene)
            return await misfits_at_both_sizes(pilot, name, lang)

    problems = asyncio.run(drive())
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("state", ["choice", "device"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_sign_in_modal_is_whole_on_screen(
    lang: str, state: str, app_at: Callable[..., Any]
) -> None:
    """The sign-in modal: its question (browser or device code), and the page and code shown
    (a fixed one: the emulator's is random)."""
    app = app_at("token", "entra", lang=lang)

    async def drive() -> list[str]:
        async with app.run_test(size=SIZES[0]) as pilot:
            await wait_for_screen(pilot, EntraStep)
            modal = EntraSignInModal(WaitingSignIn(), method=None if state == "choice" else state)
            app.push_screen(modal)
            if state == "choice":
                await wait_for(pilot, lambda: modal.is_mounted and modal.choosing, "the choice")
            else:
                await wait_for(pilot, lambda: modal.prompt is not None, "the code")
            return await misfits_at_both_sizes(pilot, f"sign-in {state}", lang)

    problems = asyncio.run(drive())
    assert not problems, "\n".join(problems)
