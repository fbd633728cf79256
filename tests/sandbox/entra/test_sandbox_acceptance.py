"""Acceptance 1 against our own sandbox: 500 users / 20 groups, then a cycle of only the changes.

Staged data is checked through the admin API; the second cycle's requests are checked both as the
simulator sent them (bodies) and as the sandbox's request log recorded them (method and path).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from sandbox.entra.clock import ManualClock, TimeScale
from sandbox.entra.job import JobSettings, ProvisioningJob
from sandbox.entra.tenant import generate_tenant
from tests.support.entra import RecordingTransport
from tests.support.sandboxes import INTEGRATION, all_pages, install, request_log

PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def linked_members(job: Any, group: Any) -> int:
    """Direct members Entra provisioned (disabled users never are)."""
    return sum(1 for u in job.tenant.direct_user_members(group) if u in job.memory.user_ids)


async def test_500_users_then_only_the_changes(
    start_sandbox: Callable[..., Any], admin_key: str
) -> None:
    server = start_sandbox()
    admin = httpx.Client(
        base_url=server.admin_url, headers={"Authorization": f"Bearer {admin_key}"}, timeout=30
    )
    tenant_url, secret = install(admin)
    assert tenant_url.endswith("?aadOptscim062020")
    tenant = generate_tenant(500, 20, seed=7)
    recorder = RecordingTransport()
    job = ProvisioningJob(
        tenant,
        tenant_url=tenant_url,
        token=secret,
        assigned=list(tenant.groups),
        clock=ManualClock(),
        scale=TimeScale(5.0),
        settings=JobSettings(max_in_flight=4, seed=7, transport=recorder),
    )
    first = await job.run_cycle()
    enabled = [u for u in tenant.users.values() if u.account_enabled]
    assert len(enabled) < 500  # disabled users are not provisioned (how-provisioning-works)
    assert (first.created, first.failed, first.quarantined) == (len(enabled) + 20, 0, False)

    staged_users = {u["user_name"]: u for u in all_pages(admin, "scim-users")}
    assert set(staged_users) == {u.user_principal_name for u in enabled}
    for user in enabled:
        staged = staged_users[user.user_principal_name]
        assert staged["external_id"] == user.mail_nickname
        assert staged["active"] == user.account_enabled
        assert staged["email"] == (user.mail or None)
    staged_groups = {g["display_name"]: g for g in all_pages(admin, "groups")}
    assert set(staged_groups) == {g.display_name for g in tenant.groups.values()}
    for group in tenant.groups.values():
        assert staged_groups[group.display_name]["member_count"] == linked_members(job, group)
    status = admin.get(f"{INTEGRATION}/provisioning").json()
    assert (status["users_received"], status["groups_received"]) == (len(enabled), 20)

    # Changes in Entra between the cycles.
    users = [u for u in tenant.users.values() if u.account_enabled]
    renamed = users[10]
    disabled = next(u for u in users[20:] if u.account_enabled)
    deleted = users[30]
    group = next(g for g in tenant.groups.values() if len(tenant.direct_user_members(g)) > 5)
    # a member who stays in scope through another group, so only the membership changes
    others = {m for g in tenant.groups.values() if g is not group for m in g.member_ids}
    leaving = next(
        tenant.users[m]
        for m in tenant.direct_user_members(group)
        if m in others and m not in (renamed.object_id, disabled.object_id, deleted.object_id)
    )
    renamed.surname = "Zola"
    disabled.account_enabled = False
    group.member_ids.remove(leaving.object_id)
    del tenant.users[deleted.object_id]
    for g in tenant.groups.values():
        if deleted.object_id in g.member_ids:
            g.member_ids.remove(deleted.object_id)

    log_before = len(request_log(admin))
    recorder.sent.clear()
    job.settings.max_in_flight = 1  # one object at a time: a deterministic order to compare
    second = await job.run_cycle()
    assert second.failed == 0

    def scim_id(user: Any) -> str:
        return staged_users[user.user_principal_name]["id"]

    group_id = staged_groups[group.display_name]["id"]
    formatted = f"{renamed.given_name} Zola"
    expected = [
        ("GET", f"/scim/v2/Users/{scim_id(renamed)}", "", None),
        (
            "PATCH",
            f"/scim/v2/Users/{scim_id(renamed)}",
            "",
            {
                "schemas": [PATCH],
                "Operations": [
                    {
                        "op": "replace",
                        "value": {"name.familyName": "Zola", "name.formatted": formatted},
                    }
                ],
            },
        ),
        ("GET", f"/scim/v2/Users/{scim_id(disabled)}", "", None),
        (
            "PATCH",
            f"/scim/v2/Users/{scim_id(disabled)}",
            "",
            {
                "schemas": [PATCH],
                "Operations": [{"op": "replace", "path": "active", "value": False}],
            },
        ),
        ("GET", f"/scim/v2/Groups/{group_id}", "excludedAttributes=members", None),
        (
            "PATCH",
            f"/scim/v2/Groups/{group_id}",
            "",
            {
                "schemas": [PATCH],
                "Operations": [{"op": "remove", "path": f'members[value eq "{scim_id(leaving)}"]'}],
            },
        ),
        ("DELETE", f"/scim/v2/Users/{scim_id(deleted)}", "", None),
    ]
    probe, group_probe, *changes = recorder.sent
    assert probe[0] == "GET" and probe[2].startswith("filter=userName+eq+%22")
    assert group_probe[:2] == ("GET", "/scim/v2/Groups")
    assert changes == expected
    logged = request_log(admin)[log_before:]
    assert [(e["method"], e["path"].split("?")[0]) for e in logged] == [
        ("GET", "/scim/v2/Users"),
        ("GET", "/scim/v2/Groups"),
    ] + [(m, p) for m, p, _, _ in expected]

    # And the staged data shows the changes.
    after = {u["user_name"]: u for u in all_pages(admin, "scim-users")}
    assert len(after) == len(enabled) - 1 and deleted.user_principal_name not in after
    assert after[disabled.user_principal_name]["active"] is False
    groups_after = {g["display_name"]: g for g in all_pages(admin, "groups")}
    assert groups_after[group.display_name]["member_count"] == linked_members(job, group)
    admin.close()
