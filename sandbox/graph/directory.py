"""Graph's directory side over the simulated tenant: users, groups, service principals, the
non-gallery application template, app role assignments and the provisioning logs.

Shapes follow the v1.0 reference (user, group, servicePrincipal, appRoleAssignment,
provisioningObjectSummary); only the properties the assistant reads are filled.
"""

from __future__ import annotations

import uuid
from datetime import UTC
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from sandbox.entra.tenant import EntraGroup, EntraUser
from sandbox.graph.common import filter_any, filter_eq, graph_route, json_body, page
from sandbox.graph.emulator import (
    NON_GALLERY_TEMPLATE_ID,
    USER_APP_ROLE_ID,
    GraphEmulator,
    ServicePrincipal,
)
from sandbox.graph.errors import bad_request, not_found

APP_READ = ("Application.Read.All", "Application.ReadWrite.All")
APP_WRITE = ("Application.ReadWrite.All",)
ASSIGN_WRITE = ("AppRoleAssignment.ReadWrite.All",)
USER_READ = ("User.Read.All",)
GROUP_READ = ("GroupMember.Read.All", "Group.Read.All")
AUDIT_READ = ("AuditLog.Read.All",)


def user_json(user: EntraUser) -> dict[str, Any]:
    return {
        "id": user.object_id,
        "userPrincipalName": user.user_principal_name,
        "displayName": user.display_name,
        "givenName": user.given_name or None,
        "surname": user.surname or None,
        "mail": user.mail or None,
        "accountEnabled": user.account_enabled,
        "department": user.department or None,
        "jobTitle": user.job_title or None,
        "employeeId": user.employee_id or None,
    }


def group_json(group: EntraGroup) -> dict[str, Any]:
    return {
        "id": group.object_id,
        "displayName": group.display_name,
        "securityEnabled": True,
        "mailEnabled": False,
        "groupTypes": [],
    }


async def list_users(request: Request, emulator: GraphEmulator) -> Response:
    users = [u for u in emulator.host.tenant.users.values() if not u.soft_deleted]
    items = [user_json(u) for u in users]
    clause = filter_eq(request, {"userPrincipalName", "mail", "id"})
    if clause:
        prop, value = clause
        items = [i for i in items if str(i.get(prop) or "").lower() == value.lower()]
    return page(request, emulator, items, "users")


async def get_user(request: Request, emulator: GraphEmulator) -> Response:
    ref = request.path_params["ref"]
    tenant = emulator.host.tenant
    user = tenant.users.get(ref) or tenant.user_by_upn(ref)
    if user is None or user.soft_deleted:
        raise not_found(ref)
    return JSONResponse(user_json(user))


async def list_groups(request: Request, emulator: GraphEmulator) -> Response:
    items = [group_json(g) for g in emulator.host.tenant.groups.values()]
    clause = filter_eq(request, {"displayName", "id"})
    if clause:
        prop, value = clause
        items = [i for i in items if str(i.get(prop) or "").lower() == value.lower()]
    return page(request, emulator, items, "groups")


async def list_members(request: Request, emulator: GraphEmulator) -> Response:
    tenant = emulator.host.tenant
    group = tenant.groups.get(request.path_params["id"])
    if group is None:
        raise not_found(request.path_params["id"])
    items: list[dict[str, Any]] = []
    for member_id in group.member_ids:
        if member_id in tenant.users:
            items.append(
                {"@odata.type": "#microsoft.graph.user", **user_json(tenant.users[member_id])}
            )
        elif member_id in tenant.groups:
            items.append(
                {"@odata.type": "#microsoft.graph.group", **group_json(tenant.groups[member_id])}
            )
    return page(request, emulator, items, "directoryObjects")


async def list_member_of(request: Request, emulator: GraphEmulator) -> Response:
    """`GET /users/{id | userPrincipalName}/memberOf`: the groups the user is a direct member
    of (Graph lists directory roles and administrative units here too; the tenant has none)."""
    ref = request.path_params["ref"]
    tenant = emulator.host.tenant
    user = tenant.users.get(ref) or tenant.user_by_upn(ref)
    if user is None or user.soft_deleted:
        raise not_found(ref)
    items = [
        {"@odata.type": "#microsoft.graph.group", **group_json(group)}
        for group in tenant.groups.values()
        if user.object_id in group.member_ids
    ]
    return page(request, emulator, items, "directoryObjects")


