"""Entra's provisioning job as pydantic models: its Graph status and the simulator's cycle reports.

The job status follows Microsoft Graph's `synchronizationStatus` as the v1.0 CSDL declares it
(msgraph-metadata `clean_v10_metadata/cleanMetadata.xml`, read at f54f11b6): camelCase on the
wire, nullable where the CSDL says so, and read as Graph really answers. Microsoft's own examples
carry `steadyStateFirstAchievedTime: "0001-01-01T00:00:00Z"` for a job that was never steady
(the property is `Nullable="false"`, so "never" is the year-1 date, not null), and quarantines
whose dates and reason are empty strings (synchronizationjob-get.md): both read as absent here.
Enumerations are open: a value this version does not know is kept as Entra's word, never a
crash. The sandbox's simulated job keeps this same model; the Graph emulator serves it back in
Graph's own form (`sandbox/graph/synchronization.py`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.alias_generators import to_camel

JobCode = Literal["NotConfigured", "NotRun", "Active", "Paused", "Quarantine"]
"""synchronizationStatusCode (CSDL). The model keeps any other value Entra may add."""
JOB_CODES: tuple[str, ...] = ("NotConfigured", "NotRun", "Active", "Paused", "Quarantine")
QuarantineReason = Literal[
    "EncounteredBaseEscrowThreshold",
    "EncounteredTotalEscrowThreshold",
    "EncounteredEscrowProportionThreshold",
    "EncounteredQuarantineException",
    "Unknown",
    "QuarantinedOnDemand",
    "TooManyDeletes",
    "IngestionInterrupted",
]
"""quarantineReason as v1.0's CSDL lists it (IngestionInterrupted included)."""
CycleKind = Literal["initial", "incremental", "on-demand"]
NEVER = "0001-01-01T00:00:00Z"
"""How Graph writes "never" in a non-nullable DateTimeOffset (Microsoft's job examples)."""


def _absent_time(value: Any) -> Any:
    """Empty strings and the year-1 date are Graph's ways of saying "no such time"."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.startswith("0001-01-01"):
        return None
    if isinstance(value, datetime) and value.year == 1:
        return None
    return value


def _absent_text(value: Any) -> Any:
    return None if value == "" else value


def _no_list(value: Any) -> Any:
    return [] if value is None else value


GraphTime = Annotated[datetime | None, BeforeValidator(_absent_time)]
"""A Graph DateTimeOffset: None when absent, empty or Graph's year-1 "never"."""
GraphText = Annotated[str | None, BeforeValidator(_absent_text)]
"""A Graph string (or open enumeration): None when absent or empty."""


class GraphModel(BaseModel):
    """camelCase on the wire like Graph; snake_case in Python; unknown properties ignored."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


class SynchronizationError(GraphModel):
    code: GraphText = None
    message: GraphText = None
    tenant_actionable: bool = False


class SynchronizationQuarantine(GraphModel):
    current_began: GraphTime = None
    next_attempt: GraphTime = None
    reason: GraphText = None
    """quarantineReason (see `QuarantineReason`); any other value is kept as Entra sent it."""
    series_began: GraphTime = None
    series_count: int = 0
    error: SynchronizationError | None = None


class SynchronizationTaskExecution(GraphModel):
    activity_identifier: GraphText = None
    count_entitled: int = 0
    count_exported: int = 0
    count_escrowed: int = 0
    state: GraphText = "Succeeded"
    """synchronizationTaskExecutionResult: Succeeded, Failed, EntryLevelErrors (open)."""
    time_began: GraphTime = None
    time_ended: GraphTime = None
    error: SynchronizationError | None = None


class SynchronizationProgress(GraphModel):
    """Graph's progress of the running cycle: objects done out of objects to evaluate."""

    completed_units: int
    total_units: int
    progress_observation_date_time: GraphTime = None


class SynchronizationJobStatus(GraphModel):
    code: str = "NotConfigured"
    """synchronizationStatusCode (`JOB_CODES`); kept as Entra sent it when new."""
    count_successive_complete_failures: int = 0
    escrows_pruned: bool = False
    last_execution: SynchronizationTaskExecution | None = None
    last_successful_execution: SynchronizationTaskExecution | None = None
    last_successful_execution_with_exports: SynchronizationTaskExecution | None = None
    quarantine: SynchronizationQuarantine | None = None
    steady_state_first_achieved_time: GraphTime = None
    steady_state_last_achieved_time: GraphTime = None
    progress: Annotated[list[SynchronizationProgress], BeforeValidator(_no_list)] = Field(
        default_factory=list
    )
    troubleshooting_url: GraphText = None


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
