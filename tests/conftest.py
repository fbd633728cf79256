"""Shared fixtures: a real sandbox server per test, started in-process on 127.0.0.1, port 0.

Secrets used in tests are planted, recognisable values so that leak tests can grep for them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sandbox.config import SandboxConfig
from sandbox.server import SandboxServer

ADMIN_KEY = "adm_PLANTED-admin-key-7f3c9e1d5b"


@pytest.fixture
def admin_key() -> str:
    return ADMIN_KEY


@pytest.fixture
def start_sandbox(tmp_path: Path) -> Iterator[Callable[..., SandboxServer]]:
    """Factory: `start_sandbox(seed="empty", sso=False, db_path=...)` → a running server.

    Every server started through it is stopped at the end of the test.
    """
    started: list[SandboxServer] = []

    def start(**overrides: Any) -> SandboxServer:
        options: dict[str, Any] = {"admin_key": ADMIN_KEY, "db_path": tmp_path / "steeple.db"}
        options.update(overrides)
        server = SandboxServer(SandboxConfig(**options)).start()
        started.append(server)
        return server

    yield start
    for server in reversed(started):
        server.stop()


@pytest.fixture
def sandbox(start_sandbox: Callable[..., SandboxServer]) -> SandboxServer:
    """A running demo sandbox on a fresh database file."""
    return start_sandbox()
