"""Entra's default attribute mappings for a non-gallery SCIM app, and the SCIM bodies they produce.

Attributes are handled as a flat dict keyed by SCIM attribute path (`name.familyName`,
`phoneNumbers[type eq "work"].value`, `urn:…:enterprise:2.0:User:department`): that is how Entra's
mapping table is written, what its PATCH paths look like, and what makes "PATCH only what differs"
a plain dict comparison. The PATCH operations themselves (two dialects) live in `dialects`.

Sources: learn.microsoft.com/entra/identity/app-provisioning/customize-application-attributes and
…/use-scim-to-provision-users-and-groups (the user attribute table).
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
WORK_PHONE = 'phoneNumbers[type eq "work"].value'
MOBILE_PHONE = 'phoneNumbers[type eq "mobile"].value'
FAX = 'phoneNumbers[type eq "fax"].value'
ADDRESS = 'addresses[type eq "work"].'
ADDRESS_PARTS = ("streetAddress", "locality", "region", "postalCode", "country")
DEPARTMENT = f"{ENTERPRISE_USER}:department"
EMPLOYEE_NUMBER = f"{ENTERPRISE_USER}:employeeNumber"
MANAGER = f"{ENTERPRISE_USER}:manager"
"""A reference attribute: never in the create body, set by a PATCH once both users exist."""

DEFAULT_USER_MAPPINGS: tuple[tuple[str, str], ...] = (
    ("userPrincipalName", "userName"),
    ('Switch([IsSoftDeleted], , "False", "True", "True", "False")', "active"),
    ("displayName", "displayName"),
    ("jobTitle", "title"),
    ("mail", WORK_EMAIL),
    ("givenName", "name.givenName"),
    ("surname", "name.familyName"),
    ('Join(" ", [givenName], [surname])', "name.formatted"),
    ("streetAddress", ADDRESS + "streetAddress"),
    ("city", ADDRESS + "locality"),
    ("state", ADDRESS + "region"),
    ("postalCode", ADDRESS + "postalCode"),
    ("country", ADDRESS + "country"),
    ("telephoneNumber", WORK_PHONE),
    ("mobile", MOBILE_PHONE),
    ("facsimileTelephoneNumber", FAX),
    ("mailNickname", "externalId"),
    ("employeeId", EMPLOYEE_NUMBER),
    ("department", DEPARTMENT),
    ("manager", MANAGER),
)
"""(Entra source expression, SCIM target) as the admin center lists them for a custom SCIM app."""
MATCHING_ATTRIBUTES = ("userName", "externalId")
"""Queried in this order (matching precedence); the next is tried only when one finds nobody."""
DEFAULT_GROUP_MAPPINGS: tuple[tuple[str, str], ...] = (
    ("displayName", "displayName"),
    ("objectId", "externalId"),
    ("members", "members"),
)


def user_attributes(user: EntraUser, manager_scim_id: str | None = None) -> dict[str, Any]:
    """The flat target attributes Entra computes for a user; empty values are left out.

    The manager appears only once the manager has a SCIM id on the target (a reference).
    """
    formatted = " ".join(part for part in (user.given_name, user.surname) if part)
    values: dict[str, Any] = {
        "userName": user.user_principal_name,
        "active": user.account_enabled and not user.soft_deleted,
        "displayName": user.display_name,
        "title": user.job_title,
        WORK_EMAIL: user.mail,
        "name.givenName": user.given_name,
        "name.familyName": user.surname,
        "name.formatted": formatted,
        ADDRESS + "streetAddress": user.street_address,
        ADDRESS + "locality": user.city,
        ADDRESS + "region": user.state,
        ADDRESS + "postalCode": user.postal_code,
        ADDRESS + "country": user.country,
        WORK_PHONE: user.telephone_number,
        MOBILE_PHONE: user.mobile,
        FAX: user.fax,
        "externalId": user.mail_nickname,
        EMPLOYEE_NUMBER: user.employee_id,
        DEPARTMENT: user.department,
        MANAGER: manager_scim_id,
    }
    return {key: value for key, value in values.items() if value not in ("", None)}


def user_create_body(attrs: dict[str, Any]) -> dict[str, Any]:
    """`POST /Users` body in Entra's key order: core + enterprise schemas, meta.resourceType."""
    body: dict[str, Any] = {"schemas": [CORE_USER, ENTERPRISE_USER]}
    for key in ("externalId", "userName", "active", "displayName", "title"):
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
    phones = [
        {"type": kind, "value": attrs[path]}
        for kind, path in (("work", WORK_PHONE), ("mobile", MOBILE_PHONE), ("fax", FAX))
        if path in attrs
    ]
    if phones:
        body["phoneNumbers"] = phones
    address = {part: attrs[ADDRESS + part] for part in ADDRESS_PARTS if ADDRESS + part in attrs}
    if address:
        body["addresses"] = [{"type": "work", **address}]
    enterprise = {
        key: attrs[f"{ENTERPRISE_USER}:{key}"]
        for key in ("employeeNumber", "department")
        if f"{ENTERPRISE_USER}:{key}" in attrs
    }
    if enterprise:
        body[ENTERPRISE_USER] = enterprise
    body["roles"] = []  # as Microsoft's "Create User" request example ends (SCIM reference)
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


def _typed(items: Any, kind: str) -> dict[str, Any]:
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("type") == kind:
            return item
    return {}


def flatten_scim_user(resource: dict[str, Any]) -> dict[str, Any]:
    """Read a target's SCIM user into the same flat keys, to PATCH only what differs."""
    flat: dict[str, Any] = {}
    for key in ("userName", "displayName", "externalId", "title"):
        if resource.get(key) not in (None, ""):
            flat[key] = resource[key]
    active = resource.get("active")
    if isinstance(active, str):
        active = active.strip().lower() == "true"
    if active is not None:
        flat["active"] = bool(active)
    if value := _typed(resource.get("emails"), "work").get("value"):
        flat[WORK_EMAIL] = value
    phones = resource.get("phoneNumbers")
    for kind, path in (("work", WORK_PHONE), ("mobile", MOBILE_PHONE), ("fax", FAX)):
        if value := _typed(phones, kind).get("value"):
            flat[path] = value
    address = _typed(resource.get("addresses"), "work")
    for part in ADDRESS_PARTS:
        if address.get(part):
            flat[ADDRESS + part] = address[part]
    name = resource.get("name") or {}
    for key in ("givenName", "familyName", "formatted"):
        if isinstance(name, dict) and name.get(key):
            flat[f"name.{key}"] = name[key]
    enterprise = resource.get(ENTERPRISE_USER) or {}
    if isinstance(enterprise, dict):
        for key in ("department", "employeeNumber"):
            if enterprise.get(key):
                flat[f"{ENTERPRISE_USER}:{key}"] = enterprise[key]
        manager = enterprise.get("manager")
        manager_id = manager.get("value") if isinstance(manager, dict) else manager
        if manager_id:
            flat[MANAGER] = str(manager_id)
    return flat


def differences(
    current: dict[str, Any], desired: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(added, replaced) between what the target has and what Entra wants.

    There is no "removed": a value cleared in Entra is not cleared on the target (Entra skips
    empty values; clearing outbound needs an explicit flow-null setting that this app lacks —
    learn.microsoft.com/entra/identity/app-provisioning/clear-attribute-values).
    """
    added = {k: v for k, v in desired.items() if k not in current}
    replaced = {k: v for k, v in desired.items() if k in current and current[k] != v}
    return added, replaced


def patch_body(operations: list[dict[str, Any]]) -> dict[str, Any]:
    return {"schemas": [PATCH_OP], "Operations": operations}
