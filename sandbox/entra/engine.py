"""One provisioning cycle in Entra's order: users, their references (manager), groups, deletes.

The target is remembered only through what Entra itself keeps (`JobMemory`): links to SCIM ids
and the values last exported. Exported state changes only on success, so a failed object is
retried by a later cycle (escrow, with a back-off) and an incremental cycle sends only changes.
Request order per user follows learn.microsoft.com/entra/identity/app-provisioning/
how-provisioning-works ("Provisioning cycles") and the request examples of
…/use-scim-to-provision-users-and-groups: a new user is looked up by each matching attribute in
turn, then created; a known user is read by id (`GET /Users/{id}`) before it is patched.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar

from assistant.entra.contract import CycleKind, CycleReport, ProvisioningLogEntry
from sandbox.entra import mappings as m
from sandbox.entra.dialects import Dialect
from sandbox.entra.groupsync import GroupSync
from sandbox.entra.memory import JobMemory
from sandbox.entra.outcomes import CycleAborted, error_code_for
from sandbox.entra.tenant import EntraUser, Tenant
from sandbox.entra.transport import ScimAnswer, ScimTransport, eq_filter

__all__ = ["CycleRunner", "JobMemory", "users_in_scope"]

T = TypeVar("T")
Progress = Callable[[int, int], None]
COUNTERS = {
    "Create": "created",
    "Update": "updated",
    "Enable": "updated",
    "Disable": "disabled",
    "Delete": "deleted",
}


def users_in_scope(tenant: Tenant, assigned: Iterable[str]) -> list[str]:
    """'Assigned users and groups': users assigned themselves and direct user members of
    assigned groups, in tenant order."""
    wanted: set[str] = set()
    for principal in assigned:
        group = tenant.groups.get(principal)
        if group is not None:
            wanted.update(tenant.direct_user_members(group))
        elif principal in tenant.users:
            wanted.add(principal)
    return [user_id for user_id in tenant.users if user_id in wanted]


def _resources(answer: ScimAnswer) -> list[dict[str, Any]]:
    body = answer.body if isinstance(answer.body, dict) else {}
    found = body.get("Resources") or []
    return [r for r in found if isinstance(r, dict)]


class CycleRunner(GroupSync):
    """Runs one cycle for a tenant against a transport, updating `memory` and filling `report`."""

    def __init__(
        self,
        tenant: Tenant,
        assigned: list[str],
        memory: JobMemory,
        transport: ScimTransport,
        *,
        cycle_id: str,
        kind: CycleKind,
        began: datetime,
        dialect: Dialect | None = None,
        workers: int = 4,
        member_batch_size: int = 50,
        aad_group_schema: bool = True,
        progress: Progress | None = None,
        pace: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.pace = pace
        self.aad_group_schema = aad_group_schema
        self.tenant = tenant
        self.assigned = [g for g in assigned if g in tenant.groups]
        """The assigned groups (users assigned directly are in `scope` only)."""
        self.memory = memory
        self.transport = transport
        self.dialect = dialect or Dialect(transport.url.compliant)
        self.workers = max(1, workers)
        self.batch = max(1, member_batch_size)
        self.progress = progress
        self.report = CycleReport(cycle_id=cycle_id, kind=kind, began=began)
        self.scope = set(users_in_scope(tenant, assigned))
        self._done = 0
        self._total = 0

    # -- bookkeeping -------------------------------------------------------------------------

    def log_entry(
        self,
        kind: str,
        source_id: str,
        name: str,
        action: str,
        status: str,
        *,
        escrow_key: str | None = None,
        reference: bool = False,
        **extra: Any,
    ) -> None:
        """One provisioning-log line; a failure escrows `escrow_key` (default: the object)."""
        entry = ProvisioningLogEntry(
            cycle_id=self.report.cycle_id,
            object_type=kind,  # type: ignore[arg-type]
            source_id=source_id,
            source_name=name,
            action=action,  # type: ignore[arg-type]
            status=status,  # type: ignore[arg-type]
            **extra,
        )
        self.report.entries.append(entry)
        if status == "skipped":
            self.report.skipped += 1
            return
        self.report.processed += 1
        key = escrow_key or source_id
        if status == "failure":
            self.report.failed += 1
            self.memory.escrow_failure(
                key, entry.error_code or "InternalError", reference=reference
            )
            return
        self.memory.escrow.pop(key, None)
        counter = COUNTERS.get(action)
        if counter:
            setattr(self.report, counter, getattr(self.report, counter) + 1)

    def _fail(
        self,
        kind: str,
        source_id: str,
        name: str,
        action: str,
        answer: ScimAnswer,
        what: str = "",
        **extra: Any,
    ) -> None:
        if answer.status in (401, 403):
            code = error_code_for(answer)
            raise CycleAborted(code, f"HTTP {answer.status} during the cycle.")
        detail = f"HTTP {answer.status}" if answer.status else f"no answer ({answer.cause})"
        detail = f"{what}: {detail}" if what else detail
        scim_detail = answer.body.get("detail") if isinstance(answer.body, dict) else None
        if isinstance(scim_detail, str) and scim_detail:
            detail += f": {scim_detail[:200]}"
        self.log_entry(
            kind, source_id, name, action, "failure",
            error_code=error_code_for(answer), detail=detail, **extra,
        )  # fmt: skip

    async def _send(self, method: str, path: str, query: str = "", body: Any = None) -> ScimAnswer:
        answer = await self.transport.send(method, path, query, body)
        self.report.requests += 1
        return answer

    async def _pool(self, items: list[T], work: Callable[[T], Awaitable[None]]) -> None:
        """A handful of objects in flight, each object's requests strictly in order."""
        queue: asyncio.Queue[T] = asyncio.Queue()
        for item in items:
            queue.put_nowait(item)

        async def worker() -> None:
            while not queue.empty():
                item = queue.get_nowait()
                await work(item)
                if self.pace is not None:
                    await self.pace()
                self._done += 1
                if self.progress:
                    self.progress(self._done, self._total)

        await asyncio.gather(*(worker() for _ in range(min(self.workers, len(items)) or 1)))

    # -- the cycle ---------------------------------------------------------------------------

    async def run(self) -> CycleReport:
        memory = self.memory
        managed = [u for u in memory.user_ids if u not in memory.unmanaged]
        user_ids = [u for u in self.tenant.users if u in self.scope or u in managed]
        # Unassigned (then unmanaged) users get no DELETE when they are later hard-deleted.
        gone = [u for u in managed if u not in self.tenant.users]
        with_manager = [u for u in user_ids if self.tenant.users[u].manager_id]
        groups = list(self.assigned)
        dropped = [g for g in memory.group_ids if g not in self.assigned]
        # The manager pass is a unit of work per user too: without it, done overtakes total.
        self._total = len(user_ids) + len(with_manager) + len(gone) + len(groups) + len(dropped)
        await self._pool(user_ids, self.sync_user)
        await self._pool(with_manager, self.sync_manager)
        await self._pool(groups, self.sync_group)
        await self._pool(gone, self.delete_user)
        await self._pool(dropped, self.delete_group)
        return self.report

    async def sync_user(self, user_id: str) -> None:
        if not self.memory.due(user_id):
            return  # escrowed, waiting for its next retry
        user = self.tenant.users[user_id]
        scim_id = self.memory.user_ids.get(user_id)
        if scim_id is None:
            if user_id in self.scope:
                await self._first_export(user)
            return
        if user_id not in self.scope:
            await self._unassigned(user, scim_id)
            return
        self.memory.unmanaged.discard(user_id)  # assigned again: managed again
        await self._update_user(user, scim_id, m.user_attributes(user))

    async def _first_export(self, user: EntraUser) -> None:
        """A user Entra has never linked: skip the ones it cannot provision, else match/create.

        A skip is logged once: an incremental cycle only sees what changed, so a user still
        disabled (or still soft-deleted) and otherwise unchanged is not logged again each cycle.
        """
        reason = None
        if user.soft_deleted:
            reason = "Soft-deleted in Entra and never provisioned."
        elif not user.account_enabled:
            reason = "Disabled in Entra: provisioning a disabled user is not supported."
        if reason:
            if self.memory.skipped.get(user.object_id) != reason:
                self.memory.skipped[user.object_id] = reason
                self.log_entry(
                    "User", user.object_id, user.user_principal_name, "Skip", "skipped",
                    error_code="EntrySynchronizationSkipped", detail=reason,
                )  # fmt: skip
            return
        self.memory.skipped.pop(user.object_id, None)
        await self._match_or_create(user, m.user_attributes(user))

    async def _unassigned(self, user: EntraUser, scim_id: str) -> None:
        """Out of scope: one disable, then Entra stops managing the user."""
        exported = self.memory.user_exported.get(user.object_id, {})
        if exported.get("active") is False:
            self.memory.unmanaged.add(user.object_id)
            return
        ops = self.dialect.active_operations(False)
        answer = await self._send("PATCH", f"/Users/{scim_id}", body=m.patch_body(ops))
        name = user.user_principal_name
        if not answer.ok:
            self._fail("User", user.object_id, name, "Disable", answer)
            return
        self.memory.user_exported[user.object_id] = {**exported, "active": False}
        self.memory.unmanaged.add(user.object_id)
        self.log_entry("User", user.object_id, name, "Disable", "success", target_id=scim_id)

    async def _match_or_create(self, user: EntraUser, desired: dict[str, Any]) -> None:
        name = user.user_principal_name
        resources: list[dict[str, Any]] = []
        for attribute in m.MATCHING_ATTRIBUTES:
            if not desired.get(attribute):
                continue
            found = await self._send("GET", "/Users", eq_filter(attribute, desired[attribute]))
            if not found.ok:
                self._fail("User", user.object_id, name, "Other", found)
                return
            resources = _resources(found)
            if resources:
                break
        if len(resources) > 1:
            self.log_entry(
                "User", user.object_id, name, "Other", "failure",
                error_code="DuplicateTargetEntries",
                detail=f"{len(resources)} target users match {attribute}.",
            )  # fmt: skip
            return
        if resources:
            scim_id = str(resources[0].get("id") or "")
            if not scim_id:
                self.log_entry(
                    "User", user.object_id, name, "Other", "failure",
                    error_code="InvalidAnchor", detail="The matched user has no id.",
                )  # fmt: skip
                return
            self.memory.user_ids[user.object_id] = scim_id
            await self._patch_user(user, scim_id, m.flatten_scim_user(resources[0]), desired)
            return
        created = await self._send("POST", "/Users", body=m.user_create_body(desired))
        new_id = created.body.get("id") if isinstance(created.body, dict) else None
        if not created.ok or not new_id:
            if created.ok:
                self.log_entry(
                    "User", user.object_id, name, "Create", "failure",
                    error_code=error_code_for(created) if created.cause else "InvalidAnchor",
                    detail="The created user has no id.",
                )  # fmt: skip
            else:
                self._fail("User", user.object_id, name, "Create", created)
            return
        self.memory.user_ids[user.object_id] = str(new_id)
        self.memory.user_exported[user.object_id] = dict(desired)
        self.log_entry("User", user.object_id, name, "Create", "success", target_id=str(new_id))

    async def _update_user(self, user: EntraUser, scim_id: str, desired: dict[str, Any]) -> None:
        """A linked user: nothing if nothing changed; else read it by id, then patch it."""
        exported = self.memory.user_exported.get(user.object_id)
        if exported is not None and not any(m.differences(_own(exported), desired)):
            if user.object_id in self.memory.escrow:
                self.log_entry(
                    "User", user.object_id, user.user_principal_name, "Other", "success",
                    target_id=scim_id,
                )  # fmt: skip
            return
        read = await self._send("GET", f"/Users/{scim_id}")
        if not read.ok:
            if read.status == 404:  # the anchor is gone: match again next cycle
                self.memory.user_ids.pop(user.object_id, None)
                self.memory.user_exported.pop(user.object_id, None)
            self._fail("User", user.object_id, user.user_principal_name, "Update", read)
            return
        current = exported if exported is not None else m.flatten_scim_user(read.body or {})
        await self._patch_user(user, scim_id, current, desired)

    async def _patch_user(
        self, user: EntraUser, scim_id: str, current: dict[str, Any], desired: dict[str, Any]
    ) -> None:
        name = user.user_principal_name
        merged = {**current, **desired}  # a value cleared in Entra stays on the target
        ops = self.dialect.user_operations(_own(current), desired)
        if not ops:
            self.memory.user_exported[user.object_id] = merged
            if user.object_id in self.memory.escrow:
                self.log_entry("User", user.object_id, name, "Other", "success", target_id=scim_id)
            return
        answer = await self._send("PATCH", f"/Users/{scim_id}", body=m.patch_body(ops))
        action = "Update"
        if current.get("active", True) != desired.get("active", True):
            action = "Enable" if desired.get("active") else "Disable"
        if not answer.ok:
            if answer.status == 404:
                self.memory.user_ids.pop(user.object_id, None)
            self._fail("User", user.object_id, name, action, answer)
            return
        self.memory.user_exported[user.object_id] = merged
        self.log_entry("User", user.object_id, name, action, "success", target_id=scim_id)

    async def sync_manager(self, user_id: str) -> None:
        """The manager reference, once both users exist on the target (a reference update)."""
        key = f"manager:{user_id}"
        user = self.tenant.users[user_id]
        scim_id = self.memory.user_ids.get(user_id)
        manager_scim_id = self.memory.user_ids.get(user.manager_id)
        exported = self.memory.user_exported.get(user_id)
        if (
            user_id not in self.scope
            or scim_id is None
            or exported is None
            or manager_scim_id is None
            or exported.get(m.MANAGER) == manager_scim_id
            or not self.memory.due(key)
        ):
            return
        ops = self.dialect.user_operations(
            {m.MANAGER: exported[m.MANAGER]} if m.MANAGER in exported else {},
            {m.MANAGER: manager_scim_id},
        )
        answer = await self._send("PATCH", f"/Users/{scim_id}", body=m.patch_body(ops))
        name = user.user_principal_name
        if not answer.ok:
            self._fail(
                "User", user_id, name, "Update", answer, "manager", escrow_key=key, reference=True
            )
            return
        exported[m.MANAGER] = manager_scim_id
        self.log_entry(
            "User", user_id, name, "Update", "success",
            escrow_key=key, target_id=scim_id, detail="manager",
        )  # fmt: skip

    async def delete_user(self, user_id: str) -> None:
        """Hard-deleted in Entra (gone from the recycle bin): DELETE on the target."""
        scim_id = self.memory.user_ids[user_id]
        name = self.memory.user_exported.get(user_id, {}).get("userName", user_id)
        answer = await self._send("DELETE", f"/Users/{scim_id}")
        if not answer.ok and answer.status != 404:
            self._fail("User", user_id, name, "Delete", answer)
            return
        for members in self.memory.group_members.values():
            members.discard(user_id)
        self.memory.user_ids.pop(user_id, None)
        self.memory.user_exported.pop(user_id, None)
        self.log_entry("User", user_id, name, "Delete", "success", target_id=scim_id)

    def duplicate(self, kind: str, source_id: str, name: str, count: int) -> None:
        self.log_entry(
            kind, source_id, name, "Other", "failure",
            error_code="DuplicateTargetEntries",
            detail=f"{count} target objects match.",
        )  # fmt: skip


def _own(values: dict[str, Any]) -> dict[str, Any]:
    """Exported values without the manager, which only the reference pass compares."""
    return {k: v for k, v in values.items() if k != m.MANAGER}
