"""SCIM Groups in SQLite: the resource JSON (without members) plus a member table.

Members live in `scim_group_members`, not in the JSON, so Entra's member PATCHes cost one row
each whatever the group size; `member_count`/`nested_group_count` are kept in step for the
admin API's group list. A member's `display` is kept as the client wrote it (RFC 7643 §2.4);
when none was written (Entra never sends one) the member's current displayName is shown, so a
rename shows up without rewriting every group. All functions run inside the caller's
`transaction`.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sandbox import directory
from sandbox.scim.errors import invalid_value, not_found
from sandbox.scim.filters import Compare, Logical, Node, matches, mentions
from sandbox.scim.patch import MemberOp, apply_patch
from sandbox.scim.query import Page, run_query
from sandbox.scim.resources import GroupColumns, group_from_body, member_displays, render
from sandbox.state import SandboxState

GROUP_COLUMNS = {"id": "id", "externalid": "external_id", "displayname": "display_name_norm"}
_SELECT = "SELECT id, resource, created_at, modified_at, version FROM scim_groups"
_MEMBERS_SQL = (
    "SELECT m.member_id, m.member_type, COALESCE(m.display, u.display_name, g.display_name) "
    "FROM scim_group_members m "
    "LEFT JOIN scim_users u ON m.member_type = 'User' AND u.id = m.member_id "
    "LEFT JOIN scim_groups g ON m.member_type = 'Group' AND g.id = m.member_id "
    "WHERE m.group_id = ?"
)


def _render(state: SandboxState, row: sqlite3.Row) -> dict[str, Any]:
    return render(
        json.loads(row["resource"]),
        row["id"],
        "Group",
        row["created_at"],
        row["modified_at"],
        row["version"],
        f"{state.scim_base_url}/Groups/{row['id']}",
    )


def _row(conn: sqlite3.Connection, group_id: str) -> sqlite3.Row:
    row: sqlite3.Row | None = conn.execute(f"{_SELECT} WHERE id = ?", (group_id,)).fetchone()
    if row is None:
        raise not_found("Group", group_id)
    return row


def members_of(state: SandboxState, group_id: str) -> list[dict[str, Any]]:
    """Members as SCIM renders them; `display` as written, else the current displayName."""
    base = state.scim_base_url
    members = []
    for member_id, member_type, display in state.conn.execute(_MEMBERS_SQL, (group_id,)):
        member: dict[str, Any] = {
            "value": member_id,
            "type": member_type,
            "$ref": f"{base}/{'Users' if member_type == 'User' else 'Groups'}/{member_id}",
        }
        if display is not None:
            member["display"] = display
        members.append(member)
    return members


def with_members(state: SandboxState, group: dict[str, Any]) -> dict[str, Any]:
    """Insert `members` before `meta`, as a client would expect to see them."""
    if "members" in group:
        return group
    meta = group.pop("meta")
    group["members"] = members_of(state, group["id"])
    group["meta"] = meta
    return group


def _member_type(conn: sqlite3.Connection, member_id: str) -> str:
    """`Group` or `User`; an id that is neither is the client's mistake (400 invalidValue)."""
    row = conn.execute("SELECT 1 FROM scim_groups WHERE id = ?", (member_id,)).fetchone()
    if row is not None:
        return "Group"
    if conn.execute("SELECT 1 FROM scim_users WHERE id = ?", (member_id,)).fetchone() is None:
        raise invalid_value(f"no user or group has the member id {member_id[:64]!r}")
    return "User"


def _add_members(
    conn: sqlite3.Connection,
    group_id: str,
    ids: Iterable[str],
    displays: Mapping[str, str | None] | None = None,
) -> set[str]:
    """Insert members; return the ids that were not members yet.

    An existing member's display changes only when a new one is written (an `add` without
    display leaves it alone).
    """
    displays = displays or {}
    added: set[str] = set()
    for member_id in ids:
        if member_id == group_id:
            raise invalid_value("a group cannot contain itself")
        display = displays.get(member_id)
        cursor = conn.execute(
            "INSERT OR IGNORE INTO scim_group_members (group_id, member_id, member_type, display) "
            "VALUES (?, ?, ?, ?)",
            (group_id, member_id, _member_type(conn, member_id), display),
        )
        if cursor.rowcount:
            added.add(member_id)
        elif display is not None:
            conn.execute(
                "UPDATE scim_group_members SET display = ? WHERE group_id = ? AND member_id = ?",
                (display, group_id, member_id),
            )
    return added


