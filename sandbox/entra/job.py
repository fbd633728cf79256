"""The provisioning job: Graph-like status, cycles on a schedule, escrow and quarantine.

Each cycle starts with the same probes as Test Connection (Entra does this too); when they fail,
or when the target refuses the token mid-cycle, or when escrows pass Microsoft's thresholds, the
job goes to quarantine with Entra's reason codes and retries 6 h, 12 h and 24 h after the first
failure, then daily (learn.microsoft.com/entra/identity/app-provisioning/
application-provisioning-quarantine-status). `restart()` clears watermark, escrows and
quarantine but keeps the links between source and target objects, as Entra's restart does.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx

from assistant.entra.contract import (
    CycleKind,
    CycleReport,
    QuarantineReason,
    SynchronizationError,
    SynchronizationJobStatus,
    SynchronizationProgress,
    SynchronizationQuarantine,
    SynchronizationTaskExecution,
)
from sandbox.entra.clock import QUARANTINE_GIVE_UP, RealClock, SimClock, TimeScale
from sandbox.entra.connection import ConnectionResult, test_connection
from sandbox.entra.dialects import Dialect, Variants
from sandbox.entra.engine import CycleRunner, users_in_scope
from sandbox.entra.memory import JobMemory
from sandbox.entra.outcomes import CycleAborted
from sandbox.entra.tenant import Tenant
from sandbox.entra.transport import ScimTransport

Progress = Callable[[int, int], None]


@dataclass
class JobSettings:
    """Tunables; the escrow thresholds default to Microsoft's (quarantine-status page)."""

    max_in_flight: int = 4
    rate_per_second: float | None = None
    member_batch_size: int = 50
    timeout: float = 10.0
    escrow_min_failures: int = 5000
    """Non-reference failures below which the 40 % and 40,000 rules are not evaluated."""
    escrow_max_proportion: float = 0.4
    escrow_max_failures: int = 40_000
    escrow_absolute_max: int = 60_000
    """Reference and non-reference failures together: more than this always quarantines."""
    variants: Variants | None = None
    """The documented legacy variants; None = chosen from `seed`."""
    object_pace_minutes: tuple[float, float] | None = None
    """Entra's own pace per object (real Entra: 0.01–0.08 min), scaled like the interval."""
    aad_group_schema: bool = True
    """Send Microsoft's group schema URI in POST /Groups, as Entra does."""
    seed: int | None = None
    """Seeds the Test Connection GUIDs, so a seeded run sends a repeatable request sequence."""
    transport: httpx.AsyncBaseTransport | None = field(default=None, repr=False)


