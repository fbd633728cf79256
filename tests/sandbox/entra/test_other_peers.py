"""Acceptance 4: the simulator provisions a SCIM server nobody here wrote (`scim2-server`).

Also runs the legacy dialect against our sandbox, which the 500-user test drives in the compliant
one (the sandbox hands out its tenant URL with `?aadOptscim062020`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from sandbox.entra.tenant import generate_tenant
from tests.support.entra import TOKEN, Scim2ServerPeer, make_job, mutate
from tests.support.sandboxes import all_pages, install


@pytest.fixture
def scim2_server() -> Iterator[Scim2ServerPeer]:
    server = Scim2ServerPeer().start()
    yield server
    server.stop()


def enabled_in_scope(job: Any) -> int:
    """Users Entra creates: in scope and enabled (it does not provision disabled users)."""
    return sum(1 for u in job.users_in_scope() if job.tenant.users[u].account_enabled)


def expected_on_target(job: Any, linked: set[str]) -> int:
    """Users on the target after two cycles: every one provisioned before, plus new enabled ones."""
    return sum(1 for u in job.tenant.users.values() if u.object_id in linked or u.account_enabled)


@pytest.mark.parametrize("compliant", [True, False], ids=["compliant", "legacy"])
async def test_scim2_server_is_provisioned(scim2_server: Scim2ServerPeer, compliant: bool) -> None:
    tenant = generate_tenant(30, 8, seed=5)
    url = scim2_server.base_url + ("?aadOptscim062020" if compliant else "")
    # scim2-models cannot register Microsoft's non-URN group schema, so no scim2-server
    # configuration accepts Entra's exact POST /Groups; everything else is sent as Entra sends it.
    job = make_job(tenant, url, max_in_flight=4, aad_group_schema=False)
    check = await job.test_connection()
    assert check.success, check
    first = await job.run_cycle()
    # Entra sends the manager as a bare id string (`"value": "<id>"`), which scim2-models refuses
    # (RFC 7643 makes it a complex attribute): those reference updates fail, nothing else does.
    failed = [e for e in first.entries if e.status == "failure"]
    with_manager = [u for u in job.tenant.users.values() if u.manager_id and u.account_enabled]
    assert failed and all(e.detail.startswith("manager: HTTP 400") for e in failed)
    assert len(failed) <= len(with_manager)
    assert first.created == enabled_in_scope(job) + len(job.tenant.groups)
    linked = set(job.memory.user_ids)
    mutate(job)
    second = await job.run_cycle()
    failures = [e for e in second.entries if e.status == "failure"]
    failures = [f for f in failures if not f.detail.startswith("manager:")]
    if compliant:
        assert failures == []
    else:
        # Legacy member removal (`Remove` + `members` + value list) is not RFC 7644: a compliant
        # server refuses it. That is why Entra added the flag; the simulator shows it honestly.
        assert [(f.object_type, f.error_code) for f in failures] == [
            ("Group", "UnprocessableEntity")
        ]
        assert "remove operation carries no value" in failures[0].detail
    assert (second.deleted, second.quarantined) == (1, False)
    assert second.updated + second.disabled >= (4 if compliant else 3)

    stored = {r.user_name: r for r in scim2_server.storage.resources if hasattr(r, "user_name")}
    assert len(stored) == expected_on_target(job, linked)
    first_user = next(iter(tenant.users.values()))
    assert stored[first_user.user_principal_name].name.family_name == "Changed"
    second_user = list(tenant.users.values())[1]
    assert stored[second_user.user_principal_name].emails[0].value == "new.address@contoso.fr"
    third = list(tenant.users.values())[2]
    assert stored[third.user_principal_name].active is third.account_enabled


async def test_sandbox_accepts_the_legacy_dialect(
    start_sandbox: Callable[..., Any], admin_key: str
) -> None:
    server = start_sandbox()
    admin = httpx.Client(
        base_url=server.admin_url, headers={"Authorization": f"Bearer {admin_key}"}, timeout=30
    )
    tenant_url, secret = install(admin)
    legacy_url = tenant_url.split("?")[0]
    tenant = generate_tenant(30, 8, seed=5)
    job = make_job(tenant, legacy_url, token=secret, max_in_flight=4)
    first = await job.run_cycle()
    assert (first.created, first.failed) == (enabled_in_scope(job) + len(tenant.groups), 0)
    linked = set(job.memory.user_ids)
    mutate(job)
    second = await job.run_cycle()
    assert second.failed == 0, [e for e in second.entries if e.status == "failure"][:3]
    staged = {u["user_name"]: u for u in all_pages(admin, "scim-users")}
    assert len(staged) == expected_on_target(job, linked)
    third = list(tenant.users.values())[2]
    assert staged[third.user_principal_name]["active"] is third.account_enabled
    groups = {g["display_name"]: g for g in all_pages(admin, "groups")}
    renamed = next(g for g in tenant.groups.values() if g.display_name.endswith("(renamed)"))
    assert groups[renamed.display_name]["member_count"] == len(tenant.direct_user_members(renamed))
    admin.close()
    assert TOKEN not in legacy_url