def _remove_members(conn: sqlite3.Connection, group_id: str, ids: Iterable[str]) -> set[str]:
    removed: set[str] = set()
    for member_id in ids:
        cursor = conn.execute(
            "DELETE FROM scim_group_members WHERE group_id = ? AND member_id = ?",
            (group_id, member_id),
        )
        if cursor.rowcount:
            removed.add(member_id)
    return removed


def _current_displays(conn: sqlite3.Connection, group_id: str) -> dict[str, str | None]:
    """member id → its stored display (None: not written)."""
    rows = conn.execute(
        "SELECT member_id, display FROM scim_group_members WHERE group_id = ?", (group_id,)
    )
    return {member_id: display for member_id, display in rows}


def _rewrite_displays(
    conn: sqlite3.Connection,
    group_id: str,
    current: Mapping[str, str | None],
    sent: Mapping[str, str | None],
    kept: set[str],
) -> None:
    """After a replace, the list sent is the whole new value: a kept member's display becomes
    what was sent with it, cleared if nothing was — one statement per display that changes."""
    for member_id in kept & current.keys():
        display = sent.get(member_id)
        if display != current[member_id]:
            conn.execute(
                "UPDATE scim_group_members SET display = ? WHERE group_id = ? AND member_id = ?",
                (display, group_id, member_id),
            )


def _simple_values(node: Node) -> list[str] | None:
    """`value eq "a" or value eq "b"` → ["a", "b"]; None if the filter is anything else."""
    if isinstance(node, Compare):
        if node.op == "eq" and node.path.name.casefold() == "value" and node.path.sub is None:
            return [node.value] if isinstance(node.value, str) else []
        return None
    if isinstance(node, Logical) and node.op == "or":
        left, right = _simple_values(node.left), _simple_values(node.right)
        return None if left is None or right is None else left + right
    return None


def _apply_member_ops(state: SandboxState, group_id: str, ops: list[MemberOp]) -> set[str]:
    """Apply member changes in order; return every member id added or removed."""
    conn = state.conn
    changed: set[str] = set()
    for op in ops:
        if op.kind == "add":
            changed |= _add_members(conn, group_id, op.ids, op.displays)
        elif op.kind == "remove":
            changed |= _remove_members(conn, group_id, op.ids)
        elif op.kind == "replace":
            current = _current_displays(conn, group_id)
            wanted = set(op.ids)
            changed |= _remove_members(conn, group_id, set(current) - wanted)
            changed |= _add_members(
                conn, group_id, [i for i in op.ids if i not in current], op.displays
            )
            _rewrite_displays(conn, group_id, current, op.displays, wanted)
        elif op.member_filter is not None:
            ids = _simple_values(op.member_filter)
            if ids is None:
                member_filter = op.member_filter
                ids = [m["value"] for m in members_of(state, group_id) if matches(member_filter, m)]
            changed |= _remove_members(conn, group_id, ids)
    if changed:
        _recount(conn, group_id)
    return changed


def _recount(conn: sqlite3.Connection, group_id: str) -> None:
    conn.execute(
        "UPDATE scim_groups SET "
        "member_count = (SELECT COUNT(*) FROM scim_group_members "
        "WHERE group_id = ?1 AND member_type = 'User'), "
        "nested_group_count = (SELECT COUNT(*) FROM scim_group_members "
        "WHERE group_id = ?1 AND member_type = 'Group') WHERE id = ?1",
        (group_id,),
    )


