"""The whole journey against the sandbox with the simulated Entra tenant, from Connect to Done,
then removal — driven like a person would, asserting the instance's state through the client.

The Entra half goes through Microsoft Graph (the sandbox's emulator, signed in with MSAL's real
device-code flow), exactly as against a real tenant when signed in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.events import Paste

from assistant.steeple.client import SteepleClient
from screens.modals.confirm import ConfirmModal, TypedConfirmModal
from screens.steps.activate import ActivateStep
from screens.steps.assign import AssignStep
from screens.steps.connect import ConnectScreen
from screens.steps.credentials import CredentialsStep
from screens.steps.done import DoneScreen
from screens.steps.entra import EntraStep
from screens.steps.install import InstallStep
from screens.steps.provisioning import ProvisioningStep
from screens.steps.removal import RemovalScreen
from screens.steps.roles import RolesStep
from tests.support.pilot import (
    click_laid_out,
    wait_for,
    wait_for_instance,
    wait_for_io,
    wait_for_screen,
)


async def confirm(pilot: Any) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmModal), "the confirmation")
    await pilot.click("#confirm")


async def test_connect_to_done_then_removal(
    start_sandbox: Callable[..., Any],
    admin_key: str,
    build_app: Callable[..., Any],
) -> None:
    from tests.support.app import signed_in_side

    server = start_sandbox(with_entra=True, with_graph=True)
    check = SteepleClient(server.base_url, admin_key)
    app = build_app(None, entra_side=signed_in_side(server))
    async with check, app.run_test(size=(120, 40)) as pilot:
        # Connect: URL and admin key, as typed by the admin.
        await wait_for_screen(pilot, ConnectScreen)
        await pilot.click("#url")
        await pilot.press(*"http://")  # typed, then the rest pasted, as people do
        app.screen.query_one("#url").post_message(Paste(server.base_url.removeprefix("http://")))
        await pilot.click("#key")
        app.screen.query_one("#key").post_message(Paste(admin_key))
        await pilot.pause()
        await pilot.click("#connect")

        # SSO is configured in the demo seed: the journey lands on Install.
        await wait_for_screen(pilot, InstallStep)
        assert (await check.get_sso()).configured
        assert not (await check.get_integration()).installed
        await pilot.click("#install")
        await confirm(pilot)
        await wait_for(pilot, lambda: app.screen.query_one("#continue").display, "installed")
        assert (await check.get_integration()).installed
        await click_laid_out(pilot, "#continue")

        # Credentials: create the token; it is shown masked, revealed on request.
        screen = await wait_for_screen(pilot, CredentialsStep)
        await pilot.click("#create")
        await confirm(pilot)
        await wait_for(pilot, lambda: bool(app.revealed_secret), "the token")
        tokens = (await check.list_tokens()).tokens
        assert [t.hint for t in tokens] == [app.revealed_secret[-4:]]
        await wait_for(pilot, lambda: screen.query_one("#continue").display, "continue")
        await click_laid_out(pilot, "#continue")

        # Entra: the sandbox performs Test Connection with the prefilled URL and token.
        screen = await wait_for_screen(pilot, EntraStep)
        await pilot.click("#test")
        passed = screen.query_one("#sim-result")
        await wait_for(pilot, lambda: passed.has_class("ok"), "the test to pass")
        assert (await check.get_provisioning()).last_test_connection_status == 200
        assert not screen.query_one("#continue").display  # tested, not saved: step 4 waits
        done = screen.completed_io
        await pilot.click("#save")
        await wait_for_io(pilot, screen, done, "the save")
        host = server.graph.emulator.host  # the tenant behind the Graph emulator
        assert host.job.token_set  # saved as the job's SecretToken through Graph
        await wait_for(pilot, lambda: screen.query_one("#continue").display, "step 4 done")
        await click_laid_out(pilot, "#continue")

        # Assign: pick every group of the simulated tenant.
        screen = await wait_for_screen(pilot, AssignStep)
        await pilot.click("#groups")
        picker = screen.query_one("#groups")
        picker.select_all()
        await pilot.click("#assign")
        await confirm(pilot)  # assigning in Entra is confirmed once

        # Provisioning: start it; the compressed clock makes the initial cycle quick.
        screen = await wait_for_screen(pilot, ProvisioningStep)
        await pilot.click("#start")
        await wait_for(pilot, lambda: screen.query_one("#continue").display, "users to arrive")

        async def groups_arrived() -> bool:
            return (await check.get_provisioning()).groups_received > 0

        await wait_for_instance(pilot, groups_arrived, "the initial cycle's groups")
        assert (await check.get_provisioning()).users_received > 0
        assert host.running  # Entra's job runs: started through Graph
        await click_laid_out(pilot, "#continue")

        # Roles: apply the suggested mappings.
        screen = await wait_for_screen(pilot, RolesStep)
        done = screen.completed_io
        await pilot.press("a")
        await confirm(pilot)
        await wait_for_io(pilot, screen, done, "the mappings")
        groups = (await check.list_groups(limit=1000)).items
        assert any(g.mapping is not None for g in groups)
        await click_laid_out(pilot, "#continue")

        # Activate: dry run, explicit confirmation, result.
        screen = await wait_for_screen(pilot, ActivateStep)
        await pilot.click("#activate")
        await confirm(pilot)
        await wait_for(pilot, lambda: screen.query_one("#continue").display, "activation")
        assert (await check.get_integration()).sync_active
        await click_laid_out(pilot, "#continue")
        await wait_for_screen(pilot, DoneScreen)

        # Removal: Entra off first, then the typed confirmation.
        await pilot.click("#remove")
        screen = await wait_for_screen(pilot, RemovalScreen)
        done = screen.completed_io
        await pilot.click("#stop")
        await wait_for_io(pilot, screen, done, "provisioning to stop")
        assert not host.running  # paused through Graph before the removal
        await pilot.click("#remove")
        await wait_for(
            pilot, lambda: isinstance(app.screen, TypedConfirmModal), "the typed confirmation"
        )
        done = screen.completed_io
        await pilot.press(*"REMOVE", "enter")
        await wait_for_io(pilot, screen, done, "the removal")
        integration = await check.get_integration()
        assert not integration.installed and integration.removed_at is not None
        assert integration.live_tokens == 0
