"""SCIM Users in SQLite: the resource JSON as sent plus the indexed columns and O(1) counters.

Every function runs inside the caller's `transaction`, so the row, the counters and the
Steeple directory hook (`sandbox.directory`) commit or roll back together.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from typing import Any

from sandbox import directory
from sandbox.scim.errors import ScimError, not_found
from sandbox.scim.filters import Node
from sandbox.scim.patch import apply_patch
from sandbox.scim.query import Page, run_query
from sandbox.scim.resources import UserColumns, render, user_from_body
from sandbox.state import SandboxState

USER_COLUMNS = {"id": "id", "externalid": "external_id", "username": "user_name_norm"}
_SELECT = "SELECT id, resource, created_at, modified_at, version FROM scim_users"


def _render(state: SandboxState, row: sqlite3.Row) -> dict[str, Any]:
    return render(
        json.loads(row["resource"]),
        row["id"],
        "User",
        row["created_at"],
        row["modified_at"],
        row["version"],
        f"{state.scim_base_url}/Users/{row['id']}",
    )


def _check_unique(conn: sqlite3.Connection, columns: UserColumns, own_id: str | None) -> None:
    row = conn.execute(
        "SELECT id FROM scim_users WHERE user_name_norm = ?", (columns.user_name_norm,)
    ).fetchone()
    if row is not None and row["id"] != own_id:
        raise ScimError(409, "a user with this userName already exists", "uniqueness")


def _row(conn: sqlite3.Connection, user_id: str) -> sqlite3.Row:
    row: sqlite3.Row | None = conn.execute(
        "SELECT id, resource, created_at, modified_at, version, active FROM scim_users "
        "WHERE id = ?",
        (user_id,),
    ).fetchone()
    if row is None:
        raise not_found("User", user_id)
    return row


def create_user(state: SandboxState, body: Any) -> dict[str, Any]:
    resource, columns = user_from_body(body)
    conn = state.conn
    _check_unique(conn, columns, None)
    user_id = str(uuid.uuid4())
    now = state.now().isoformat()
    conn.execute(
        "INSERT INTO scim_users (id, user_name, user_name_norm, external_id, display_name, email, "
        "email_norm, active, resource, created_at, modified_at, version) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
        (
            user_id,
            columns.user_name,
            columns.user_name_norm,
            columns.external_id,
            columns.display_name,
            columns.email,
            columns.email_norm,
            int(columns.active),
            json.dumps(resource),
            now,
            now,
        ),
    )
    conn.execute(
        "UPDATE provisioning_counters SET users_received = users_received + 1, "
        "users_active = users_active + ? WHERE id = 1",
        (int(columns.active),),
    )
    directory.scim_user_changed(state, user_id)
    return render(resource, user_id, "User", now, now, 1, f"{state.scim_base_url}/Users/{user_id}")


def get_user(state: SandboxState, user_id: str) -> dict[str, Any]:
    return _render(state, _row(state.conn, user_id))


def _store(
    state: SandboxState, old: sqlite3.Row, resource: dict[str, Any], columns: UserColumns
) -> dict[str, Any]:
    conn = state.conn
    _check_unique(conn, columns, old["id"])
    now = state.now().isoformat()
    version = old["version"] + 1
    conn.execute(
        "UPDATE scim_users SET user_name = ?, user_name_norm = ?, external_id = ?, "
        "display_name = ?, email = ?, email_norm = ?, active = ?, resource = ?, "
        "modified_at = ?, version = ? WHERE id = ?",
        (
            columns.user_name,
            columns.user_name_norm,
            columns.external_id,
            columns.display_name,
            columns.email,
            columns.email_norm,
            int(columns.active),
            json.dumps(resource),
            now,
            version,
            old["id"],
        ),
    )
    delta = int(columns.active) - int(old["active"])
    if delta:
        conn.execute(
            "UPDATE provisioning_counters SET users_active = users_active + ? WHERE id = 1",
            (delta,),
        )
    directory.scim_user_changed(state, old["id"])
    return render(
        resource,
        old["id"],
        "User",
        old["created_at"],
        now,
        version,
        f"{state.scim_base_url}/Users/{old['id']}",
    )


def replace_user(state: SandboxState, user_id: str, body: Any) -> dict[str, Any]:
    old = _row(state.conn, user_id)
    resource, columns = user_from_body(body)
    return _store(state, old, resource, columns)


def patch_user(state: SandboxState, user_id: str, body: Any) -> dict[str, Any]:
    old = _row(state.conn, user_id)
    patched, _ = apply_patch(json.loads(old["resource"]), body, is_group=False)
    resource, columns = user_from_body(patched)
    return _store(state, old, resource, columns)


def delete_user(state: SandboxState, user_id: str) -> None:
    conn = state.conn
    old = _row(conn, user_id)
    directory.scim_user_deleted(state, user_id)
    groups = [
        r[0]
        for r in conn.execute(
            "SELECT group_id FROM scim_group_members WHERE member_id = ?", (user_id,)
        )
    ]
    conn.execute("DELETE FROM scim_group_members WHERE member_id = ?", (user_id,))
    for group_id in groups:
        conn.execute(
            "UPDATE scim_groups SET member_count = (SELECT COUNT(*) FROM scim_group_members "
            "WHERE group_id = ? AND member_type = 'User') WHERE id = ?",
            (group_id, group_id),
        )
    conn.execute("DELETE FROM scim_users WHERE id = ?", (user_id,))
    conn.execute(
        "UPDATE provisioning_counters SET users_received = users_received - 1, "
        "users_active = users_active - ? WHERE id = 1",
        (int(old["active"]),),
    )


def query_users(state: SandboxState, node: Node | None, start_index: int, count: int) -> Page:
    return run_query(
        state.conn,
        table="scim_users",
        select=_SELECT,
        columns=USER_COLUMNS,
        node=node,
        start_index=start_index,
        count=count,
        render=lambda row: _render(state, row),
    )
