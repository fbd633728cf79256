"""The inbound request log and traffic counters: what the assistant's provisioning step reads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from sandbox.server import SandboxServer
from tests.support.scim import GROUP_SCHEMA, PATCH_SCHEMA, SCIM_JSON, entra_user, make_token

TEST_CONNECTION_GUID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
PLANTED_WRONG_TOKEN = "stp_PLANTED-wrong-token-never-logged-4b1d"


class FakeClock:
    """A clock the test moves by hand, so cycle detection needs no sleeping."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def server(start_sandbox: Callable[..., SandboxServer], clock: FakeClock) -> SandboxServer:
    return start_sandbox(seed="empty", clock=clock, cycle_gap_seconds=120)


def client_for(server: SandboxServer, token: str) -> httpx.Client:
    return httpx.Client(
        base_url=server.scim_url,
        headers={"Authorization": f"Bearer {token}", "Content-Type": SCIM_JSON},
    )


def rows(server: SandboxServer, sql: str) -> list[dict[str, Any]]:
    return [dict(r) for r in server.app.state.sandbox.conn.execute(sql)]


def counters(server: SandboxServer) -> dict[str, Any]:
    return rows(server, "SELECT * FROM provisioning_counters")[0]


def test_entries_kinds_summaries_and_counters(server: SandboxServer, clock: FakeClock) -> None:
    token = make_token(server)
    with client_for(server, token) as scim:
        test_filter = f'userName eq "{TEST_CONNECTION_GUID}"'
        assert scim.get("/Users", params={"filter": test_filter}).status_code == 200
        clock.advance(1)
        users = [scim.post("/Users", json=entra_user(f"u{i}@contoso.com")).json() for i in range(3)]
        group = scim.post(
            "/Groups",
            json={
                "schemas": [GROUP_SCHEMA],
                "displayName": "G",
                "members": [{"value": users[0]["id"]}],
            },
        ).json()
        patch = {
            "schemas": [PATCH_SCHEMA],
            "Operations": [
                {"op": "Add", "path": "members", "value": [{"value": u["id"]} for u in users[1:]]},
                {"op": "Remove", "path": "members", "value": [{"value": users[0]["id"]}]},
            ],
        }
        assert scim.patch(f"/Groups/{group['id']}", json=patch).status_code == 204
        assert scim.get("/Users/unknown-id").status_code == 404
    assert httpx.get(server.scim_url + "/Users").status_code == 401

    log = rows(server, "SELECT * FROM request_log ORDER BY seq")
    # The probe opened a burst that went on to provision: it was a cycle's probe (issue 11).
    assert [(r["method"], r["kind"], r["status"]) for r in log] == [
        ("GET", "cycle_probe", 200),
        ("POST", "user_create", 201),
        ("POST", "user_create", 201),
        ("POST", "user_create", 201),
        ("POST", "group_create", 201),
        ("PATCH", "group_update", 204),
        ("GET", "user_read", 404),
        ("GET", "user_query", 401),
    ]
    assert log[0]["path"].startswith("/scim/v2/Users?filter=userName")
    assert log[1]["summary"] == "userName=u0@contoso.com"
    assert log[5]["summary"] == "members +2 -1"
    assert log[1]["time"] == clock.now.isoformat()
    assert all(r["latency_ms"] >= 0 for r in log)

    # The anonymous 401 is logged in its own ring and counts for nothing (issue 10, point 8).
    assert [r["anonymous"] for r in log] == [0] * 7 + [1]
    status = counters(server)
    assert status["requests_total"] == 7
    assert status["errors_total"] == 1
    assert status["last_error_seq"] == log[-2]["seq"]
    assert status["last_test_connection_at"] == log[0]["time"]
    assert status["last_test_connection_status"] == 200
    assert status["first_request_at"] == log[0]["time"]
    assert status["last_request_at"] == log[-1]["time"]
    assert (status["users_received"], status["users_active"], status["groups_received"]) == (
        3,
        3,
        1,
    )
    token_row = rows(server, "SELECT last_used_at FROM scim_tokens")[0]
    assert token_row["last_used_at"] == clock.now.isoformat()

    # The admin API's provisioning status reads the same counters.
    admin = httpx.get(
        server.admin_url + "/integrations/azure-ad/provisioning",
        headers={"Authorization": f"Bearer {server.config.admin_key}"},
    ).json()
    assert admin["users_received"] == 3 and admin["groups_received"] == 1
    assert admin["requests_total"] == 7 and admin["errors_total"] == 1


