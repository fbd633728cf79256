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
    """The window of the next cycle after the last observed one; None before any cycle.

    Entra documents 25–40 minutes between cycles. When every observed gap is shorter than that
    (a simulated tenant on a compressed clock), the observed gaps are the better estimate.
    """
    if not cycle_starts:
        return None
    starts = sorted(cycle_starts)
    gaps = [later - earlier for earlier, later in zip(starts, starts[1:], strict=False)]
    low, high = INCREMENTAL_MIN, INCREMENTAL_MAX
    if gaps and max(gaps) < INCREMENTAL_MIN:
        low, high = min(gaps), max(gaps)
    last = starts[-1]
    return CycleWindow(last + low, last + high, overdue=_now(now) > last + high)


def initial_cycle_eta(object_count: int, started_at: datetime) -> CycleWindow:
    """When the initial cycle should end, from the number of users + groups assigned."""
    count = max(0, object_count)
    return CycleWindow(
        started_at + timedelta(minutes=count * MINUTES_PER_OBJECT_MIN),
        started_at + timedelta(minutes=count * MINUTES_PER_OBJECT_MAX),
    )


def next_cycle(status: ProvisioningStatus, now: datetime | None = None) -> CycleWindow | None:
    """Next incremental cycle from the status: observed cycle starts, else the first request.

    The first-request fallback applies only once objects have arrived: a lone Test Connection
    is not a provisioning cycle, and no cycle runs before provisioning is started in Entra.
    """
    starts = list(status.cycle_starts)
    received = status.users_received or status.groups_received
    if not starts and received and status.first_request_at is not None:
        starts = [status.first_request_at]
    return next_incremental_cycle(starts, now)


def describe_window(window: CycleWindow, now: datetime | None = None, lang: str = "en") -> str:
    """'in 12–27 min' / 'any minute now' — for a status line, in `lang`."""
    from assistant.i18n import t

    current = _now(now)
    if window.overdue or window.latest <= current:
        return t("cycle.overdue", lang)
    low_s = max(0, int((window.earliest - current).total_seconds()))
    high_s = max(low_s, int((window.latest - current).total_seconds()))
    if high_s < 120:  # a compressed (simulated) clock: minutes would all read "0"
        if low_s != high_s:
            return t("cycle.range_s", lang, low=low_s, high=high_s)
        return t("cycle.about_s", lang, value=low_s)
    low, high = low_s // 60, high_s // 60
    if low != high:
        return t("cycle.range_min", lang, low=low, high=high)
    return t("cycle.about_min", lang, value=low)
