"""Fixtures for the admin API tests: an authenticated client on a demo instance, and the same with
the Azure AD integration installed (helpers in `tests/support/sandboxes.py`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from sandbox.server import SandboxServer
from tests.support.sandboxes import Instance, admin_client
from tests.support.scim import INTEGRATION


@pytest.fixture
def open_instance(
    start_sandbox: Callable[..., SandboxServer], admin_key: str, tmp_path: Path
) -> Iterator[Callable[..., Instance]]:
    """Factory: start a sandbox (config overrides as keywords) with an admin client on it."""
    clients: list[httpx.Client] = []

    def open_(**overrides: Any) -> Instance:
        overrides.setdefault("db_path", tmp_path / "steeple.db")
        server = start_sandbox(**overrides)
        client = admin_client(server, admin_key)
        clients.append(client)
        return Instance(server=server, admin=client, db_path=Path(overrides["db_path"]))

    yield open_
    for client in clients:
        client.close()


@pytest.fixture
def demo(open_instance: Callable[..., Instance]) -> Instance:
    """The demo company, integration not installed."""
    return open_instance()


@pytest.fixture
def installed(demo: Instance) -> Instance:
    """The demo company with the Azure AD integration installed."""
    demo.admin.post(INTEGRATION).raise_for_status()
    return demo
