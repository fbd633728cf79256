"""Sandboxes for tests: the planted admin key, seeded databases built once and copied, and the
admin-side helpers (an authenticated client, table dumps, bulk staging).

Seeding is per (seed, SSO, clock): a template database is migrated and seeded once per session
and each test gets its own copy of the file, so tests stay independent while none pays for the
migrations and the seed again. A database that already exists (a restart test) is never touched.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from sandbox.config import SandboxConfig, utc_now
from sandbox.server import SandboxServer
from tests.support.scim import INTEGRATION, ScimClient

ADMIN_KEY = "adm_PLANTED-admin-key-7f3c9e1d5b"
"""A planted, recognisable admin key, so that leak tests can grep for it."""


class SeededDatabases:
    """Template databases in `directory`, one per (seed, SSO, clock reading), made on demand."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._templates: dict[tuple[str, bool, str], Path] = {}

    @staticmethod
    def _key(config: SandboxConfig) -> tuple[str, bool, str]:
        # The seed stamps rows with the config's clock: a frozen clock gets a template of its own
        # (same rows as seeding in the test); the real clock's template is from this session.
        moment = "real" if config.clock is utc_now else config.clock().isoformat()
        return (config.seed, config.sso, moment)

    def _template(self, config: SandboxConfig) -> Path:
        from sandbox.db import connect
        from sandbox.seed import seed_if_new
        from sandbox.state import SandboxState

        key = self._key(config)
        template = self._templates.get(key)
        if template is None:
            template = self.directory / f"template-{len(self._templates)}.db"
            conn = connect(template)
            try:
                seeding = dataclasses.replace(config, db_path=template)
                seed_if_new(SandboxState(config=seeding, conn=conn, public_url=""))
            finally:
                conn.close()  # the last connection checkpoints the WAL: one self-contained file
            self._templates[key] = template
        return template

    def provide(self, config: SandboxConfig) -> None:
        """Put a seeded copy at `config.db_path` unless a database is already there."""
        target = str(config.db_path)
        if target == ":memory:" or Path(target).exists():
            return
        path = Path(target)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # private, as connect
        shutil.copyfile(self._template(config), path)


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
    """A sync client on the admin API with `key` as its bearer."""
    return httpx.Client(
        base_url=server.admin_url, headers={"Authorization": f"Bearer {key}"}, timeout=10
    )


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


# Tables every request touches by design (the request log, its counters, the token's
# last-used time); everything else must be byte-for-byte unchanged by a refused request.
VOLATILE_TABLES = {"request_log", "provisioning_counters", "cycle_starts", "scim_tokens"}


def stored_state(db_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every non-volatile table, read through a second connection."""
    conn = sqlite3.connect(db_path)
    try:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
            if row[0] not in VOLATILE_TABLES
        ]
        return {name: sorted(conn.execute(f"SELECT * FROM {name}"), key=repr) for name in names}
    finally:
        conn.close()


def dump_scim_tables(conn: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every SCIM-owned table, for before/after comparisons."""
    tables = ["scim_users", "scim_groups", "scim_group_members", "users", "memberships"]
    return {
        table: [tuple(row) for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2")]
        for table in tables
    }


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


def install(admin: httpx.Client) -> tuple[str, str]:
    """Install the integration and create a token: (tenant URL as Entra gets it, secret)."""
    assert admin.post(INTEGRATION).status_code in (200, 201)
    secret = admin.post(f"{INTEGRATION}/tokens").json()["secret"]
    tenant_url = admin.get(f"{INTEGRATION}/credentials").json()["tenant_url"]
    return tenant_url, secret


def all_pages(admin: httpx.Client, path: str) -> list[dict[str, Any]]:
    """Every item of a cursor-paged admin list under the integration."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": 500, **({"cursor": cursor} if cursor else {})}
        page = admin.get(f"{INTEGRATION}/{path}", params=params).json()
        items += page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            return items


def request_log(admin: httpx.Client) -> list[dict[str, Any]]:
    """The whole SCIM request log, oldest first, through the admin API."""
    items: list[dict[str, Any]] = []
    after: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": 500, **({"after": after} if after else {})}
        page = admin.get(f"{INTEGRATION}/requests", params=params).json()
        items += page["items"]
        if not page["items"]:
            return items
        after = page["next_cursor"]
