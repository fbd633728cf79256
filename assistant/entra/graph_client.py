"""A typed async Microsoft Graph v1.0 client for the Entra side of the journey.

One `httpx.AsyncClient` for its life. Every call names the delegated permission it needs, so a
403 becomes "which permission, which role, how to consent" — or, when Graph's code says the
tenant lacks Entra ID P1/P2, "this needs a licence" with what still works. 429 and 503 are
retried after the `Retry-After` Graph sent (Graph's throttling guidance). `@odata.nextLink` is
followed only to the Graph base URL's own origin over https, so the bearer token never leaves
it; provisionOnDemand is kept under Microsoft's documented rate (5 requests per 10 seconds).
Every answer is read through the models of `graph_models`: one that does not fit is a
`GraphUnexpectedAnswer`, never a pydantic error reaching a person.
"""

from __future__ import annotations

import asyncio
import email.utils
import ipaddress
import ssl
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any, TypeVar
from urllib.parse import quote as url_quote

import httpx
from pydantic import BaseModel

from assistant.entra.graph_errors import (
    GraphError,
    GraphNotSignedIn,
    GraphThrottled,
    GraphUnexpectedAnswer,
    GraphUnreachable,
    GraphUnsafeLink,
    error_from_response,
)
from assistant.entra.graph_models import (
    ApplicationServicePrincipal,
    AppRoleAssignment,
    DirectoryObject,
    Group,
    OnDemandResult,
    ProvisioningObjectSummary,
    ServicePrincipal,
    SynchronizationJob,
    SynchronizationSchema,
    SynchronizationTemplate,
    User,
    decode_on_demand,
    parse,
)

DEFAULT_GRAPH_URL = "https://graph.microsoft.com/v1.0"
NON_GALLERY_TEMPLATE_ID = "8adf8e6e-67b2-4cf2-a259-e3dc5476c621"
MAX_RETRIES = 3
MAX_RETRY_AFTER = 120.0
"""A longer wait is not worth blocking an admin for: it surfaces as GraphThrottled instead."""
MAX_PAGE = 999
"""Graph's largest `$top` for directory collections."""
ON_DEMAND_RATE = (5, 10.0)
"""provisionOnDemand: "The rate limit for this API is 5 requests per 10 seconds" (v1.0 page)."""
EVENTUAL = {"ConsistencyLevel": "eventual"}
"""Advanced queries ($search, $count) need it (Graph's advanced-queries page)."""

TokenProvider = Callable[[], Awaitable[str | None]]
Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]
M = TypeVar("M", bound=BaseModel)


