"""The simulated tenant hosted by the sandbox (`--with-entra`): its provisioning job and cycles.

Driven through the Microsoft Graph emulator (`sandbox/graph/`), as a real tenant is through Graph:
Test Connection, assignments, start/pause and provisioning on demand act on this job, with
whatever tenant URL and token were saved, so a wrong token fails exactly as it would in Azure.
Cycles run as one asyncio task on the server's own loop; SCIM traffic goes over real HTTP, so
the sandbox's request log shows it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from fastapi import FastAPI

from sandbox.entra.clock import ENTRA_OBJECT_PACE, TimeScale
from sandbox.entra.job import JobSettings, ProvisioningJob
from sandbox.entra.tenant import Tenant

log = logging.getLogger(__name__)

HOST_TENANT_USERS = 40
HOST_TENANT_GROUPS = 10
HOST_TENANT_SEED = 2026
"""The hosted tenant's size and seed when the composer generates it (`sandbox/app.py`)."""


class HostError(Exception):
    """A refusal of the hosted job (not configured, nothing assigned): Graph answers it as 400."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class EntraHost:
    """The hosted job plus its background cycle task.

    Its tenant is configuration, given by whoever composes the sandbox: the host reads nothing of
    Steeple's (the two sides meet over HTTP, as a real tenant and a real Steeple do).
    """

    def __init__(self, tenant: Tenant, cycle_interval: float, *, paced: bool = False) -> None:
        self.tenant = tenant
        self.job = ProvisioningJob(
            self.tenant,
            scale=TimeScale(cycle_interval),
            settings=JobSettings(
                max_in_flight=4, object_pace_minutes=ENTRA_OBJECT_PACE if paced else None
            ),
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
            raise HostError("not_configured", "Save the tenant URL and secret token first.")
        if not self.job.assigned:
            raise HostError("no_assignments", "Assign at least one group first.")
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


def attach_entra_host(app: FastAPI, host: EntraHost) -> None:
    """Make `host` part of the sandbox app (before or after it serves): found on `app.state`,
    its cycles stopped before the database closes (the app's shutdown hooks run first)."""
    app.state.entra_host = host
    app.state.shutdown_hooks.append(host.stop)
