"""The rotation's plan and its typed events: what `rotation/engine.py` decides and announces.

Pure: `plan_rotation` decides from the live tokens (what Entra's traffic says about them, see
`token_holder`) and what an interrupted rotation left (`rotation_journal`), so the plan that
`rotate-token` prints and the TUI shows is the one the flow then follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from assistant.rotation.journal import NEVER_IN_ENTRA, JournalStage, PendingRotation
from assistant.rotation.token_holder import Holder, read_holder
from assistant.steeple.contract import RequestLogEntry, TokenInfo


class Action(StrEnum):
    NOTHING = "nothing"
    """No live token."""
    ROTATE = "rotate"
    """One live token: replace it."""
    REPLACE = "replace"
    """Two live, the traffic tells which is Entra's: revoke the other (asked), then rotate."""
    CLEAN = "clean"
    """Two live, one left by an interrupted rotation that never reached Entra: revoke it first."""
    RESUME = "resume"
    """An interrupted rotation saved its token in Entra: wait for Entra to use it, then revoke."""
    ASK = "ask"
    """The traffic cannot tell which of two tokens Entra holds: a person must say."""


@dataclass(frozen=True)
class Plan:
    action: Action
    holder: Holder
    old: TokenInfo | None = None
    """The token to be replaced (for ASK: the one on Entra's latest provisioning — or, when
    neither ever bore one, the older of the two)."""
    other: TokenInfo | None = None
    """REPLACE/CLEAN: revoked first; RESUME: the token being waited for; ASK: the candidate."""
    pending: PendingRotation | None = None


def plan_rotation(live: list[TokenInfo], pending: PendingRotation | None = None) -> Plan:
    """What a rotation does with these live tokens, given what an interrupted one left."""
    holder = read_holder(live)
    if not live:
        return Plan(Action.NOTHING, holder)
    if len(live) == 1:
        return Plan(Action.ROTATE, holder, old=live[0])
    if pending is not None and pending.matches(live):
        new = next(t for t in live if t.id == pending.new_id)
        old = next(t for t in live if t.id == pending.old_id)
        entras_id = holder.entras.id if holder.entras is not None else None
        if pending.stage in NEVER_IN_ENTRA and entras_id != new.id:
            return Plan(Action.CLEAN, holder, old=old, other=new, pending=pending)
        if pending.stage in (JournalStage.SAVING, JournalStage.SAVED):
            return Plan(Action.RESUME, holder, old=old, other=new, pending=pending)
    if holder.certain:
        return Plan(Action.REPLACE, holder, old=holder.entras, other=holder.other)
    if holder.entras is None:  # nothing to go by: the older one first, as people list them
        older, newer = sorted(live, key=lambda t: (t.created_at, t.id))
        return Plan(Action.ASK, holder, old=older, other=newer, pending=pending)
    return Plan(Action.ASK, holder, old=holder.entras, other=holder.other, pending=pending)


class Stage(StrEnum):
    CHECKED = "checked"
    CLEANED = "cleaned"
    RESUMED = "resumed"
    CREATED = "created"
    TESTED = "tested"
    SAVED = "saved"
    NUDGED = "nudged"
    FIRST_SIGN = "first_sign"
    WAITING = "waiting"
    VERIFIED = "verified"
    REVOKED = "revoked"
    STOPPED = "stopped"


class StopReason(StrEnum):
    NO_TOKEN = "no_token"
    DECLINED = "declined"
    UNDECIDED = "undecided"
    """The traffic cannot tell which token Entra holds and no person said (or `--yes`)."""
    TEST_FAILED = "test_failed"
    CANCELLED = "cancelled"
    TIMEOUT = "timeout"
    HELD = "held"
    """The token to revoke bore Entra's latest provisioning request: never revoked."""
    ERROR = "error"


@dataclass(frozen=True)
class Checked:
    plan: Plan
    stage: Stage = Stage.CHECKED

    @property
    def old(self) -> TokenInfo | None:
        return self.plan.old

    @property
    def replaced(self) -> TokenInfo | None:
        """With two live tokens: the one revoked first (never the one on Entra's latest work)."""
        return self.plan.other if self.plan.action in (Action.REPLACE, Action.CLEAN) else None


@dataclass(frozen=True)
class Cleaned:
    """A token an interrupted rotation created and never gave Entra, revoked."""

    hint: str
    stage: Stage = Stage.CLEANED


@dataclass(frozen=True)
class Resumed:
    """An interrupted rotation's token is in Entra: the flow waits for Entra to use it."""

    hint: str
    old_hint: str
    stage: Stage = Stage.RESUMED


@dataclass(frozen=True)
class Created:
    hint: str
    stage: Stage = Stage.CREATED


@dataclass(frozen=True)
class Tested:
    stage: Stage = Stage.TESTED


@dataclass(frozen=True)
class Saved:
    via_graph: bool
    stage: Stage = Stage.SAVED


@dataclass(frozen=True)
class Nudged:
    """Entra was asked to provision this person on demand, so it works with the new token now."""

    person: str
    stage: Stage = Stage.NUDGED


@dataclass(frozen=True)
class FirstSign:
    entry: RequestLogEntry
    stage: Stage = Stage.FIRST_SIGN


@dataclass(frozen=True)
class Waiting:
    elapsed: float
    limit: float
    stage: Stage = Stage.WAITING


@dataclass(frozen=True)
class Verified:
    """Entra's provisioning now bears the new token: `entry` is its first such request seen
    (None when it came before the flow watched, on a resume), `at` the token's latest one."""

    entry: RequestLogEntry | None
    at: datetime | None
    stage: Stage = Stage.VERIFIED


@dataclass(frozen=True)
class Revoked:
    old_hint: str
    new_hint: str
    stage: Stage = Stage.REVOKED


@dataclass(frozen=True)
class Stopped:
    """The flow ended without revoking Entra's token; `live_hints` is what stays live."""

    reason: StopReason
    message: str = ""
    fix: str = ""
    live_hints: tuple[str, ...] = ()
    stage: Stage = Stage.STOPPED


RotationEvent = (
    Checked
    | Cleaned
    | Resumed
    | Created
    | Tested
    | Saved
    | Nudged
    | FirstSign
    | Waiting
    | Verified
    | Revoked
    | Stopped
)
Outcome = Revoked | Stopped
