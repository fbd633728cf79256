"""What Entra says about the provisioning job, read off Graph's `synchronizationJob.status`.

Graph's status is rich but scattered (`code`, `progress`, `lastExecution`, `quarantine`, steady
state); screens and headless commands want one flat record of it. Texts from Entra (error
messages, names) stay raw here: the caller renders them through `safe_text`.

Read as Graph writes it: a job never steady carries year-1 steady-state times (absent here, so
it is not "steady" and its initial-cycle progress shows); a quarantine may carry empty dates and
reason (absent, never a crash); a code or reason this version does not know is kept as Entra's
word for the caller to show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from assistant.entra.graph_models import ProvisioningObjectSummary, SynchronizationJob


@dataclass(frozen=True)
class JobFacts:
    state: str
    """Graph's synchronizationStatus.code: NotConfigured, NotRun, Active, Paused or Quarantine."""
    steady: bool
    """steadyStateFirstAchievedTime is set: the initial cycle finished with nothing pending."""
    in_initial_cycle: bool
    progress: tuple[int, int] | None
    """(completed units, total units) of the running or last cycle, when Graph says."""
    users_in_scope: int | None
    assigned_groups: int
    last_run: datetime | None
    last_counts: dict[str, int] = field(default_factory=dict)
    """entitled / exported / escrowed of lastExecution (else lastSuccessfulExecution)."""
    quarantine_reason: str | None = None
    next_retry: datetime | None = None
    last_error: str | None = None
    """Terminal-unsafe raw text from Entra: callers render it safely."""
    credentials_saved: bool = True
    """Entra holds a tenant URL and token for the job: its code is past NotConfigured ("No
    authorization was provided"). Test Connection alone does not get it there. `job_facts`
    always sets it; the default keeps facts made by hand (a job taken as configured) as they
    were."""
    quarantine_count: int = 0
    """How many times in this series the quarantine was re-evaluated and kept (seriesCount)."""


@dataclass(frozen=True)
class LogLine:
    """One provisioning-log entry: who (`target`), what was done, and why it failed."""

    time: datetime
    action: str
    status: str
    target: str
    error_code: str
    reason: str


def job_facts(
    job: SynchronizationJob | None, *, assigned_groups: int, users_in_scope: int | None
) -> JobFacts:
    if job is None:
        return JobFacts(
            state="NotConfigured",
            steady=False,
            in_initial_cycle=False,
            progress=None,
            users_in_scope=users_in_scope,
            assigned_groups=assigned_groups,
            last_run=None,
            credentials_saved=False,
        )
    status = job.status
    execution = status.last_execution or status.last_successful_execution
    quarantine = status.quarantine
    steady = status.steady_state_first_achieved_time is not None
    progress = status.progress[-1] if status.progress else None
    error = (quarantine.error if quarantine else None) or (execution.error if execution else None)
    # The first cycle runs until it ends once: "Active" with no execution yet, or "NotRun"
    # ("configured, and possibly started, but hasn't completed its first run") with progress.
    running_first = status.last_execution is None and (
        status.code == "Active" or (status.code == "NotRun" and progress is not None)
    )
    return JobFacts(
        state=status.code,
        steady=steady,
        in_initial_cycle=running_first and not steady,
        progress=(progress.completed_units, progress.total_units) if progress else None,
        users_in_scope=users_in_scope,
        assigned_groups=assigned_groups,
        last_run=(execution.time_ended or execution.time_began) if execution else None,
        last_counts={
            "entitled": execution.count_entitled,
            "exported": execution.count_exported,
            "escrowed": execution.count_escrowed,
        }
        if execution
        else {},
        quarantine_reason=quarantine.reason if quarantine else None,
        next_retry=quarantine.next_attempt if quarantine else None,
        last_error=error_text(error.code, error.message) if error else None,
        credentials_saved=status.code != "NotConfigured",
        quarantine_count=quarantine.series_count if quarantine else 0,
    )


def error_text(code: str | None, message: str | None) -> str | None:
    """ "code: message", either part alone, or None when Entra gave neither."""
    parts = [part for part in (code, message) if part]
    return ": ".join(parts) or None


def log_line(entry: ProvisioningObjectSummary) -> LogLine:
    info = entry.provisioning_status_info
    error = info.error_information if info else None
    source, target = entry.source_identity, entry.target_identity
    who = (source.display_name or source.id) if source else None
    who = who or ((target.display_name or target.id) if target else None)
    return LogLine(
        time=entry.activity_date_time,
        action=entry.provisioning_action or "",
        status=(info.status or "") if info else "",
        target=who or "",
        error_code=(error.error_code or "") if error else "",
        reason=(error.reason or "") if error else "",
    )
