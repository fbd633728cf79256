"""What Entra keeps for one job between cycles, and how it survives a process (`--state PATH`).

Links (source objectId → target SCIM id) are kept apart from the watermark (the values last
exported): "Restart provisioning" clears watermark, escrows and quarantine but "doesn't break the
links between source and target objects" (learn.microsoft.com/entra/identity/app-provisioning/
how-provisioning-works). The saved state holds no secret: the token is never part of it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class EscrowEntry:
    """One object (or one reference) that failed, and when it is retried.

    `reference` marks a failed manager or member update: those do not count towards the
    40 % / 40,000 quarantine rules, only towards the 60,000 absolute one.
    """

    error_code: str
    failures: int = 1
    retry_at_cycle: int = 0
    reference: bool = False


ESCROW_MAX_SKIP = 32
"""Cycles skipped at most between two retries of one escrowed object."""


@dataclass
class JobMemory:
    """Links, watermark and escrows of one job."""

    user_ids: dict[str, str] = field(default_factory=dict)
    user_exported: dict[str, dict[str, Any]] = field(default_factory=dict)
    unmanaged: set[str] = field(default_factory=set)
    """Users disabled because they left scope: no longer managed, so never deleted later."""
    group_ids: dict[str, str] = field(default_factory=dict)
    group_names: dict[str, str] = field(default_factory=dict)
    group_members: dict[str, set[str]] = field(default_factory=dict)
    """objectId → user objectIds known to be members on the target; absent = not known."""
    escrow: dict[str, EscrowEntry] = field(default_factory=dict)
    cycles_run: int = 0
    skipped: dict[str, str] = field(default_factory=dict)
    """Never-linked users skipped (disabled, soft-deleted) → why: logged again only if that
    changes, as an incremental cycle sees only changes."""

    def escrow_failure(self, key: str, code: str, *, reference: bool = False) -> None:
        """Record a failure; the next retry comes 1, 2, 4, 8… cycles later (a gradual back-off).

        Microsoft documents that failed objects are "continually retried, gradually scaling back
        the frequency of retries" without the intervals; doubling is this simulator's choice.
        """
        entry = self.escrow.get(key)
        failures = entry.failures + 1 if entry else 1
        skip = min(2 ** (failures - 1), ESCROW_MAX_SKIP)
        self.escrow[key] = EscrowEntry(code, failures, self.cycles_run + skip, reference)

    def due(self, key: str) -> bool:
        """False while an escrowed object waits for its next retry."""
        entry = self.escrow.get(key)
        return entry is None or entry.retry_at_cycle <= self.cycles_run

    def forget_watermark(self) -> None:
        """Restart: re-evaluate everything, but keep the links."""
        self.user_exported.clear()
        self.group_names.clear()
        self.group_members.clear()
        self.escrow.clear()
        self.skipped.clear()
        self.cycles_run = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "user_ids": self.user_ids,
            "user_exported": self.user_exported,
            "unmanaged": sorted(self.unmanaged),
            "group_ids": self.group_ids,
            "group_names": self.group_names,
            "group_members": {k: sorted(v) for k, v in self.group_members.items()},
            "escrow": {k: asdict(v) for k, v in self.escrow.items()},
            "cycles_run": self.cycles_run,
            "skipped": self.skipped,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> JobMemory:
        return cls(
            user_ids=dict(data.get("user_ids", {})),
            user_exported={k: dict(v) for k, v in data.get("user_exported", {}).items()},
            unmanaged=set(data.get("unmanaged", [])),
            group_ids=dict(data.get("group_ids", {})),
            group_names=dict(data.get("group_names", {})),
            group_members={k: set(v) for k, v in data.get("group_members", {}).items()},
            escrow={k: EscrowEntry(**v) for k, v in data.get("escrow", {}).items()},
            cycles_run=int(data.get("cycles_run", 0)),
            skipped=dict(data.get("skipped", {})),
        )
