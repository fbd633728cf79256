"""SCIM test fixtures: a running sandbox, a live SCIM token, and an httpx client that uses it."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from sandbox.config import SandboxConfig
from sandbox.server import SandboxServer
from tests.conftest import ADMIN_KEY

SCIM_JSON = "application/scim+json; charset=utf-8"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
INTEGRATION = "/integrations/azure-ad"


def make_token(server: SandboxServer) -> str:
    """A live SCIM token from the admin API (installing the integration first, idempotently)."""
    headers = {"Authorization": f"Bearer {server.config.admin_key}"}
    with httpx.Client(base_url=server.admin_url, headers=headers) as admin:
        admin.post(f"{INTEGRATION}").raise_for_status()
        created = admin.post(f"{INTEGRATION}/tokens")
        created.raise_for_status()
        return str(created.json()["secret"])


@pytest.fixture
def sandbox(start_sandbox: Callable[..., SandboxServer]) -> SandboxServer:
    """SCIM tests need no demo company: an empty instance starts faster."""
    return start_sandbox(seed="empty")


@pytest.fixture(scope="module")
def module_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SandboxServer, str]]:
    """One empty sandbox and a live SCIM token for a whole module: a suite that runs once."""
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
    with httpx.Client(
        base_url=sandbox.scim_url,
        headers={"Authorization": f"Bearer {scim_token}", "Content-Type": SCIM_JSON},
        timeout=10,
    ) as client:
        yield client


def dump_scim_tables(conn: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every SCIM-owned table, for before/after comparisons."""
    tables = ["scim_users", "scim_groups", "scim_group_members", "users", "memberships"]
    return {
        table: [tuple(row) for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2")]
        for table in tables
    }


@pytest.fixture
def dump(sandbox: SandboxServer) -> Callable[[], dict[str, list[tuple[Any, ...]]]]:
    return lambda: dump_scim_tables(sandbox.app.state.sandbox.conn)


def entra_user(user_name: str, **extra: Any) -> dict[str, Any]:
    """A POST /Users body shaped like Entra's default attribute mapping."""
    local = user_name.split("@")[0]
    body: dict[str, Any] = {
        "schemas": [USER_SCHEMA, ENTERPRISE],
        "externalId": local,
        "userName": user_name,
        "active": True,
        "displayName": local.title(),
        "emails": [{"primary": True, "type": "work", "value": user_name}],
        "name": {"formatted": local.title(), "familyName": local.title(), "givenName": "Test"},
        ENTERPRISE: {"department": "Sales"},
    }
    body.update(extra)
    return body
