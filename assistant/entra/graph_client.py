"""A typed async Microsoft Graph v1.0 client for the Entra side of the journey.

One `httpx.AsyncClient` for its life. Every call names the delegated permission it needs, so a
403 becomes "which permission, which role, how to consent". 429 and 503 are retried after the
`Retry-After` Graph sent (Graph's throttling guidance), `@odata.nextLink` is followed to the end.
"""

from __future__ import annotations

import asyncio
import email.utils
import ssl
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel

from assistant.entra.graph_errors import (
    GraphError,
    GraphNotSignedIn,
    GraphThrottled,
    GraphUnreachable,
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
    SynchronizationTemplate,
    User,
    decode_on_demand,
)

DEFAULT_GRAPH_URL = "https://graph.microsoft.com/v1.0"
NON_GALLERY_TEMPLATE_ID = "8adf8e6e-67b2-4cf2-a259-e3dc5476c621"
DEFAULT_APP_ROLE_ID = "00000000-0000-0000-0000-000000000000"
MAX_RETRIES = 3
MAX_RETRY_AFTER = 120.0
"""A longer wait is not worth blocking an admin for: it surfaces as GraphThrottled instead."""

TokenProvider = Callable[[], Awaitable[str | None]]
Sleep = Callable[[float], Awaitable[None]]
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
        max_retries: int = MAX_RETRIES,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._http = http or httpx.AsyncClient(verify=verify, timeout=30.0)
        self._sleep = sleep
        self._max_retries = max_retries

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> GraphClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # --- transport -----------------------------------------------------------------------------

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
    ) -> httpx.Response:
        token = await self._token()
        if not token:
            raise GraphNotSignedIn(
                f"Not signed in to Microsoft Entra, so the assistant cannot {action}.",
                "Run `steeple-assistant entra signin` (or do this step in the Entra admin center).",
            )
        if not url.startswith(("https://", "http://")):
            url = self.base_url + url
        headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            **(headers or {}),
        }
        for attempt in range(self._max_retries + 1):
            try:
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
            response.status_code, body, action=action, permission=permission
        )
        if isinstance(error, GraphThrottled):
            error.fix = (
                f"Graph asked to wait {response.headers.get('Retry-After', 'a while')} s more; "
                "retry in a minute (Entra limits how fast one tenant may call Graph)."
            )
        raise error

    async def _get_model(self, url: str, model: type[M], *, action: str, permission: str) -> M:
        response = await self._request("GET", url, action=action, permission=permission)
        return model.model_validate(response.json())

    async def _pages(
        self,
        url: str,
        model: type[M],
        *,
        action: str,
        permission: str,
        params: dict[str, str] | None = None,
    ) -> AsyncIterator[M]:
        """Every item of a collection, following `@odata.nextLink` (which carries the query)."""
        next_url: str | None = url
        while next_url:
            response = await self._request(
                "GET", next_url, action=action, permission=permission, params=params
            )
            params = None
            body = response.json()
            for item in body.get("value", []):
                yield model.model_validate(item)
            link = body.get("@odata.nextLink")
            next_url = link if isinstance(link, str) else None

    async def _all(
        self,
        url: str,
        model: type[M],
        *,
        action: str,
        permission: str,
        params: dict[str, str] | None = None,
    ) -> list[M]:
        pages = self._pages(url, model, action=action, permission=permission, params=params)
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
        return await self._all(
            "/groups", Group, action="list groups", permission="GroupMember.Read.All"
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

    async def group_user_count(self, group_id: str) -> int:
        """Direct members of type user: the people assigning this group puts in scope."""
        response = await self._request(
            "GET",
            f"/groups/{group_id}/members/microsoft.graph.user/$count",
            headers={"ConsistencyLevel": "eventual"},  # Graph requires it for $count
            action="count a group's members",
            permission="GroupMember.Read.All",
        )
        try:
            return int(response.text.strip())
        except ValueError:
            return 0

    async def group_user_ids(self, group_id: str) -> list[str]:
        """Ids of a group's direct user members (nested groups are not provisioned by Entra)."""
        members = await self._all(
            f"/groups/{group_id}/members",
            DirectoryObject,
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
        return ApplicationServicePrincipal.model_validate(response.json())

    async def assignments(self, sp_id: str) -> list[AppRoleAssignment]:
        return await self._all(
            f"/servicePrincipals/{sp_id}/appRoleAssignedTo",
            AppRoleAssignment,
            action="list the app's assigned groups",
            permission="Application.Read.All",
        )

    async def assign_group(self, sp_id: str, group_id: str) -> AppRoleAssignment:
        response = await self._request(
            "POST",
            f"/servicePrincipals/{sp_id}/appRoleAssignedTo",
            json={"principalId": group_id, "resourceId": sp_id, "appRoleId": DEFAULT_APP_ROLE_ID},
            action="assign a group to the app",
            permission="AppRoleAssignment.ReadWrite.All",
        )
        return AppRoleAssignment.model_validate(response.json())

    async def provisioning_logs(self, job_id: str | None = None) -> list[ProvisioningObjectSummary]:
        return await self._all(
            "/auditLogs/provisioning",
            ProvisioningObjectSummary,
            params={"$filter": f"jobId eq '{quote(job_id)}'"} if job_id else None,
            action="read the provisioning logs",
            permission="AuditLog.Read.All",
        )

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

    async def create_job(self, sp_id: str, template_id: str) -> SynchronizationJob:
        response = await self._request(
            "POST",
            f"/servicePrincipals/{sp_id}/synchronization/jobs",
            json={"templateId": template_id},
            action="create the provisioning job",
            permission="Synchronization.ReadWrite.All",
        )
        return SynchronizationJob.model_validate(response.json())

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

    async def provision_on_demand(self, sp_id: str, job_id: str, user_id: str) -> OnDemandResult:
        """Provision one person now; Graph packs the outcome as JSON inside `key` and `value`."""
        response = await self._request(
            "POST",
            f"/servicePrincipals/{sp_id}/synchronization/jobs/{job_id}/provisionOnDemand",
            json={
                "parameters": [
                    {
                        "ruleId": "",
                        "subjects": [{"objectId": user_id, "objectTypeName": "User"}],
                    }
                ]
            },
            action="provision this person now",
            permission="Synchronization.ReadWrite.All",
        )
        return decode_on_demand(response.json())


__all__ = ["GraphClient", "GraphError", "decode_on_demand", "quote", "retry_after_seconds"]
