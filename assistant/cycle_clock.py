"""When will Entra call next? Estimates from observed cycles, never promises.

Entra runs an incremental cycle every 25–40 minutes once the initial one is over, and documents
0.01–0.08 minutes per object for the initial cycle. Everything is pure with an injectable `now`, so
screens and snapshot tests show stable times.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from assistant.contract import ProvisioningStatus

INCREMENTAL_MIN = timedelta(minutes=25)
INCREMENTAL_MAX = timedelta(minutes=40)
MINUTES_PER_OBJECT_MIN = 0.01
MINUTES_PER_OBJECT_MAX = 0.08


@dataclass(frozen=True)
class CycleWindow:
    """A time window; `overdue` when `now` is already past its end."""

    earliest: datetime
    latest: datetime
    overdue: bool = False


def _now(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(UTC)


def next_incremental_cycle(
    cycle_starts: Sequence[datetime], now: datetime | None = None
) -> CycleWindow | None:
    """The window of the next cycle after the last observed one; None before any cycle."""
    if not cycle_starts:
        return None
    last = max(cycle_starts)
    window = CycleWindow(last + INCREMENTAL_MIN, last + INCREMENTAL_MAX)
    return CycleWindow(window.earliest, window.latest, overdue=_now(now) > window.latest)


def initial_cycle_eta(object_count: int, started_at: datetime) -> CycleWindow:
    """When the initial cycle should end, from the number of users + groups assigned."""
    count = max(0, object_count)
    return CycleWindow(
        started_at + timedelta(minutes=count * MINUTES_PER_OBJECT_MIN),
        started_at + timedelta(minutes=count * MINUTES_PER_OBJECT_MAX),
    )


def next_cycle(status: ProvisioningStatus, now: datetime | None = None) -> CycleWindow | None:
    """Next incremental cycle from the status: observed cycle starts, else the first request."""
    starts = list(status.cycle_starts)
    if not starts and status.first_request_at is not None:
        starts = [status.first_request_at]
    return next_incremental_cycle(starts, now)


def describe_window(window: CycleWindow, now: datetime | None = None) -> str:
    """'in 12–27 min' / 'any minute now' — for a status line."""
    current = _now(now)
    if window.overdue or window.latest <= current:
        return "any minute now (overdue)"
    low = max(0, int((window.earliest - current).total_seconds() // 60))
    high = max(low, int((window.latest - current).total_seconds() // 60))
    return f"in {low}–{high} min" if low != high else f"in about {low} min"
