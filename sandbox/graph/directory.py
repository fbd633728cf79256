"""Graph's directory side over the simulated tenant: users, groups, service principals, the
non-gallery application template, app role assignments and the provisioning logs.

Shapes follow the v1.0 reference (user, group, servicePrincipal, appRoleAssignment,
provisioningObjectSummary); only the properties the assistant reads are filled. Query support
follows the documentation, not the client: `servicePrincipalNames/any(…)` filters, `replyUrls`
does not (Graph's `Request_UnsupportedQuery` body); `$search` and `$count` need
`ConsistencyLevel: eventual`; groups page with `$top`/`$orderby`; the provisioning logs honour
`$top`, `$orderby=activityDateTime` and page by default. An app still replicating after
instantiate answers 404; on a Free tenant group assignment and the logs are refused.
"""

from __future__ import annotations

import heapq
import uuid
from datetime import UTC
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from sandbox.entra.tenant import EntraGroup, EntraUser
from sandbox.graph.common import (
    eventual,
    filter_any,
    filter_eq,
    graph_route,
    json_body,
    page,
    page_bounds,
    search_terms,
)
from sandbox.graph.emulator import (
    DEFAULT_ROLE_ID,
    NON_GALLERY_TEMPLATE_ID,
    GraphEmulator,
    ServicePrincipal,
)
from sandbox.graph.errors import (
    bad_request,
    count_needs_eventual,
    non_premium,
    not_found,
)

GROUP_LICENCE_MESSAGE = (
    "Groups are not available for assignment due to your Active Directory plan level. You can "
    "assign individual users to the application."
)
"""Ours: Microsoft documents no Graph body for a group assignment on a Free tenant; these are
the admin center's words for it, sent with the licence code Graph uses for the reports."""

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
    """Groups by `$filter` (displayName/id eq) or `$search` (displayName), ordered by
    displayName when asked; only the page asked for is sorted out and turned into JSON, so a
    directory of 20,000 groups answers a page as a real (indexed) Graph would: quickly."""
    groups: list[EntraGroup] = list(emulator.host.tenant.groups.values())
    clause = filter_eq(request, {"displayName", "id"})
    if clause:
        prop, value = clause
        attr = "display_name" if prop == "displayName" else "object_id"
        groups = [g for g in groups if str(getattr(g, attr)).lower() == value.lower()]
    words = [w for _, w in search_terms(request, {"displayName"})]
    if len(words) == 1:
        groups = [g for g in groups if words[0] in g.display_name.lower()]
    elif words:
        groups = [g for g in groups if any(w in g.display_name.lower() for w in words)]
    top, skip = page_bounds(request, emulator)
    if request.query_params.get("$orderby", "").split(" ")[0] == "displayName":
        window = heapq.nsmallest(skip + top, groups, key=lambda g: g.display_name.lower())[skip:]
    else:
        window = groups[skip : skip + top]
    return page(request, emulator, [group_json(g) for g in window], "groups", total=len(groups))


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

    Graph answers this advanced query only with `ConsistencyLevel: eventual` (the documented
    400 otherwise).
    """
    if not eventual(request):
        raise count_needs_eventual()
    tenant = emulator.host.tenant
    group = tenant.groups.get(request.path_params["id"])
    if group is None:
        raise not_found(request.path_params["id"])
    count = sum(
        1 for m in group.member_ids if m in tenant.users and not tenant.users[m].soft_deleted
    )
    return Response(str(count), media_type="text/plain")


def _sp(emulator: GraphEmulator, sp_id: str) -> ServicePrincipal:
    """The service principal, once replicated: a new app answers 404 until then."""
    sp = emulator.service_principals.get(sp_id)
    if sp is None or not emulator.visible(sp):
        raise not_found(sp_id)
    return sp


async def list_service_principals(request: Request, emulator: GraphEmulator) -> Response:
    visible = [sp for sp in emulator.service_principals.values() if emulator.visible(sp)]
    items = [sp.to_graph() for sp in visible]
    collection = filter_any(request, {"servicePrincipalNames"}, "ServicePrincipal")
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
    sp = emulator.add_service_principal(name.strip(), replicating=True)
    application = {
        "id": sp.application_object_id,
        "appId": sp.app_id,
        "displayName": sp.display_name,
        "applicationTemplateId": NON_GALLERY_TEMPLATE_ID,
        "appRoles": sp.app_roles(),
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
    emulator: GraphEmulator, sp: ServicePrincipal, aid: str, principal_id: str
) -> dict[str, Any]:
    tenant = emulator.host.tenant
    group = tenant.groups.get(principal_id)
    user = tenant.users.get(principal_id)
    return {
        "id": aid,
        "deletedDateTime": None,
        "appRoleId": sp.assignment_roles.get(aid, sp.user_role_id),
        "createdDateTime": sp.created.isoformat().replace("+00:00", "Z"),
        "principalDisplayName": group.display_name
        if group
        else user.display_name
        if user
        else None,
        "principalId": principal_id,
        "principalType": "Group" if group else "User",
        "resourceDisplayName": sp.display_name,
        "resourceId": sp.id,
    }


def _adopt_job_assignments(emulator: GraphEmulator, sp: ServicePrincipal) -> None:
    """The job is the truth of what it provisions: principals set on it directly (a test
    driving the hosted job, the engine) show in Graph too, whichever door they came through —
    assigned with the app's `User` role."""
    if sp.job_id is None:
        return
    assigned = emulator.host.job.assigned
    for aid, principal in list(sp.assignment_ids.items()):
        if principal not in assigned:
            del sp.assignment_ids[aid]
            sp.assignment_roles.pop(aid, None)
    known = set(sp.assignment_ids.values())
    for principal in assigned:
        if principal not in known:
            aid = str(uuid.uuid4())
            sp.assignment_ids[aid] = principal
            sp.assignment_roles[aid] = sp.user_role_id


