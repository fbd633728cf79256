"""Reads never cancel writes: a bulk "apply suggestions" runs to its end while the admin searches,
its controls are disabled meanwhile, and when it stops on an error it says how many of how many
mappings were applied.

The app talks HTTP to an in-process sandbox through a `FaultyPeer` that holds or fails the
mapping writes; the tests wait on the peer's and the screen's state, never on time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from assistant.steeple.client import SteepleClient
from screens.modals.confirm import ConfirmModal
from screens.steps.roles import RolesStep
from screens.widgets.error_panel import ErrorPanel
from screens.widgets.role_table import RoleTable
from tests.support.app import frozen_clock
from tests.support.faults import FaultyPeer
from tests.support.pilot import palette_offers, wait_for, wait_for_screen
from tests.support.prepare import prepare
from tests.support.scim import scim_post_empty_groups

EXTRA_GROUPS = 40
SUGGESTED = EXTRA_GROUPS + 2  # the two groups `prepare` provisions name a community too


@pytest.fixture
def peer(start_sandbox: Callable[..., Any], admin_key: str) -> Iterator[FaultyPeer]:
    """A faulty peer before a sandbox holding SUGGESTED unmapped groups that name a community."""
    import asyncio

    server = start_sandbox(clock=frozen_clock)

    async def populate() -> None:
        prepared = await prepare(server.base_url, admin_key, "provisioned")
        async with SteepleClient(server.base_url, admin_key) as client:
            communities = (await client.list_communities()).items
        names = (
            f"{communities[number % len(communities)].name} team {number:03d}"
            for number in range(EXTRA_GROUPS)
        )
        await scim_post_empty_groups(server.base_url, prepared.secret, names)

    asyncio.run(populate())
    faulty = FaultyPeer(server.base_url).start()
    yield faulty
    faulty.stop()


async def mapped_count(client: SteepleClient) -> int:
    page = await client.list_groups("", None, 1000)
    return sum(1 for group in page.items if group.mapping is not None)


def io_idle(screen: Any) -> bool:
    return all(worker.is_finished for worker in screen.workers if worker.group != "poll")


async def apply_suggestions(pilot: Any, screen: RolesStep) -> None:
    screen.query_one(RoleTable).focus()
    await pilot.press("a")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmModal), "the suggestions")
    assert f"Apply {SUGGESTED} suggested mappings?" in str(pilot.app.screen._title)
    await pilot.press("enter")


async def test_a_search_keystroke_does_not_cancel_apply_suggestions(
    peer: FaultyPeer, build_app: Callable[..., Any], admin_key: str
) -> None:
    peer.fail("PUT", "/mapping", "hold", let_through=5)
    check = SteepleClient(peer.base_url, admin_key)
    app = build_app(SteepleClient(peer.base_url, admin_key, retries=0), step="roles")
    async with check, app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, RolesStep)
        table = screen.query_one(RoleTable)
        await apply_suggestions(pilot, screen)
        await wait_for(pilot, lambda: peer.held >= 1, "the write to be in flight")

        # While it runs, nothing can start another write; reads still work.
        assert screen.query_one("#suggest").disabled
        for key in ("a", "m", "x"):
            assert not screen.active_bindings[key].enabled, key

        await pilot.press("slash", *"team 007")
        await wait_for(pilot, lambda: table.row_count == 1, "the search to load")
        peer.release()
        await wait_for(pilot, lambda: io_idle(screen), "the write to end")

        assert await mapped_count(check) == SUGGESTED
        assert not screen.query_one(ErrorPanel).has_class("-visible")
        assert not screen.query_one("#suggest").disabled
        await pilot.press("enter")  # back to the table: the shortcuts are live again
        await wait_for(pilot, lambda: app.focused is table, "the table")
        assert screen.active_bindings["a"].enabled


async def test_a_bulk_write_that_stops_says_how_many_of_how_many_were_applied(
    peer: FaultyPeer, build_app: Callable[..., Any], admin_key: str
) -> None:
    peer.fail("PUT", "/mapping", "500", let_through=7)
    check = SteepleClient(peer.base_url, admin_key)
    app = build_app(SteepleClient(peer.base_url, admin_key, retries=0), step="roles")
    async with check, app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, RolesStep)
        panel = screen.query_one(ErrorPanel)
        await apply_suggestions(pilot, screen)
        await wait_for(pilot, lambda: panel.has_class("-visible"), "the write to stop")

        assert f"7 of {SUGGESTED} mappings" in panel.message_text
        assert "internal error (500)" in panel.message_text
        assert await mapped_count(check) == 7
        assert not screen.query_one("#suggest").disabled

        peer.heal()  # Retry asks again, then applies the rest
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), "the confirmation")
        await pilot.press("enter")
        await wait_for(pilot, lambda: not panel.has_class("-visible"), "the retried write")
        assert await mapped_count(check) == SUGGESTED


async def test_the_palette_does_not_leave_a_step_while_it_writes(
    peer: FaultyPeer, build_app: Callable[..., Any], admin_key: str
) -> None:
    """Leaving a step cancels its workers, so "Recheck" waits until the write has ended."""
    peer.fail("PUT", "/mapping", "hold", let_through=3)
    check = SteepleClient(peer.base_url, admin_key)
    app = build_app(SteepleClient(peer.base_url, admin_key, retries=0), step="roles")
    async with check, app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, RolesStep)
        await apply_suggestions(pilot, screen)
        await wait_for(pilot, lambda: peer.held >= 1, "the write to be in flight")

        await pilot.press("ctrl+p", *"Recheck")
        await wait_for(pilot, lambda: palette_offers(app, "Recheck"), "the palette's match")
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(app._notifications), "the 'wait' notice")
        assert app.screen is screen

        peer.release()
        await wait_for(pilot, lambda: io_idle(screen), "the write to end")
        assert await mapped_count(check) == SUGGESTED