def create_group(state: SandboxState, body: Any) -> dict[str, Any]:
    resource, members, columns = group_from_body(body)
    conn = state.conn
    group_id = str(uuid.uuid4())
    now = state.now().isoformat()
    conn.execute(
        "INSERT INTO scim_groups (id, display_name, display_name_norm, external_id, resource, "
        "created_at, modified_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
        (
            group_id,
            columns.display_name,
            columns.display_name_norm,
            columns.external_id,
            json.dumps(resource),
            now,
            now,
        ),
    )
    conn.execute("UPDATE provisioning_counters SET groups_received = groups_received + 1")
    ids = [m["value"] for m in members]
    if ids:
        added = _add_members(conn, group_id, ids, member_displays(members))
        _recount(conn, group_id)
        directory.scim_group_members_changed(state, group_id, added)
    group = render(
        resource, group_id, "Group", now, now, 1, f"{state.scim_base_url}/Groups/{group_id}"
    )
    return with_members(state, group)


def get_group(state: SandboxState, group_id: str) -> dict[str, Any]:
    return _render(state, _row(state.conn, group_id))


def _store(
    state: SandboxState,
    old: sqlite3.Row,
    resource: dict[str, Any],
    columns: GroupColumns,
    member_ops: list[MemberOp],
) -> dict[str, Any]:
    conn = state.conn
    now = state.now().isoformat()
    version = old["version"] + 1
    conn.execute(
        "UPDATE scim_groups SET display_name = ?, display_name_norm = ?, external_id = ?, "
        "resource = ?, modified_at = ?, version = ? WHERE id = ?",
        (
            columns.display_name,
            columns.display_name_norm,
            columns.external_id,
            json.dumps(resource),
            now,
            version,
            old["id"],
        ),
    )
    changed = _apply_member_ops(state, old["id"], member_ops)
    if changed:
        directory.scim_group_members_changed(state, old["id"], changed)
    return render(
        resource,
        old["id"],
        "Group",
        old["created_at"],
        now,
        version,
        f"{state.scim_base_url}/Groups/{old['id']}",
    )


def replace_group(state: SandboxState, group_id: str, body: Any) -> dict[str, Any]:
    old = _row(state.conn, group_id)
    resource, members, columns = group_from_body(body)
    ops = [MemberOp("replace", [m["value"] for m in members], displays=member_displays(members))]
    return with_members(state, _store(state, old, resource, columns, ops))


def patch_group(state: SandboxState, group_id: str, body: Any) -> dict[str, Any]:
    old = _row(state.conn, group_id)
    patched, member_ops = apply_patch(json.loads(old["resource"]), body, is_group=True)
    resource, _, columns = group_from_body(patched)
    return _store(state, old, resource, columns, member_ops)


def delete_group(state: SandboxState, group_id: str) -> None:
    conn = state.conn
    _row(conn, group_id)
    member_ids = [
        r[0]
        for r in conn.execute(
            "SELECT member_id FROM scim_group_members WHERE group_id = ? AND member_type = 'User'",
            (group_id,),
        )
    ]
    directory.scim_group_deleted(state, group_id, member_ids)
    parents = [
        r[0]
        for r in conn.execute(
            "SELECT group_id FROM scim_group_members WHERE member_id = ?", (group_id,)
        )
    ]
    conn.execute("DELETE FROM scim_group_members WHERE member_id = ?", (group_id,))
    for parent in parents:
        _recount(conn, parent)
    conn.execute("DELETE FROM scim_group_members WHERE group_id = ?", (group_id,))
    conn.execute("DELETE FROM scim_groups WHERE id = ?", (group_id,))
    conn.execute("UPDATE provisioning_counters SET groups_received = groups_received - 1")


def query_groups(state: SandboxState, node: Node | None, start_index: int, count: int) -> Page:
    def enrich(group: dict[str, Any]) -> None:
        with_members(state, group)

    needs_members = node is not None and _mentions_members(node)
    return run_query(
        state.conn,
        table="scim_groups",
        select=_SELECT,
        columns=GROUP_COLUMNS,
        node=node,
        start_index=start_index,
        count=count,
        render=lambda row: _render(state, row),
        enrich=enrich if needs_members else None,
    )


def _mentions_members(node: Node) -> bool:
    return mentions(node, "members")