class ProvisioningJob:
    """One Entra enterprise application's provisioning job against one SCIM tenant URL."""

    def __init__(
        self,
        tenant: Tenant,
        *,
        tenant_url: str = "",
        token: str = "",
        assigned: list[str] | None = None,
        clock: SimClock | None = None,
        scale: TimeScale | None = None,
        settings: JobSettings | None = None,
    ) -> None:
        self.tenant = tenant
        self.tenant_url = tenant_url
        self._token = token
        self.assigned = list(assigned or [])
        self.clock = clock or RealClock()
        self.scale = scale or TimeScale()
        self.settings = settings or JobSettings()
        self.rng = random.Random(self.settings.seed)
        self.variants = self.settings.variants or Variants.from_seed(self.settings.seed)
        self.memory = JobMemory()
        # "NotConfigured: Job was not configured and never run. No authorization was provided."
        self.status = SynchronizationJobStatus(
            code="NotRun" if tenant_url and token else "NotConfigured"
        )
        self.reports: list[CycleReport] = []
        self.next_cycle_at: datetime | None = None
        self.sequence = 0

    # -- configuration -----------------------------------------------------------------------

    def configure(self, tenant_url: str, token: str) -> None:
        """Save the credentials: a job that had none leaves NotConfigured for NotRun (and goes
        back when they are cleared), as synchronizationStatus documents the two codes."""
        self.tenant_url = tenant_url
        self._token = token
        configured = bool(tenant_url and token)
        if configured and self.status.code == "NotConfigured":
            self.status.code = "NotRun"
        elif not configured and self.status.code == "NotRun":
            self.status.code = "NotConfigured"

    def secret(self) -> str:
        """The saved token, for a Test Connection that reuses it; never logged or serialised."""
        return self._token

    @property
    def token_set(self) -> bool:
        return bool(self._token)

    def users_in_scope(self) -> list[str]:
        """Assigned users Entra will provision: active ones ("Active in source system" is part of
        Entra's scope evaluation — provision-on-demand, step 3); disabled users are skipped."""
        users = self.tenant.users
        return [
            u
            for u in users_in_scope(self.tenant, self.assigned)
            if users[u].account_enabled and not users[u].soft_deleted
        ]

    def scim_transport(self) -> ScimTransport:
        return ScimTransport(
            self.tenant_url,
            self._token,
            max_in_flight=self.settings.max_in_flight,
            rate_per_second=self.settings.rate_per_second,
            timeout=self.settings.timeout,
            transport=self.settings.transport,
            sleep=self.clock.sleep,
        )

    def dialect(self, compliant: bool) -> Dialect:
        return Dialect(compliant, self.variants)

    async def test_connection(self) -> ConnectionResult:
        transport = self.scim_transport()
        try:
            return await test_connection(transport, self.rng)
        finally:
            await transport.aclose()

    # -- lifecycle ---------------------------------------------------------------------------

    def restart(self) -> None:
        """Entra's 'Restart provisioning': forget watermark, escrows and quarantine, keep links."""
        self.memory.forget_watermark()
        configured = bool(self.tenant_url and self._token)
        self.status = SynchronizationJobStatus(code="NotRun" if configured else "NotConfigured")
        self.next_cycle_at = None

    def pause(self) -> None:
        if self.status.code != "Quarantine":
            self.status.code = "Paused"

    @property
    def disabled(self) -> bool:
        """Quarantined for 28 (scaled) days: Entra turns the job off."""
        q = self.status.quarantine
        if q is None or q.series_began is None:
            return False
        return self.clock.now() - q.series_began >= self.scale.scaled(QUARANTINE_GIVE_UP)

    async def _pace(self) -> None:
        """Wait as long as Entra spends on one object, in scaled time."""
        low, high = self.settings.object_pace_minutes or (0.0, 0.0)
        minutes = self.rng.uniform(low, high)
        await self.clock.sleep(self.scale.scaled(timedelta(minutes=minutes)).total_seconds())

    def next_id(self) -> str:
        self.sequence += 1
        return f"cycle-{self.sequence:04d}"

    def _observer(self, progress: Progress | None) -> Progress:
        """Keep Graph's `status.progress` current, then tell the caller (CLI progress line)."""

        def observe(done: int, total: int) -> None:
            self.status.progress = [
                SynchronizationProgress(
                    completed_units=done,
                    total_units=total,
                    progress_observation_date_time=self.clock.now(),
                )
            ]
            if progress is not None:
                progress(done, total)

        return observe

    async def run_cycle(self, progress: Progress | None = None) -> CycleReport:
        """One scheduled cycle: connection check, then the engine; updates the job status."""
        kind: CycleKind = "initial" if self.memory.cycles_run == 0 else "incremental"
        began = self.clock.now()
        report = CycleReport(cycle_id=self.next_id(), kind=kind, began=began)
        transport = self.scim_transport()
        try:
            check = await test_connection(transport, self.rng)
            if not check.success:
                report.requests = transport.requests_sent
                error = SynchronizationError(
                    code=check.error_code or "Unknown", message=f"{check.message} ({check.detail})"
                )
                return self._quarantined(report, "EncounteredQuarantineException", error)
            runner = CycleRunner(
                self.tenant,
                self.assigned,
                self.memory,
                transport,
                cycle_id=report.cycle_id,
                kind=kind,
                began=began,
                dialect=self.dialect(transport.url.compliant),
                workers=self.settings.max_in_flight,
                member_batch_size=self.settings.member_batch_size,
                aad_group_schema=self.settings.aad_group_schema,
                progress=self._observer(progress),
                pace=self._pace if self.settings.object_pace_minutes else None,
            )
            try:
                result = await runner.run()
            except CycleAborted as aborted:
                runner.report.requests = transport.requests_sent
                error = SynchronizationError(code=aborted.code, message=aborted.detail)
                return self._quarantined(runner.report, "EncounteredQuarantineException", error)
            result.requests = transport.requests_sent
        finally:
            await transport.aclose()
        self.memory.cycles_run += 1
        verdict = self.escrow_verdict()
        if verdict is not None:
            reason, message = verdict
            error = SynchronizationError(code=reason.removeprefix("Encountered"), message=message)
            return self._quarantined(result, reason, error)
        return self._succeeded(result)

    def escrow_verdict(self) -> tuple[QuarantineReason, str] | None:
        """Microsoft's escrow thresholds over the job's escrow counter.

        From 5,000 non-reference failures: more than 40 % of the objects, or more than 40,000;
        regardless: more than 60,000 failures of any kind. Reference failures (manager, members)
        count only towards the last rule. Which reason code the two count rules carry is not
        documented; this simulator uses EncounteredTotalEscrowThreshold for both.
        """
        settings = self.settings
        escrow = self.memory.escrow.values()
        direct = sum(1 for e in escrow if not e.reference)
        total = len(self.memory.escrow)
        linked = len(self.memory.user_ids) + len(self.memory.group_ids)
        evaluated = direct + linked
        if direct >= settings.escrow_min_failures:
            if direct / max(1, evaluated) > settings.escrow_max_proportion:
                return (
                    "EncounteredEscrowProportionThreshold",
                    f"{direct} of {evaluated} objects failed (more than "
                    f"{settings.escrow_max_proportion:.0%}).",
                )
            if direct > settings.escrow_max_failures:
                return "EncounteredTotalEscrowThreshold", f"{direct} objects failed."
        if total > settings.escrow_absolute_max:
            return "EncounteredTotalEscrowThreshold", f"{total} failures, references included."
        return None

    def _execution(
        self, report: CycleReport, error: SynchronizationError | None = None
    ) -> SynchronizationTaskExecution:
        state = "Failed" if error else ("EntryLevelErrors" if report.failed else "Succeeded")
        return SynchronizationTaskExecution(
            activity_identifier=report.cycle_id,
            count_entitled=len(self.users_in_scope())
            + sum(1 for g in self.assigned if g in self.tenant.groups),
            count_exported=report.created + report.updated + report.disabled + report.deleted,
            count_escrowed=len(self.memory.escrow),
            state=state,
            time_began=report.began,
            time_ended=report.ended or report.began,
            error=error,
        )

    def finish(self, report: CycleReport) -> CycleReport:
        report.ended = self.clock.now()
        self.reports.append(report)
        return report

    def _succeeded(self, report: CycleReport) -> CycleReport:
        self.finish(report)
        execution = self._execution(report)
        status = self.status
        status.code = "Active"
        status.quarantine = None
        status.count_successive_complete_failures = 0
        status.last_execution = execution
        status.last_successful_execution = execution
        if execution.count_exported:
            status.last_successful_execution_with_exports = execution
        if not report.failed and not self.memory.escrow:
            status.steady_state_first_achieved_time = (
                status.steady_state_first_achieved_time or report.ended
            )
            status.steady_state_last_achieved_time = report.ended
        self.next_cycle_at = self.clock.now() + timedelta(seconds=self.scale.cycle_interval)
        return report

    def _quarantined(
        self, report: CycleReport, reason: QuarantineReason, error: SynchronizationError
    ) -> CycleReport:
        self.finish(report)
        report.quarantined = True
        now = self.clock.now()
        status = self.status
        previous = status.quarantine
        count = (previous.series_count + 1) if previous else 1
        series_began = (previous.series_began if previous else None) or now
        next_attempt = series_began + self.scale.quarantine_offset(count)
        status.code = "Quarantine"
        status.count_successive_complete_failures += 1
        status.last_execution = self._execution(report, error)
        status.quarantine = SynchronizationQuarantine(
            current_began=now,
            next_attempt=next_attempt,
            reason=reason,
            series_began=series_began,
            series_count=count,
            error=error,
        )
        self.next_cycle_at = next_attempt
        if self.disabled:
            status.code = "Paused"
            self.next_cycle_at = None
        return report

    async def run(
        self,
        cycles: int | None = None,
        *,
        progress: Progress | None = None,
        on_report: Callable[[CycleReport], None] | None = None,
        before_cycle: Callable[[int], None] | None = None,
    ) -> list[CycleReport]:
        """Run cycles on the schedule (interval, or quarantine back-off) until `cycles` ran.

        `before_cycle(n)` runs before the n-th cycle of this call (from 0): the CLI reloads its
        tenant file and applies scripted directory changes there.
        """
        done: list[CycleReport] = []
        while cycles is None or len(done) < cycles:
            if before_cycle is not None:
                before_cycle(len(done))
            if self.next_cycle_at is not None:
                wait = (self.next_cycle_at - self.clock.now()).total_seconds()
                await self.clock.sleep(wait)
            report = await self.run_cycle(progress)
            done.append(report)
            if on_report:
                on_report(report)
            if self.next_cycle_at is None:  # disabled after 28 days of quarantine
                break
        return done

    async def provision_on_demand(self, user_ref: str) -> CycleReport:
        """Provision one user now (or disable them if unassigned): see `ondemand`."""
        from sandbox.entra.ondemand import OnDemand

        return await OnDemand(self).user(user_ref)

    async def provision_group_on_demand(
        self, group_ref: str, member_refs: list[str]
    ) -> CycleReport:
        """Provision one assigned group with up to five of its members now."""
        from sandbox.entra.ondemand import OnDemand

        return await OnDemand(self).group(group_ref, member_refs)
