"""Who sent each SCIM request (issue 20, point 1): Entra at work, or a connection check.

A separate simulated Entra (`ProvisioningJob`, the same engine as `sandbox entra provision`)
sends exactly Entra's requests over HTTP: a Test Connection with a token never saved, an initial
cycle, a quiet incremental cycle (only the probe), a provision on demand; the assistant's own
probe joins in. Only Entra's provisioning at work marks a request `provisioning` and sets its
token's `last_provisioned_at`; no connection check ever does, whoever pressed it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from sandbox.entra.clock import ManualClock, TimeScale
from sandbox.entra.job import JobSettings, ProvisioningJob
from sandbox.entra.tenant import generate_tenant
from sandbox.server import SandboxServer
from tests.support.probe import probe_scim
from tests.support.sandboxes import ADMIN_KEY, install, request_log
from tests.support.scim import INTEGRATION


def _tokens(admin: httpx.Client) -> dict[str, dict[str, Any]]:
    return {t["hint"]: t for t in admin.get(f"{INTEGRATION}/tokens").json()["tokens"]}


def _since(log: list[dict[str, Any]], seq: int) -> list[dict[str, Any]]:
    return [entry for entry in log if entry["seq"] > seq]


async def test_only_entras_provisioning_marks_a_request_and_its_token(
    start_sandbox: Callable[..., SandboxServer],
) -> None:
    clock = ManualClock()
    server = start_sandbox(seed="empty", clock=clock.now)
    admin = httpx.Client(
        base_url=server.admin_url, headers={"Authorization": f"Bearer {ADMIN_KEY}"}, timeout=30
    )
    tenant_url, entras = install(admin)
    candidate = admin.post(f"{INTEGRATION}/tokens").json()["secret"]  # created, never saved
    tenant = generate_tenant(6, 2, seed=4)
    job = ProvisioningJob(
        tenant,
        tenant_url=tenant_url,
        token=entras,
        assigned=list(tenant.groups),
        clock=clock,
        scale=TimeScale(30.0),
        settings=JobSettings(max_in_flight=1, seed=4),
    )
    ours, theirs = entras[-4:], candidate[-4:]

    # The admin presses Test Connection with the candidate in the portal, without saving it.
    tester = ProvisioningJob(tenant, tenant_url=tenant_url, token=candidate, clock=clock)
    assert (await tester.test_connection()).success
    clock.advance(200)
    log = request_log(admin)
    assert [e["kind"] for e in log] == ["test_connection", "group_query"]
    assert not any(e["provisioning"] for e in log)
    tokens = _tokens(admin)
    assert tokens[theirs]["last_used_at"] is not None  # it was used...
    assert tokens[theirs]["last_provisioned_at"] is None  # ...but never by Entra at work

    # Entra's initial cycle with the token it holds: everything after the probe is Entra's.
    await job.run_cycle()
    clock.advance(200)
    cycle = _since(request_log(admin), log[-1]["seq"])
    assert [e["provisioning"] for e in cycle[:2]] == [False, False]  # its probe
    assert cycle[2:] and all(e["provisioning"] for e in cycle[2:])
    assert {e["token_hint"] for e in cycle} == {ours}
    first_work = _tokens(admin)[ours]["last_provisioned_at"]
    assert first_work is not None

    # A quiet incremental cycle sends only the probe: Entra, but indistinguishable from a test.
    await job.run_cycle()
    clock.advance(200)
    quiet = _since(request_log(admin), cycle[-1]["seq"])
    assert [e["kind"] for e in quiet] == ["cycle_probe", "group_query"]
    assert not any(e["provisioning"] for e in quiet)
    assert _tokens(admin)[ours]["last_provisioned_at"] == first_work

    # The assistant's own probe, with the candidate: a check, never Entra's.
    assert (await probe_scim(tenant_url, candidate)).ok
    clock.advance(200)
    assert _tokens(admin)[theirs]["last_provisioned_at"] is None

    # Provision on demand (saved credentials): Entra at work after its probe.
    tenant.users[next(iter(tenant.users))].job_title = "Changed on demand"
    person = next(iter(tenant.users.values())).user_principal_name
    before = request_log(admin)[-1]["seq"]
    await job.provision_on_demand(person)
    on_demand = _since(request_log(admin), before)
    assert any(e["provisioning"] for e in on_demand)
    assert _tokens(admin)[ours]["last_provisioned_at"] > first_work
    assert _tokens(admin)[theirs]["last_provisioned_at"] is None
    admin.close()


def test_a_refused_request_is_never_provisioning(
    start_sandbox: Callable[..., SandboxServer],
) -> None:
    """A revoked token's requests are Entra's (it holds a stale token) but prove nothing."""
    server = start_sandbox(seed="empty")
    admin = httpx.Client(
        base_url=server.admin_url, headers={"Authorization": f"Bearer {ADMIN_KEY}"}, timeout=30
    )
    _, secret = install(admin)
    token_id = next(iter(admin.get(f"{INTEGRATION}/tokens").json()["tokens"]))["id"]
    assert admin.delete(f"{INTEGRATION}/tokens/{token_id}").status_code == 204
    headers = {"Authorization": f"Bearer {secret}"}
    with httpx.Client(base_url=server.scim_url, headers=headers) as stale:
        assert stale.post("/Users", json={"userName": "x@y"}).status_code == 401
    log = request_log(admin)
    assert [(e["kind"], e["status"], e["provisioning"]) for e in log] == [
        ("user_create", 401, False)
    ]
    admin.close()
