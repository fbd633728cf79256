"""Fixtures for the admin API tests: an authenticated client, an installed integration, a
SCIM client speaking Entra's dialect (for the activation semantics), and table dumps that prove
a refused request changed nothing."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from sandbox.server import SandboxServer
from tests.admin.scim_client import ScimClient

INTEGRATION = "/integrations/azure-ad"


@dataclass
class Instance:
    """A running sandbox with an admin client on it (and, once asked for, a SCIM client)."""

    server: SandboxServer
    admin: httpx.Client
    db_path: Path

    def scim(self) -> ScimClient:
        """Install the integration if needed, create a token and return a SCIM client."""
        if not self.admin.get(INTEGRATION).json()["installed"]:
            self.admin.post(INTEGRATION).raise_for_status()
        created = self.admin.post(f"{INTEGRATION}/tokens")
        created.raise_for_status()
        return ScimClient(self.server.scim_url, created.json()["secret"])


def admin_client(server: SandboxServer, key: str) -> httpx.Client:
    return httpx.Client(
        base_url=server.admin_url, headers={"Authorization": f"Bearer {key}"}, timeout=10
    )


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


def dump_tables(db_path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, read through a second connection (WAL makes this safe)."""
    conn = sqlite3.connect(db_path)
    try:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {
            name: sorted(conn.execute(f"SELECT * FROM {name}").fetchall(), key=repr)
            for name in names
        }
    finally:
        conn.close()


def stage_groups(db_path: Path, names: list[str]) -> list[str]:
    """Bulk-stage received groups straight into a (not yet served) database; returns their ids.

    Only for volume (10,000 groups through HTTP would make the suite slow); behaviour tests
    stage through the real SCIM endpoint instead.
    """
    from sandbox.db import connect, transaction

    conn = connect(db_path)
    ids = [f"grp-{index:05d}" for index in range(len(names))]
    try:
        with transaction(conn):
            conn.executemany(
                "INSERT INTO scim_groups (id, display_name, display_name_norm, resource, "
                "member_count, created_at, modified_at) VALUES (?, ?, ?, '{}', ?, ?, ?)",
                [
                    (gid, name, name.lower(), index % 7, "2026-01-01T00:00:00+00:00", "x")
                    for index, (gid, name) in enumerate(zip(ids, names, strict=True))
                ],
            )
    finally:
        conn.close()
    return ids
