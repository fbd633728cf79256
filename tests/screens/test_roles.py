"""The roles table pages through the API (search is server-side) and maps groups for real."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from assistant.client import SteepleClient
from assistant.contract import ENTRA_COMPLIANT_FLAG
from screens.modals.mapping import MappingModal
from screens.steps.roles import PAGE_SIZE, RolesStep
from screens.widgets.role_table import RoleTable
from tests.support.app import frozen_clock
from tests.support.pilot import wait_for, wait_for_screen
from tests.support.prepare import prepare

EXTRA_GROUPS = PAGE_SIZE + 30


async def test_table_pages_searches_and_maps(
    start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    server = start_sandbox(clock=frozen_clock)
    prepared = await prepare(server.base_url, admin_key, "provisioned")
    headers = {"Authorization": f"Bearer {prepared.secret}"}
    async with httpx.AsyncClient(base_url=f"{server.base_url}/scim/v2", headers=headers) as scim:
        for number in range(EXTRA_GROUPS):
            body = {
                "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                "displayName": f"Team {number:04d}",
                "members": [],
            }
            (await scim.post(f"/Groups?{ENTRA_COMPLIANT_FLAG}", json=body)).raise_for_status()
    total = EXTRA_GROUPS + 2

    check = SteepleClient(server.base_url, admin_key)
    app = build_app(SteepleClient(server.base_url, admin_key), step="roles")
    async with check, app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, RolesStep)
        table = screen.query_one(RoleTable)
        assert table.row_count == PAGE_SIZE  # one page, not every group

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
