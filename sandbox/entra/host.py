"""The simulated tenant hosted by the sandbox (`--with-entra`), with a small JSON admin endpoint.

It lets the assistant's sandbox mode press Entra's buttons on the admin's behalf (Test Connection,
assign groups, start/stop/restart, provision on demand) with whatever tenant URL and token were
typed, so a wrong token fails exactly as it would in Azure. Cycles run as one asyncio task on the
server's own loop; SCIM traffic goes over real HTTP, so the sandbox's request log shows it.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging

from fastapi import APIRouter, Depends, FastAPI, Request

from assistant.entra_contract import (
    ENTRA_SIM_PREFIX,
    AssignmentsIn,
    AssignmentsView,
    CycleReport,
    EntraGroupView,
    EntraUserView,
    JobStatusView,
    OnDemandIn,
    ProvisioningConfigIn,
    ProvisioningConfigView,
    TenantSummary,
    TestConnectionIn,
    TestConnectionResult,
)
from sandbox.admin.errors import AdminRoute
from sandbox.domain.common import DomainError
from sandbox.entra.clock import TimeScale
from sandbox.entra.connection import test_connection
from sandbox.entra.job import JobSettings, ProvisioningJob
from sandbox.entra.tenant import generate_tenant
from sandbox.entra.transport import ScimTransport, TenantUrl
from sandbox.state import SandboxState

log = logging.getLogger(__name__)

HOST_TENANT_USERS = 40
HOST_TENANT_GROUPS = 10
HOST_TENANT_SEED = 2026
ENTRA_OBJECT_PACE = (0.01, 0.08)
"""Minutes per object in a real initial cycle; scaled, so a demo cycle visibly progresses."""


class HostError(DomainError):
    """A refusal of the host endpoint, answered as `{code, message}` like the admin API's."""


class EntraHost:
    """The hosted job plus its background cycle task."""

    def __init__(self, state: SandboxState, cycle_interval: float) -> None:
        self.state = state
        self.tenant = generate_tenant(HOST_TENANT_USERS, HOST_TENANT_GROUPS, HOST_TENANT_SEED)
        if state.config.seed == "hostile":  # the hostile directory provisions hostile names
            from sandbox.hostile import hostile_tenant

            self.tenant = hostile_tenant()
        self.job = ProvisioningJob(
            self.tenant,
            scale=TimeScale(cycle_interval),
            settings=JobSettings(max_in_flight=4, object_pace_minutes=ENTRA_OBJECT_PACE),
        )
        self.task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done()

    async def _loop(self) -> None:
        try:
            await self.job.run()
        except asyncio.CancelledError:
            raise
        except Exception:  # never let the background task die silently
            log.exception("the simulated provisioning job stopped on an error")

    def start(self) -> None:
        if not self.job.tenant_url or not self.job.token_set:
            raise HostError(409, "not_configured", "Save the tenant URL and secret token first.")
        if not self.job.assigned:
            raise HostError(409, "no_assignments", "Assign at least one group first.")
        if self.job.status.code == "Paused":
            self.job.status.code = "Active" if self.job.status.last_execution else "NotRun"
        if not self.running:
            self.task = asyncio.create_task(self._loop(), name="entra-sim-provisioning")

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.task
            self.task = None
        self.job.pause()

    def status_view(self) -> JobStatusView:
        scope = self.job.users_in_scope()
        return JobStatusView(
            status=self.job.status,
            running=self.running,
            assigned_group_ids=list(self.job.assigned),
            users_in_scope=len(scope),
            groups_in_scope=len(self.job.assigned),
            cycle_interval_seconds=self.job.scale.cycle_interval,
            last_cycle=self.job.reports[-1] if self.job.reports else None,
        )

    def config_view(self) -> ProvisioningConfigView:
        url = self.job.tenant_url or None
        return ProvisioningConfigView(
            tenant_url=url,
            token_set=self.job.token_set,
            compliant_patch=TenantUrl.parse(url).compliant if url else False,
            cycle_interval_seconds=self.job.scale.cycle_interval,
        )


def _host(request: Request) -> EntraHost:
    host: EntraHost = request.app.state.entra_host
    return host


async def _require_admin(request: Request) -> None:
    """Same admin key as the admin API, compared in constant time.

    Every endpoint is `async def`: handlers then run on the server loop, where the cycle task
    lives, so job state is never touched from a worker thread.
    """
    expected = request.app.state.sandbox.config.admin_key
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.encode(), expected.encode()):
        raise HostError(401, "unauthorized", "A valid admin API key is required.")


router = APIRouter(
    prefix=ENTRA_SIM_PREFIX,
    dependencies=[Depends(_require_admin)],
    route_class=AdminRoute,  # same error shape, body limit and input-free 422s as the admin API
)


