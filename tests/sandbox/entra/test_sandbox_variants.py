"""Our own SCIM endpoint takes everything the simulator sends, in every documented form.

For the compliant dialect and each of the four legacy variant combinations: a full initial cycle
of a generated tenant (titles, phones, addresses, managers, nested groups, disabled users), then
an incremental cycle with a bit of every change, then a restart and a provision on demand (which
always speaks the legacy dialect). No request may fail. Runs against the sandbox in-process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from sandbox.entra.dialects import Variants
from sandbox.entra.tenant import generate_tenant
from tests.support.entra import make_job, mutate
from tests.support.sandboxes import install

CASES = [
    pytest.param(True, Variants(), id="compliant"),
    *(
        pytest.param(
            False,
            v,
            id=f"legacy-str{int(v.legacy_active_string)}-ref{int(v.legacy_remove_ref_null)}",
        )
        for v in Variants.all()
    ),
]


def failures(report: Any) -> list[Any]:
    return [e for e in report.entries if e.status == "failure"]


@pytest.mark.parametrize(("compliant", "variants"), CASES)
async def test_sandbox_takes_every_documented_form(
    start_sandbox: Callable[..., Any], admin_key: str, compliant: bool, variants: Variants
) -> None:
    server = start_sandbox()
    admin = httpx.Client(
        base_url=server.admin_url, headers={"Authorization": f"Bearer {admin_key}"}, timeout=30
    )
    tenant_url, secret = install(admin)
    url = tenant_url if compliant else tenant_url.split("?")[0]
    tenant = generate_tenant(40, 10, seed=8)
    assert any(u.manager_id for u in tenant.users.values())
    assert any(u.job_title and u.mobile and u.street_address for u in tenant.users.values())
    job = make_job(tenant, url, token=secret, max_in_flight=2, variants=variants)

    first = await job.run_cycle()
    assert failures(first) == [] and first.created > 0
    managers = [e for e in first.entries if e.detail == "manager"]
    assert managers and all(e.status == "success" for e in managers)

    mutate(job)
    users = list(tenant.users.values())
    users[5].mobile, users[6].job_title = "+33 6 99 99 99 99", "Directrice"
    users[7].department = ""  # cleared: nothing sent
    second = await job.run_cycle()
    assert failures(second) == [] and second.processed > 0

    job.restart()
    third = await job.run_cycle()
    # After a restart everything is re-read by id and memberships are checked with `and`
    # filters: the sandbox returns what it was sent, so nothing needs updating.
    assert failures(third) == [] and (third.created, third.updated) == (0, 0)

    upn = next(u.user_principal_name for u in users[8:] if u.account_enabled)
    tenant.users[job.tenant.user_by_upn(upn).object_id].surname = "Surdemande"  # type: ignore[union-attr]
    on_demand = await job.provision_on_demand(upn)
    assert failures(on_demand) == [] and on_demand.updated == 1
    staged = admin.get("/integrations/azure-ad/scim-users", params={"limit": 200}).json()
    assert staged["total"] == len(job.memory.user_ids)
    admin.close()
