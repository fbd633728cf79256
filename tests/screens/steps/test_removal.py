"""The removal screen stops Entra first (issue 20, point 5), against a running sandbox.

Signed in, with Entra's job running (the sandbox's Graph emulator and its hosted job): Remove…
offers to pause the job through Graph first; confirmed, the job is paused and only then is the
typed confirmation asked; declined, nothing changes. Without Graph, the screen says to set
Provisioning Status to Off, and after the removal it notices Entra calling on with the revoked
token and says what to do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from textual.widgets import Static

from assistant.steeple.client import SteepleClient
from screens.modals.confirm import ConfirmModal, TypedConfirmModal
from screens.steps.removal import RemovalScreen
from tests.support.graph_side import side_for, start_provisioning
from tests.support.pilot import wait_for, wait_for_screen
from tests.support.prepare import prepare
from tests.support.sandboxes import install


def _text(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


async def _running_entra(graph_sandbox: Any, graph: Any, signed_in: Any, admin_key: str) -> str:
    with httpx.Client(
        base_url=graph_sandbox.admin_url, headers={"Authorization": f"Bearer {admin_key}"}
    ) as admin:
        tenant_url, secret = install(admin)
    await start_provisioning(signed_in, graph, tenant_url, secret)
    return secret


async def test_a_running_job_is_paused_through_graph_before_the_removal(
    graph_sandbox: Any,
    graph: Any,
    signed_in: Any,
    admin_key: str,
    build_app: Callable[..., Any],
) -> None:
    await _running_entra(graph_sandbox, graph, signed_in, admin_key)
    side = side_for(signed_in, graph)
    app = build_app(SteepleClient(graph_sandbox.base_url, admin_key), step="removal")
    app.entra_side = side
    host = graph.emulator.host
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await wait_for_screen(pilot, RemovalScreen)
            await wait_for(pilot, lambda: "is running" in _text(screen, "#impact"), "the job")
            await pilot.click("#remove")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), "pause first?")
            assert host.job.status.code == "Active"  # asked before anything is done
            await pilot.click("#confirm")  # Pause, then remove…
            await wait_for(pilot, lambda: isinstance(app.screen, TypedConfirmModal), "typed")
            assert host.job.status.code == "Paused"  # paused before the removal is asked
            await pilot.press(*"REMOVE", "enter")
            await wait_for(pilot, lambda: bool(_text(screen, "#result")), "the removal")
            assert "Removed" in _text(screen, "#result")
    finally:
        await side.aclose()


async def test_declining_the_pause_removes_nothing(
    graph_sandbox: Any,
    graph: Any,
    signed_in: Any,
    admin_key: str,
    build_app: Callable[..., Any],
) -> None:
    await _running_entra(graph_sandbox, graph, signed_in, admin_key)
    side = side_for(signed_in, graph)
    app = build_app(SteepleClient(graph_sandbox.base_url, admin_key), step="removal")
    app.entra_side = side
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for_screen(pilot, RemovalScreen)
            await pilot.click("#remove")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), "pause first?")
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, RemovalScreen), "back")
            assert graph.emulator.host.job.status.code == "Active"
        async with SteepleClient(graph_sandbox.base_url, admin_key) as check:
            assert (await check.get_integration()).installed
    finally:
        await side.aclose()


async def test_without_graph_entra_calling_on_after_the_removal_is_said(
    start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    server = start_sandbox()
    prepared = await prepare(server.base_url, admin_key, "active")
    app = build_app(SteepleClient(server.base_url, admin_key), step="removal")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, RemovalScreen)
        assert "Provisioning Status Off" in _text(screen, "#order")
        await pilot.click("#remove")
        await wait_for(pilot, lambda: isinstance(app.screen, TypedConfirmModal), "typed")
        await pilot.press(*"REMOVE", "enter")
        await wait_for(pilot, lambda: bool(_text(screen, "#result")), "the removal")
        assert "keeps calling" not in _text(screen, "#result")
        # Entra's next cycle, with the token the removal revoked: 401, and said on screen.
        headers = {"Authorization": f"Bearer {prepared.secret}"}
        async with httpx.AsyncClient(base_url=f"{server.base_url}/scim/v2") as scim:
            assert (await scim.get("/Users", headers=headers)).status_code == 401
        said = "keeps calling after the removal"
        await wait_for(pilot, lambda: said in _text(screen, "#result"), "the warning")
        assert "Provisioning Status to Off" in _text(screen, "#result")
