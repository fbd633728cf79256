"""What the journey needs from the simulated Entra tenant (sandbox mode only).

The simulator's host client is written separately (`assistant/entra_sim_client.py`); this module
reads it defensively, by duck typing, so the journey keeps working if that client's shape moves and
never fails because the simulator is unavailable: Entra facts are a bonus; the instance is truth.
"""

from __future__ import annotations

import inspect
import logging
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EntraFacts:
    """The simulated provisioning job as far as the journey cares."""

    assigned_groups: int = 0
    state: str | None = None
    quarantined: bool = False
    reason: str | None = None


async def _maybe_call(target: object, *names: str) -> Any:
    for name in names:
        member = getattr(target, name, None)
        if member is None:
            continue
        value = member() if callable(member) else member
        if inspect.isawaitable(value):
            value = await value
        return value
    return None


def _field(obj: Any, *names: str) -> Any:
    for name in names:
        if isinstance(obj, dict) and name in obj:
            return obj[name]
        if hasattr(obj, name):
            return getattr(obj, name)
    return None


async def load_entra_facts(entra: object) -> EntraFacts | None:
    """Ask the simulator client for its job status and assignments; None if it cannot say."""
    try:
        status = await _maybe_call(entra, "job_status", "get_job_status", "status")
        assignments = _field(status, "assigned_groups", "assigned_group_ids", "assignments")
        if assignments is None:
            assigned = await _maybe_call(entra, "assignments", "get_assignments")
            assignments = _field(assigned, "group_ids", "groups", "items") if assigned else None
            if assignments is None and isinstance(assigned, list):
                assignments = assigned
        if assignments is None:  # a simulator job object rather than the host client
            assignments = _field(entra, "assigned", "assigned_group_ids")
        count = assignments if isinstance(assignments, int) else len(assignments or [])
        inner = _field(status, "status") or status
        state = _field(inner, "code", "state")
        quarantine = _field(inner, "quarantine")
        reason = _field(quarantine, "reason") if quarantine else None
        state_text = str(state) if state is not None else None
        quarantined = bool(quarantine) or (state_text or "").lower() == "quarantine"
        return EntraFacts(count, state_text, quarantined, str(reason) if reason else None)
    except Exception:  # the simulator is optional: never let it break the journey
        log.debug("could not read the Entra simulator's status", exc_info=False)
        return None
