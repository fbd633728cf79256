"""Read side of what Entra sent: groups (with mappings), SCIM users, traffic and its counters.

Everything here is keyset-paged or reads one counters row, so the admin API stays fast while
Entra pushes tens of thousands of objects.
"""

from __future__ import annotations

import sqlite3
from typing import get_args

from assistant.steeple.contract import (
    GroupMapping,
    GroupPage,
    ProvisioningStatus,
    ReceivedGroup,
    ReceivedUser,
    ReceivedUserPage,
    RequestKind,
    RequestLogEntry,
    RequestLogPage,
)
from sandbox.domain.common import (
    DomainError,
    decode_cursor,
    encode_cursor,
    like_pattern,
    parse_time,
    register_casefold,
)
from sandbox.domain.integration import is_sync_active
from sandbox.domain.linking import group_member_ids, recompute_members

CYCLE_STARTS_SHOWN = 50
_KINDS = set(get_args(RequestKind))

_GROUP_COLUMNS = (
    "g.id, g.display_name, g.display_name_norm, g.external_id, g.member_count, "
    "g.nested_group_count, m.community_id, m.role"
)


def _group_of(row: sqlite3.Row) -> ReceivedGroup:
    mapping = (
        GroupMapping(community_id=row["community_id"], role=row["role"])
        if row["community_id"] is not None
        else None
    )
    return ReceivedGroup(
        id=row["id"],
        display_name=row["display_name"],
        external_id=row["external_id"],
        member_count=row["member_count"],
        nested_group_count=row["nested_group_count"],
        mapping=mapping,
    )


def list_groups(conn: sqlite3.Connection, query: str, cursor: str | None, limit: int) -> GroupPage:
    """Groups ordered by (normalised display name, id): the index on the name drives the scan."""
    where = ["1 = 1"]
    params: list[object] = []
    if query:
        where.append("g.display_name_norm LIKE ? ESCAPE '\\'")
        params.append(like_pattern(query))
    total = conn.execute(
        f"SELECT COUNT(*) FROM scim_groups g WHERE {' AND '.join(where)}", params
    ).fetchone()[0]
    if cursor:
        name, group_id = decode_cursor(cursor, 2)
        # The plain `>=` lets SQLite seek in the name index; the row value breaks ties by id.
        where.append("g.display_name_norm >= ? AND (g.display_name_norm, g.id) > (?, ?)")
        params += [name, name, group_id]
    rows = conn.execute(
        f"SELECT {_GROUP_COLUMNS} FROM scim_groups g "
        "LEFT JOIN group_mappings m ON m.group_id = g.id "
        f"WHERE {' AND '.join(where)} ORDER BY g.display_name_norm, g.id LIMIT ?",
        (*params, limit + 1),
    ).fetchall()
    page = rows[:limit]
    next_cursor = (
        encode_cursor(page[-1]["display_name_norm"], page[-1]["id"]) if len(rows) > limit else None
    )
    return GroupPage(items=[_group_of(row) for row in page], next_cursor=next_cursor, total=total)


def get_group(conn: sqlite3.Connection, group_id: str) -> ReceivedGroup:
    row = conn.execute(
        f"SELECT {_GROUP_COLUMNS} FROM scim_groups g "
        "LEFT JOIN group_mappings m ON m.group_id = g.id WHERE g.id = ?",
        (group_id,),
    ).fetchone()
    if row is None:
        raise DomainError(404, "group_not_found", "No received group has this id.")
    return _group_of(row)


def set_mapping(conn: sqlite3.Connection, group_id: str, mapping: GroupMapping) -> ReceivedGroup:
    """Map a group to (community, role); after activation its members' access follows at once."""
    get_group(conn, group_id)
    if conn.execute("SELECT 1 FROM communities WHERE id = ?", (mapping.community_id,)).fetchone():
        conn.execute(
            "INSERT INTO group_mappings (group_id, community_id, role) VALUES (?, ?, ?) "
            "ON CONFLICT (group_id) DO UPDATE SET community_id = excluded.community_id, "
            "role = excluded.role",
            (group_id, mapping.community_id, mapping.role),
        )
    else:
        raise DomainError(422, "unknown_community", "No community has this id.")
    if is_sync_active(conn):
        recompute_members(conn, group_member_ids(conn, group_id))
    return get_group(conn, group_id)


def delete_mapping(conn: sqlite3.Connection, group_id: str) -> None:
    """Unmap a group (idempotent); after activation its members lose what it granted."""
    get_group(conn, group_id)
    conn.execute("DELETE FROM group_mappings WHERE group_id = ?", (group_id,))
    if is_sync_active(conn):
        recompute_members(conn, group_member_ids(conn, group_id))


