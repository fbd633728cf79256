"""Which of the Steeple app's roles a group is assigned with, and how an existing assignment is
read back.

An app made from the non-gallery template declares `User` and `msiam_access` (Microsoft's
instantiate examples); Microsoft's tutorials and the admin center assign `User`. The zero GUID
("default access") is for a resource that declares no app roles at all (appRoleAssignment): an
app with roles refuses it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.entra.graph_models import DEFAULT_ROLE_ID, AppRole

PREFERRED_ROLE = "User"


@dataclass(frozen=True)
class RoleChoice:
    id: str
    name: str


def assignment_role(roles: Sequence[AppRole]) -> RoleChoice:
    """`User` when the app declares it for users and groups; else its first role that allows
    users and groups (`msiam_access`); the zero GUID only when it declares none."""
    usable = [role for role in roles if role.for_users_and_groups]
    for role in usable:
        if PREFERRED_ROLE in (role.display_name, role.value):
            return RoleChoice(role.id, PREFERRED_ROLE)
    if usable:
        first = usable[0]
        return RoleChoice(first.id, first.display_name or first.value or first.id)
    return RoleChoice(DEFAULT_ROLE_ID, "Default Access")


def role_name(roles: Sequence[AppRole], role_id: str) -> str:
    """A role's display name for a person; "Default Access" for the zero GUID (the admin
    center's own words), the id itself when the app no longer declares it."""
    if role_id == DEFAULT_ROLE_ID:
        return "Default Access"
    found = next((r for r in roles if r.id == role_id), None)
    return (found.display_name or found.value or role_id) if found else role_id
