"""Deactivate, re-activate and remove from the screens: what each screen announces is what happens.

Pilot tests drive a sandbox started in-process over HTTP; Entra's traffic while the sync is off
is sent the way Entra sends a disable (a SCIM PATCH with the provisioning token). Snapshots show
the new screen and its confirmation at 80×24 and 120×40.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from assistant.steeple.client import SteepleClient
from assistant.steeple.contract import ENTRA_COMPLIANT_FLAG
from screens.modals.confirm import ConfirmModal, TypedConfirmModal
from screens.steps.activate import ActivateStep
from screens.steps.deactivate import DeactivateScreen
from screens.steps.done import DoneScreen
from screens.steps.removal import RemovalScreen
from tests.support.app import frozen_clock
from tests.support.pilot import settle, settle_on, wait_for, wait_for_screen
from tests.support.prepare import prepare

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def text(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector).content)


async def sso_accounts(check: SteepleClient) -> set[str]:
    users = (await check.list_users(limit=1000)).items
    return {u.email for u in users if u.auth_method == "sso" and u.status == "active"}


async def disable_in_entra(base_url: str, secret: str, check: SteepleClient) -> str:
    """Entra's next cycle after a person is disabled there: `active` replaced by false."""
    person = (await check.list_scim_users(limit=1)).items[0]
    operation = {"op": "replace", "path": "active", "value": False}
    async with httpx.AsyncClient(
        base_url=f"{base_url}/scim/v2", headers={"Authorization": f"Bearer {secret}"}
    ) as scim:
        answer = await scim.patch(
            f"/Users/{person.id}?{ENTRA_COMPLIANT_FLAG}",
            json={"schemas": [PATCH], "Operations": [operation]},
            headers={"Content-Type": "application/scim+json"},
        )
        answer.raise_for_status()
    assert person.email is not None
    return person.email


async def test_deactivate_then_reactivate_with_the_dry_run_again(
    start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    server = start_sandbox(clock=frozen_clock)
    prepared = await prepare(server.base_url, admin_key, "active")
    check = SteepleClient(server.base_url, admin_key)
    app = build_app(SteepleClient(server.base_url, admin_key), step="done")
    async with check, app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, DoneScreen)
        before = await sso_accounts(check)
        assert len(before) == 3
        await pilot.press("d")  # as the admin guide says: d (Deactivate…, its key on the button)
        screen = await wait_for_screen(pilot, DeactivateScreen)
        preview = text(screen, "#preview")
        assert "Back to e-mail + password" in preview and ": 3" in preview
        assert "Provisioning Status is Off" in preview and "Never delete" in preview

        await pilot.press("enter")  # focus is on Deactivate…
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), "the confirmation")
        assert ": 3" in str(app.screen.query_one(".modal-body").content)
        await pilot.press("enter")  # the confirmation's Deactivate
        await wait_for(pilot, lambda: screen.query_one("#reactivate").display, "deactivation")
        assert "People back to e-mail + password: 3." in text(screen, "#result")
        assert not (await check.get_integration()).sync_active
        assert await sso_accounts(check) == set()

        # Entra's next cycle disables someone: received, counted by the dry run, not applied.
        leaver = await disable_in_entra(server.base_url, prepared.secret, check)
        await pilot.click("#reactivate")
        activate = await wait_for_screen(pilot, ActivateStep)
        dry_run = text(activate, "#preview")
        assert "Removed (unassigned or disabled): 1" in dry_run
        assert "unassigned from the app or disabled in Entra" in text(activate, "#deprovisioning")
        await pilot.click("#activate")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal), "the confirmation")
        await pilot.click("#confirm")
        await wait_for(pilot, lambda: activate.query_one("#continue").display, "activation")
        assert (await check.get_integration()).sync_active
        assert await sso_accounts(check) == before - {leaver}


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_the_palette_offers_deactivate_and_reactivate(
    lang: str, start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    from assistant.i18n.translate import t
    from tests.support.pilot import palette_offers

    server = start_sandbox(clock=frozen_clock)
    await prepare(server.base_url, admin_key, "active")
    app = build_app(SteepleClient(server.base_url, admin_key), step="done", lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, DoneScreen)
        for key, screen_type in (
            ("lifecycle.deactivate.title", DeactivateScreen),
            ("lifecycle.reactivate.title", ActivateStep),
        ):
            title = t(key, lang)
            await pilot.press("ctrl+p", *title)
            await wait_for(pilot, lambda title=title: palette_offers(app, title), title)
            await pilot.press("enter")
            await wait_for_screen(pilot, screen_type)


@pytest.mark.parametrize("stage", ["never activated", "active", "deactivated"])
async def test_removal_result_repeats_the_announced_counts(
    stage: str, start_sandbox: Callable[..., Any], admin_key: str, build_app: Callable[..., Any]
) -> None:
    server = start_sandbox(clock=frozen_clock)
    await prepare(server.base_url, admin_key, "mapped" if stage == "never activated" else "active")
    check = SteepleClient(server.base_url, admin_key)
    if stage == "deactivated":
        await check.deactivate()
    expected = 3 if stage == "active" else 0
    app = build_app(SteepleClient(server.base_url, admin_key), step="removal")
    async with check, app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, RemovalScreen)
        impact = text(screen, "#impact")
        assert f"switched to e-mail + password: {expected}\n" in impact
        assert "SCIM tokens revoked (Entra can no longer call): 1" in impact
        order = text(screen, "#order")
        assert "Provisioning Status Off" in order and "Never delete it" in order
        await pilot.click("#remove")
        await wait_for(pilot, lambda: isinstance(app.screen, TypedConfirmModal), "the modal")
        await pilot.press(*"REMOVE", "enter")
        await wait_for(pilot, lambda: bool(text(screen, "#result")), "the removal")
        assert f"People switched to e-mail + password: {expected};" in text(screen, "#result")
        assert "SCIM tokens revoked: 1;" in text(screen, "#result")
        # "Removal would:" is history once removed: the impact and the order leave the card
        assert not screen.query_one("#impact").display and not screen.query_one("#order").display
        assert await sso_accounts(check) == set()


@pytest.mark.parametrize("size", SIZES)
def test_deactivate_screen(size: tuple[int, int], snap_compare: Any, app_at: Any) -> None:
    app = app_at("active", "deactivate")
    assert snap_compare(app, terminal_size=size, run_before=settle_on(DeactivateScreen))


@pytest.mark.parametrize("size", SIZES)
def test_deactivate_screen_in_french(size: tuple[int, int], snap_compare: Any, app_at: Any) -> None:
    app = app_at("active", "deactivate", lang="fr")  # set at start: title and footer in French
    assert snap_compare(app, terminal_size=size, run_before=settle_on(DeactivateScreen))


@pytest.mark.parametrize("size", SIZES)
def test_deactivate_confirmation(size: tuple[int, int], snap_compare: Any, app_at: Any) -> None:
    app = app_at("active", "deactivate")

    async def run_before(pilot: Any) -> None:
        await settle_on(DeactivateScreen)(pilot)
        await pilot.press("enter")  # focus is on Deactivate… (below the fold at 80×24)
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmModal), "the modal")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
