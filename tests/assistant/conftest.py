"""Fixtures for the assistant core: a client on the sandbox, fault peers, an isolated config dir."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from assistant.steeple.client import SteepleClient
from sandbox.server import SandboxServer
from tests.support.faults import FaultyApp
from tests.support.servers import ThreadedServer


@pytest.fixture(autouse=True)
def isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings go to a temp dir; no key leaks in from the developer's environment."""
    config = tmp_path / "config"
    monkeypatch.setenv("STEEPLE_ASSISTANT_CONFIG_DIR", str(config))
    monkeypatch.delenv("STEEPLE_API_KEY", raising=False)
    return config


@pytest.fixture
async def client(sandbox: SandboxServer, admin_key: str) -> AsyncIterator[SteepleClient]:
    async with SteepleClient(sandbox.base_url, admin_key, timeout=5.0) as steeple:
        yield steeple


@pytest.fixture(scope="module")
def faulty() -> Iterator[tuple[ThreadedServer, FaultyApp]]:
    app = FaultyApp()
    with ThreadedServer(app) as server:
        yield server, app
