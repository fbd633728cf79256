"""Step 4 and 6 through Graph on a fresh tenant, as a new admin meets them (issue 19, points 4
and 10): the first Test Connection creates the app and says, live, that Entra is still making
it usable; Start before the credentials are saved says exactly that. Real sandbox, Graph and
login emulators, MSAL's device code, the facade."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.widgets import Input, Static

from screens.steps.entra import EntraStep
from screens.steps.provisioning import ProvisioningStep
from screens.widgets.error_panel import ErrorPanel
from tests.support.app import PUBLIC_URL
from tests.support.pilot import wait_for, wait_for_screen


def test_the_first_test_connection_says_entra_is_still_creating_the_app(
    app_at: Callable[..., Any],
) -> None:
    asyncio.run(_first_test(app_at("token", "entra", sim=True, sso=False)))


async def _first_test(app: Any) -> None:
    server, prepared = app.server, app.prepared
    server.graph.emulator.replication_delay = 2.0  # a fresh tenant: the new app replicates
    lines: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, EntraStep)
        # Entra must reach the SCIM endpoint where it really listens, not the fixed public URL.
        url = prepared.tenant_url.replace(PUBLIC_URL, server.base_url)
        screen.query_one("#tenant-url", Input).value = url
        result = screen.query_one("#sim-result", Static)
        await pilot.click("#test")

        def seen() -> bool:
            lines.append(str(result.render()))
            return result.has_class("ok")

        await wait_for(pilot, seen, "the verdict after the wait")
    assert any("Waiting for Entra to finish creating the app" in line for line in lines)
    assert len(server.graph.emulator.service_principals) == 1  # created once


def test_start_with_unsaved_credentials_says_so(app_at: Callable[..., Any]) -> None:
    asyncio.run(_start_unsaved(app_at("tested", "provision", sim=True)))


async def _start_unsaved(app: Any) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, ProvisioningStep)
        await pilot.click("#start")
        panel = screen.query_one(ErrorPanel)
        await wait_for(pilot, lambda: panel.is_shown, "the refusal")
        message = panel.message_text
        fix = str(screen.query_one("#error-fix").render())
    assert "Test Connection checks them but does not save them" in message
    assert "press Save" in fix
    assert not app.server.graph.emulator.host.running
