"""The suite's own machinery: seeded databases are copied per test, faithfully and never shared."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sandbox.config import SandboxConfig
from sandbox.server import SandboxServer
from tests.support.app import frozen_clock
from tests.support.sandboxes import (
    ADMIN_KEY,
    SeededDatabases,
    admin_client,
    dump_tables,
    stage_groups,
)
from tests.support.scim import INTEGRATION


def test_a_copied_database_is_what_seeding_in_place_makes(
    seeded_databases: SeededDatabases, tmp_path: Path
) -> None:
    for seed in ("demo", "empty", "hostile"):
        copied = tmp_path / f"copied-{seed}.db"
        seeded = tmp_path / f"seeded-{seed}.db"
        options = {"admin_key": ADMIN_KEY, "seed": seed, "clock": frozen_clock}
        seeded_databases.provide(SandboxConfig(db_path=copied, **options))
        SandboxServer(SandboxConfig(db_path=seeded, **options)).start().stop()
        assert dump_tables(copied) == dump_tables(seeded), seed
        assert copied.stat().st_mode & 0o777 == 0o600  # private, as `connect` makes it


def test_each_sandbox_gets_its_own_file(
    start_sandbox: Callable[..., SandboxServer], tmp_path: Path
) -> None:
    first = start_sandbox(db_path=tmp_path / "first.db")
    second = start_sandbox(db_path=tmp_path / "second.db")
    with admin_client(first, ADMIN_KEY) as admin:
        admin.post(INTEGRATION).raise_for_status()
    with admin_client(second, ADMIN_KEY) as admin:
        assert admin.get(INTEGRATION).json()["installed"] is False
    third = start_sandbox(db_path=tmp_path / "third.db")  # the template was not written either
    with admin_client(third, ADMIN_KEY) as admin:
        assert admin.get(INTEGRATION).json()["installed"] is False
        assert len(admin.get("/users", params={"limit": 100}).json()["items"]) == 15


def test_an_existing_database_is_never_replaced(
    start_sandbox: Callable[..., SandboxServer], tmp_path: Path
) -> None:
    db = tmp_path / "staged.db"
    stage_groups(db, ["Lyon - Atelier"])
    server = start_sandbox(db_path=db)
    with admin_client(server, ADMIN_KEY) as admin:
        admin.post(INTEGRATION).raise_for_status()
        groups = admin.get(f"{INTEGRATION}/groups").json()["items"]
    assert [group["display_name"] for group in groups] == ["Lyon - Atelier"]
