"""A member's `display` reads back as written (RFC 7643 §2.4), on POST, PUT and PATCH.

When none was written — Entra never sends one — the member's current displayName is shown,
so renaming a user is visible in every group without rewriting them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import httpx

from sandbox.db import SCHEMA_VERSION
from sandbox.server import SandboxServer
from tests.support.scim import GROUP_SCHEMA, entra_user, make_token, scim_patch


def _user(scim: httpx.Client, user_name: str) -> str:
    response = scim.post("/Users", json=entra_user(user_name))
    assert response.status_code == 201
    return str(response.json()["id"])


def _displays(scim: httpx.Client, group_id: str) -> dict[str, str | None]:
    response = scim.get(f"/Groups/{group_id}")
    assert response.status_code == 200
    return {m["value"]: m.get("display") for m in response.json()["members"]}


def _group(scim: httpx.Client, members: list[dict[str, Any]]) -> str:
    body = {"schemas": [GROUP_SCHEMA], "displayName": "Sales", "members": members}
    response = scim.post("/Groups", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_post_keeps_display_as_written(scim: httpx.Client) -> None:
    ada, bob = _user(scim, "ada@contoso.com"), _user(scim, "bob@contoso.com")
    body = {
        "schemas": [GROUP_SCHEMA],
        "displayName": "Sales",
        "members": [{"value": ada, "display": "Ada L. <Sales>"}, {"value": bob}],
    }
    created = scim.post("/Groups", json=body).json()
    shown = {m["value"]: m.get("display") for m in created["members"]}
    assert shown == {ada: "Ada L. <Sales>", bob: "Bob"}  # Bob: his displayName, none written
    assert _displays(scim, created["id"]) == shown


def test_patch_add_with_display_reads_back_with_it(scim: httpx.Client) -> None:
    ada = _user(scim, "ada@contoso.com")
    group_id = _group(scim, [])
    answer = scim_patch(
        scim,
        "Groups",
        group_id,
        {"op": "add", "path": "members", "value": [{"value": ada, "display": "A"}]},
    )
    assert answer.status_code == 204
    assert _displays(scim, group_id) == {ada: "A"}
    # Adding the same member again with another display rewrites it; without one keeps it.
    scim_patch(
        scim,
        "Groups",
        group_id,
        {"op": "add", "path": "members", "value": [{"value": ada, "display": "B"}]},
    )
    assert _displays(scim, group_id) == {ada: "B"}
    scim_patch(
        scim, "Groups", group_id, {"op": "add", "path": "members", "value": [{"value": ada}]}
    )
    assert _displays(scim, group_id) == {ada: "B"}


def test_patch_replace_takes_the_displays_sent(scim: httpx.Client) -> None:
    ada, bob = _user(scim, "ada@contoso.com"), _user(scim, "bob@contoso.com")
    group_id = _group(scim, [{"value": ada, "display": "Old"}])
    replace = {
        "op": "replace",
        "path": "members",
        "value": [{"value": ada}, {"value": bob, "display": "Robert"}],
    }
    assert scim_patch(scim, "Groups", group_id, replace).status_code == 204
    # The list sent is the whole new value: Ada's written display goes, her name shows again.
    assert _displays(scim, group_id) == {ada: "Ada", bob: "Robert"}
    pathless = {"op": "replace", "value": {"members": [{"value": bob, "display": "Bobby"}]}}
    assert scim_patch(scim, "Groups", group_id, pathless).status_code == 204
    assert _displays(scim, group_id) == {bob: "Bobby"}


def test_put_replaces_displays(scim: httpx.Client) -> None:
    ada = _user(scim, "ada@contoso.com")
    group_id = _group(scim, [{"value": ada}])
    body = {
        "schemas": [GROUP_SCHEMA],
        "displayName": "Sales",
        "members": [{"value": ada, "display": "Ada (PUT)"}],
    }
    put = scim.put(f"/Groups/{group_id}", json=body)
    assert put.status_code == 200
    assert put.json()["members"][0]["display"] == "Ada (PUT)"
    assert _displays(scim, group_id) == {ada: "Ada (PUT)"}
    body["members"] = [{"value": ada}]
    scim.put(f"/Groups/{group_id}", json=body)
    assert _displays(scim, group_id) == {ada: "Ada"}


def test_unwritten_display_follows_a_rename(scim: httpx.Client) -> None:
    ada, bob = _user(scim, "ada@contoso.com"), _user(scim, "bob@contoso.com")
    group_id = _group(scim, [{"value": ada}, {"value": bob, "display": "Bob (as written)"}])
    for user_id in (ada, bob):
        rename = {"op": "replace", "path": "displayName", "value": "Renamed"}
        response = scim_patch(scim, "Users", user_id, rename)
        assert response.status_code == 200
    assert _displays(scim, group_id) == {ada: "Renamed", bob: "Bob (as written)"}


def test_display_of_the_wrong_type_is_a_400_and_changes_nothing(
    scim: httpx.Client, dump: Callable[[], dict[str, list[tuple[Any, ...]]]]
) -> None:
    ada = _user(scim, "ada@contoso.com")
    group_id = _group(scim, [])
    before = dump()
    bad = {"op": "add", "path": "members", "value": [{"value": ada, "display": {"x": 1}}]}
    answer = scim_patch(scim, "Groups", group_id, bad)
    assert answer.status_code == 400
    assert answer.json()["scimType"] == "invalidValue"
    post = scim.post(
        "/Groups",
        json={
            "schemas": [GROUP_SCHEMA],
            "displayName": "X",
            "members": [{"value": ada, "display": 7}],
        },
    )
    assert post.status_code == 400
    assert dump() == before


def test_a_version_1_database_gains_the_column_and_keeps_its_members(
    start_sandbox: Callable[..., SandboxServer],
) -> None:
    first = start_sandbox(seed="empty")
    token = make_token(first)
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=first.scim_url, headers=headers) as scim:
        ada = _user(scim, "ada@contoso.com")
        group_id = _group(scim, [{"value": ada}])
    first.stop()
    # Turn the file back into what a v1 build wrote: no display column (nor the later
    # migrations' request-log ring), user_version 1.
    with sqlite3.connect(first.config.db_path) as conn:
        conn.execute("DROP INDEX request_log_ring")
        conn.execute("ALTER TABLE request_log DROP COLUMN anonymous")
        conn.execute("ALTER TABLE scim_group_members DROP COLUMN display")
        for column in ("burst_started_at", "burst_first_seq", "burst_is_cycle"):  # v4
            conn.execute(f"ALTER TABLE provisioning_counters DROP COLUMN {column}")
        conn.execute("ALTER TABLE request_log DROP COLUMN token_hint")  # v5
        conn.execute("ALTER TABLE request_log DROP COLUMN provisioning")  # v6
        conn.execute("ALTER TABLE scim_tokens DROP COLUMN last_provisioned_at")
        conn.execute("PRAGMA user_version = 1")

    second = start_sandbox(seed="empty")
    conn = second.app.state.sandbox.conn
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    with httpx.Client(base_url=second.scim_url, headers=headers) as scim:
        assert _displays(scim, group_id) == {ada: "Ada"}
        scim_patch(
            scim,
            "Groups",
            group_id,
            {"op": "add", "path": "members", "value": [{"value": ada, "display": "A"}]},
        )
        assert _displays(scim, group_id) == {ada: "A"}
