"""The simulated tenant hosted by the sandbox (`with_entra`), driven through `EntraSimClient`.

The host sends its SCIM traffic over real HTTP to whatever tenant URL was saved, here the same
sandbox's SCIM endpoint, so staged data is checked through the admin API.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from assistant.entra_contract import JobStatusView
from assistant.entra_sim_client import EntraSimClient, EntraSimError
from assistant.errors import ErrorKind
from tests.support.sandboxes import all_pages, install


async def wait_for_status(
    entra: EntraSimClient, done: Callable[[JobStatusView], bool], what: str
) -> JobStatusView:
    """Poll the job until `done` (state, not time, is asserted; the bound only avoids hangs)."""
    for _ in range(1200):
        status = await entra.job_status()
        if done(status):
            return status
        await asyncio.sleep(0.05)
    raise AssertionError(f"the job never reached: {what}")


async def test_host_journey_wrong_token_quarantine_then_recovery(
    start_sandbox: Callable[..., Any], admin_key: str
) -> None:
    server = start_sandbox(with_entra=True)
    admin = httpx.Client(
        base_url=server.admin_url, headers={"Authorization": f"Bearer {admin_key}"}, timeout=30
    )
    tenant_url, secret = install(admin)
    async with EntraSimClient(server.base_url, admin_key) as entra:
        summary = await entra.tenant()
        assert (len(summary.users), len(summary.groups)) == (40, 10)
        names = {g.display_name: g for g in summary.groups}
        community = [
            f"Steeple - {c} - {k}"
            for c in ("Siège", "Usine de Lyon", "Commerciaux")
            for k in ("Users", "Admins")
        ]
        assert set(community) <= set(names)
        assert any(g.nested for g in summary.groups)
        assert (await entra.job_status()).status.code == "NotRun"

        # The admin pasted a wrong token: Entra's sentence, and the real cause for diagnostics.
        config = await entra.save_credentials(tenant_url, "wrong-token", cycle_interval_seconds=30)
        assert config.token_set and config.compliant_patch
        assert config.cycle_interval_seconds == 30
        failed = await entra.test_connection()
        assert not failed.success and failed.cause == "unauthorized" and failed.status == 401
        assert failed.message.startswith("You appear to have entered invalid credentials")
        assert (await entra.test_connection(tenant_url, secret)).success

        assigned = await entra.assign_groups([names[n].id for n in community])
        assert assigned.users_in_scope > 0
        await entra.start_provisioning()
        quarantined = await wait_for_status(
            entra, lambda s: s.status.code == "Quarantine", "quarantine"
        )
        assert quarantined.status.quarantine is not None
        assert quarantined.status.quarantine.reason == "EncounteredQuarantineException"
        assert admin.get("/integrations/azure-ad/provisioning").json()["users_received"] == 0

        # Fix the token and restart: the initial cycle runs and everything in scope is staged.
        await entra.save_credentials(tenant_url, secret)
        await entra.restart_provisioning()
        active = await wait_for_status(
            entra,
            lambda s: s.status.code == "Active" and s.last_cycle is not None,
            "an active job with a cycle",
        )
        assert active.status.quarantine is None and active.running
        assert active.status.progress and active.status.progress[0].completed_units > 0
        assert active.last_cycle is not None and active.last_cycle.failed == 0
        staged = all_pages(admin, "scim-users")
        assert len(staged) == assigned.users_in_scope == active.users_in_scope
        groups = {g["display_name"] for g in all_pages(admin, "groups")}
        assert groups == set(community)

        # Provision on demand: an unassigned user is skipped, as in the admin center.
        assigned_ids = {u["user_name"] for u in staged}
        outsider = next(u for u in summary.users if u.user_principal_name not in assigned_ids)
        on_demand = await entra.provision_on_demand(outsider.user_principal_name)
        assert [e.status for e in on_demand.entries] == ["skipped"]

        stopped = await entra.stop_provisioning()
        assert stopped.status.code == "Paused" and not stopped.running

        # The host's traffic went over HTTP: the sandbox's request log shows it.
        log = admin.get("/integrations/azure-ad/requests", params={"limit": 1000}).json()
        assert any(e["kind"] == "test_connection" and e["status"] == 401 for e in log["items"])
        # The token is never echoed back by the host.
        raw = httpx.get(
            server.base_url + "/api/entra-sim/v1/provisioning/config",
            headers={"Authorization": f"Bearer {admin_key}"},
        ).text
        assert secret not in raw and "wrong-token" not in raw
    admin.close()


async def test_host_refuses_without_admin_key_and_explains_missing_steps(
    start_sandbox: Callable[..., Any], admin_key: str
) -> None:
    server = start_sandbox(with_entra=True)
    async with EntraSimClient(server.base_url, "adm_wrong") as intruder:
        with pytest.raises(EntraSimError) as refused:
            await intruder.tenant()
    assert refused.value.kind is ErrorKind.UNAUTHORIZED and "adm_wrong" not in str(refused.value)
    async with EntraSimClient(server.base_url, admin_key) as entra:
        with pytest.raises(EntraSimError) as early:
            await entra.start_provisioning()
        assert early.value.code == "not_configured" and early.value.kind is ErrorKind.CONFLICT
        with pytest.raises(EntraSimError) as unknown:
            await entra.assign_groups(["no-such-group"])
        assert unknown.value.code == "unknown_group"
    invalid = httpx.put(
        server.base_url + "/api/entra-sim/v1/provisioning/config",
        headers={"Authorization": f"Bearer {admin_key}"},
        json={"tenant_url": "https://x", "token": ["scim_PASTED-in-the-wrong-shape"]},
    )
    assert invalid.status_code == 422 and invalid.json()["code"] == "invalid_request"
    assert "PASTED" not in invalid.text  # the offending input is never echoed


async def test_client_reports_an_unreachable_host() -> None:
    calls: list[Callable[[EntraSimClient], Awaitable[Any]]] = [lambda c: c.job_status()]
    async with EntraSimClient("http://127.0.0.1:9", "adm_x", timeout=2) as entra:
        for call in calls:
            with pytest.raises(EntraSimError) as failure:
                await call(entra)
            assert failure.value.kind is ErrorKind.UNREACHABLE
            assert "--with-entra" in failure.value.fix