async def count_user_members(request: Request, emulator: GraphEmulator) -> Response:
    """`GET /groups/{id}/members/microsoft.graph.user/$count`: a bare number, as text/plain.

    Graph answers this advanced query only with `ConsistencyLevel: eventual` (400 otherwise).
    """
    if request.headers.get("ConsistencyLevel", "").lower() != "eventual":
        raise bad_request(
            "Count is not currently supported without the ConsistencyLevel: eventual header.",
            code="Request_BadRequest",
        )
    tenant = emulator.host.tenant
    group = tenant.groups.get(request.path_params["id"])
    if group is None:
        raise not_found(request.path_params["id"])
    count = sum(
        1 for m in group.member_ids if m in tenant.users and not tenant.users[m].soft_deleted
    )
    return Response(str(count), media_type="text/plain")


def _sp(emulator: GraphEmulator, sp_id: str) -> ServicePrincipal:
    sp = emulator.service_principals.get(sp_id)
    if sp is None:
        raise not_found(sp_id)
    return sp


async def list_service_principals(request: Request, emulator: GraphEmulator) -> Response:
    items = [sp.to_graph() for sp in emulator.service_principals.values()]
    collection = filter_any(request, {"servicePrincipalNames", "replyUrls"})
    if collection:  # directory strings compare without case, as displayName does here
        prop, value = collection
        return page(
            request,
            emulator,
            [i for i in items if value.lower() in (v.lower() for v in i[prop])],
            "servicePrincipals",
        )
    clause = filter_eq(request, {"displayName", "appId", "id"})
    if clause:
        prop, value = clause
        items = [i for i in items if str(i.get(prop) or "").lower() == value.lower()]
    return page(request, emulator, items, "servicePrincipals")


async def get_service_principal(request: Request, emulator: GraphEmulator) -> Response:
    return JSONResponse(_sp(emulator, request.path_params["id"]).to_graph())


async def instantiate(request: Request, emulator: GraphEmulator) -> Response:
    if request.path_params["template"] != NON_GALLERY_TEMPLATE_ID:
        raise not_found(request.path_params["template"])
    body = await json_body(request)
    name = body.get("displayName")
    if not isinstance(name, str) or not name.strip():
        raise bad_request("Property 'displayName' is required.", code="Request_BadRequest")
    sp = emulator.add_service_principal(name.strip())
    application = {
        "id": sp.application_object_id,
        "appId": sp.app_id,
        "displayName": sp.display_name,
        "applicationTemplateId": NON_GALLERY_TEMPLATE_ID,
    }
    return JSONResponse(
        {
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.applicationServicePrincipal",
            "application": application,
            "servicePrincipal": sp.to_graph(),
        },
        status_code=201,
    )


def _assignment_json(
    emulator: GraphEmulator, sp: ServicePrincipal, aid: str, gid: str
) -> dict[str, Any]:
    group = emulator.host.tenant.groups.get(gid)
    return {
        "id": aid,
        "appRoleId": USER_APP_ROLE_ID,
        "principalId": gid,
        "principalType": "Group",
        "principalDisplayName": group.display_name if group else None,
        "resourceId": sp.id,
        "resourceDisplayName": sp.display_name,
        "createdDateTime": sp.created.isoformat(),
    }


def _adopt_job_assignments(emulator: GraphEmulator, sp: ServicePrincipal) -> None:
    """The job is the truth of what it provisions: groups set on it directly (a test driving the
    hosted job, the engine) show in Graph too, whichever door they came through."""
    if sp.job_id is None:
        return
    assigned = emulator.host.job.assigned
    for aid, gid in list(sp.assignment_ids.items()):
        if gid not in assigned:
            del sp.assignment_ids[aid]
    known = set(sp.assignment_ids.values())
    for gid in assigned:
        if gid not in known:
            sp.assignment_ids[str(uuid.uuid4())] = gid


def _sync_assignments(emulator: GraphEmulator, sp: ServicePrincipal) -> None:
    """The job of the service principal provisions exactly its assigned groups."""
    if sp.job_id is not None:
        emulator.host.job.assigned = list(dict.fromkeys(sp.assignment_ids.values()))


async def list_assignments(request: Request, emulator: GraphEmulator) -> Response:
    sp = _sp(emulator, request.path_params["id"])
    _adopt_job_assignments(emulator, sp)
    items = [_assignment_json(emulator, sp, a, g) for a, g in sp.assignment_ids.items()]
    return page(request, emulator, items, "appRoleAssignments")


