"""Typed async client for the simulated Entra host (`/api/entra-sim/v1`), used by sandbox mode.

Every failure becomes an `EntraSimError` (a `SteepleError`) with a sentence and a fix; the admin key
and the SCIM token never appear in messages.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, TypeVar

import httpx
from pydantic import TypeAdapter, ValidationError

from assistant.entra_contract import (
    ENTRA_SIM_PREFIX,
    AssignmentsView,
    CycleReport,
    EntraGroupView,
    JobStatusView,
    ProvisioningConfigView,
    TenantSummary,
    TestConnectionResult,
)
from assistant.errors import ErrorKind, SteepleError
from assistant.http_errors import host_of

M = TypeVar("M")


class EntraSimError(SteepleError):
    """A failure talking to the simulated Entra tenant."""


class EntraSimClient:
    """One `httpx.AsyncClient` for the client's life; close with `aclose()` or `async with`."""

    def __init__(
        self,
        base_url: str,
        admin_key: str,
        *,
        timeout: float = 15.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._host = host_of(self.base_url)
        self._http = httpx.AsyncClient(
            base_url=self.base_url + ENTRA_SIM_PREFIX,
            headers={"Authorization": f"Bearer {admin_key}", "Accept": "application/json"},
            timeout=timeout,
            transport=transport,
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> EntraSimClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _call(self, method: str, path: str, model: Any, json: Any = None) -> Any:
        try:
            response = await self._http.request(method, path, json=json)
        except httpx.TimeoutException:
            raise EntraSimError(
                ErrorKind.TIMEOUT,
                f"The simulated Entra tenant at {self._host} did not answer in time.",
                "Check that the sandbox is still running, then retry.",
            ) from None
        except httpx.HTTPError:
            raise EntraSimError(
                ErrorKind.UNREACHABLE,
                f"Could not reach the simulated Entra tenant at {self._host}.",
                "Start the sandbox with --with-entra, then retry.",
            ) from None
        if response.status_code >= 400:
            raise self._error(response)
        try:
            return TypeAdapter(model).validate_json(response.content)
        except ValidationError:
            raise EntraSimError(
                ErrorKind.MALFORMED,
                f"The simulated Entra tenant at {self._host} sent an unexpected answer.",
                "Update the sandbox and the assistant together.",
                status=response.status_code,
            ) from None

    def _error(self, response: httpx.Response) -> EntraSimError:
        status = response.status_code
        code = None
        try:
            body = response.json()
            code = body.get("code") if isinstance(body, dict) else None
            detail = body.get("message") if isinstance(body, dict) else None
        except ValueError:
            detail = None
        kinds = {
            401: (ErrorKind.UNAUTHORIZED, "Use the sandbox's admin API key."),
            403: (ErrorKind.FORBIDDEN, "Use the sandbox's admin API key."),
            404: (ErrorKind.NOT_FOUND, "Start the sandbox with --with-entra."),
            409: (ErrorKind.CONFLICT, "Complete the previous step first."),
            422: (ErrorKind.INVALID, "Correct the value and retry."),
        }
        kind, fix = kinds.get(
            status,
            (ErrorKind.SERVER if status >= 500 else ErrorKind.INVALID, "Retry in a moment."),
        )
        message = f"The simulated Entra tenant refused the request (HTTP {status})."
        if isinstance(detail, str) and detail and code:
            message = f"{detail} (HTTP {status})"
        return EntraSimError(kind, message, fix, status=status, code=code)

    # -- the buttons of the Entra admin center ------------------------------------------------

    async def tenant(self) -> TenantSummary:
        result: TenantSummary = await self._call("GET", "/tenant", TenantSummary)
        return result

    async def list_groups(self) -> list[EntraGroupView]:
        result: list[EntraGroupView] = await self._call("GET", "/groups", list[EntraGroupView])
        return result

    async def get_config(self) -> ProvisioningConfigView:
        result: ProvisioningConfigView = await self._call(
            "GET", "/provisioning/config", ProvisioningConfigView
        )
        return result

    async def save_credentials(
        self, tenant_url: str, token: str, *, cycle_interval_seconds: float | None = None
    ) -> ProvisioningConfigView:
        body: dict[str, Any] = {"tenant_url": tenant_url, "token": token}
        if cycle_interval_seconds is not None:
            body["cycle_interval_seconds"] = cycle_interval_seconds
        result: ProvisioningConfigView = await self._call(
            "PUT", "/provisioning/config", ProvisioningConfigView, body
        )
        return result

    async def test_connection(
        self, tenant_url: str | None = None, token: str | None = None
    ) -> TestConnectionResult:
        body = {"tenant_url": tenant_url, "token": token}
        result: TestConnectionResult = await self._call(
            "POST", "/provisioning/test-connection", TestConnectionResult, body
        )
        return result

    async def assign_groups(self, group_ids: list[str]) -> AssignmentsView:
        result: AssignmentsView = await self._call(
            "PUT", "/assignments", AssignmentsView, {"group_ids": group_ids}
        )
        return result

    async def start_provisioning(self) -> JobStatusView:
        return await self._job("start")

    async def stop_provisioning(self) -> JobStatusView:
        return await self._job("stop")

    async def restart_provisioning(self) -> JobStatusView:
        return await self._job("restart")

    async def _job(self, action: str) -> JobStatusView:
        result: JobStatusView = await self._call(
            "POST", f"/provisioning/{action}", JobStatusView, {}
        )
        return result

    async def job_status(self) -> JobStatusView:
        result: JobStatusView = await self._call("GET", "/provisioning/status", JobStatusView)
        return result

    async def cycle_reports(self) -> list[CycleReport]:
        result: list[CycleReport] = await self._call(
            "GET", "/provisioning/reports", list[CycleReport]
        )
        return result

    async def provision_on_demand(self, user: str) -> CycleReport:
        result: CycleReport = await self._call(
            "POST", "/provisioning/provision-on-demand", CycleReport, {"user": user}
        )
        return result