def list_scim_users(
    conn: sqlite3.Connection, query: str, cursor: str | None, limit: int
) -> ReceivedUserPage:
    """Staged SCIM users ordered by userName (unique, case-insensitively), with their account."""
    where = ["1 = 1"]
    params: list[object] = []
    if query:
        register_casefold(conn)
        pattern = like_pattern(query)
        where.append(
            "(s.user_name_norm LIKE ? ESCAPE '\\' OR s.email_norm LIKE ? ESCAPE '\\' "
            "OR casefold(s.display_name) LIKE ? ESCAPE '\\')"
        )
        params += [pattern, pattern, pattern]
    total = conn.execute(
        f"SELECT COUNT(*) FROM scim_users s WHERE {' AND '.join(where)}", params
    ).fetchone()[0]
    if cursor:
        (after,) = decode_cursor(cursor, 1)
        where.append("s.user_name_norm > ?")
        params.append(after)
    rows = conn.execute(
        "SELECT s.*, u.id AS steeple_user_id FROM scim_users s "
        "LEFT JOIN users u ON u.scim_user_id = s.id "
        f"WHERE {' AND '.join(where)} ORDER BY s.user_name_norm LIMIT ?",
        (*params, limit + 1),
    ).fetchall()
    page = rows[:limit]
    items = [
        ReceivedUser(
            id=row["id"],
            user_name=row["user_name"],
            email=row["email"],
            external_id=row["external_id"],
            display_name=row["display_name"],
            active=bool(row["active"]),
            steeple_user_id=row["steeple_user_id"],
        )
        for row in page
    ]
    next_cursor = encode_cursor(page[-1]["user_name_norm"]) if len(rows) > limit else None
    return ReceivedUserPage(items=items, next_cursor=next_cursor, total=total)


def _entry_of(row: sqlite3.Row) -> RequestLogEntry:
    return RequestLogEntry(
        seq=row["seq"],
        time=row["time"],
        method=row["method"],
        path=row["path"],
        status=row["status"],
        latency_ms=row["latency_ms"],
        kind=row["kind"] if row["kind"] in _KINDS else "other",
        summary=row["summary"],
        token_hint=row["token_hint"],
        provisioning=bool(row["provisioning"]),
    )


def list_requests(conn: sqlite3.Connection, after: str | None, limit: int) -> RequestLogPage:
    """Log entries oldest first after the cursor; the cursor is the last seq (kept when empty)."""
    if after is None or after == "":
        after_seq = 0
    elif after.isascii() and after.isdigit() and len(after) <= 18:
        after_seq = int(after)
    else:
        raise DomainError(422, "invalid_cursor", "The cursor is not one this server issued.")
    rows = conn.execute(
        "SELECT * FROM request_log WHERE seq > ? ORDER BY seq LIMIT ?", (after_seq, limit)
    ).fetchall()
    next_seq = rows[-1]["seq"] if rows else after_seq
    return RequestLogPage(items=[_entry_of(row) for row in rows], next_cursor=str(next_seq))


def provisioning_status(conn: sqlite3.Connection) -> ProvisioningStatus:
    """One counters row, the last error by its seq, and the latest observed cycle starts."""
    counters = conn.execute("SELECT * FROM provisioning_counters WHERE id = 1").fetchone()
    last_error = None
    if counters["last_error_seq"] is not None:
        row = conn.execute(
            "SELECT * FROM request_log WHERE seq = ?", (counters["last_error_seq"],)
        ).fetchone()
        last_error = _entry_of(row) if row is not None else None
    starts = [
        row["time"]
        for row in conn.execute(
            "SELECT time FROM cycle_starts ORDER BY time DESC LIMIT ?", (CYCLE_STARTS_SHOWN,)
        )
    ]
    return ProvisioningStatus(
        sync_active=is_sync_active(conn),
        users_received=counters["users_received"],
        users_active=counters["users_active"],
        groups_received=counters["groups_received"],
        groups_mapped=conn.execute("SELECT COUNT(*) FROM group_mappings").fetchone()[0],
        requests_total=counters["requests_total"],
        errors_total=counters["errors_total"],
        first_request_at=parse_time(counters["first_request_at"]),
        last_request_at=parse_time(counters["last_request_at"]),
        last_test_connection_at=parse_time(counters["last_test_connection_at"]),
        last_test_connection_status=counters["last_test_connection_status"],
        last_error=last_error,
        cycle_starts=list(reversed(starts)),
    )
