"""Issue 11, point 2: the journey as it happens on a real instance, in English and in French.

The assistant runs with a URL (no `--sandbox`, no Entra client) against a separate running
sandbox Steeple, while a separate simulated Entra tenant plays the customer's tenant on its own
schedule: the test does in Entra what the admin would (Test Connection, then Start provisioning:
three cycles, 2 s apart), and the assistant only watches. Everything else is done by screens
alone. The admin copies the Tenant URL and token from the Credentials screen; the test reads them
from the same sources the screen shows (the admin API and the app's revealed secret).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from textual.events import Paste

from assistant.i18n.translate import t
from assistant.steeple.client import SteepleClient
from sandbox.entra.clock import TimeScale
from sandbox.entra.job import JobSettings, ProvisioningJob
from sandbox.entra.tenant import generate_tenant
from screens.modals.confirm import ConfirmModal
from screens.steps.activate import ActivateStep
from screens.steps.assign import AssignStep
from screens.steps.connect import ConnectScreen
from screens.steps.credentials import CredentialsStep
from screens.steps.done import DoneScreen
from screens.steps.entra import EntraStep
from screens.steps.install import InstallStep
from screens.steps.provisioning import ProvisioningStep
from screens.steps.roles import RolesStep
from tests.support.pilot import (
    click_laid_out,
    wait_for,
    wait_for_instance,
    wait_for_io,
    wait_for_screen,
)

CYCLE_INTERVAL = 2.0


async def confirm(pilot: Any) -> ConfirmModal:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmModal), "the confirmation")
    modal = pilot.app.screen
    await pilot.click("#confirm")
    return modal  # type: ignore[no-any-return]


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_real_instance_journey_by_screens_alone(
    lang: str,
    start_sandbox: Callable[..., Any],
    admin_key: str,
    build_app: Callable[..., Any],
) -> None:
    server = start_sandbox()  # `sandbox serve`: no hosted Entra, a separate instance
    check = SteepleClient(server.base_url, admin_key)
    app = build_app(None, lang=lang)
    assert not app.in_sandbox
    tenant = generate_tenant(8, 3, seed=11)
    entra_tasks: list[asyncio.Task[Any]] = []
    async with check, app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, ConnectScreen)
        await pilot.click("#url")
        app.screen.query_one("#url").post_message(Paste(server.base_url))
        await pilot.click("#key")
        app.screen.query_one("#key").post_message(Paste(admin_key))
        await pilot.pause()
        await pilot.click("#connect")

        await wait_for_screen(pilot, InstallStep)
        await pilot.click("#install")
        await confirm(pilot)
        await wait_for(pilot, lambda: app.screen.query_one("#continue").display, "installed")
        await click_laid_out(pilot, "#continue")

        screen = await wait_for_screen(pilot, CredentialsStep)
        await pilot.click("#create")
        await confirm(pilot)
        await wait_for(pilot, lambda: bool(app.revealed_secret), "the token")
        await wait_for(pilot, lambda: screen.query_one("#continue").display, "continue")
        tenant_url = (await check.get_credentials()).tenant_url
        job = ProvisioningJob(
            tenant,
            tenant_url=tenant_url,
            token=app.revealed_secret,
            assigned=list(tenant.groups),
            scale=TimeScale(CYCLE_INTERVAL),
            settings=JobSettings(seed=11),
        )
        await click_laid_out(pilot, "#continue")

        # Configure Entra: the admin pastes URL and token in Entra and clicks Test Connection.
        screen = await wait_for_screen(pilot, EntraStep)
        await pilot.press("n")  # too early: Continue says why instead of doing nothing
        not_yet = t("continue.not_yet", lang, number=4, reason="")
        await wait_for(
            pilot, lambda: any(not_yet in n.message for n in app._notifications), "why not"
        )
        assert isinstance(app.screen, EntraStep)
        assert (await job.test_connection()).success
        await wait_for(pilot, lambda: screen.query_one("#continue").display, "the test heard")
        await wait_for(pilot, lambda: screen.query_one("#continue").has_focus, "focus on Continue")
        await pilot.press("n")  # the footer key: the button may be scrolled away in French

        # Assign groups: Steeple cannot see it; Continue asks the admin's word, with what to check.
        screen = await wait_for_screen(pilot, AssignStep)
        await wait_for(pilot, lambda: screen.query_one("#continue").has_focus, "focus on Continue")
        await pilot.press("n")
        modal = await confirm(pilot)
        assert modal._title == t("assign.confirm_title", lang)

        # Provisioning: the admin starts it in Entra; the tenant then runs on its own clock.
        screen = await wait_for_screen(pilot, ProvisioningStep)
        entra_tasks.append(asyncio.create_task(job.run(cycles=3)))

        async def three_cycles() -> bool:
            return len((await check.get_provisioning()).cycle_starts) >= 3

        await wait_for_instance(pilot, three_cycles, "three Entra cycles")
        await wait_for(pilot, lambda: screen.query_one("#continue").display, "users")
        cycle = str(screen.query_one("#cycle").render())
        learned = t("clock.learned", lang, count=3, interval="").split("3")[0]
        assert learned in cycle, cycle
        await pilot.press("n")  # the footer key: the button may be scrolled away in French

        screen = await wait_for_screen(pilot, RolesStep)
        done = screen.completed_io
        await pilot.press("a")
        await confirm(pilot)
        await wait_for_io(pilot, screen, done, "the mappings")
        await pilot.press("n")  # the footer key: the button may be scrolled away in French

        screen = await wait_for_screen(pilot, ActivateStep)
        await pilot.click("#activate")
        await confirm(pilot)
        await wait_for(pilot, lambda: screen.query_one("#continue").display, "activation")
        assert (await check.get_integration()).sync_active
        await pilot.press("n")  # the footer key: the button may be scrolled away in French
        await wait_for_screen(pilot, DoneScreen)

        status = await check.get_provisioning()
        assert status.groups_received == len(tenant.groups)
        assert app.journey.complete
    await asyncio.gather(*entra_tasks)
