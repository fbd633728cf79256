"""The request stream follows the instance's log itself: cursor and paging in one place.

A burst larger than one page (Entra's initial cycle on a big tenant) must reach the screen
whole, newest request included, on the first read — not one page per poll.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx

from assistant.steeple.contract import ENTRA_COMPLIANT_FLAG
from screens.steps.provisioning import ProvisioningStep
from screens.widgets.request_stream import MAX_ROWS, PAGE_SIZE, RequestStream
from tests.support.pilot import wait_for_screen

BURST = PAGE_SIZE * 2 + 30


def test_a_burst_over_several_pages_reaches_the_screen_newest_last(
    app_at: Callable[..., Any],
) -> None:
    asyncio.run(_burst(app_at("provisioned", step="provision")))  # app_at runs its own loop


async def _burst(app: Any) -> None:
    scim = f"{app.server.base_url}/scim/v2"
    headers = {"Authorization": f"Bearer {app.prepared.secret}"}
    async with httpx.AsyncClient(base_url=scim, headers=headers) as entra:
        for number in range(BURST):  # Entra's GETs before a create, as in an initial cycle
            answer = await entra.get(
                f"/Users?{ENTRA_COMPLIANT_FLAG}",
                params={"filter": f'userName eq "burst{number}@contoso.example"'},
            )
            assert answer.status_code == 200
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, ProvisioningStep)
        stream = screen.query_one(RequestStream)
        assert stream.row_count == MAX_ROWS  # more than one page was read, the oldest trimmed
        last_key = list(stream.rows)[-1].value
        tail = await _newest_seq(app)
        assert last_key == str(tail)  # the newest request is on screen after one load
        assert stream.cursor_row == stream.row_count - 1
        added_again = await stream.follow(app.client)
        assert added_again == 0  # caught up: the cursor kept its place


async def _newest_seq(app: Any) -> int:
    cursor = None
    seq = -1
    while True:
        page = await app.client.list_requests(after=cursor, limit=PAGE_SIZE)
        if page.items:
            seq = page.items[-1].seq
        if len(page.items) < PAGE_SIZE or not page.next_cursor:
            return seq
        cursor = page.next_cursor
