"""When Entra calls next: estimated from observed cycles, said as a window, never a promise."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from assistant.journey.cycle_clock import (
    cycle_line,
    describe_window,
    next_cycle,
    next_incremental_cycle,
)
from assistant.steeple.contract import ProvisioningStatus

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_next_incremental_cycle_window() -> None:
    """One observed start: Entra's documented 25–40 min, counted from that start."""
    window = next_incremental_cycle([T0], now=T0 + timedelta(minutes=5))
    assert window is not None
    assert window.earliest == T0 + timedelta(minutes=25)
    assert window.latest == T0 + timedelta(minutes=40)
    assert not window.overdue and not window.learned
    assert describe_window(window, T0 + timedelta(minutes=5)) == "in 20–35 min"
    assert describe_window(window, T0 + timedelta(minutes=5), "fr") == "dans 20 à 35 min"
    late = next_incremental_cycle([T0], now=T0 + timedelta(minutes=41))
    assert late is not None and late.overdue and not late.stopped
    assert describe_window(late, T0 + timedelta(minutes=41)) == "any minute now (overdue)"
    assert next_incremental_cycle([], now=T0) is None


def test_the_interval_is_learnt_from_observed_gaps_of_any_length() -> None:
    starts = [T0 - timedelta(minutes=75), T0 - timedelta(minutes=45), T0]
    window = next_incremental_cycle(starts, now=T0 + timedelta(minutes=5))
    assert window is not None and window.learned
    assert window.earliest == T0 + timedelta(minutes=30)
    assert window.latest == T0 + timedelta(minutes=45)


def test_past_twice_the_window_entra_seems_stopped_not_overdue() -> None:
    status = ProvisioningStatus(
        sync_active=False,
        users_received=1,
        users_active=1,
        groups_received=0,
        requests_total=3,
        errors_total=0,
        cycle_starts=[T0],
    )
    assert next_cycle(status, T0 + timedelta(minutes=80)).stopped is False  # type: ignore[union-attr]
    later = T0 + timedelta(minutes=81)
    window = next_cycle(status, later)
    assert window is not None and window.stopped
    line = cycle_line(status, later)
    assert "overdue" not in line and "stopped" in line
    assert "Provisioning Status" in line and "quarantine" in line and "Token" in line
    assert "arrêté" in cycle_line(status, later, lang="fr")


def test_a_stop_under_a_minute_is_said_in_seconds() -> None:
    """Issue 23: compressed (simulated) cycles stop within a minute: "no cycle for 0 min" said
    nothing; seconds under a minute, minutes above."""
    starts = [T0, T0 + timedelta(seconds=10), T0 + timedelta(seconds=20)]
    status = ProvisioningStatus(
        sync_active=False,
        users_received=1,
        users_active=1,
        groups_received=0,
        requests_total=3,
        errors_total=0,
        cycle_starts=starts,
    )
    line = cycle_line(status, starts[-1] + timedelta(seconds=45))
    assert "no cycle for 45 s" in line and "0 min" not in line
    long_status = status.model_copy(update={"cycle_starts": [T0]})
    assert "no cycle for 81 min" in cycle_line(long_status, T0 + timedelta(minutes=81))


def test_the_first_request_is_not_a_cycle_start() -> None:
    """Counting from the first request (a Test Connection, usually) made the estimate wrong."""
    status = ProvisioningStatus(
        sync_active=False,
        users_received=1,
        users_active=1,
        groups_received=0,
        requests_total=3,
        errors_total=0,
        first_request_at=T0,
    )
    assert next_cycle(status, now=T0) is None


def test_compressed_cycles_are_estimated_from_observed_gaps() -> None:
    starts = [T0, T0 + timedelta(seconds=20), T0 + timedelta(seconds=41)]
    window = next_incremental_cycle(starts, now=starts[-1] + timedelta(seconds=5))
    assert window is not None
    assert window.earliest == starts[-1] + timedelta(seconds=20)
    assert window.latest == starts[-1] + timedelta(seconds=21)
    assert describe_window(window, starts[-1] + timedelta(seconds=5)) == "in 15–16 s"


def test_a_lone_test_connection_is_not_a_cycle() -> None:
    status = ProvisioningStatus(
        sync_active=False,
        users_received=0,
        users_active=0,
        groups_received=0,
        requests_total=1,
        errors_total=0,
        first_request_at=T0,
        last_test_connection_at=T0,
    )
    assert next_cycle(status, now=T0) is None
