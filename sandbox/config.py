"""How a sandbox instance is configured: what `sandbox serve` flags and tests set."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

Seed = Literal["demo", "empty", "hostile"]


def utc_now() -> datetime:
    """The real clock; tests pass a frozen one instead."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class SandboxConfig:
    """Everything a sandbox instance needs to start.

    `public_url` is the address Entra would use (e.g. behind a tunnel); when empty, the server
    fills it from the host and port it actually bound.
    """

    admin_key: str
    db_path: str | Path = ":memory:"
    seed: Seed = "demo"
    sso: bool = True
    public_url: str = ""
    with_entra: bool = False
    with_graph: bool = False
    """With `with_entra`: also serve the Graph and login emulators over TLS (`sandbox/graph/`)."""
    graph_port: int = 0
    """The login and Graph emulators' port (0: any); they bind 127.0.0.1 whatever the sandbox's
    own host, as a token service must not be offered to the network (sandbox/graph/mount.py)."""
    graph_replication_delay: float = 0.0
    """Seconds a new app stays invisible to Graph after instantiate (Microsoft: "It is not
    instant"); `sandbox serve` sets a realistic one, tests a few seconds where they create apps."""
    entra_licence: Literal["free", "p1"] = "p1"
    """The simulated tenant's tier: "free" refuses group assignment and the provisioning logs as
    Graph does on a tenant without Entra ID P1/P2."""
    entra_pace: bool = False
    """Pace the hosted job's cycles as Entra does (0.01–0.08 min per object, scaled); off for
    tests, so a cycle takes the time its requests take."""
    request_log_limit: int = 5000
    max_body_bytes: int = 1_000_000
    max_page_size: int = 1000
    body_read_timeout_seconds: float = 30.0
    """A request body must arrive within this time (else 408): stalled senders are cut off."""
    scim_rate_limit_per_second: float | None = 1000.0
    """Per-token SCIM request rate (bursts of one second's worth); None switches it off."""
    anonymous_log_limit: int = 500
    """Rows kept for requests without a valid token: their own ring, apart from Entra's."""
    anonymous_rate_limit_per_second: float | None = 2.0
    """Requests without a valid token, per client address (bursts of `anonymous_burst`)."""
    anonymous_burst: float = 30.0
    admin_failure_burst: float = 20.0
    """Wrong admin keys allowed per client address before 429 (then one per refill)."""
    admin_failure_refill_per_second: float = 0.1
    cycle_gap_seconds: float = 120.0
    """A SCIM request after this much silence starts a new burst, as Entra's probe always does;
    a burst is recorded as a cycle by `sandbox.scim.request_log._track_cycle`."""
    entra_cycle_interval: float = 20.0
    """Seconds between the hosted Entra simulator's incremental cycles (real Entra: ~40 min)."""
    clock: Callable[[], datetime] = field(default=utc_now)
