"""Reliability fixtures: a SCIM client per sandbox and bounded, deterministic hypothesis runs.

Hypothesis is derandomized (fixed examples in CI) with no deadline: every example is real HTTP
to a real server, whose latency is not what these tests measure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest
from hypothesis import HealthCheck, settings

from sandbox.server import SandboxServer
from tests.scim.conftest import SCIM_JSON, make_token

settings.register_profile(
    "reliability",
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


def scim_client(server: SandboxServer, token: str) -> httpx.Client:
    """A client on `/scim/v2` sending Entra's headers with `token`."""
    return httpx.Client(
        base_url=server.scim_url,
        headers={"Authorization": f"Bearer {token}", "Content-Type": SCIM_JSON},
        timeout=15,
    )


def token_for(server: SandboxServer) -> str:
    """One live SCIM token per server, reused (an instance keeps at most two live tokens)."""
    token: str | None = getattr(server, "_reliability_token", None)
    if token is None:
        token = make_token(server)
        server._reliability_token = token  # type: ignore[attr-defined]
    return token


@pytest.fixture
def empty_sandbox(start_sandbox: Callable[..., SandboxServer]) -> SandboxServer:
    return start_sandbox(seed="empty")


@pytest.fixture
def scim(empty_sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with scim_client(empty_sandbox, token_for(empty_sandbox)) as client:
        yield client