async def add_assignment(request: Request, emulator: GraphEmulator) -> Response:
    sp = _sp(emulator, request.path_params["id"])
    _adopt_job_assignments(emulator, sp)
    body = await json_body(request)
    principal = body.get("principalId")
    if body.get("resourceId") != sp.id:
        raise bad_request(
            "resourceId must be the service principal's id.", code="Request_BadRequest"
        )
    if principal in emulator.host.tenant.users:
        raise bad_request(
            "The sandbox tenant assigns groups only (assign the person's group).",
            code="Request_BadRequest",
        )
    if principal not in emulator.host.tenant.groups:
        raise not_found(str(principal))
    if body.get("appRoleId", USER_APP_ROLE_ID) != USER_APP_ROLE_ID:
        raise bad_request(
            "Permission being assigned was not found on application.", code="Request_BadRequest"
        )
    if principal in sp.assignment_ids.values():
        raise bad_request(
            "Permission being assigned already exists on the object", code="Request_BadRequest"
        )
    aid = str(uuid.uuid4())
    sp.assignment_ids[aid] = principal
    _sync_assignments(emulator, sp)
    return JSONResponse(_assignment_json(emulator, sp, aid, principal), status_code=201)


async def remove_assignment(request: Request, emulator: GraphEmulator) -> Response:
    sp = _sp(emulator, request.path_params["id"])
    _adopt_job_assignments(emulator, sp)
    if sp.assignment_ids.pop(request.path_params["aid"], None) is None:
        raise not_found(request.path_params["aid"])
    _sync_assignments(emulator, sp)
    return Response(status_code=204)


async def provisioning_logs(request: Request, emulator: GraphEmulator) -> Response:
    """One provisioningObjectSummary per per-object entry of the job's cycles, newest first."""
    job = emulator.host.job
    owner = next((sp for sp in emulator.service_principals.values() if sp.job_id), None)
    items: list[dict[str, Any]] = []
    for report in reversed(job.reports):
        when = (report.ended or report.began).astimezone(UTC)
        for index, entry in enumerate(report.entries):
            items.append(
                {
                    "id": f"{report.cycle_id}-{index}",
                    "activityDateTime": when.isoformat().replace("+00:00", "Z"),
                    "cycleId": report.cycle_id,
                    "changeId": f"{report.cycle_id}-{index}",
                    "jobId": owner.job_id if owner else None,
                    "provisioningAction": entry.action.lower()
                    if entry.action != "Skip"
                    else "other",
                    "provisioningStatusInfo": {
                        "status": entry.status,
                        "errorInformation": (
                            {"errorCode": entry.error_code, "reason": entry.detail}
                            if entry.error_code
                            else None
                        ),
                    },
                    "servicePrincipal": (
                        {"id": owner.id, "displayName": owner.display_name} if owner else None
                    ),
                    "sourceIdentity": {
                        "id": entry.source_id,
                        "displayName": entry.source_name,
                        "identityType": entry.object_type,
                    },
                    "targetIdentity": {"id": entry.target_id, "identityType": entry.object_type},
                    "sourceSystem": {"displayName": "Azure Active Directory"},
                    "targetSystem": {"displayName": owner.display_name if owner else "SCIM"},
                    "initiatedBy": {"displayName": "Azure AD Provisioning Service"},
                }
            )
    clause = filter_eq(request, {"jobId", "servicePrincipal/id", "cycleId", "sourceIdentity/id"})
    if clause:
        prop, value = clause

        def pick(item: dict[str, Any]) -> Any:
            if "/" in prop:
                parent, child = prop.split("/")
                return (item[parent] or {}).get(child)
            return item.get(prop)

        items = [i for i in items if pick(i) == value]
    return page(request, emulator, items, "auditLogs/provisioning")


routes = [
    graph_route("/users", list_users, ["GET"], USER_READ),
    graph_route("/users/{ref}", get_user, ["GET"], USER_READ),
    graph_route("/users/{ref}/memberOf", list_member_of, ["GET"], GROUP_READ),
    graph_route("/groups", list_groups, ["GET"], GROUP_READ),
    graph_route("/groups/{id}/members", list_members, ["GET"], GROUP_READ),
    graph_route(
        "/groups/{id}/members/microsoft.graph.user/$count",
        count_user_members,
        ["GET"],
        GROUP_READ,
    ),
    graph_route("/servicePrincipals", list_service_principals, ["GET"], APP_READ),
    graph_route("/servicePrincipals/{id}", get_service_principal, ["GET"], APP_READ),
    graph_route("/applicationTemplates/{template}/instantiate", instantiate, ["POST"], APP_WRITE),
    graph_route("/servicePrincipals/{id}/appRoleAssignedTo", list_assignments, ["GET"], APP_READ),
    graph_route(
        "/servicePrincipals/{id}/appRoleAssignedTo", add_assignment, ["POST"], ASSIGN_WRITE
    ),
    graph_route(
        "/servicePrincipals/{id}/appRoleAssignedTo/{aid}",
        remove_assignment,
        ["DELETE"],
        ASSIGN_WRITE,
    ),
    graph_route("/auditLogs/provisioning", provisioning_logs, ["GET"], AUDIT_READ),
]
