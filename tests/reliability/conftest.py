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
from tests.support.scim import scim_client, token_for

settings.register_profile(
    "reliability",
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`deep` runs (minutes of property-based search) only when asked for with `-m deep`."""
    if "deep" in (config.getoption("markexpr", "") or ""):
        return
    skip = pytest.mark.skip(reason="a deep run: select it with -m deep")
    for item in items:
        if "deep" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def empty_sandbox(start_sandbox: Callable[..., SandboxServer]) -> SandboxServer:
    return start_sandbox(seed="empty")


@pytest.fixture
def scim(empty_sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with scim_client(empty_sandbox, token_for(empty_sandbox), timeout=15) as client:
        yield client
