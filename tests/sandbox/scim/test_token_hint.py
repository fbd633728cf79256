"""Which token each SCIM request bore, as its hint (issue 12, point 5): what a rotation verifies by.

The hint is the last 4 characters of a token this instance issued, live or revoked; requests
bearing anything else have none. The secret itself never reaches the log.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import httpx

from sandbox.db import SCHEMA_VERSION
from sandbox.server import SandboxServer
from tests.support.scim import INTEGRATION, make_token

GUID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"


def _admin(server: SandboxServer) -> httpx.Client:
    headers = {"Authorization": f"Bearer {server.config.admin_key}"}
    return httpx.Client(base_url=server.admin_url, headers=headers, timeout=10)


def _get(server: SandboxServer, bearer: str, path: str, **params: str) -> int:
    headers = {"Authorization": f"Bearer {bearer}"}
    return httpx.get(server.scim_url + path, headers=headers, params=params).status_code


def test_each_request_carries_the_hint_of_the_token_it_bore(
    start_sandbox: Callable[..., SandboxServer],
) -> None:
    server = start_sandbox(seed="empty")
    old, new = make_token(server), make_token(server)
    assert old[-4:] != new[-4:]  # 1 in 16 million; the rotation checks for it too
    assert _get(server, old, "/Users", filter=f'userName eq "{GUID}"') == 200  # the probe
    assert _get(server, new, "/Users", filter='userName eq "ada@contoso.com"') == 200
    with _admin(server) as admin:
        tokens = admin.get(f"{INTEGRATION}/tokens").json()["tokens"]
        old_id = next(t["id"] for t in tokens if t["hint"] == old[-4:])
        assert admin.delete(f"{INTEGRATION}/tokens/{old_id}").status_code == 204
    assert _get(server, old, "/Groups") == 401  # revoked: refused, still known by its hint
    guessed = "stp_guessed-but-never-issued" + new[-4:]  # ends like a real token
    assert _get(server, guessed, "/Users") == 401

    with _admin(server) as admin:
        items = admin.get(f"{INTEGRATION}/requests", params={"limit": 100}).json()["items"]
    seen = [(e["kind"], e["status"], e["token_hint"]) for e in items]
    assert (
        seen
        == [
            ("cycle_probe", 200, old[-4:]),  # the burst went on: a cycle's probe (issue 11)
            ("user_query", 200, new[-4:]),
            ("group_query", 401, old[-4:]),
            ("user_query", 401, None),  # anonymous: a hint only for tokens this instance issued
        ]
    )
    conn = server.app.state.sandbox.conn
    dump = " ".join(str(v) for row in conn.execute("SELECT * FROM request_log") for v in row)
    for secret in (old, new, guessed):
        assert secret not in dump and secret[4:-4] not in dump


def test_a_version_4_database_gains_the_column(
    start_sandbox: Callable[..., SandboxServer],
) -> None:
    first = start_sandbox(seed="empty")
    token = make_token(first)
    assert _get(first, token, "/Users") == 200
    first.stop()
    with sqlite3.connect(first.config.db_path) as conn:  # what a v4 build wrote
        conn.execute("ALTER TABLE request_log DROP COLUMN token_hint")
        conn.execute("ALTER TABLE request_log DROP COLUMN provisioning")  # v6
        conn.execute("ALTER TABLE scim_tokens DROP COLUMN last_provisioned_at")
        conn.execute("PRAGMA user_version = 4")

    second = start_sandbox(seed="empty")
    assert second.app.state.sandbox.conn.execute("PRAGMA user_version").fetchone()[0] == (
        SCHEMA_VERSION
    )
    assert _get(second, token, "/Users") == 200
    with _admin(second) as admin:
        items = admin.get(f"{INTEGRATION}/requests").json()["items"]
    assert [e["token_hint"] for e in items] == [None, token[-4:]]  # old rows: not known
