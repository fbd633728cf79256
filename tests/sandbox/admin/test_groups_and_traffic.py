"""Received groups (10,000 of them), mappings, received users, traffic log and counters."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from sandbox.seed import SIEGE, USINE_LYON
from tests.support.sandboxes import Instance, dump_tables, stage_groups
from tests.support.scim import INTEGRATION

GROUPS = f"{INTEGRATION}/groups"


def _ten_thousand(open_instance: Callable[..., Instance], tmp_path: Path) -> Instance:
    db = tmp_path / "groups.db"
    names = [f"GRP-{(i * 7919) % 10000:05d} Équipe" for i in range(10_000)]
    stage_groups(db, names)
    instance = open_instance(db_path=db)
    instance.admin.post(INTEGRATION).raise_for_status()
    return instance


def test_ten_thousand_groups_page_in_name_order_with_total(
    open_instance: Callable[..., Instance], tmp_path: Path
) -> None:
    instance = _ten_thousand(open_instance, tmp_path)
    first = instance.admin.get(GROUPS, params={"limit": 1000}).json()
    assert first["total"] == 10_000
    assert [g["display_name"] for g in first["items"][:2]] == [
        "GRP-00000 Équipe",
        "GRP-00001 Équipe",
    ]
    seen = [g["display_name"] for g in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = instance.admin.get(GROUPS, params={"limit": 1000, "cursor": cursor}).json()
        seen += [g["display_name"] for g in page["items"]]
        cursor = page["next_cursor"]
    assert len(seen) == 10_000 == len(set(seen))
    assert seen == sorted(seen)

    search = instance.admin.get(GROUPS, params={"query": "grp-0999", "limit": 5}).json()
    assert search["total"] == 10
    assert [g["display_name"] for g in search["items"]] == [f"GRP-0999{i} Équipe" for i in range(5)]
    assert search["next_cursor"]


def test_group_paging_uses_an_index_seek_not_a_scan(tmp_path: Path) -> None:
    """Keyset pages must stay cheap at any depth: SQLite must seek in the name index."""
    from sandbox.db import connect

    conn = connect(tmp_path / "plan.db")
    plan = " ".join(
        row[3]
        for row in conn.execute(
            "EXPLAIN QUERY PLAN SELECT g.id FROM scim_groups g "
            "LEFT JOIN group_mappings m ON m.group_id = g.id WHERE 1 = 1 AND "
            "g.display_name_norm >= ? AND (g.display_name_norm, g.id) > (?, ?) "
            "ORDER BY g.display_name_norm, g.id LIMIT ?",
            ("a", "a", "b", 10),
        )
    )
    conn.close()
    assert "SEARCH g USING INDEX scim_groups_name" in plan


def test_mapping_a_group_is_stored_shown_and_removable(
    open_instance: Callable[..., Instance], tmp_path: Path
) -> None:
    db = tmp_path / "map.db"
    ids = stage_groups(db, ["Lyon - Atelier", "Lyon - Encadrement"])
    instance = open_instance(db_path=db)
    instance.admin.post(INTEGRATION).raise_for_status()

    put = instance.admin.put(
        f"{GROUPS}/{ids[1]}/mapping", json={"community_id": USINE_LYON.id, "role": "admin"}
    )
    assert put.status_code == 200
    assert put.json()["mapping"] == {"community_id": USINE_LYON.id, "role": "admin"}
    listed = instance.admin.get(GROUPS).json()["items"]
    assert [g["mapping"] for g in listed] == [
        None,
        {"community_id": USINE_LYON.id, "role": "admin"},
    ]
    # Re-mapping replaces.
    instance.admin.put(
        f"{GROUPS}/{ids[1]}/mapping", json={"community_id": SIEGE.id, "role": "user"}
    ).raise_for_status()
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT group_id, community_id, role FROM group_mappings").fetchall() == [
        (ids[1], SIEGE.id, "user")
    ]
    conn.close()

    before = dump_tables(db)
    bad_community = instance.admin.put(
        f"{GROUPS}/{ids[0]}/mapping", json={"community_id": "com_nope", "role": "user"}
    )
    assert bad_community.status_code == 422
    assert bad_community.json()["code"] == "unknown_community"
    bad_role = instance.admin.put(
        f"{GROUPS}/{ids[0]}/mapping", json={"community_id": SIEGE.id, "role": "owner"}
    )
    assert bad_role.status_code == 422
    assert dump_tables(db) == before

    assert instance.admin.delete(f"{GROUPS}/{ids[1]}/mapping").status_code == 204
    assert instance.admin.delete(f"{GROUPS}/{ids[1]}/mapping").status_code == 204
    assert all(g["mapping"] is None for g in instance.admin.get(GROUPS).json()["items"])


def test_provisioning_status_counts_mapped_groups_as_they_change(installed: Instance) -> None:
    """The journey reads this count instead of paging through every group (10,000 = 10 pages)."""
    status = f"{INTEGRATION}/provisioning"
    scim = installed.scim()
    atelier = scim.create_group("Lyon - Atelier")
    encadrement = scim.create_group("Lyon - Encadrement")

    def counts() -> tuple[int, int]:
        body = installed.admin.get(status).json()
        return body["groups_received"], body["groups_mapped"]

    assert counts() == (2, 0)
    for group_id in (atelier, encadrement):
        installed.admin.put(
            f"{GROUPS}/{group_id}/mapping", json={"community_id": SIEGE.id, "role": "user"}
        ).raise_for_status()
    assert counts() == (2, 2)
    installed.admin.put(  # re-mapping replaces: still one mapping for the group
        f"{GROUPS}/{atelier}/mapping", json={"community_id": USINE_LYON.id, "role": "admin"}
    ).raise_for_status()
    assert counts() == (2, 2)
    installed.admin.delete(f"{GROUPS}/{atelier}/mapping").raise_for_status()
    assert counts() == (2, 1)
    scim.delete_group(encadrement)  # Entra deletes a mapped group: its mapping goes with it
    assert counts() == (1, 0)


def test_received_users_and_traffic_are_reported(installed: Instance) -> None:
    scim = installed.scim()
    # Entra's Test Connection: a filter query for a user that does not exist.
    probe_filter = 'userName eq "6a2d4a5e-0b7c-4f1e-9d3a-2c8e7f6b5a41"'
    probe = scim.http.get("/Users", params={"filter": probe_filter})
    assert probe.status_code == 200
    alice = scim.create_user("alice@contoso.example", "alice@steeple-demo.fr", "Alice", "Roy")
    scim.create_user("bob@contoso.example", None, "Bob", "Ray", active=False)
    scim.create_group("Siège - Tous", [alice])
    not_found = scim.http.get("/Users/does-not-exist")
    assert not_found.status_code == 404

    received = installed.admin.get(f"{INTEGRATION}/scim-users").json()
    assert received["total"] == 2
    assert [(u["user_name"], u["email"], u["active"]) for u in received["items"]] == [
        ("alice@contoso.example", "alice@steeple-demo.fr", True),
        ("bob@contoso.example", None, False),
    ]
    assert all(u["steeple_user_id"] is None for u in received["items"])  # not activated
    search = installed.admin.get(f"{INTEGRATION}/scim-users", params={"query": "BOB"}).json()
    assert [u["user_name"] for u in search["items"]] == ["bob@contoso.example"]

    groups = installed.admin.get(GROUPS).json()
    assert [(g["display_name"], g["member_count"]) for g in groups["items"]] == [
        ("Siège - Tous", 1)
    ]

    status = installed.admin.get(f"{INTEGRATION}/provisioning").json()
    assert status["users_received"] == 2
    assert status["users_active"] == 1
    assert status["groups_received"] == 1
    assert status["requests_total"] >= 5
    assert status["errors_total"] >= 1
    assert status["last_error"]["status"] == 404
    assert status["first_request_at"] is not None
    assert status["last_test_connection_at"] is not None
    # A probe followed by provisioning is a cycle's probe: the cycle starts at it (issue 11).
    assert status["cycle_starts"] == [status["first_request_at"]]

    log = installed.admin.get(f"{INTEGRATION}/requests", params={"limit": 2}).json()
    assert len(log["items"]) == 2
    seqs = [e["seq"] for e in log["items"]]
    rest = installed.admin.get(
        f"{INTEGRATION}/requests", params={"after": log["next_cursor"], "limit": 100}
    ).json()
    seqs += [e["seq"] for e in rest["items"]]
    assert seqs == sorted(seqs) and len(seqs) == status["requests_total"]
    assert [e["method"] for e in rest["items"]][-1] == "GET"
    assert rest["items"][-1]["status"] == 404
    empty = installed.admin.get(
        f"{INTEGRATION}/requests", params={"after": rest["next_cursor"]}
    ).json()
    assert empty == {"items": [], "next_cursor": rest["next_cursor"]}
    for after in ("abc", "²", "9" * 30, "-1"):
        bad = installed.admin.get(f"{INTEGRATION}/requests", params={"after": after})
        assert bad.status_code == 422, after
        assert bad.json()["code"] in {"invalid_cursor", "invalid_request"}


def test_admin_requests_are_not_in_the_scim_log(installed: Instance) -> None:
    installed.admin.get("/users").raise_for_status()
    httpx.get(installed.server.admin_url + "/sso")  # a refused admin call
    log = installed.admin.get(f"{INTEGRATION}/requests").json()
    assert log["items"] == []


class SteppedClock:
    """A clock the test moves by hand, so cycle detection needs no sleeping."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_cycle_starts_are_bursts_after_a_quiet_gap(open_instance: Callable[..., Instance]) -> None:
    clock = SteppedClock()
    instance = open_instance(clock=clock, cycle_gap_seconds=120)
    scim = instance.scim()
    scim.http.get("/Users", params={"filter": 'userName eq "a@contoso.example"'})
    first = clock.now
    clock.now += timedelta(seconds=30)
    scim.http.get("/Users", params={"filter": 'userName eq "b@contoso.example"'})
    clock.now += timedelta(minutes=40)
    second = clock.now
    scim.http.get("/Users", params={"filter": 'userName eq "c@contoso.example"'})
    status = instance.admin.get(f"{INTEGRATION}/provisioning").json()
    assert [datetime.fromisoformat(t) for t in status["cycle_starts"]] == [first, second]
    assert datetime.fromisoformat(status["last_request_at"]) == second
    assert datetime.fromisoformat(status["first_request_at"]) == first
