"""Provision on demand: one user, or one group with up to five of its members, right now.

As documented (learn.microsoft.com/entra/identity/app-provisioning/provision-on-demand): it starts
with the Test Connection probe ("Step 1: Test connection"); it can disable a user who was
unassigned, but disabled or deleted users "don't appear when you search"; a group is provisioned
with at most five members. It ignores `aadOptscim062020` and sends the legacy shapes ("this
feature flag currently doesn't work with on-demand provisioning" —
…/application-provisioning-config-problem-scim-compatibility). A skip says why with Entra's own
SkipReason: `NotEffectivelyEntitled` for a user out of scope, `RedundantExport` (and the
provisionOnDemand example's words) when nothing needs exporting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.entra.contract import CycleReport
from sandbox.entra import mappings as m
from sandbox.entra.connection import test_connection
from sandbox.entra.engine import CycleRunner
from sandbox.entra.outcomes import CycleAborted
from sandbox.entra.transport import ScimTransport, eq_filter

if TYPE_CHECKING:
    from sandbox.entra.job import ProvisioningJob

ON_DEMAND_GROUP_MEMBERS = 5


class OnDemand:
    """Provision on demand for one job: `ProvisioningJob.provision_on_demand` and friends."""

    def __init__(self, job: ProvisioningJob) -> None:
        self.job = job

    def _on_demand_runner(self, transport: ScimTransport, report: CycleReport) -> CycleRunner:
        job = self.job
        return CycleRunner(
            job.tenant,
            job.assigned,
            job.memory,
            transport,
            cycle_id=report.cycle_id,
            kind="on-demand",
            began=report.began,
            dialect=job.dialect(False),  # the flag is ignored on demand
            workers=1,
            aad_group_schema=job.settings.aad_group_schema,
        )

    def _searchable(self, user_ref: str) -> str:
        user = self.job.tenant.user_by_upn(user_ref)
        if user is None or user.soft_deleted or not user.account_enabled:
            raise LookupError("No enabled user with that userPrincipalName in the tenant.")
        return user.object_id

    async def user(self, user_ref: str) -> CycleReport:
        """Provision (or, if unassigned, disable) one user now, as the admin center does."""
        user_id = self._searchable(user_ref)
        return await self._on_demand([user_id], None)

    async def group(self, group_ref: str, member_refs: list[str]) -> CycleReport:
        """One assigned group with up to five of its direct members."""
        group = self.job.tenant.group_by_name(group_ref)
        if group is None:
            raise LookupError("No group with that name in the tenant.")
        if not 1 <= len(member_refs) <= ON_DEMAND_GROUP_MEMBERS:
            raise ValueError(f"Pick 1 to {ON_DEMAND_GROUP_MEMBERS} members of the group.")
        members = [self._searchable(ref) for ref in member_refs]
        if any(m not in group.member_ids for m in members):
            raise LookupError("Every member picked must be a direct member of the group.")
        return await self._on_demand(members, group.object_id)

    async def _on_demand(self, user_ids: list[str], group_id: str | None) -> CycleReport:
        job = self.job
        report = CycleReport(cycle_id=job.next_id(), kind="on-demand", began=job.clock.now())
        transport = job.scim_transport()
        try:
            runner = self._on_demand_runner(transport, report)
            check = await test_connection(transport, job.rng)
            if not check.success:
                for user_id in user_ids:
                    user = job.tenant.users[user_id]
                    runner.log_entry(
                        "User", user_id, user.user_principal_name, "Other", "failure",
                        escrow_key=f"on-demand:{user_id}",
                        error_code=check.error_code, detail=check.detail,
                    )  # fmt: skip
                return job.finish(runner.report)
            if group_id is not None and group_id not in runner.assigned:
                group = job.tenant.groups[group_id]
                runner.log_entry(
                    "Group", group_id, group.display_name, "Skip", "skipped",
                    error_code="EntrySynchronizationSkipped",
                    detail="The group is not assigned to the application.",
                )  # fmt: skip
                return job.finish(runner.report)
            try:
                for user_id in user_ids:
                    await self._one_user(runner, user_id)
                if group_id is not None:
                    await runner.sync_group(group_id, only=set(user_ids))
            except CycleAborted as aborted:
                runner.log_entry(
                    "User", user_ids[0], job.tenant.users[user_ids[0]].user_principal_name,
                    "Other", "failure", escrow_key=f"on-demand:{user_ids[0]}",
                    error_code=aborted.code, detail=aborted.detail,
                )  # fmt: skip
        finally:
            runner.report.requests = transport.requests_sent
            await transport.aclose()
        return job.finish(runner.report)

    async def _one_user(self, runner: CycleRunner, user_id: str) -> None:
        memory = self.job.memory
        user = self.job.tenant.users[user_id]
        before = len(runner.report.entries)
        linked = user_id in memory.user_ids and user_id not in memory.unmanaged
        if user_id not in runner.scope and not linked:
            runner.log_entry(
                "User", user_id, user.user_principal_name, "Skip", "skipped",
                error_code="NotEffectivelyEntitled",
                detail="The user is not assigned to the application.",
            )  # fmt: skip
            return
        memory.escrow.pop(user_id, None)  # on demand retries now, whatever the back-off
        if linked and user_id in runner.scope:
            # "Step 4: Match user between source and target system" runs on every on-demand
            # run (provision-on-demand page), so the target is queried even when nothing changed.
            user_name = m.user_attributes(user).get("userName")
            if user_name:
                await runner.transport.send("GET", "/Users", eq_filter("userName", str(user_name)))
        await runner.sync_user(user_id)
        if user.manager_id:
            await runner.sync_manager(user_id)
        if len(runner.report.entries) == before:
            runner.log_entry(
                "User", user_id, user.user_principal_name, "Skip", "skipped",
                error_code="RedundantExport",
                detail="The state of the user in both the source and target systems already "
                "match.",
            )  # fmt: skip
