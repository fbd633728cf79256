"""Entra's provisioning job as pydantic models: its Graph status and the simulator's cycle reports.

The job status mirrors Microsoft Graph's `synchronizationJob.status` field for field (camelCase on
the wire): the sandbox's simulated job keeps it, the Graph emulator serves it, and the assistant's
Graph client reads a real Entra job with the same model.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

JobCode = Literal["NotConfigured", "NotRun", "Active", "Paused", "Quarantine"]
QuarantineReason = Literal[
    "EncounteredBaseEscrowThreshold",
    "EncounteredTotalEscrowThreshold",
    "EncounteredEscrowProportionThreshold",
    "EncounteredQuarantineException",
    "QuarantinedOnDemand",
    "TooManyDeletes",
    "Unknown",
]
CycleKind = Literal["initial", "incremental", "on-demand"]


class GraphModel(BaseModel):
    """camelCase on the wire like Graph; snake_case in Python."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class SynchronizationError(GraphModel):
    code: str
    message: str
    tenant_actionable: bool = True


class SynchronizationQuarantine(GraphModel):
    current_began: datetime
    next_attempt: datetime
    reason: QuarantineReason
    series_began: datetime
    series_count: int
    error: SynchronizationError | None = None


class SynchronizationTaskExecution(GraphModel):
    activity_identifier: str
    count_entitled: int = 0
    count_exported: int = 0
    count_escrowed: int = 0
    state: Literal["Succeeded", "Failed", "EntryLevelErrors"] = "Succeeded"
    time_began: datetime
    time_ended: datetime
    error: SynchronizationError | None = None


class SynchronizationProgress(GraphModel):
    """Graph's progress of the running cycle: objects done out of objects to evaluate."""

    completed_units: int
    total_units: int
    progress_observation_date_time: datetime


class SynchronizationJobStatus(GraphModel):
    code: JobCode = "NotRun"
    count_successive_complete_failures: int = 0
    escrows_pruned: bool = False
    last_execution: SynchronizationTaskExecution | None = None
    last_successful_execution: SynchronizationTaskExecution | None = None
    last_successful_execution_with_exports: SynchronizationTaskExecution | None = None
    quarantine: SynchronizationQuarantine | None = None
    steady_state_first_achieved_time: datetime | None = None
    steady_state_last_achieved_time: datetime | None = None
    progress: list[SynchronizationProgress] = Field(default_factory=list)


class ProvisioningLogEntry(BaseModel):
    """One per-object line, like Entra's provisioning logs."""

    cycle_id: str
    object_type: Literal["User", "Group"]
    source_id: str
    source_name: str
    target_id: str | None = None
    action: Literal["Create", "Update", "Disable", "Enable", "Delete", "Skip", "Other"]
    status: Literal["success", "failure", "skipped"]
    error_code: str | None = None
    detail: str = ""


class CycleReport(BaseModel):
    """What one cycle did; counts are objects, `requests` is SCIM requests sent."""

    cycle_id: str
    kind: CycleKind
    began: datetime
    ended: datetime | None = None
    processed: int = 0
    created: int = 0
    updated: int = 0
    disabled: int = 0
    deleted: int = 0
    skipped: int = 0
    failed: int = 0
    requests: int = 0
    quarantined: bool = False
    entries: list[ProvisioningLogEntry] = Field(default_factory=list)
