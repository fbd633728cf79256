"""When will Entra call next? Estimates from observed cycles, never promises.

Entra runs an incremental cycle every 25–40 minutes once the initial one is over, and documents
0.01–0.08 minutes per object for the initial cycle. Everything is pure with an injectable `now`, so
screens and snapshot tests show stable times.

The cycle starts come from the instance's traffic, which cannot tell an on-demand run ("Provision
one person now") from a cycle. Signed in to Entra, its own word settles it (issue 19, point 10):
until the job reports a finished cycle, what the traffic counted was not a cycle, and the clock
says no cycle has run rather than learning an interval from on-demand runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from assistant.i18n.translate import t
from assistant.steeple.contract import ProvisioningStatus

if TYPE_CHECKING:
    from assistant.entra.facts import JobFacts

INCREMENTAL_MIN = timedelta(minutes=25)
INCREMENTAL_MAX = timedelta(minutes=40)


@dataclass(frozen=True)
class CycleWindow:
    """A time window; `overdue` when `now` is past its end, `stopped` when past twice its span.

    `learned` says the span comes from observed gaps between cycles rather than Entra's
    documented 25–40 minutes.
    """

    earliest: datetime
    latest: datetime
    overdue: bool = False
    stopped: bool = False
    learned: bool = False


def _now(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(UTC)


def next_incremental_cycle(
    cycle_starts: Sequence[datetime], now: datetime | None = None
) -> CycleWindow | None:
    """The window of the next cycle, counted from the last observed start; None before any.

    The interval is learnt from the observed gaps between starts (shortest to longest) as soon
    as there are two; before that, Entra's documented 25–40 minutes. Past twice the window's
    end (measured from the last start), Entra has most likely stopped rather than being late.
    """
    if not cycle_starts:
        return None
    starts = sorted(cycle_starts)
    gaps = [later - earlier for earlier, later in zip(starts, starts[1:], strict=False)]
    gaps = [gap for gap in gaps if gap > timedelta(0)]
    low, high = (min(gaps), max(gaps)) if gaps else (INCREMENTAL_MIN, INCREMENTAL_MAX)
    last = starts[-1]
    current = _now(now)
    return CycleWindow(
        last + low,
        last + high,
        overdue=current > last + high,
        stopped=current > last + 2 * high,
        learned=bool(gaps),
    )


def next_cycle(
    status: ProvisioningStatus, now: datetime | None = None, entra: JobFacts | None = None
) -> CycleWindow | None:
    """Next incremental cycle from the cycle starts the instance observed; None before any.

    Never from the first request: that is usually a Test Connection, and counting from it made
    the estimate wrong from the first minute. With Entra's view (`entra`), none either while
    Entra has run no cycle: the traffic seen was on-demand runs.
    """
    if not entra_ran_a_cycle(entra):
        return None
    return next_incremental_cycle(list(status.cycle_starts), now)


def entra_ran_a_cycle(entra: JobFacts | None) -> bool:
    """False only when Entra itself says its job has not run a cycle yet (None, or no job at
    all: it cannot say)."""
    if entra is None or entra.state == "NotConfigured":
        return True
    return entra.last_run is not None or entra.in_initial_cycle


def describe_window(window: CycleWindow, now: datetime | None = None, lang: str = "en") -> str:
    """'in 12–27 min' / 'any minute now (overdue)' / 'seems to have stopped' — for a status line."""
    current = _now(now)
    if window.stopped:
        return t("clock.stopped", lang)
    if window.overdue or window.latest <= current:
        return t("clock.overdue", lang)
    low_s = max(0, int((window.earliest - current).total_seconds()))
    high_s = max(low_s, int((window.latest - current).total_seconds()))
    if high_s < 120:  # a compressed (simulated) clock: minutes would all read "0"
        if low_s == high_s:
            return t("clock.about_s", lang, n=low_s)
        return t("clock.range_s", lang, low=low_s, high=high_s)
    low, high = low_s // 60, high_s // 60
    if low == high:
        return t("clock.about_min", lang, n=low)
    return t("clock.range_min", lang, low=low, high=high)


def cycle_line(
    status: ProvisioningStatus,
    now: datetime | None = None,
    lang: str = "en",
    entra: JobFacts | None = None,
) -> str:
    """The provisioning screen's clock line: last cycle, the learnt interval, the next one.

    `entra` (signed in): Entra's view of the job, so on-demand runs do not read as cycles.
    """
    window = next_cycle(status, now, entra)
    if window is None:
        return t("clock.none", lang)
    if window.stopped:
        last = status.cycle_starts[-1] if status.cycle_starts else None
        seconds = int((_now(now) - last).total_seconds()) if last else 0
        return t("clock.stopped_line", lang, since=_span(seconds, seconds))  # "45 s", "3 min"
    count = len(status.cycle_starts)
    text = t("clock.next", lang, when=describe_window(window, now, lang))
    if window.learned:
        gap_low = int((window.earliest - status.cycle_starts[-1]).total_seconds())
        gap_high = int((window.latest - status.cycle_starts[-1]).total_seconds())
        text += " " + t("clock.learned", lang, count=count, interval=_span(gap_low, gap_high))
    return text


def _span(low_s: int, high_s: int) -> str:
    if high_s < 120:
        return f"{low_s} s" if low_s == high_s else f"{low_s}–{high_s} s"
    low, high = low_s // 60, high_s // 60
    return f"{low} min" if low == high else f"{low}–{high} min"
