"""The group half of a cycle: match or create, rename, members, membership checks, delete.

Requests follow learn.microsoft.com/entra/identity/app-provisioning/
use-scim-to-provision-users-and-groups: groups are matched by displayName with
`excludedAttributes=members`, read by id the same way before an update, and "requests to
determine whether a reference attribute has a certain value are requests about the members
attribute" — `filter=id eq "…" and members eq "…"` (Entra "only uses the operators eq, and").
A membership is checked that way whenever Entra does not know the target's members: a group it
matched rather than created, or any group after a restart.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from sandbox.entra import mappings as m
from sandbox.entra.dialects import Dialect
from sandbox.entra.memory import JobMemory
from sandbox.entra.tenant import EntraGroup, Tenant
from sandbox.entra.transport import ScimAnswer, eq_filter

EXCLUDE_MEMBERS = "excludedAttributes=members"


def membership_filter(group_scim_id: str, user_scim_id: str) -> str:
    """`filter=id eq "G" and members eq "U"`, encoded as Entra encodes its filters."""
    expr = f'id eq "{group_scim_id}" and members eq "{user_scim_id}"'
    return "filter=" + quote(expr, safe="").replace("%20", "+")


class GroupSync:
    """Base of `CycleRunner`: everything it does for one assigned (or dropped) group.

    The attributes and the four methods below are the runner's; they are declared here so that
    this half of the cycle type-checks on its own.
    """

    tenant: Tenant
    memory: JobMemory
    scope: set[str]
    dialect: Dialect
    batch: int
    aad_group_schema: bool

    async def _send(self, method: str, path: str, query: str = "", body: Any = None) -> ScimAnswer:
        raise NotImplementedError

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
        raise NotImplementedError

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
        raise NotImplementedError

    def duplicate(self, kind: str, source_id: str, name: str, count: int) -> None:
        raise NotImplementedError

    async def sync_group(self, group_id: str, only: set[str] | None = None) -> None:
        """Bring one group in line; `only` limits the members considered (provision on demand)."""
        if not (self.memory.due(group_id) and self.memory.due(f"members:{group_id}")):
            return  # escrowed (the group, or its member updates): waiting for the next retry
        group = self.tenant.groups[group_id]
        scim_id = self.memory.group_ids.get(group_id)
        created = False
        changed = False
        if scim_id is None:
            found = await self._match_or_create_group(group)
            if found is None:
                return
            scim_id, created = found
        desired = [
            u
            for u in self.tenant.direct_user_members(group)
            if u in self.memory.user_ids and u in self.scope and (only is None or u in only)
        ]
        known = self.memory.group_members.get(group_id)
        if known is not None:
            known.difference_update([u for u in known if u not in self.tenant.users])
        renamed = self.memory.group_names.get(group_id) not in (None, group.display_name)
        pending = known is None or renamed or set(desired) != (known & set(desired))
        removals = (
            [] if known is None or only is not None else [u for u in known if u not in desired]
        )
        if not created and (pending or removals):
            read = await self._send("GET", f"/Groups/{scim_id}", EXCLUDE_MEMBERS)
            if not read.ok:
                if read.status == 404:
                    self._forget_group(group_id)
                self._fail("Group", group_id, group.display_name, "Update", read)
                return
            current = read.body.get("displayName") if isinstance(read.body, dict) else None
            if current != group.display_name:
                ops = self.dialect.group_rename_operations(group.display_name)
                answer = await self._send("PATCH", f"/Groups/{scim_id}", body=m.patch_body(ops))
                if not self._group_answer(group, answer):
                    return
                changed = True
            self.memory.group_names[group_id] = group.display_name
        if known is None:
            known = set() if created else await self._check_members(scim_id, desired)
            self.memory.group_members[group_id] = known
        ok = await self._add_members(group, scim_id, [u for u in desired if u not in known])
        changed = changed or ok is True
        if removals and ok is not False:
            ids = [self.memory.user_ids[u] for u in removals if u in self.memory.user_ids]
            known.difference_update([u for u in removals if u not in self.memory.user_ids])
            if ids:
                ops = self.dialect.member_remove_operations(ids)
                answer = await self._send("PATCH", f"/Groups/{scim_id}", body=m.patch_body(ops))
                if not self._member_answer(group, answer):
                    return
                known.difference_update(removals)
                changed = True
        if ok is False:
            return
        action = "Create" if created else "Update"
        if created or changed:
            self.log_entry(
                "Group", group_id, group.display_name, action, "success",
                escrow_key=f"members:{group_id}", target_id=scim_id,
            )  # fmt: skip
            self.memory.escrow.pop(group_id, None)

    async def _check_members(self, scim_id: str, desired: list[str]) -> set[str]:
        """Which wanted members the target already has, one `and` query each."""
        present: set[str] = set()
        for user_id in desired:
            query = f"{EXCLUDE_MEMBERS}&" + membership_filter(
                scim_id, self.memory.user_ids[user_id]
            )
            answer = await self._send("GET", "/Groups", query)
            body = answer.body if isinstance(answer.body, dict) else {}
            if answer.ok and (body.get("Resources") or body.get("totalResults")):
                present.add(user_id)
        return present

    async def _add_members(self, group: EntraGroup, scim_id: str, to_add: list[str]) -> bool | None:
        """None: nothing to add; True: all added; False: a batch failed (a reference failure)."""
        if not to_add:
            return None
        known = self.memory.group_members[group.object_id]
        for start in range(0, len(to_add), self.batch):
            chunk = to_add[start : start + self.batch]
            ops = self.dialect.member_add_operations([self.memory.user_ids[u] for u in chunk])
            answer = await self._send("PATCH", f"/Groups/{scim_id}", body=m.patch_body(ops))
            if not self._member_answer(group, answer):
                return False
            known.update(chunk)
        return True

    def _group_answer(self, group: EntraGroup, answer: ScimAnswer) -> bool:
        if answer.ok:
            return True
        self._fail("Group", group.object_id, group.display_name, "Update", answer)
        return False

    def _member_answer(self, group: EntraGroup, answer: ScimAnswer) -> bool:
        """A failed member update is a reference failure, escrowed apart from the group."""
        if answer.ok:
            return True
        self._fail(
            "Group", group.object_id, group.display_name, "Update", answer, "members",
            escrow_key=f"members:{group.object_id}", reference=True,
        )  # fmt: skip
        return False

    async def _match_or_create_group(self, group: EntraGroup) -> tuple[str, bool] | None:
        """(SCIM id, created?) of the group on the target, or None after a logged failure."""
        name = group.display_name
        found = await self._send(
            "GET", "/Groups", f"{EXCLUDE_MEMBERS}&" + eq_filter("displayName", name)
        )
        if not found.ok:
            self._fail("Group", group.object_id, name, "Other", found)
            return None
        body: dict[str, Any] = found.body if isinstance(found.body, dict) else {}
        resources = body.get("Resources") or []
        if len(resources) > 1:
            self.duplicate("Group", group.object_id, name, len(resources))
            return None
        created = not (resources and resources[0].get("id"))
        if not created:
            scim_id = str(resources[0]["id"])
        else:
            post = await self._send(
                "POST", "/Groups", body=m.group_create_body(group, aad_schema=self.aad_group_schema)
            )
            new_id = post.body.get("id") if isinstance(post.body, dict) else None
            if not post.ok or not new_id:
                self._fail("Group", group.object_id, name, "Create", post)
                return None
            scim_id = str(new_id)
        self.memory.group_ids[group.object_id] = scim_id
        self.memory.group_names[group.object_id] = name
        return scim_id, created

    def _forget_group(self, group_id: str) -> None:
        self.memory.group_ids.pop(group_id, None)
        self.memory.group_names.pop(group_id, None)
        self.memory.group_members.pop(group_id, None)

    async def delete_group(self, group_id: str) -> None:
        """Unassigned (or deleted) group: its members were disabled above; now the group goes."""
        scim_id = self.memory.group_ids[group_id]
        name = self.memory.group_names.get(group_id, group_id)
        answer = await self._send("DELETE", f"/Groups/{scim_id}")
        if not answer.ok and answer.status != 404:
            self._fail("Group", group_id, name, "Delete", answer)
            return
        self._forget_group(group_id)
        self.log_entry("Group", group_id, name, "Delete", "success", target_id=scim_id)
