"""Time for the simulated job: real, compressed, or driven by a test.

Entra's schedule (incremental cycle every ~40 minutes, quarantine back-off of 6 h, 12 h, 24 h, then
daily, disabled after 28 days) is expressed in Entra time and multiplied by one `scale`, so a
`--cycle-interval 5s` run keeps the same proportions as the real service.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Protocol

ENTRA_CYCLE = timedelta(minutes=40)
ENTRA_OBJECT_PACE = (0.01, 0.08)
"""Minutes per object in a real initial cycle ("0.01 to 0.08 minutes per object", Microsoft's
"How long will it take to provision users"); scaled like the cycle interval. Only with
`--pace` (`SandboxConfig.entra_pace`): tests run a cycle as fast as its requests go."""
QUARANTINE_BACKOFF = (timedelta(hours=6), timedelta(hours=12), timedelta(hours=24))
QUARANTINE_DAILY = timedelta(hours=24)
QUARANTINE_GIVE_UP = timedelta(days=28)


class SimClock(Protocol):
    """What the job needs from time: read it, and wait on it."""

    def now(self) -> datetime: ...

    async def sleep(self, seconds: float) -> None: ...


class RealClock:
    """Wall-clock time; waiting really waits (scaled durations are already short)."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


class ManualClock:
    """For tests: `sleep` advances time instantly; `advance` moves it by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)

    async def sleep(self, seconds: float) -> None:
        self.advance(max(0.0, seconds))
        await asyncio.sleep(0)


def parse_duration(text: str) -> float:
    """'5s', '2m', '1h', '40' (seconds) → seconds; raises ValueError with a clear message."""
    raw = text.strip().lower()
    units = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
    for suffix in ("ms", "s", "m", "h"):
        if raw.endswith(suffix):
            number, factor = raw[: -len(suffix)], units[suffix]
            break
    else:
        number, factor = raw, 1.0
    try:
        value = float(number) * factor
    except ValueError:
        raise ValueError(f"not a duration: {text!r} (try 5s, 2m or 1h)") from None
    if value <= 0:
        raise ValueError(f"a duration must be positive: {text!r}")
    return value


class TimeScale:
    """Maps Entra time to simulated seconds: `cycle_interval` stands for Entra's 40 minutes."""

    def __init__(self, cycle_interval: float = ENTRA_CYCLE.total_seconds()) -> None:
        self.cycle_interval = cycle_interval
        self.factor = cycle_interval / ENTRA_CYCLE.total_seconds()

    def scaled(self, entra: timedelta) -> timedelta:
        return entra * self.factor

    def quarantine_offset(self, series_count: int) -> timedelta:
        """When retry `series_count` comes, counted from the first failure of the series.

        "The first retry will happen in 6 hours. The second retry happens 12 hours after the
        first failure. The third retry happens 24 hours after the first failure. There will be
        retries every 24 hours after the 3rd retry" (learn.microsoft.com/entra/identity/
        app-provisioning/application-provisioning-quarantine-status, "Retry duration").
        """
        index = max(1, series_count)
        if index <= len(QUARANTINE_BACKOFF):
            return self.scaled(QUARANTINE_BACKOFF[index - 1])
        extra = index - len(QUARANTINE_BACKOFF)
        return self.scaled(QUARANTINE_BACKOFF[-1] + QUARANTINE_DAILY * extra)
