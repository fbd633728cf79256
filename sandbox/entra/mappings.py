"""Entra's default attribute mappings, the SCIM bodies they produce, and both PATCH dialects.

Attributes are handled as a flat dict keyed by SCIM attribute path (`name.familyName`,
`emails[type eq "work"].value`, `urn:…:enterprise:2.0:User:department`): that is how Entra's
mapping table is written, what its legacy PATCH paths look like, and what makes "PATCH only what
differs" a plain dict comparison.
"""

from __future__ import annotations

from typing import Any

from sandbox.entra.tenant import EntraGroup, EntraUser

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
AAD_GROUP = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
WORK_EMAIL = 'emails[type eq "work"].value'
DEPARTMENT = f"{ENTERPRISE_USER}:department"
EMPLOYEE_NUMBER = f"{ENTERPRISE_USER}:employeeNumber"
FILTERED_PATHS = frozenset({WORK_EMAIL})
"""Paths that carry a value filter: always their own operation, in either dialect."""

DEFAULT_USER_MAPPINGS: tuple[tuple[str, str], ...] = (
    ("userPrincipalName", "userName"),
    ('Switch([IsSoftDeleted], , "False", "True", "True", "False")', "active"),
    ("displayName", "displayName"),
    ("mail", WORK_EMAIL),
    ("givenName", "name.givenName"),
    ("surname", "name.familyName"),
    ('Join(" ", [givenName], [surname])', "name.formatted"),
    ("mailNickname", "externalId"),
    ("department", DEPARTMENT),
    ("employeeId", EMPLOYEE_NUMBER),
)
"""(Entra source expression, SCIM target) as the Entra admin center lists them."""
DEFAULT_GROUP_MAPPINGS: tuple[tuple[str, str], ...] = (
    ("displayName", "displayName"),
    ("objectId", "externalId"),
    ("members", "members"),
)


def user_attributes(user: EntraUser) -> dict[str, Any]:
    """The flat target attributes Entra computes for a user; empty values are left out."""
    formatted = " ".join(part for part in (user.given_name, user.surname) if part)
    values: dict[str, Any] = {
        "userName": user.user_principal_name,
        "active": user.account_enabled and not user.soft_deleted,
        "displayName": user.display_name,
        WORK_EMAIL: user.mail,
        "name.givenName": user.given_name,
        "name.familyName": user.surname,
        "name.formatted": formatted,
        "externalId": user.mail_nickname,
        DEPARTMENT: user.department,
        EMPLOYEE_NUMBER: user.employee_id,
    }
    return {key: value for key, value in values.items() if value not in ("", None)}


def user_create_body(attrs: dict[str, Any]) -> dict[str, Any]:
    """`POST /Users` body in Entra's key order: core + enterprise schemas, meta.resourceType."""
    body: dict[str, Any] = {"schemas": [CORE_USER, ENTERPRISE_USER]}
    for key in ("externalId", "userName", "active", "displayName"):
        if key in attrs:
            body[key] = attrs[key]
    if WORK_EMAIL in attrs:
        body["emails"] = [{"primary": True, "type": "work", "value": attrs[WORK_EMAIL]}]
    body["meta"] = {"resourceType": "User"}
    name = {
        key: attrs[f"name.{key}"]
        for key in ("formatted", "familyName", "givenName")
        if f"name.{key}" in attrs
    }
    if name:
        body["name"] = name
    enterprise = {
        key: attrs[f"{ENTERPRISE_USER}:{key}"]
        for key in ("department", "employeeNumber")
        if f"{ENTERPRISE_USER}:{key}" in attrs
    }
    if enterprise:
        body[ENTERPRISE_USER] = enterprise
    return body


def group_create_body(group: EntraGroup, *, aad_schema: bool = True) -> dict[str, Any]:
    """`POST /Groups`: no members; Entra adds them with PATCH afterwards.

    `aad_schema=False` drops Microsoft's non-URN group schema, which strict SCIM libraries
    (scim2-models) cannot even register; Entra itself always sends it.
    """
    return {
        "schemas": [CORE_GROUP, AAD_GROUP] if aad_schema else [CORE_GROUP],
        "externalId": group.object_id,
        "displayName": group.display_name,
        "meta": {"resourceType": "Group"},
    }


