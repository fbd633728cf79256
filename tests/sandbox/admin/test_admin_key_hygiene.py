"""The admin key and the database files (issue 10, point 10).

`sandbox serve` refuses an admin key shorter than 16 characters; repeated wrong keys from one
client address get 429 with `Retry-After`, but the right key is checked first and always gets
through (issue 20, point 3: nobody can lock the administrator out by sending wrong keys from the
same address); the throttle's memory stays bounded however many addresses flood it; the SQLite
database and its `-wal` / `-shm` companions are created owner-only (0600), whatever the umask.
"""

from __future__ import annotations

import asyncio
import os
import ssl
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from sandbox.server import SandboxServer
from tests.support.sandboxes import ADMIN_KEY


@pytest.mark.slow  # a subprocess
@pytest.mark.parametrize("where", ["flag", "environment"])
def test_serve_refuses_an_admin_key_under_16_characters(tmp_path: Path, where: str) -> None:
    short = "adm_short-key15"  # 15 characters
    command = [sys.executable, "-m", "assistant.cli", "sandbox", "serve", "--port", "0"]
    command += ["--db", str(tmp_path / "short.db")]
    env = dict(os.environ)
    if where == "flag":
        command += ["--admin-key", short]
    else:
        env["STEEPLE_SANDBOX_ADMIN_KEY"] = short
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 2
    assert "at least 16 characters" in result.stderr
    assert short not in result.stderr + result.stdout  # the refused key is not echoed
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "short.db").exists()


def _admin(server: SandboxServer, key: str, **kwargs: object) -> httpx.Client:
    headers = {"Authorization": f"Bearer {key}"}
    return httpx.Client(base_url=server.admin_url, headers=headers, timeout=15, **kwargs)  # type: ignore[arg-type]


def test_repeated_wrong_admin_keys_get_429_with_retry_after(
    start_sandbox: Callable[..., SandboxServer],
) -> None:
    server = start_sandbox(admin_failure_burst=5, admin_failure_refill_per_second=0.001)
    with _admin(server, ADMIN_KEY) as admin:
        assert admin.get("/sso").status_code == 200
    with _admin(server, "adm_wrong-guess-0000") as guesser:
        assert [guesser.get("/sso").status_code for _ in range(5)] == [401] * 5
        refused = guesser.get("/sso")
    assert refused.status_code == 429
    assert refused.json()["code"] == "too_many_attempts"
    assert int(refused.headers["Retry-After"]) >= 1
    other = httpx.HTTPTransport(local_address="127.0.0.2")  # all of 127/8 is loopback
    with _admin(server, "adm_wrong-guess-0001", transport=other) as neighbour:
        assert neighbour.get("/sso").status_code == 401  # its own allowance, untouched


def test_25_wrong_keys_then_the_right_one_gets_200(
    start_sandbox: Callable[..., SandboxServer],
) -> None:
    """The acceptance of issue 20: someone else's failures never refuse the right key."""
    server = start_sandbox()  # the default allowance: 20 wrong keys per address
    with _admin(server, "adm_wrong-guess-0000") as guesser:
        statuses = [guesser.get("/sso").status_code for _ in range(25)]
    assert statuses[:20] == [401] * 20 and statuses[20:] == [429] * 5
    with _admin(server, ADMIN_KEY) as same_address:
        assert same_address.get("/sso").status_code == 200
        assert same_address.post("/integrations/azure-ad").status_code == 200  # a write too
    with _admin(server, "adm_wrong-guess-0000") as guesser:  # still counted: still refused
        assert guesser.get("/sso").status_code == 429


async def test_a_flood_from_a_thousand_addresses_keeps_the_throttle_bounded(
    start_sandbox: Callable[..., SandboxServer],
) -> None:
    """1,000 distinct client addresses (real ones: 127.0.x.y is all loopback) each send a
    wrong key: the throttle remembers at most its bound, and the right key still works.
    (`tests/reliability/test_limits.py` measures its memory under 100,000 addresses.)"""
    server = start_sandbox(admin_failure_burst=1, admin_failure_refill_per_second=0.001)
    throttle = server.app.state.admin_failures
    slots = asyncio.Semaphore(32)
    tls = ssl.create_default_context()  # built once: httpx would load the CA bundle per client

    async def wrong_key_from(n: int) -> int:
        address = f"127.0.{3 + n // 250}.{1 + n % 250}"
        transport = httpx.AsyncHTTPTransport(local_address=address, verify=tls)
        headers = {"Authorization": "Bearer adm_flood-0000000000"}
        async with slots, httpx.AsyncClient(transport=transport, headers=headers) as client:
            return (await client.get(server.admin_url + "/sso")).status_code

    statuses = await asyncio.gather(*(wrong_key_from(n) for n in range(1000)))
    assert set(statuses) == {401}
    assert len(throttle) <= 1024
    assert len(throttle) >= 900  # each counted, bar the refilled ones a full table forgets
    with _admin(server, ADMIN_KEY) as admin:
        assert admin.get("/sso").status_code == 200


def test_the_sqlite_files_are_created_owner_only(
    start_sandbox: Callable[..., SandboxServer], tmp_path: Path
) -> None:
    previous = os.umask(0o022)  # the common default, which would give 0644
    try:
        server = start_sandbox(seed="demo", db_path=tmp_path / "private.db")
        with _admin(server, ADMIN_KEY) as admin:  # a write, so -wal and -shm exist
            assert admin.post("/integrations/azure-ad").status_code == 200
        files = sorted(tmp_path.glob("private.db*"))
        assert [f.name for f in files] == ["private.db", "private.db-shm", "private.db-wal"]
        for path in files:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    finally:
        os.umask(previous)


def test_an_existing_world_readable_database_is_tightened(
    start_sandbox: Callable[..., SandboxServer], tmp_path: Path
) -> None:
    db_path = tmp_path / "old.db"
    start_sandbox(seed="empty", db_path=db_path).stop()
    db_path.chmod(0o644)  # as an older build left it
    start_sandbox(seed="empty", db_path=db_path)
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
