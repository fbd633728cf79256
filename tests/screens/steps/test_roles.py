"""The roles step: the table pages through the API (search is server-side) and maps groups for
real; the search keeps up with typing (a burst of keystrokes makes one search for the last text,
and a search in flight neither shows the busy indicator nor takes focus from the search box).

The app talks HTTP to an in-process sandbox, through a `FaultyPeer` where a search must be held
in flight; the tests wait for the filtered rows and the peer's state, never for time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from textual.geometry import Region
from textual.widgets import Input, LoadingIndicator

from assistant.steeple.client import SteepleClient
from screens.modals.mapping import MappingModal
from screens.steps import roles
from screens.steps.roles import PAGE_SIZE, RolesStep
from screens.widgets.role_table import RoleTable
from tests.support.app import frozen_clock
from tests.support.faults import FaultyPeer
from tests.support.pilot import wait_for, wait_for_screen
from tests.support.prepare import prepare
from tests.support.scim import scim_post_empty_groups

EXTRA_GROUPS = PAGE_SIZE + 60
"""More than a first page and a next one: the wheel loads one page, the End key the last."""


async def test_table_pages_searches_and_maps(
    start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    server = start_sandbox(clock=frozen_clock)
    prepared = await prepare(server.base_url, admin_key, "provisioned")
    teams = (f"Team {number:04d}" for number in range(EXTRA_GROUPS))
    await scim_post_empty_groups(server.base_url, prepared.secret, teams)
    total = EXTRA_GROUPS + 2

    check = SteepleClient(server.base_url, admin_key)
    app = build_app(SteepleClient(server.base_url, admin_key), step="roles")
    async with check, app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, RolesStep)
        table = screen.query_one(RoleTable)
        assert table.row_count == screen.first_page_size() < total  # one page, not every group

        first = table.row_count
        table.scroll_end(animate=False, immediate=True)  # the wheel: the cursor stays put
        await wait_for(pilot, lambda: table.row_count == first + PAGE_SIZE, "the page scrolled to")
        assert table.cursor_row == 0

        table.focus()
        await pilot.press("end")
        await wait_for(pilot, lambda: table.row_count == total, "the next page")

        await pilot.press("slash", *"Team 0042")
        await wait_for(pilot, lambda: not screen.searching, "the server-side search")
        assert [g.display_name for g in table.groups.values()] == ["Team 0042"]
        (group_id,) = table.groups
        await pilot.press("enter")  # back to the table

        community = (await check.list_communities()).items[0]
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, MappingModal), "the mapping modal")
        app.screen.query_one("#community").value = community.id
        await pilot.click("#admin")
        await pilot.click("#confirm")
        # A change of state, not a count of I/O (the load and the search had already made two).
        await wait_for(pilot, lambda: table.groups[group_id].mapping is not None, "the mapping")
        assert str(table.get_row_at(0)[3]) == community.name  # the row shows it in place

        page = await check.list_groups(query="Team 0042")
        mapping = page.items[0].mapping
        assert mapping is not None
        assert (mapping.community_id, mapping.role) == (community.id, "admin")


TEAMS = 30


class RecordingTransport(httpx.AsyncHTTPTransport):
    """The real transport, noting the search text of every group listing the app asks for."""

    def __init__(self) -> None:
        super().__init__()
        self.searches: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/groups"):
            self.searches.append(request.url.params.get("query", ""))
        return await super().handle_async_request(request)


@pytest.fixture
def sandbox_url(start_sandbox: Callable[..., Any], admin_key: str) -> str:
    """A provisioned sandbox with TEAMS more groups ("Team 0000"…) to search among."""
    import asyncio

    server = start_sandbox(clock=frozen_clock)

    async def populate() -> None:
        prepared = await prepare(server.base_url, admin_key, "provisioned")
        teams = (f"Team {number:04d}" for number in range(TEAMS))
        await scim_post_empty_groups(server.base_url, prepared.secret, teams)

    asyncio.run(populate())
    return str(server.base_url)


@pytest.fixture
def peer(sandbox_url: str) -> Iterator[FaultyPeer]:
    faulty = FaultyPeer(sandbox_url).start()
    yield faulty
    faulty.stop()


def shows_only(table: RoleTable, name: str) -> bool:
    return table.row_count == 1 and [g.display_name for g in table.groups.values()] == [name]


def painted(table: RoleTable) -> str:
    """The table's lines as they are drawn (rows are rewritten in place: no stale line left)."""
    lines = table.render_lines(Region(0, 0, table.size.width, table.size.height))
    return "\n".join(line.text for line in lines)


async def test_a_burst_of_keystrokes_makes_one_search_for_the_last_text(
    sandbox_url: str,
    admin_key: str,
    build_app: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first keystroke is searched at once; the rest of the burst, as one search at its end.

    The window is widened to 3 s so that `pilot.press`'s pauses between keys always fall inside
    it (usually 40-100 ms; at most 2 s, Textual's `wait_for_idle` cap, twice per key): the test
    does not depend on the machine's speed. It then waits for the page, not for the 3 s.
    """
    monkeypatch.setattr(roles, "SEARCH_DEBOUNCE", 3.0)
    recorder = RecordingTransport()
    client = SteepleClient(sandbox_url, admin_key, transport=recorder)
    app = build_app(client, step="roles")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, RolesStep)
        table = screen.query_one(RoleTable)
        await pilot.press("slash")
        loads = len(recorder.searches)

        await pilot.press(*"Team 0017")
        await wait_for(pilot, lambda: shows_only(table, "Team 0017"), "the filtered page")
        await wait_for(pilot, lambda: not screen.searching, "no search left to show")

        # One search per keystroke before; now the first key's, then the last text's.
        assert recorder.searches[loads:] == ["T", "Team 0017"]
        assert shows_only(table, "Team 0017")  # no earlier answer painted over it
        drawn = painted(table)
        assert "Team 0017" in drawn and "Team 0000" not in drawn, drawn
        assert app.focused is screen.query_one("#search", Input)


async def test_a_search_in_flight_shows_no_busy_indicator_and_keeps_focus(
    peer: FaultyPeer, admin_key: str, build_app: Callable[..., Any]
) -> None:
    app = build_app(SteepleClient(peer.base_url, admin_key, retries=0), step="roles")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, RolesStep)
        table = screen.query_one(RoleTable)
        busy = screen.query_one("#busy", LoadingIndicator)
        search = screen.query_one("#search", Input)
        assert not busy.display

        peer.fail("GET", "/groups", "hold")
        await pilot.press("slash", "2")
        await wait_for(pilot, lambda: peer.held >= 1, "the search to be in flight")
        assert screen.searching
        assert not busy.display  # no spinner shown (and no re-layout) for a keystroke
        assert app.focused is search

        peer.release()
        await wait_for(pilot, lambda: not screen.searching, "the search's page")
        names = [g.display_name for g in table.groups.values()]
        assert names and all("2" in name for name in names), names
        assert table.cursor_row == 0
        assert not busy.display
        assert app.focused is search