def flatten_scim_user(resource: dict[str, Any]) -> dict[str, Any]:
    """Read a target's SCIM user into the same flat keys, to PATCH only what differs."""
    flat: dict[str, Any] = {}
    for key in ("userName", "displayName", "externalId"):
        if resource.get(key) not in (None, ""):
            flat[key] = resource[key]
    active = resource.get("active")
    if isinstance(active, str):
        active = active.strip().lower() == "true"
    if active is not None:
        flat["active"] = bool(active)
    emails = resource.get("emails") or []
    work = [e for e in emails if isinstance(e, dict) and e.get("type") == "work"]
    if work and work[0].get("value"):
        flat[WORK_EMAIL] = work[0]["value"]
    name = resource.get("name") or {}
    for key in ("givenName", "familyName", "formatted"):
        if isinstance(name, dict) and name.get(key):
            flat[f"name.{key}"] = name[key]
    enterprise = resource.get(ENTERPRISE_USER) or {}
    for key in ("department", "employeeNumber"):
        if isinstance(enterprise, dict) and enterprise.get(key):
            flat[f"{ENTERPRISE_USER}:{key}"] = enterprise[key]
    return flat


def differences(
    current: dict[str, Any], desired: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """(added, replaced, removed) between what the target has and what Entra wants."""
    added = {k: v for k, v in desired.items() if k not in current}
    replaced = {k: v for k, v in desired.items() if k in current and current[k] != v}
    removed = [k for k in current if k not in desired]
    return added, replaced, removed


def patch_body(operations: list[dict[str, Any]]) -> dict[str, Any]:
    return {"schemas": [PATCH_OP], "Operations": operations}


def user_patch_operations(
    current: dict[str, Any], desired: dict[str, Any], *, compliant: bool
) -> list[dict[str, Any]]:
    """The operations Entra sends to bring `current` to `desired`, in the job's dialect.

    Compliant (`aadOptscim062020`): lower-case ops, boolean `active`, simple attributes folded
    into one path-less `replace` with dotted keys. Legacy: one capitalised operation per attribute,
    `active` as the strings "True"/"False".
    """
    added, replaced, removed = differences(current, desired)
    operations: list[dict[str, Any]] = []
    if compliant:
        folded = {**added, **replaced}
        simple = {k: v for k, v in folded.items() if k not in FILTERED_PATHS}
        if simple:
            operations.append({"op": "replace", "value": simple})
        for key, value in folded.items():
            if key in FILTERED_PATHS:
                operations.append({"op": "replace", "path": key, "value": value})
        operations.extend({"op": "remove", "path": key} for key in removed)
        return operations
    for op, changes in (("Add", added), ("Replace", replaced)):
        for key, value in changes.items():
            legacy_value = ("True" if value else "False") if key == "active" else value
            operations.append({"op": op, "path": key, "value": legacy_value})
    operations.extend({"op": "Remove", "path": key} for key in removed)
    return operations


def active_operations(active: bool, *, compliant: bool) -> list[dict[str, Any]]:
    """Disable/enable only: how Entra soft-deletes on the target."""
    if compliant:
        return [{"op": "replace", "value": {"active": active}}]
    return [{"op": "Replace", "path": "active", "value": "True" if active else "False"}]


def member_add_operations(scim_ids: list[str], *, compliant: bool) -> list[dict[str, Any]]:
    if compliant:
        return [{"op": "add", "path": "members", "value": [{"value": i} for i in scim_ids]}]
    # Legacy Entra really sends "$ref": null here; it is the one null it ever sends.
    return [
        {"op": "Add", "path": "members", "value": [{"$ref": None, "value": i} for i in scim_ids]}
    ]


def member_remove_operations(scim_ids: list[str], *, compliant: bool) -> list[dict[str, Any]]:
    if compliant:
        return [{"op": "remove", "path": f'members[value eq "{i}"]'} for i in scim_ids]
    return [{"op": "Remove", "path": "members", "value": [{"value": i} for i in scim_ids]}]


def group_rename_operations(name: str, *, compliant: bool) -> list[dict[str, Any]]:
    if compliant:
        return [{"op": "replace", "value": {"displayName": name}}]
    return [{"op": "Replace", "path": "displayName", "value": name}]