def retry_after_seconds(value: str | None, default: float = 1.0) -> float:
    """`Retry-After` as seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return default
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    return max(0.0, when.timestamp() - time.time())


def quote(value: str) -> str:
    """A value inside an OData string literal: a quote is doubled."""
    return value.replace("'", "''")


def search_term(value: str) -> str:
    """A value inside a `$search` clause ("displayName:…"): quotes and backslashes escaped."""
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def link_allowed(link: str, base_url: str) -> bool:
    """A link Graph sent may be followed with the token: same origin as the base URL, over
    https — or over http only when the base URL itself is a loopback http emulator."""
    try:
        target, base = httpx.URL(link), httpx.URL(base_url)
    except (httpx.InvalidURL, TypeError):
        return False
    same_origin = (target.scheme, target.host, target.port) == (base.scheme, base.host, base.port)
    if not same_origin:
        return False
    if target.scheme == "https":
        return True
    return target.scheme == "http" and _loopback(base.host)


class OnDemandLimiter:
    """At most `calls` provisionOnDemand requests in any `window` seconds (Microsoft's rate)."""

    def __init__(self, clock: Clock, sleep: Sleep, calls: int, window: float) -> None:
        self._clock, self._sleep = clock, sleep
        self._calls, self._window = calls, window
        self._sent: deque[float] = deque()
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            while len(self._sent) >= self._calls:
                oldest = self._sent[0]
                wait = oldest + self._window - self._clock()
                if wait <= 0:
                    self._sent.popleft()
                    continue
                await self._sleep(wait)
            self._sent.append(self._clock())


class GraphClient:
    """Graph calls the assistant makes; each raises a `GraphError` subclass on failure."""

    def __init__(
        self,
        token: TokenProvider,
        *,
        base_url: str = DEFAULT_GRAPH_URL,
        verify: ssl.SSLContext | str | bool = True,
        http: httpx.AsyncClient | None = None,
        sleep: Sleep = asyncio.sleep,
        clock: Clock = time.monotonic,
        max_retries: int = MAX_RETRIES,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._http = http or httpx.AsyncClient(verify=verify, timeout=30.0)
        self._sleep = sleep
        self._max_retries = max_retries
        self.requests_sent = 0
        """Requests sent (retries included): what the bench counts per screen refresh."""
        self.on_demand = OnDemandLimiter(clock, sleep, *ON_DEMAND_RATE)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> GraphClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # --- transport -----------------------------------------------------------------------------

    def _url(self, url: str) -> str:
        """A path under the base URL, or an absolute link Graph sent, checked before any token
        is read: anything but the Graph origin over https is refused (`GraphUnsafeLink`)."""
        if url.startswith("/"):
            return self.base_url + url
        if not link_allowed(url, self.base_url):
            base = httpx.URL(self.base_url)
            origin = f"{base.scheme}://{base.netloc.decode('ascii', 'replace')}"
            raise GraphUnsafeLink.worded("graph.unsafe_link", target=url[:200], origin=origin)
        return url

    async def _request(
        self,
        method: str,
        url: str,
        *,
        action: str,
        permission: str | None,
        json: Any = None,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        licensed: str = "feature",
    ) -> httpx.Response:
        url = self._url(url)
        token = await self._token()
        if not token:
            raise GraphNotSignedIn(
                f"Not signed in to Microsoft Entra, so the assistant cannot {action}.",
                "Run `steeple-assistant entra signin` (or do this step in the Entra admin center).",
            )
        headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            **(headers or {}),
        }
        for attempt in range(self._max_retries + 1):
            try:
                self.requests_sent += 1
                response = await self._http.request(
                    method, url, headers=headers, json=json, params=params
                )
            except httpx.HTTPError as exc:
                raise GraphUnreachable(
                    f"Could not reach Microsoft Graph to {action} ({type(exc).__name__}).",
                    "Check the network (and a proxy, if any), then retry.",
                ) from None
            if response.status_code in (429, 503) and attempt < self._max_retries:
                wait = retry_after_seconds(response.headers.get("Retry-After"), 2.0**attempt)
                if wait > MAX_RETRY_AFTER:
                    break
                await self._sleep(wait)
                continue
            break
        if response.is_success:
            return response
        try:
            body = response.json()
        except ValueError:
            body = None
        error = error_from_response(
            response.status_code, body, action=action, permission=permission, licensed=licensed
        )
        if isinstance(error, GraphThrottled):
            error.fix = (
                f"Graph asked to wait {response.headers.get('Retry-After', 'a while')} s more; "
                "retry in a minute (Entra limits how fast one tenant may call Graph)."
            )
        raise error

    @staticmethod
    def _json(response: httpx.Response, what: str) -> Any:
        try:
            return response.json()
        except ValueError:
            raise GraphUnexpectedAnswer.about(what, "not JSON") from None

    async def _get_model(self, url: str, model: type[M], *, action: str, permission: str) -> M:
        response = await self._request("GET", url, action=action, permission=permission)
        return parse(model, self._json(response, action), action)

    async def _page(
        self,
        url: str,
        model: type[M],
        *,
        action: str,
        permission: str,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        licensed: str = "feature",
    ) -> tuple[list[M], str | None]:
        """One page of a collection and the `@odata.nextLink` to the next one (or None)."""
        response = await self._request(
            "GET",
            url,
            action=action,
            permission=permission,
            params=params,
            headers=headers,
            licensed=licensed,
        )
        body = self._json(response, action)
        items = body.get("value") if isinstance(body, dict) else None
        if not isinstance(items, list):
            raise GraphUnexpectedAnswer.about(action, "value: not a collection")
        link = body.get("@odata.nextLink")
        return [parse(model, item, action) for item in items], link if isinstance(
            link, str
        ) else None

    async def _pages(
        self,
        url: str,
        model: type[M],
        *,
        action: str,
        permission: str,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> AsyncIterator[M]:
        """Every item of a collection, following `@odata.nextLink` (which carries the query)."""
        next_url: str | None = url
        while next_url:
            items, next_url = await self._page(
                next_url,
                model,
                action=action,
                permission=permission,
                params=params,
                headers=headers,
            )
            params = None
            for item in items:
                yield item

    async def _all(
        self,
        url: str,
        model: type[M],
        *,
        action: str,
        permission: str,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> list[M]:
        pages = self._pages(
            url, model, action=action, permission=permission, params=params, headers=headers
        )
        return [item async for item in pages]

    # --- directory -----------------------------------------------------------------------------

    async def users(self) -> list[User]:
        return await self._all("/users", User, action="list users", permission="User.Read.All")

    async def user_by_upn(self, upn: str) -> User | None:
        found = await self._all(
            "/users",
            User,
            params={"$filter": f"userPrincipalName eq '{quote(upn)}'"},
            action="look up a user",
            permission="User.Read.All",
        )
        return found[0] if found else None

    async def user_by_mail(self, mail: str) -> User | None:
        found = await self._all(
            "/users",
            User,
            params={"$filter": f"mail eq '{quote(mail)}'"},
            action="look up a user",
            permission="User.Read.All",
        )
        return found[0] if found else None

    async def groups(self) -> list[Group]:
        """Every group of the tenant (every page): for small tenants and tests only — screens
        read `groups_page` instead."""
        return await self._all(
            "/groups",
            Group,
            params={"$top": str(MAX_PAGE), "$select": "id,displayName"},
            action="list groups",
            permission="GroupMember.Read.All",
        )

    async def groups_page(
        self, *, search: str = "", top: int = 50, link: str | None = None
    ) -> tuple[list[Group], str | None]:
        """One page of groups by name (`$top`, `$search` on displayName, `$orderby`), and the
        link to the next page: a screen reads what it shows, never the whole directory."""
        if link is not None:
            return await self._page(
                link,
                Group,
                action="list groups",
                permission="GroupMember.Read.All",
                headers=EVENTUAL,
            )
        params = {"$top": str(top), "$select": "id,displayName", "$orderby": "displayName"}
        headers: dict[str, str] | None = None
        if search.strip():
            params["$search"] = f'"displayName:{search_term(search.strip())}"'
            params["$count"] = "true"  # $search with $orderby is an advanced query
            headers = EVENTUAL
        return await self._page(
            "/groups",
            Group,
            params=params,
            headers=headers,
            action="list groups",
            permission="GroupMember.Read.All",
        )

    async def groups_named(self, name: str) -> list[Group]:
        """Groups whose displayName is exactly `name` (`$filter` eq: supported by default)."""
        return await self._all(
            "/groups",
            Group,
            params={"$filter": f"displayName eq '{quote(name)}'", "$select": "id,displayName"},
            action="find a group by name",
            permission="GroupMember.Read.All",
        )

    async def service_principals(self, display_name: str) -> list[ServicePrincipal]:
        return await self._all(
            "/servicePrincipals",
            ServicePrincipal,
            params={"$filter": f"displayName eq '{quote(display_name)}'"},
            action="find the Steeple enterprise app",
            permission="Application.Read.All",
        )

    async def service_principals_where(self, clause: str) -> list[ServicePrincipal]:
        """Service principals matching a `$filter` clause (the caller quotes its values)."""
        return await self._all(
            "/servicePrincipals",
            ServicePrincipal,
            params={"$filter": clause},
            action="find the Steeple enterprise app",
            permission="Application.Read.All",
        )

    async def service_principals_named(self, identifier: str) -> list[ServicePrincipal]:
        """By `servicePrincipalNames` (a SAML app's identifier is one): documented as
        filterable with `any` ("The any operator is required for filter expressions on
        multi-valued properties")."""
        return await self.service_principals_where(
            f"servicePrincipalNames/any(x:x eq '{quote(identifier)}')"
        )

    async def service_principal(self, sp_id: str) -> ServicePrincipal:
        return await self._get_model(
            f"/servicePrincipals/{url_quote(sp_id, safe='')}",
            ServicePrincipal,
            action="read the Steeple enterprise app",
            permission="Application.Read.All",
        )

    async def group_user_count(self, group_id: str) -> int:
        """Direct members of type user: the people assigning this group puts in scope."""
        response = await self._request(
            "GET",
            f"/groups/{url_quote(group_id, safe='')}/members/microsoft.graph.user/$count",
            headers=EVENTUAL,  # Graph requires it for $count
            action="count a group's members",
            permission="GroupMember.Read.All",
        )
        try:
            return int(response.text.strip())
        except ValueError:
            raise GraphUnexpectedAnswer.about("a group's member count", "not a number") from None

    async def group_user_ids(self, group_id: str) -> list[str]:
        """Ids of a group's direct user members (nested groups are not provisioned by Entra)."""
        members = await self._all(
            f"/groups/{url_quote(group_id, safe='')}/members",
            DirectoryObject,
            params={"$top": str(MAX_PAGE), "$select": "id"},
            action="list a group's members",
            permission="GroupMember.Read.All",
        )
        return [m.id for m in members if m.odata_type in (None, "#microsoft.graph.user")]

    async def create_enterprise_app(self, display_name: str) -> ApplicationServicePrincipal:
        response = await self._request(
            "POST",
            f"/applicationTemplates/{NON_GALLERY_TEMPLATE_ID}/instantiate",
            json={"displayName": display_name},
            action="create the Steeple enterprise app",
            permission="Application.ReadWrite.All",
        )
        what = "create the Steeple enterprise app"
        return parse(ApplicationServicePrincipal, self._json(response, what), what)

    async def assignments(self, sp_id: str) -> list[AppRoleAssignment]:
        return await self._all(
            f"/servicePrincipals/{sp_id}/appRoleAssignedTo",
            AppRoleAssignment,
            params={"$top": str(MAX_PAGE)},
            action="list the app's assigned groups",
            permission="Application.Read.All",
        )

    async def assign(self, sp_id: str, principal_id: str, app_role_id: str) -> AppRoleAssignment:
        """Assign a user or group to the app with one of its roles (appRoleAssignedTo)."""
        response = await self._request(
            "POST",
            f"/servicePrincipals/{sp_id}/appRoleAssignedTo",
            json={"principalId": principal_id, "resourceId": sp_id, "appRoleId": app_role_id},
            action="assign a group to the app",
            permission="AppRoleAssignment.ReadWrite.All",
            licensed="group_assignment",
        )
        what = "assign a group to the app"
        return parse(AppRoleAssignment, self._json(response, what), what)

    async def provisioning_logs(
        self, job_id: str | None = None, *, top: int = 20
    ) -> list[ProvisioningObjectSummary]:
        """The newest `top` entries (of this job), newest first, in one request: Graph sorts
        and cuts (`$orderby`, `$top`), so 30 days of a job's logs are never paged through."""
        params = {"$orderby": "activityDateTime desc", "$top": str(top)}
        if job_id:
            params["$filter"] = f"jobId eq '{quote(job_id)}'"
        entries, _ = await self._page(
            "/auditLogs/provisioning",
            ProvisioningObjectSummary,
            params=params,
            action="read the provisioning logs",
            permission="AuditLog.Read.All",
            licensed="provisioning_logs",
        )
        return entries

    # --- one person (explain) -------------------------------------------------------------------

    async def user_by_address(self, address: str) -> User | None:
        """The user whose `mail`, else whose `userPrincipalName`, is `address` (case-insensitive
        in Graph): people give their e-mail, which is often but not always their UPN."""
        for prop in ("mail", "userPrincipalName"):
            found = await self._all(
                "/users",
                User,
                params={"$filter": f"{prop} eq '{quote(address)}'"},
                action="look up this person",
                permission="User.Read.All",
            )
            if found:
                return found[0]
        return None

    async def member_of(self, user_id: str) -> list[Group]:
        """The groups the user is a direct member of (`memberOf`, every page): Entra provisions
        the direct members of an assigned group only, so nested membership does not count."""
        objects = await self._all(
            f"/users/{url_quote(user_id, safe='')}/memberOf",
            DirectoryObject,
            action="read this person's groups",
            permission="GroupMember.Read.All",
        )
        return [
            Group(id=o.id, display_name=o.display_name)
            for o in objects
            if o.odata_type == "#microsoft.graph.group"
        ]

    async def last_provisioning_entry(
        self, source_id: str, job_id: str | None = None
    ) -> ProvisioningObjectSummary | None:
        """The newest provisioning-log entry about this object (of this job), in one request."""
        entries, _ = await self._page(
            "/auditLogs/provisioning",
            ProvisioningObjectSummary,
            params={
                "$filter": f"sourceIdentity/id eq '{quote(source_id)}'",
                "$orderby": "activityDateTime desc",
                "$top": "50",
            },
            action="read the provisioning logs",
            permission="AuditLog.Read.All",
            licensed="provisioning_logs",
        )
        for entry in entries:
            if job_id is None or entry.job_id in (None, job_id):
                return entry
        return None

    # --- synchronization -----------------------------------------------------------------------

    async def sync_templates(self, sp_id: str) -> list[SynchronizationTemplate]:
        return await self._all(
            f"/servicePrincipals/{sp_id}/synchronization/templates",
            SynchronizationTemplate,
            action="read the app's provisioning templates",
            permission="Synchronization.Read.All",
        )

    async def jobs(self, sp_id: str) -> list[SynchronizationJob]:
        return await self._all(
            f"/servicePrincipals/{sp_id}/synchronization/jobs",
            SynchronizationJob,
            action="read the provisioning job",
            permission="Synchronization.Read.All",
        )

    async def job(self, sp_id: str, job_id: str) -> SynchronizationJob:
        return await self._get_model(
            f"/servicePrincipals/{sp_id}/synchronization/jobs/{job_id}",
            SynchronizationJob,
            action="read the provisioning job",
            permission="Synchronization.Read.All",
        )

    async def job_schema(self, sp_id: str, job_id: str) -> SynchronizationSchema:
        return await self._get_model(
            f"/servicePrincipals/{sp_id}/synchronization/jobs/{job_id}/schema",
            SynchronizationSchema,
            action="read the provisioning job's schema",
            permission="Synchronization.Read.All",
        )

    async def create_job(self, sp_id: str, template_id: str) -> SynchronizationJob:
        response = await self._request(
            "POST",
            f"/servicePrincipals/{sp_id}/synchronization/jobs",
            json={"templateId": template_id},
            action="create the provisioning job",
            permission="Synchronization.ReadWrite.All",
        )
        what = "create the provisioning job"
        return parse(SynchronizationJob, self._json(response, what), what)

    async def save_secrets(self, sp_id: str, tenant_url: str, token: str) -> None:
        await self._request(
            "PUT",
            f"/servicePrincipals/{sp_id}/synchronization/secrets",
            json={
                "value": [
                    {"key": "BaseAddress", "value": tenant_url},
                    {"key": "SecretToken", "value": token},
                ]
            },
            action="save the tenant URL and token in Entra",
            permission="Synchronization.ReadWrite.All",
        )

    async def validate_credentials(
        self, sp_id: str, job_id: str, tenant_url: str | None = None, token: str | None = None
    ) -> None:
        """Entra's Test Connection; a refusal is a GraphBadRequest carrying Entra's code."""
        body: dict[str, Any] = {"useSavedCredentials": tenant_url is None}
        if tenant_url is not None:
            body["credentials"] = [
                {"key": "BaseAddress", "value": tenant_url},
                {"key": "SecretToken", "value": token or ""},
            ]
        await self._request(
            "POST",
            f"/servicePrincipals/{sp_id}/synchronization/jobs/{job_id}/validateCredentials",
            json=body,
            action="test the connection from Entra to Steeple",
            permission="Synchronization.ReadWrite.All",
        )

    async def _job_action(self, sp_id: str, job_id: str, verb: str, action: str) -> None:
        await self._request(
            "POST",
            f"/servicePrincipals/{sp_id}/synchronization/jobs/{job_id}/{verb}",
            action=action,
            permission="Synchronization.ReadWrite.All",
        )

    async def start_job(self, sp_id: str, job_id: str) -> None:
        await self._job_action(sp_id, job_id, "start", "start provisioning")

    async def pause_job(self, sp_id: str, job_id: str) -> None:
        await self._job_action(sp_id, job_id, "pause", "pause provisioning")

    async def provision_on_demand(
        self,
        sp_id: str,
        job_id: str,
        rule_id: str,
        subjects: Sequence[tuple[str, str]],
    ) -> OnDemandResult:
        """Provision now: `subjects` are (objectId, objectTypeName) pairs, `rule_id` the id of
        the job schema's rule. Graph packs the outcome as JSON inside `key` and `value`."""
        await self.on_demand.wait()
        response = await self._request(
            "POST",
            f"/servicePrincipals/{sp_id}/synchronization/jobs/{job_id}/provisionOnDemand",
            json={
                "parameters": [
                    {
                        "subjects": [
                            {"objectId": object_id, "objectTypeName": type_name}
                            for object_id, type_name in subjects
                        ],
                        "ruleId": rule_id,
                    }
                ]
            },
            action="provision this person now",
            permission="Synchronization.ReadWrite.All",
        )
        return decode_on_demand(self._json(response, "provision this person now"))


__all__ = [
    "GraphClient",
    "GraphError",
    "decode_on_demand",
    "link_allowed",
    "quote",
    "retry_after_seconds",
]
