"""Step 8, activation, against a sandbox over HTTP: the dry run is the instance's and Recompute
reads it again (someone Entra sent meanwhile appears); cancelling the confirmation leaves the
sync off; an instance already active says so and offers no second activation.

The dry run's wording and counts are `tests/screens/test_lifecycle.py`'s and the activation by
keyboard `tests/screens/test_write_focus.py`'s.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from textual.widgets import Static

from assistant.i18n.translate import t
from assistant.steeple.client import SteepleClient
from screens.modals.confirm import ConfirmModal
from screens.steps.activate import ActivateStep
from tests.support.app import frozen_clock
from tests.support.pilot import wait_for, wait_for_io, wait_for_screen
from tests.support.prepare import prepare
from tests.support.scim import patch_body, scim_create_user, scim_headers

NEWCOMER = "katherine.johnson@contoso.example"


def dry_run(screen: ActivateStep) -> str:
    return str(screen.query_one("#preview", Static).content)


async def test_recompute_reads_the_dry_run_again_and_cancel_leaves_the_sync_off(
    start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    server = start_sandbox(clock=frozen_clock)
    prepared = await prepare(server.base_url, admin_key, "mapped")
    app = build_app(SteepleClient(server.base_url, admin_key), step="activate")
    async with (
        SteepleClient(server.base_url, admin_key) as admin,
        app.run_test(size=(120, 40)) as pilot,
    ):
        screen = await wait_for_screen(pilot, ActivateStep)
        assert "ada.lovelace@contoso.example" in dry_run(screen)
        assert NEWCOMER not in dry_run(screen)

        # Entra's next cycle brings one more person into the mapped users' group.
        scim = f"{server.base_url}/scim/v2"
        newcomer = await scim_create_user(scim, prepared.secret, NEWCOMER, NEWCOMER)
        add = {"op": "add", "path": "members", "value": [{"value": newcomer}]}
        async with httpx.AsyncClient(headers=scim_headers(prepared.secret)) as http:
            answer = await http.patch(
                f"{scim}/Groups/{prepared.group_ids[0]}", json=patch_body(add)
            )
        assert answer.status_code in (200, 204), answer.text

        done = screen.completed_io
        await pilot.press("c")
        await wait_for_io(pilot, screen, done, "the dry run read again")
        assert NEWCOMER in dry_run(screen)

        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), "the confirmation")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, "the step again")
        assert not (await admin.get_integration()).sync_active
        assert screen.query_one("#activate").display


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_an_active_instance_says_so_and_offers_no_second_activation(
    lang: str, app_at: Callable[..., Any]
) -> None:
    asyncio.run(_already_active(app_at("active", step="activate", lang=lang), lang))


async def _already_active(app: Any, lang: str) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, ActivateStep)
        assert str(screen.query_one("#status", Static).content) == t("activate.already", lang)
        assert not screen.query_one("#preview").display
        assert not screen.query_one("#activate").display
        assert app.focused is not None and app.focused.id == "continue"
