"""Issue 11, point 3: the sandbox records every cycle start, and the clock learns from them.

A separate simulated Entra runs three cycles (initial, then two incremental ones with nothing to
change) against a running sandbox, on a 20 s interval. Sandbox and tenant share one manual clock,
so the cycle starts are exact instants rather than timings. Everything goes over HTTP.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import httpx

from assistant.journey.cycle_clock import cycle_line
from assistant.journey.steps import load_journey
from assistant.steeple.client import SteepleClient
from assistant.support.doctor import CheckLevel, run_checks
from sandbox.entra.clock import ManualClock, TimeScale
from sandbox.entra.job import JobSettings, ProvisioningJob
from sandbox.entra.tenant import generate_tenant
from sandbox.server import SandboxServer
from tests.support.sandboxes import install, request_log

INTERVAL = 20.0


async def test_three_cycles_are_recorded_and_the_interval_learnt(
    start_sandbox: Callable[..., SandboxServer], admin_key: str
) -> None:
    clock = ManualClock()
    server = start_sandbox(clock=clock.now)
    admin = httpx.Client(
        base_url=server.admin_url, headers={"Authorization": f"Bearer {admin_key}"}, timeout=30
    )
    tenant_url, secret = install(admin)
    tenant = generate_tenant(12, 3, seed=3)
    job = ProvisioningJob(
        tenant,
        tenant_url=tenant_url,
        token=secret,
        assigned=list(tenant.groups),
        clock=clock,
        scale=TimeScale(INTERVAL),
        settings=JobSettings(max_in_flight=1, seed=3),
    )
    # The admin's Test Connection first: a probe, not a cycle.
    assert (await job.test_connection()).success
    clock.advance(7)

    reports = await job.run(cycles=3)
    assert [r.kind for r in reports] == ["initial", "incremental", "incremental"]

    async with SteepleClient(server.base_url, admin_key) as steeple:
        status = await steeple.get_provisioning()
        began = [r.began for r in reports]
        assert status.cycle_starts == began
        assert status.last_test_connection_at is not None

        # Each cycle's opening probe is labelled as the cycle's, the admin's as Test Connection.
        kinds = [entry["kind"] for entry in request_log(admin)]
        assert kinds[0] == "test_connection"
        assert kinds.count("test_connection") == 1
        assert kinds.count("cycle_probe") == 3

        # The interval is learnt from the gaps (20 s here, not Entra's documented 25–40 min).
        now = began[-1] + timedelta(seconds=5)
        line = cycle_line(status, now)
        assert line.startswith("Next Entra cycle expected in ")
        gap_low = min(b - a for a, b in zip(began, began[1:], strict=False))
        gap_high = max(b - a for a, b in zip(began, began[1:], strict=False))
        low = int((began[-1] + gap_low - now).total_seconds())
        high = int((began[-1] + gap_high - now).total_seconds())
        assert str(low) in line and str(high) in line and "min" not in line.split("(")[0]
        assert "3 observed cycles" in line
        assert "3 cycles observés" in cycle_line(status, now, lang="fr")

        # Long after the last cycle (more than twice the window), Entra seems to have stopped.
        late_at = began[-1] + 2 * gap_high + timedelta(seconds=1)
        late = cycle_line(status, late_at)
        assert "seems to have stopped" in late and "overdue" not in late

        # `doctor` says the same, as a warning instead of a next-cycle estimate.
        journey = await load_journey(steeple)
        checks = {c.id: c for c in await run_checks(steeple, journey, now=late_at)}
        assert checks["cycle.stopped"].level is CheckLevel.WARNING
        assert "cycle.next" not in checks
        in_time = {c.id for c in await run_checks(steeple, journey, now=now)}
        assert "cycle.next" in in_time and "cycle.stopped" not in in_time
    admin.close()
