"""SCIM Groups over real HTTP: Entra's group sync, every member-change form, stored counts."""

from __future__ import annotations

from typing import Any

import httpx

from sandbox.server import SandboxServer
from tests.support.scim import GROUP_SCHEMA, entra_user, scim_patch

ADSCIM = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"


def make_users(scim: httpx.Client, count: int) -> list[str]:
    ids = []
    for index in range(count):
        response = scim.post("/Users", json=entra_user(f"member{index}@contoso.com"))
        assert response.status_code == 201
        ids.append(response.json()["id"])
    return ids


def make_group(scim: httpx.Client, name: str, members: list[str]) -> dict[str, Any]:
    body = {
        "schemas": [GROUP_SCHEMA, ADSCIM],
        "externalId": f"ext-{name}",
        "displayName": name,
        "members": [{"value": m} for m in members],
    }
    response = scim.post("/Groups", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def member_ids(scim: httpx.Client, group_id: str) -> set[str]:
    return {m["value"] for m in scim.get(f"/Groups/{group_id}").json()["members"]}


def counts(sandbox: SandboxServer, group_id: str) -> tuple[int, int]:
    row = sandbox.app.state.sandbox.conn.execute(
        "SELECT member_count, nested_group_count FROM scim_groups WHERE id = ?", (group_id,)
    ).fetchone()
    return row[0], row[1]


def test_create_group_with_adscim_schema_and_members(
    scim: httpx.Client, sandbox: SandboxServer
) -> None:
    users = make_users(scim, 2)
    group = make_group(scim, "Usine de Lyon", users)
    assert group["schemas"] == [GROUP_SCHEMA, ADSCIM]
    assert group["meta"]["resourceType"] == "Group"
    assert {m["value"] for m in group["members"]} == set(users)
    assert member_ids(scim, group["id"]) == set(users)
    assert counts(sandbox, group["id"]) == (2, 0)
    groups_received = sandbox.app.state.sandbox.conn.execute(
        "SELECT groups_received FROM provisioning_counters"
    ).fetchone()[0]
    assert groups_received == 1


def test_entra_group_queries(scim: httpx.Client) -> None:
    users = make_users(scim, 2)
    group = make_group(scim, "Commerciaux", [users[0]])
    make_group(scim, "Siège", [])
    by_name = scim.get(
        "/Groups",
        params={"filter": 'displayName eq "commerciaux"', "excludedAttributes": "members"},
    ).json()
    assert by_name["totalResults"] == 1
    assert "members" not in by_name["Resources"][0]
    assert by_name["Resources"][0]["id"] == group["id"]
    by_external = scim.get("/Groups", params={"filter": 'externalId eq "ext-Siège"'}).json()
    assert [g["displayName"] for g in by_external["Resources"]] == ["Siège"]
    member_check = f'id eq "{group["id"]}" and members[value eq "{users[0]}"]'
    hit = scim.get(
        "/Groups", params={"filter": member_check, "excludedAttributes": "members"}
    ).json()
    assert hit["totalResults"] == 1 and "members" not in hit["Resources"][0]
    miss = f'id eq "{group["id"]}" and members[value eq "{users[1]}"]'
    assert scim.get("/Groups", params={"filter": miss}).json()["totalResults"] == 0
    read = scim.get(f"/Groups/{group['id']}", params={"excludedAttributes": "members"}).json()
    assert "members" not in read and read["displayName"] == "Commerciaux"


def test_member_add_and_remove_only_the_listed_ones_legacy_form(
    scim: httpx.Client, sandbox: SandboxServer
) -> None:
    users = make_users(scim, 4)
    group = make_group(scim, "G", users[:3])
    response = scim_patch(
        scim,
        "Groups",
        group["id"],
        {"op": "Remove", "path": "members", "value": [{"value": users[0]}, {"value": users[1]}]},
    )
    assert response.status_code == 204
    assert member_ids(scim, group["id"]) == {users[2]}
    response = scim_patch(
        scim,
        "Groups",
        group["id"],
        {"op": "Add", "path": "members", "value": [{"value": users[3]}]},
    )
    assert response.status_code == 204
    assert member_ids(scim, group["id"]) == {users[2], users[3]}
    assert counts(sandbox, group["id"]) == (2, 0)


def test_member_removal_by_value_path_filter(scim: httpx.Client, sandbox: SandboxServer) -> None:
    users = make_users(scim, 3)
    group = make_group(scim, "G", users)
    response = scim_patch(
        scim, "Groups", group["id"], {"op": "remove", "path": f'members[value eq "{users[1]}"]'}
    )
    assert response.status_code == 204
    assert member_ids(scim, group["id"]) == {users[0], users[2]}
    scim_patch(
        scim,
        "Groups",
        group["id"],
        {"op": "remove", "path": f'members[value eq "{users[0]}" or type eq "Group"]'},
    )
    assert member_ids(scim, group["id"]) == {users[2]}
    assert counts(sandbox, group["id"]) == (1, 0)


def test_rename_replace_members_and_nested_groups(
    scim: httpx.Client, sandbox: SandboxServer
) -> None:
    users = make_users(scim, 2)
    child = make_group(scim, "Child", [])
    group = make_group(scim, "Parent", [users[0]])
    response = scim_patch(
        scim,
        "Groups",
        group["id"],
        {"op": "Replace", "path": "displayName", "value": "Parent Renamed"},
        {
            "op": "replace",
            "path": "members",
            "value": [{"value": users[1]}, {"value": child["id"]}],
        },
    )
    assert response.status_code == 204
    fetched = scim.get(f"/Groups/{group['id']}").json()
    assert fetched["displayName"] == "Parent Renamed"
    assert {(m["value"], m["type"]) for m in fetched["members"]} == {
        (users[1], "User"),
        (child["id"], "Group"),
    }
    assert counts(sandbox, group["id"]) == (1, 1)
    assert scim.delete(f"/Groups/{child['id']}").status_code == 204
    assert counts(sandbox, group["id"]) == (1, 0)


def test_path_less_replace_on_group(scim: httpx.Client) -> None:
    users = make_users(scim, 1)
    group = make_group(scim, "Old", [])
    scim_patch(
        scim,
        "Groups",
        group["id"],
        {"op": "Add", "value": {"displayName": "New", "members": [{"value": users[0]}]}},
    )
    fetched = scim.get(f"/Groups/{group['id']}").json()
    assert fetched["displayName"] == "New"
    assert [m["value"] for m in fetched["members"]] == users


def test_put_group_then_delete(scim: httpx.Client, sandbox: SandboxServer) -> None:
    users = make_users(scim, 2)
    group = make_group(scim, "G", [users[0]])
    body = {"schemas": [GROUP_SCHEMA], "displayName": "G2", "members": [{"value": users[1]}]}
    response = scim.put(f"/Groups/{group['id']}", json=body)
    assert response.status_code == 200
    assert response.json()["meta"]["version"] == 'W/"2"'
    assert member_ids(scim, group["id"]) == {users[1]}
    assert scim.delete(f"/Groups/{group['id']}").status_code == 204
    assert scim.get(f"/Groups/{group['id']}").status_code == 404
    conn = sandbox.app.state.sandbox.conn
    assert conn.execute("SELECT COUNT(*) FROM scim_group_members").fetchone()[0] == 0
    assert conn.execute("SELECT groups_received FROM provisioning_counters").fetchone()[0] == 0


def test_deleting_a_user_removes_it_from_groups(scim: httpx.Client, sandbox: SandboxServer) -> None:
    users = make_users(scim, 2)
    group = make_group(scim, "G", users)
    assert scim.delete(f"/Users/{users[0]}").status_code == 204
    assert member_ids(scim, group["id"]) == {users[1]}
    assert counts(sandbox, group["id"]) == (1, 0)