def _sync_assignments(emulator: GraphEmulator, sp: ServicePrincipal) -> None:
    """The job of the service principal provisions exactly its assigned groups and users."""
    if sp.job_id is not None:
        emulator.host.job.assigned = list(dict.fromkeys(sp.assignment_ids.values()))


async def list_assignments(request: Request, emulator: GraphEmulator) -> Response:
    sp = _sp(emulator, request.path_params["id"])
    _adopt_job_assignments(emulator, sp)
    items = [_assignment_json(emulator, sp, a, g) for a, g in sp.assignment_ids.items()]
    return page(request, emulator, items, "appRoleAssignments")


async def add_assignment(request: Request, emulator: GraphEmulator) -> Response:
    """Assign a group (Entra ID P1/P2 only) or a user with one of the app's declared roles;
    the zero GUID only for an app that declares none, as appRoleAssignment documents."""
    sp = _sp(emulator, request.path_params["id"])
    _adopt_job_assignments(emulator, sp)
    body = await json_body(request)
    principal = body.get("principalId")
    tenant = emulator.host.tenant
    if body.get("resourceId") != sp.id:
        raise bad_request(
            "resourceId must be the service principal's id.", code="Request_BadRequest"
        )
    if principal not in tenant.groups and principal not in tenant.users:
        raise not_found(str(principal))
    if principal in tenant.groups and emulator.licence == "free":
        raise non_premium(GROUP_LICENCE_MESSAGE)
    declared = {role["id"] for role in sp.app_roles()} or {DEFAULT_ROLE_ID}
    role_id = body.get("appRoleId")
    if role_id not in declared:  # ours: the wording of Graph's refusal is not documented
        raise bad_request(
            "Permission being assigned was not found on application", code="Request_BadRequest"
        )
    if principal in sp.assignment_ids.values():
        existing = next(a for a, p in sp.assignment_ids.items() if p == principal)
        if sp.assignment_roles.get(existing) == role_id:
            raise bad_request(
                "Permission being assigned already exists on the object",
                code="Request_BadRequest",
            )
    aid = str(uuid.uuid4())
    sp.assignment_ids[aid] = str(principal)
    sp.assignment_roles[aid] = str(role_id)
    _sync_assignments(emulator, sp)
    return JSONResponse(_assignment_json(emulator, sp, aid, str(principal)), status_code=201)


async def remove_assignment(request: Request, emulator: GraphEmulator) -> Response:
    sp = _sp(emulator, request.path_params["id"])
    _adopt_job_assignments(emulator, sp)
    if sp.assignment_ids.pop(request.path_params["aid"], None) is None:
        raise not_found(request.path_params["aid"])
    sp.assignment_roles.pop(request.path_params["aid"], None)
    _sync_assignments(emulator, sp)
    return Response(status_code=204)


def _log_item(emulator: GraphEmulator, report: Any, index: int, entry: Any) -> dict[str, Any]:
    owner = next((sp for sp in emulator.service_principals.values() if sp.job_id), None)
    when = (report.ended or report.began).astimezone(UTC)
    return {
        "id": f"{report.cycle_id}-{index}",
        "activityDateTime": when.isoformat().replace("+00:00", "Z"),
        "cycleId": report.cycle_id,
        "changeId": f"{report.cycle_id}-{index}",
        "jobId": owner.job_id if owner else None,
        "provisioningAction": entry.action.lower() if entry.action != "Skip" else "other",
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


def _refresh_log(emulator: GraphEmulator) -> list[dict[str, Any]]:
    """The log, oldest first: the job's new cycle reports turned into entries once each."""
    reports = emulator.host.job.reports
    for report in reports[emulator._logged_reports :]:
        for index, entry in enumerate(report.entries):
            emulator.log_items.append(_log_item(emulator, report, index, entry))
    emulator._logged_reports = len(reports)
    return emulator.log_items


async def provisioning_logs(request: Request, emulator: GraphEmulator) -> Response:
    """One provisioningObjectSummary per per-object entry of the job's cycles, newest first
    unless `$orderby=activityDateTime asc`; `$top` and paging as documented ("$filter (eq…),
    $orderby, $top, $skiptoken"). Refused on a Free tenant (Entra ID P1/P2 needed)."""
    if emulator.licence == "free":
        raise non_premium()
    items = _refresh_log(emulator)
    order = request.query_params.get("$orderby", "activityDateTime desc").split()
    if order and order[0] != "activityDateTime":
        raise bad_request(
            f"Unsupported sort property '{order[0]}'.", code="Request_UnsupportedQuery"
        )
    newest_first = len(order) < 2 or order[1].lower() == "desc"
    clause = filter_eq(request, {"jobId", "servicePrincipal/id", "cycleId", "sourceIdentity/id"})
    selected: Any = items
    if clause:
        prop, value = clause
        owner = next((sp for sp in emulator.service_principals.values() if sp.job_id), None)
        every = prop == "jobId" and owner is not None and value == owner.job_id
        if not every:  # one job is hosted: every entry is its own, no scan needed then

            def pick(item: dict[str, Any]) -> Any:
                if "/" in prop:
                    parent, child = prop.split("/")
                    return (item[parent] or {}).get(child)
                return item.get(prop)

            selected = [i for i in items if pick(i) == value]
    top, skip = page_bounds(request, emulator)
    total = len(selected)
    if newest_first:
        window = selected[max(0, total - skip - top) : max(0, total - skip)][::-1]
    else:
        window = selected[skip : skip + top]
    return page(request, emulator, window, "auditLogs/provisioning", total=total)


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