@router.get("/tenant", response_model=TenantSummary)
async def get_tenant(request: Request) -> TenantSummary:
    host = _host(request)
    tenant = host.tenant
    return TenantSummary(
        domain=tenant.domain,
        users=[
            EntraUserView(
                id=u.object_id,
                user_principal_name=u.user_principal_name,
                display_name=u.display_name,
                mail=u.mail,
                account_enabled=u.account_enabled,
            )
            for u in tenant.users.values()
        ],
        groups=_group_views(host),
    )


def _group_views(host: EntraHost) -> list[EntraGroupView]:
    tenant = host.tenant
    return [
        EntraGroupView(
            id=g.object_id,
            display_name=g.display_name,
            member_count=len(g.member_ids),
            nested=bool(tenant.nested_group_ids(g)),
            assigned=g.object_id in host.job.assigned,
        )
        for g in tenant.groups.values()
    ]


@router.get("/groups", response_model=list[EntraGroupView])
async def get_groups(request: Request) -> list[EntraGroupView]:
    return _group_views(_host(request))


@router.get("/provisioning/config", response_model=ProvisioningConfigView)
async def get_config(request: Request) -> ProvisioningConfigView:
    return _host(request).config_view()


@router.put("/provisioning/config", response_model=ProvisioningConfigView)
async def put_config(body: ProvisioningConfigIn, request: Request) -> ProvisioningConfigView:
    host = _host(request)
    if not body.tenant_url.strip():
        raise HostError(422, "invalid_tenant_url", "The tenant URL is empty.")
    host.job.configure(body.tenant_url.strip(), body.token.strip())
    if body.cycle_interval_seconds is not None:
        host.job.scale = TimeScale(body.cycle_interval_seconds)
    return host.config_view()


@router.post("/provisioning/test-connection", response_model=TestConnectionResult)
async def post_test_connection(body: TestConnectionIn, request: Request) -> TestConnectionResult:
    host = _host(request)
    url = (body.tenant_url or "").strip() or host.job.tenant_url
    token = (body.token or "").strip() if body.token is not None else host.job.secret()
    if not url:
        raise HostError(409, "not_configured", "Enter the tenant URL first.")
    if not url.lower().startswith(("http://", "https://")):
        raise HostError(422, "invalid_tenant_url", "The tenant URL must start with https://.")
    transport = ScimTransport(url, token, timeout=5.0)
    try:
        result = await test_connection(transport)
    finally:
        await transport.aclose()
    return TestConnectionResult(**result.to_dict())


@router.put("/assignments", response_model=AssignmentsView)
async def put_assignments(body: AssignmentsIn, request: Request) -> AssignmentsView:
    host = _host(request)
    unknown = [g for g in body.group_ids if g not in host.tenant.groups]
    if unknown:
        raise HostError(422, "unknown_group", f"{len(unknown)} group id(s) are not in the tenant.")
    host.job.assigned = list(dict.fromkeys(body.group_ids))
    return AssignmentsView(
        group_ids=host.job.assigned, users_in_scope=len(host.job.users_in_scope())
    )


@router.post("/provisioning/start", response_model=JobStatusView)
async def post_start(request: Request) -> JobStatusView:
    host = _host(request)
    host.start()
    return host.status_view()


@router.post("/provisioning/stop", response_model=JobStatusView)
async def post_stop(request: Request) -> JobStatusView:
    host = _host(request)
    await host.stop()
    return host.status_view()


@router.post("/provisioning/restart", response_model=JobStatusView)
async def post_restart(request: Request) -> JobStatusView:
    host = _host(request)
    await host.stop()
    host.job.restart()
    host.start()
    return host.status_view()


@router.get("/provisioning/status", response_model=JobStatusView)
async def get_status(request: Request) -> JobStatusView:
    return _host(request).status_view()


@router.get("/provisioning/reports", response_model=list[CycleReport])
async def get_reports(request: Request) -> list[CycleReport]:
    return _host(request).job.reports[-20:]


@router.post("/provisioning/provision-on-demand", response_model=CycleReport)
async def post_on_demand(body: OnDemandIn, request: Request) -> CycleReport:
    host = _host(request)
    if not host.job.tenant_url or not host.job.token_set:
        raise HostError(409, "not_configured", "Save the tenant URL and secret token first.")
    try:
        return await host.job.provision_on_demand(body.user)
    except LookupError:
        raise HostError(404, "unknown_user", "No user with that name in the tenant.") from None


def mount_entra_host(app: FastAPI, state: SandboxState) -> EntraHost:
    """Attach the simulated tenant and its admin endpoint to the sandbox app.

    Its cycles stop before the database closes (the app's shutdown hooks run first).
    """
    host = EntraHost(state, state.config.entra_cycle_interval)
    app.state.entra_host = host
    app.include_router(router)
    app.state.shutdown_hooks.append(host.stop)
    return host
