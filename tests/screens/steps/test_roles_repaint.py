"""The roles step repaints only what a search changed: a keystroke whose page brings back the rows
on screen (a refined query that still matches them) draws none of them again, and one whose page
holds as many rows but other groups shows every new name in its line — the rows are rewritten
in place and only the changed ones repainted, so no stale line may stay. The app talks HTTP to
an in-process sandbox holding two families of groups, each more than a first page."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from unittest.mock import patch

from textual.geometry import Region
from textual.widgets import Input

from assistant.steeple.client import SteepleClient
from screens.steps.roles import RolesStep
from screens.widgets.role_table import RoleTable
from tests.support.app import frozen_clock
from tests.support.pilot import wait_for, wait_for_screen
from tests.support.prepare import prepare
from tests.support.scim import scim_post_empty_groups

FAMILY = 60
"""Groups per family ("Alpha 0000"…, "Bravo 0000"…): more than a first page of either."""
NAME = re.compile(r"(Alpha|Bravo) \d{4}")


def painted_names(table: RoleTable) -> list[str]:
    """The group named on every line of the table as drawn now, top to bottom."""
    lines = table.render_lines(Region(0, 0, table.size.width, table.size.height))
    return [found.group() for line in lines if (found := NAME.search(line.text))]


async def test_a_search_repaints_only_the_rows_it_changed(
    start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    server = start_sandbox(clock=frozen_clock)
    prepared = await prepare(server.base_url, admin_key, "provisioned")
    alpha = [f"Alpha {number:04d}" for number in range(FAMILY)]
    bravo = [f"Bravo {number:04d}" for number in range(FAMILY)]
    await scim_post_empty_groups(server.base_url, prepared.secret, alpha + bravo)

    app = build_app(SteepleClient(server.base_url, admin_key), step="roles")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, RolesStep)
        table = screen.query_one(RoleTable)
        search = screen.query_one("#search", Input)

        async def searched(query: str) -> None:
            await wait_for(pilot, lambda: screen._query == query and not screen.searching, query)
            await pilot.pause()

        await pilot.press("slash", *"Alpha")
        await searched("Alpha")
        rows = table.row_count
        visible = len(painted_names(table))
        assert rows == screen.first_page_size() and 0 < visible < rows
        assert painted_names(table) == alpha[:visible]

        with patch.object(table, "_draw_row", wraps=table._draw_row) as drawn:
            await pilot.press("space", "0", "0")  # "Alpha 00": the same first page
            await searched("Alpha 00")
            assert drawn.call_count == 0
            assert painted_names(table) == alpha[:visible]

            search.value = "Bravo"  # as many rows, every one another group
            await searched("Bravo")
            assert table.row_count == rows  # rewritten in place, none added or removed
            assert painted_names(table) == bravo[:visible]
            assert drawn.call_count >= visible

            search.value = "Alpha"
            await searched("Alpha")
            assert painted_names(table) == alpha[:visible]
