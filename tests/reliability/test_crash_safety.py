"""Crash safety: SIGKILL the sandbox process in the middle of an initial Entra cycle, restart it
on the same database, and prove that every acknowledged (2xx) write survived and that the next
cycles leave the directory exactly consistent with the tenant."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from sandbox.entra.clock import ManualClock, TimeScale
from sandbox.entra.job import JobSettings, ProvisioningJob
from sandbox.entra.tenant import generate_tenant
from tests.support.processes import ServeProcess, start_serve

pytestmark = pytest.mark.slow  # `sandbox serve` subprocesses, killed

INTEGRATION = "/integrations/azure-ad"
ADMIN_KEY = "adm_PLANTED-crash-key-91b2c3"
KILL_AFTER_WRITES = 35
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass
class Write:
    method: str
    path: str
    status: int
    request: Any
    response: Any


class KillingTransport(httpx.AsyncBaseTransport):
    """Real HTTP that records every acknowledged write and SIGKILLs the server after N of them."""

    def __init__(self, server: ServeProcess, kill_after: int) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.server = server
        self.kill_after = kill_after
        self.acknowledged: list[Write] = []
        self.killed = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        if request.method in WRITES:
            content = await response.aread()
            if 200 <= response.status_code < 300:
                self.acknowledged.append(
                    Write(
                        request.method,
                        request.url.path.split("/scim/v2", 1)[1],
                        response.status_code,
                        json.loads(request.content) if request.content else None,
                        json.loads(content) if content else None,
                    )
                )
            if len(self.acknowledged) >= self.kill_after and not self.killed:
                self.killed = True
                self.server.kill()
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


def install(base_admin_url: str) -> tuple[str, str]:
    headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
    with httpx.Client(base_url=base_admin_url, headers=headers, timeout=30) as admin:
        admin.post(INTEGRATION).raise_for_status()
        secret = admin.post(f"{INTEGRATION}/tokens").json()["secret"]
        return admin.get(f"{INTEGRATION}/credentials").json()["tenant_url"], secret


def check_acknowledged(scim: httpx.Client, writes: list[Write]) -> int:
    """Every acknowledged write is visible after the restart; returns how many were checked."""
    for write in writes:
        if write.method == "POST":
            stored = scim.get(f"{write.path}/{write.response['id']}")
            assert stored.status_code == 200, write
            key = "userName" if write.path == "/Users" else "displayName"
            assert stored.json()[key] == write.response[key]
        elif write.method in ("PATCH", "PUT") and write.path.startswith("/Groups/"):
            members = {m["value"] for m in scim.get(write.path).json().get("members", [])}
            for op in write.request["Operations"]:
                values = {v["value"] for v in op.get("value") or []}
                if op["op"].casefold() == "add":
                    assert values <= members, write
                elif op["op"].casefold() == "remove":
                    assert not values & members, write
        elif write.method in ("PATCH", "PUT"):
            stored = scim.get(write.path).json()
            for key, value in write.response.items():
                if key != "meta":
                    assert stored[key] == value, (write, key)
        else:  # DELETE
            assert scim.get(write.path).status_code == 404, write
    return len(writes)


def all_resources(scim: httpx.Client, kind: str) -> list[dict[str, Any]]:
    page = scim.get(f"/{kind}", params={"count": "1000"}).json()
    assert page["totalResults"] == len(page["Resources"])
    return page["Resources"]


async def test_sigkill_mid_initial_cycle_loses_no_acknowledged_write(tmp_path: Path) -> None:
    db = tmp_path / "steeple.db"
    first = start_serve(db, ADMIN_KEY, "--seed", "empty")
    second: ServeProcess | None = None
    try:
        tenant_url, secret = install(first.admin_url)
        tenant = generate_tenant(60, 8, seed=11)
        killer = KillingTransport(first, KILL_AFTER_WRITES)
        job = ProvisioningJob(
            tenant,
            tenant_url=tenant_url,
            token=secret,
            assigned=list(tenant.groups),
            clock=ManualClock(),
            scale=TimeScale(5.0),
            settings=JobSettings(max_in_flight=4, seed=11, transport=killer, timeout=5.0),
        )
        interrupted = await job.run_cycle()
        assert killer.killed
        assert interrupted.failed > 0  # the crash really happened mid-cycle
        acknowledged = list(killer.acknowledged)
        assert len(acknowledged) >= KILL_AFTER_WRITES

        second = start_serve(db, ADMIN_KEY)
        tenant_url = tenant_url.replace(first.base_url, second.base_url)
        headers = {"Authorization": f"Bearer {secret}"}
        with httpx.Client(base_url=tenant_url.split("?")[0], headers=headers, timeout=30) as scim:
            assert scim.get("/Users").status_code == 200  # the token survived too
            checked = check_acknowledged(scim, acknowledged)
            assert checked == len(acknowledged)
            print(f"crash safety: {checked} acknowledged writes checked after SIGKILL")

            # The tenant continues: Entra retries its escrows in the next cycles.
            job.configure(tenant_url, secret)
            job.settings.transport = None
            for _ in range(3):
                report = await job.run_cycle()
                if report.failed == 0 and not job.memory.escrow:
                    break
            assert report.failed == 0 and not report.quarantined

            users = all_resources(scim, "Users")
            names = [u["userName"].casefold() for u in users]
            assert len(names) == len(set(names))  # no duplicate from a retried create
            in_scope = {
                tenant.users[u].user_principal_name.casefold() for u in job.users_in_scope()
            }
            assert set(names) == in_scope
            by_id = {u["id"]: u["userName"].casefold() for u in users}
            groups = {g["displayName"]: g for g in all_resources(scim, "Groups")}
            assert set(groups) == {tenant.groups[g].display_name for g in job.assigned}
            for group_id in job.assigned:
                group = tenant.groups[group_id]
                expected = {
                    tenant.users[m].user_principal_name.casefold()
                    for m in tenant.direct_user_members(group)
                    if tenant.users[m].account_enabled  # Entra never provisions disabled users
                }
                members = groups[group.display_name].get("members", [])
                assert {by_id[m["value"]] for m in members} == expected, group.display_name
    finally:
        first.stop()
        if second is not None:
            second.stop()