def test_test_connection_shape_is_exact() -> None:
    from sandbox.scim.request_log import classify

    guid_filter = f"filter=userName+eq+%22{TEST_CONNECTION_GUID}%22"
    assert classify("GET", "/Users", guid_filter) == "test_connection"
    assert classify("GET", "/Users", guid_filter + "&aadOptscim062020") == "test_connection"
    assert classify("GET", "/Users", guid_filter + "&count=1") == "user_query"
    assert classify("GET", "/Users", "filter=userName+eq+%22alice%40contoso.com%22") == (
        "user_query"
    )
    assert classify("GET", "/Groups", guid_filter) == "group_query"
    assert classify("GET", "/ServiceProviderConfig", "") == "discovery"
    assert classify("DELETE", "/Groups/x", "") == "group_delete"


def test_cycle_starts_after_silence(server: SandboxServer, clock: FakeClock) -> None:
    """A burst starts a cycle; a probe-only burst does so only once a cycle has been seen."""
    token = make_token(server)
    probe = {"filter": f'userName eq "{TEST_CONNECTION_GUID}"'}
    with client_for(server, token) as scim:
        scim.get("/Users", params=probe)  # the admin's Test Connection: not a cycle
        clock.advance(600)
        first = clock.now
        scim.get("/Users", params={"filter": 'userName eq "a@b.c"'})
        clock.advance(30)
        scim.get("/Users", params={"filter": 'userName eq "a@b.c"'})
        clock.advance(600)
        quiet = clock.now
        scim.get("/Users", params=probe)  # an incremental cycle with nothing to change
        clock.advance(600)
        second = clock.now
        scim.get("/Groups")
        clock.advance(119)
        scim.get("/Groups")
    starts = [r["time"] for r in rows(server, "SELECT time FROM cycle_starts ORDER BY time")]
    assert starts == [first.isoformat(), quiet.isoformat(), second.isoformat()]
    kinds = [r["kind"] for r in rows(server, "SELECT kind FROM request_log ORDER BY seq")]
    assert kinds[0] == "test_connection" and kinds[3] == "cycle_probe"


def test_log_is_bounded(start_sandbox: Callable[..., SandboxServer]) -> None:
    server = start_sandbox(seed="empty", request_log_limit=5)
    with client_for(server, make_token(server)) as scim:
        for _ in range(70):
            scim.get("/Users")
    log = rows(server, "SELECT seq FROM request_log ORDER BY seq")
    assert len(log) < 70
    assert log[-1]["seq"] == 70  # newest kept
    assert counters(server)["requests_total"] == 70


def test_no_token_in_log_or_database_file(
    start_sandbox: Callable[..., SandboxServer], tmp_path: Path
) -> None:
    db_path = tmp_path / "leak.db"
    server = start_sandbox(seed="empty", db_path=db_path)
    token = make_token(server)
    with client_for(server, token) as scim:
        user = scim.post("/Users", json=entra_user("z@contoso.com")).json()
        scim.get(f"/Users/{user['id']}")
        scim.post("/Users", content=b"{broken")
    httpx.get(
        server.scim_url + "/Users", headers={"Authorization": f"Bearer {PLANTED_WRONG_TOKEN}"}
    )
    for row in rows(server, "SELECT * FROM request_log"):
        text = repr(row)
        assert token not in text and PLANTED_WRONG_TOKEN not in text
        assert "Bearer" not in text
    server.app.state.sandbox.conn.execute("PRAGMA wal_checkpoint(FULL)")
    for path in tmp_path.glob("leak.db*"):
        data = path.read_bytes()
        assert token.encode() not in data, path.name
        assert PLANTED_WRONG_TOKEN.encode() not in data, path.name
