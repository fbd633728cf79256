"""Deactivate → reactivate → remove, with Entra's cycles in between: every preview keeps its word.

The assistant's own client talks HTTP to an in-process sandbox, and the simulated Entra tenant
provisions it; at each stage the count a preview announces is the count the change then reports,
and the directory (read back through the admin API) shows that many people changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from assistant.steeple.client import SteepleClient
from assistant.steeple.contract import ActivationPreview, ActivationResult, GroupMapping
from sandbox.entra.clock import ManualClock, TimeScale
from sandbox.entra.job import JobSettings, ProvisioningJob
from sandbox.entra.tenant import Tenant, generate_tenant
from sandbox.seed import SIEGE


async def _accounts(steeple: SteepleClient) -> dict[str, tuple[str, str]]:
    """e-mail → (auth method, status) of every account, removed ones included."""
    page = await steeple.list_users(limit=1000, include_removed=True)
    assert page.next_cursor is None
    return {user.email: (user.auth_method, user.status) for user in page.items}


def _sso(accounts: dict[str, tuple[str, str]]) -> set[str]:
    return {email for email, state in accounts.items() if state == ("sso", "active")}


def _same_counts(preview: ActivationPreview, result: ActivationResult) -> None:
    skipped = sum(len(conflict.scim_user_ids) for conflict in preview.conflicts)
    announced = (preview.linked_by_email, preview.created, skipped, preview.removed)
    done = (result.linked_by_email, result.created, result.skipped_conflicts, result.removed)
    assert announced == done


async def _provisioned(
    start_sandbox: Callable[..., Any], admin_key: str
) -> tuple[SteepleClient, ProvisioningJob, Tenant]:
    """A sandbox Entra has run its first cycle against, every received group mapped."""
    server = start_sandbox()
    steeple = SteepleClient(server.base_url, admin_key)
    await steeple.install_integration()
    token = await steeple.create_token()
    credentials = await steeple.get_credentials()
    tenant = generate_tenant(40, 10, seed=3)
    job = ProvisioningJob(
        tenant,
        tenant_url=credentials.tenant_url,
        token=token.secret,
        assigned=list(tenant.groups),
        clock=ManualClock(),
        scale=TimeScale(5.0),
        settings=JobSettings(max_in_flight=2, seed=3),
    )
    assert (await job.run_cycle()).failed == 0
    for group in (await steeple.list_groups(limit=1000)).items:
        await steeple.set_mapping(group.id, GroupMapping(community_id=SIEGE.id, role="user"))
    return steeple, job, tenant


async def test_deactivate_reactivate_remove_round_trip(
    start_sandbox: Callable[..., Any], admin_key: str
) -> None:
    steeple, job, tenant = await _provisioned(start_sandbox, admin_key)
    try:
        # Active.
        preview = await steeple.activation_preview()
        activated = await steeple.activate()
        _same_counts(preview, activated)
        signed_in_by_entra = _sso(await _accounts(steeple))
        assert len(signed_in_by_entra) == activated.linked_by_email + activated.created > 0

        # Deactivated: everyone Entra signed in goes back to e-mail + password.
        announced = await steeple.deactivation_preview()
        assert announced.sync_active and announced.live_tokens == 1
        deactivated = await steeple.deactivate()
        assert deactivated.integration.sync_active is False
        assert deactivated.users_switched_to_password == announced.users_switched_to_password
        assert announced.users_switched_to_password == len(signed_in_by_entra)
        after = await _accounts(steeple)
        assert not _sso(after)
        assert {after[email] for email in signed_in_by_entra} == {("password", "active")}

        # Entra keeps cycling meanwhile: a person disabled there is received, not applied.
        leaver = next(
            user
            for user in tenant.users.values()
            if user.account_enabled and user.mail and user.mail in signed_in_by_entra
        )
        leaver.account_enabled = False
        assert (await job.run_cycle()).failed == 0
        assert await _accounts(steeple) == after

        # Re-activation: the dry run again, counting the leaver as removed.
        preview = await steeple.activation_preview()
        assert preview.removed == 1
        reactivated = await steeple.activate()
        _same_counts(preview, reactivated)
        again = await _accounts(steeple)
        assert again[leaver.mail] == ("password", "removed")
        assert _sso(again) == signed_in_by_entra - {leaver.mail}

        # Removal: what the preview announces is what is done.
        removal = await steeple.removal_preview()
        assert removal.users_switched_to_password == len(_sso(again))
        removed = await steeple.remove_integration()
        assert removed.users_switched_to_password == removal.users_switched_to_password
        assert removed.tokens_revoked == removal.tokens_revoked == 1
        assert not _sso(await _accounts(steeple))
    finally:
        await steeple.aclose()


@pytest.mark.parametrize("stage", ["never activated", "active", "deactivated"])
async def test_removal_does_what_its_preview_announces(
    start_sandbox: Callable[..., Any], admin_key: str, stage: str
) -> None:
    steeple, _, _ = await _provisioned(start_sandbox, admin_key)
    try:
        if stage != "never activated":
            await steeple.activate()
        if stage == "deactivated":
            await steeple.deactivate()
        before = await _accounts(steeple)
        preview = await steeple.removal_preview()
        assert preview.sync_active is (stage == "active")
        assert preview.staged_users > 0 and preview.staged_groups > 0
        result = await steeple.remove_integration()
        assert (result.users_switched_to_password, result.tokens_revoked) == (
            preview.users_switched_to_password,
            preview.tokens_revoked,
        )
        after = await _accounts(steeple)
        switched = {e for e in before if before[e] != after[e]}
        assert len(switched) == result.users_switched_to_password
        assert result.users_switched_to_password == (len(_sso(before)) if stage == "active" else 0)
    finally:
        await steeple.aclose()
