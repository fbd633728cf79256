"""SCIM test fixtures: a running sandbox, a live SCIM token, and an httpx client that uses it
(bodies and helpers in `tests/support/scim.py`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from sandbox.server import SandboxServer
from tests.support.sandboxes import dump_scim_tables
from tests.support.scim import make_token, scim_client


@pytest.fixture
def sandbox(start_sandbox: Callable[..., SandboxServer]) -> SandboxServer:
    """SCIM tests need no demo company: an empty instance starts faster."""
    return start_sandbox(seed="empty")


@pytest.fixture(scope="module")
def module_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SandboxServer, str]]:
    """One empty sandbox and a live SCIM token for a whole module: a suite that runs once."""
    from sandbox.config import SandboxConfig
    from tests.support.sandboxes import ADMIN_KEY

    db_path = tmp_path_factory.mktemp("scim") / "steeple.db"
    config = SandboxConfig(admin_key=ADMIN_KEY, db_path=db_path, seed="empty")
    with SandboxServer(config) as server:
        yield server, make_token(server)


@pytest.fixture
def scim_token(sandbox: SandboxServer) -> str:
    return make_token(sandbox)


@pytest.fixture
def scim(sandbox: SandboxServer, scim_token: str) -> Iterator[httpx.Client]:
    """A client on `/scim/v2` sending Entra's headers (SCIM JSON with charset, bearer token)."""
    with scim_client(sandbox, scim_token) as client:
        yield client


@pytest.fixture
def dump(sandbox: SandboxServer) -> Callable[[], dict[str, list[tuple[Any, ...]]]]:
    return lambda: dump_scim_tables(sandbox.app.state.sandbox.conn)
