"""One provisioning cycle in Entra's order: users (match, create or patch), groups, deletes.

The target is remembered only through what Entra itself keeps: the SCIM ids it received and the
attribute values it last exported. Exported state changes only on success, so a failed object is
naturally retried by the next cycle (escrow) and an incremental cycle sends only real changes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from assistant.entra_contract import CycleKind, CycleReport, ProvisioningLogEntry
from sandbox.entra import mappings as m
from sandbox.entra.outcomes import CycleAborted, error_code_for
from sandbox.entra.tenant import EntraGroup, EntraUser, Tenant
from sandbox.entra.transport import ScimAnswer, ScimTransport, eq_filter

T = TypeVar("T")
Progress = Callable[[int, int], None]


@dataclass
class JobMemory:
    """What Entra keeps between cycles for one job (its 'watermark' and escrows)."""

    user_ids: dict[str, str] = field(default_factory=dict)
    user_exported: dict[str, dict[str, Any]] = field(default_factory=dict)
    group_ids: dict[str, str] = field(default_factory=dict)
    group_names: dict[str, str] = field(default_factory=dict)
    group_members: dict[str, set[str]] = field(default_factory=dict)
    escrow: dict[str, str] = field(default_factory=dict)
    """objectId → error code of the last failure, retried next cycle."""
    cycles_run: int = 0


def users_in_scope(tenant: Tenant, assigned: Iterable[str]) -> list[str]:
    """'Assigned users and groups': direct user members of assigned groups, in tenant order."""
    wanted: set[str] = set()
    for group_id in assigned:
        group = tenant.groups.get(group_id)
        if group is not None:
            wanted.update(tenant.direct_user_members(group))
    return [user_id for user_id in tenant.users if user_id in wanted]


class CycleRunner:
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
        self.memory = memory
        self.transport = transport
        self.compliant = transport.url.compliant
        self.workers = max(1, workers)
        self.batch = max(1, member_batch_size)
        self.progress = progress
        self.report = CycleReport(cycle_id=cycle_id, kind=kind, began=began)
        self.scope = set(users_in_scope(tenant, self.assigned))
        self._done = 0
        self._total = 0

    # -- bookkeeping -------------------------------------------------------------------------

    def log_entry(
        self, kind: str, source_id: str, name: str, action: str, status: str, **extra: Any
    ) -> None:
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
        if status == "failure":
            self.report.failed += 1
            self.memory.escrow[source_id] = entry.error_code or "Unknown"
            return
        self.memory.escrow.pop(source_id, None)
        counter = {
            "Create": "created",
            "Update": "updated",
            "Enable": "updated",
            "Disable": "disabled",
            "Delete": "deleted",
        }.get(action)
        if counter:
            setattr(self.report, counter, getattr(self.report, counter) + 1)

    def _fail(self, kind: str, source_id: str, name: str, action: str, answer: ScimAnswer) -> None:
        if answer.status in (401, 403):
            raise CycleAborted("Unauthorized", f"HTTP {answer.status} during the cycle.")
        detail = f"HTTP {answer.status}" if answer.status else f"no answer ({answer.cause})"
        scim_detail = answer.body.get("detail") if isinstance(answer.body, dict) else None
        if isinstance(scim_detail, str) and scim_detail:
            detail += f": {scim_detail[:200]}"
        self.log_entry(
            kind,
            source_id,
            name,
            action,
            "failure",
            error_code=error_code_for(answer),
            detail=detail,
        )

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
        known_users = [u for u in self.memory.user_ids if u not in self.scope]
        user_ids = [u for u in self.tenant.users if u in self.scope or u in self.memory.user_ids]
        gone = [u for u in known_users if u not in self.tenant.users]
        groups = list(self.assigned)
        dropped = [g for g in self.memory.group_ids if g not in self.assigned]
        self._total = len(user_ids) + len(gone) + len(groups) + len(dropped)
        await self._pool(user_ids, self.sync_user)
        await self._pool(groups, self.sync_group)
        await self._pool(gone, self.delete_user)
        await self._pool(dropped, self.delete_group)
        return self.report

    async def sync_user(self, user_id: str) -> None:
        user = self.tenant.users[user_id]
        in_scope = user_id in self.scope
        desired = m.user_attributes(user)
        if not in_scope:
            desired = {**self.memory.user_exported.get(user_id, desired), "active": False}
        scim_id = self.memory.user_ids.get(user_id)
        if scim_id is None:
            if not in_scope:
                return
            if user.soft_deleted:
                self.log_entry(
                    "User",
                    user_id,
                    user.user_principal_name,
                    "Skip",
                    "skipped",
                    detail="Soft-deleted in Entra and never provisioned.",
                )
                return
            await self._match_or_create(user, desired)
            return
        current = self.memory.user_exported.get(user_id, {})
        await self._patch_user(user, scim_id, current, desired)

    async def _match_or_create(self, user: EntraUser, desired: dict[str, Any]) -> None:
        name = user.user_principal_name
        found = await self._send("GET", "/Users", eq_filter("userName", name))
        if not found.ok:
            self._fail("User", user.object_id, name, "Other", found)
            return
        resources = (
            (found.body or {}).get("Resources") or [] if isinstance(found.body, dict) else []
        )
        if len(resources) > 1:
            self.log_entry(
                "User",
                user.object_id,
                name,
                "Other",
                "failure",
                error_code="DuplicateTargetEntries",
                detail=f"{len(resources)} target users match userName.",
            )
            return
        if resources:
            resource = resources[0]
            scim_id = str(resource.get("id", ""))
            if not scim_id:
                self.log_entry(
                    "User",
                    user.object_id,
                    name,
                    "Other",
                    "failure",
                    error_code="InvalidAnchor",
                    detail="The matched user has no id.",
                )
                return
            self.memory.user_ids[user.object_id] = scim_id
            await self._patch_user(user, scim_id, m.flatten_scim_user(resource), desired)
            return
        created = await self._send("POST", "/Users", body=m.user_create_body(desired))
        new_id = created.body.get("id") if isinstance(created.body, dict) else None
        if not created.ok or not new_id:
            if created.ok:
                self.log_entry(
                    "User",
                    user.object_id,
                    name,
                    "Create",
                    "failure",
                    error_code="InvalidAnchor",
                    detail="The created user has no id.",
                )
            else:
                self._fail("User", user.object_id, name, "Create", created)
            return
        self.memory.user_ids[user.object_id] = str(new_id)
        self.memory.user_exported[user.object_id] = dict(desired)
        self.log_entry("User", user.object_id, name, "Create", "success", target_id=str(new_id))

    async def _patch_user(
        self, user: EntraUser, scim_id: str, current: dict[str, Any], desired: dict[str, Any]
    ) -> None:
        name = user.user_principal_name
        ops = m.user_patch_operations(current, desired, compliant=self.compliant)
        if not ops:
            self.memory.user_exported[user.object_id] = dict(desired)
            if user.object_id in self.memory.escrow:
                self.log_entry("User", user.object_id, name, "Other", "success", target_id=scim_id)
            return
        answer = await self._send("PATCH", f"/Users/{scim_id}", body=m.patch_body(ops))
        action = "Update"
        if current.get("active", True) != desired.get("active", True):
            action = "Enable" if desired.get("active") else "Disable"
        if not answer.ok:
            if answer.status == 404:  # the anchor is gone: match again next cycle
                self.memory.user_ids.pop(user.object_id, None)
            self._fail("User", user.object_id, name, action, answer)
            return
        self.memory.user_exported[user.object_id] = dict(desired)
        self.log_entry("User", user.object_id, name, action, "success", target_id=scim_id)

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

    async def sync_group(self, group_id: str) -> None:
        group = self.tenant.groups[group_id]
        scim_id = self.memory.group_ids.get(group_id)
        created = False
        if scim_id is None:
            scim_id = await self._match_or_create_group(group)
            if scim_id is None:
                return
            created = True
        ok = True
        changed = False
        if not created and self.memory.group_names.get(group_id) != group.display_name:
            ops = m.group_rename_operations(group.display_name, compliant=self.compliant)
            answer = await self._send("PATCH", f"/Groups/{scim_id}", body=m.patch_body(ops))
            ok = self._group_answer(group, "Update", answer)
            if ok:
                self.memory.group_names[group_id] = group.display_name
                changed = True
        desired = {u for u in self.tenant.direct_user_members(group) if u in self.memory.user_ids}
        exported = self.memory.group_members.setdefault(group_id, set())
        to_add = [u for u in self.tenant.users if u in desired and u not in exported]
        to_remove = [u for u in self.tenant.users if u in exported and u not in desired]
        # Hard-deleted users leave their groups with their own DELETE: no member PATCH for them.
        exported.difference_update([u for u in exported if u not in self.tenant.users])
        for start in range(0, len(to_add), self.batch):
            chunk = to_add[start : start + self.batch]
            ids = [self.memory.user_ids[u] for u in chunk]
            ops = m.member_add_operations(ids, compliant=self.compliant)
            answer = await self._send("PATCH", f"/Groups/{scim_id}", body=m.patch_body(ops))
            if self._group_answer(group, "Update", answer):
                exported.update(chunk)
                changed = True
            else:
                ok = False
        removable = [u for u in to_remove if u in self.memory.user_ids]
        exported.difference_update([u for u in to_remove if u not in self.memory.user_ids])
        if removable and ok:
            ids = [self.memory.user_ids[u] for u in removable]
            ops = m.member_remove_operations(ids, compliant=self.compliant)
            answer = await self._send("PATCH", f"/Groups/{scim_id}", body=m.patch_body(ops))
            if self._group_answer(group, "Update", answer):
                exported.difference_update(removable)
                changed = True
            else:
                ok = False
        if ok and created:
            self.log_entry(
                "Group", group_id, group.display_name, "Create", "success", target_id=scim_id
            )
        elif ok and changed:
            self.log_entry(
                "Group", group_id, group.display_name, "Update", "success", target_id=scim_id
            )

    def _group_answer(self, group: EntraGroup, action: str, answer: ScimAnswer) -> bool:
        if answer.ok:
            return True
        self._fail("Group", group.object_id, group.display_name, action, answer)
        return False

    async def _match_or_create_group(self, group: EntraGroup) -> str | None:
        name = group.display_name
        query = "excludedAttributes=members&" + eq_filter("displayName", name)
        found = await self._send("GET", "/Groups", query)
        if not found.ok:
            self._fail("Group", group.object_id, name, "Other", found)
            return None
        body = found.body if isinstance(found.body, dict) else {}
        resources = body.get("Resources") or []
        if len(resources) > 1:
            self.log_entry(
                "Group",
                group.object_id,
                name,
                "Other",
                "failure",
                error_code="DuplicateTargetEntries",
                detail=f"{len(resources)} target groups match displayName.",
            )
            return None
        if resources and resources[0].get("id"):
            scim_id = str(resources[0]["id"])
        else:
            created = await self._send(
                "POST", "/Groups", body=m.group_create_body(group, aad_schema=self.aad_group_schema)
            )
            new_id = created.body.get("id") if isinstance(created.body, dict) else None
            if not created.ok or not new_id:
                self._fail("Group", group.object_id, name, "Create", created)
                return None
            scim_id = str(new_id)
        self.memory.group_ids[group.object_id] = scim_id
        self.memory.group_names[group.object_id] = name
        self.memory.group_members[group.object_id] = set()
        return scim_id

    async def delete_group(self, group_id: str) -> None:
        """Unassigned (or deleted) group: its members were disabled above; now the group goes."""
        scim_id = self.memory.group_ids[group_id]
        name = self.memory.group_names.get(group_id, group_id)
        answer = await self._send("DELETE", f"/Groups/{scim_id}")
        if not answer.ok and answer.status != 404:
            self._fail("Group", group_id, name, "Delete", answer)
            return
        self.memory.group_ids.pop(group_id, None)
        self.memory.group_names.pop(group_id, None)
        self.memory.group_members.pop(group_id, None)
        self.log_entry("Group", group_id, name, "Delete", "success", target_id=scim_id)
