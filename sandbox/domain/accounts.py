"""Read side of the Steeple directory: communities and accounts, paged by keyset cursor."""

from __future__ import annotations

import sqlite3

from assistant.steeple.contract import Community, Membership, SteepleUser, UserPage
from sandbox.domain.common import decode_cursor, encode_cursor, like_pattern, register_casefold


def list_communities(conn: sqlite3.Connection) -> list[Community]:
    """Every community with its counts of active members and administrators."""
    rows = conn.execute(
        "SELECT c.id, c.name, "
        "COUNT(u.id) AS member_count, "
        "COALESCE(SUM(CASE WHEN m.role = 'admin' AND u.id IS NOT NULL THEN 1 ELSE 0 END), 0) "
        "AS admin_count "
        "FROM communities c "
        "LEFT JOIN memberships m ON m.community_id = c.id "
        "LEFT JOIN users u ON u.id = m.user_id AND u.status = 'active' "
        "GROUP BY c.id ORDER BY c.name"
    ).fetchall()
    return [
        Community(
            id=row["id"],
            name=row["name"],
            member_count=row["member_count"],
            admin_count=row["admin_count"],
        )
        for row in rows
    ]


def list_users(
    conn: sqlite3.Connection,
    query: str,
    cursor: str | None,
    limit: int,
    include_removed: bool,
) -> UserPage:
    """Accounts ordered by e-mail (unique, so it is the whole keyset); removed ones on request."""
    where = ["1 = 1"]
    params: list[object] = []
    if not include_removed:
        where.append("status = 'active'")
    if query:
        register_casefold(conn)
        where.append(
            "(email_norm LIKE ? ESCAPE '\\' OR casefold(display_name) LIKE ? ESCAPE '\\' "
            "OR casefold(COALESCE(given_name, '') || ' ' || COALESCE(family_name, '')) "
            "LIKE ? ESCAPE '\\')"
        )
        params += [like_pattern(query)] * 3
    if cursor:
        (after,) = decode_cursor(cursor, 1)
        where.append("email_norm > ?")
        params.append(after)
    rows = conn.execute(
        f"SELECT * FROM users WHERE {' AND '.join(where)} ORDER BY email_norm LIMIT ?",
        (*params, limit + 1),
    ).fetchall()
    page = rows[:limit]
    memberships = _memberships_of(conn, [row["id"] for row in page])
    items = [_user_of(row, memberships.get(row["id"], [])) for row in page]
    next_cursor = encode_cursor(page[-1]["email_norm"]) if len(rows) > limit else None
    return UserPage(items=items, next_cursor=next_cursor)


def _user_of(row: sqlite3.Row, memberships: list[Membership]) -> SteepleUser:
    return SteepleUser(
        id=row["id"],
        email=row["email"],
        given_name=row["given_name"],
        family_name=row["family_name"],
        display_name=row["display_name"],
        auth_method=row["auth_method"],
        status=row["status"],
        must_set_password=bool(row["must_set_password"]),
        memberships=memberships,
    )


def account_of(conn: sqlite3.Connection, user_id: str) -> SteepleUser | None:
    """One account (removed ones too) with its memberships, or None."""
    row = conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
    if row is None:
        return None
    return _user_of(row, _memberships_of(conn, [user_id]).get(user_id, []))


def _memberships_of(conn: sqlite3.Connection, user_ids: list[str]) -> dict[str, list[Membership]]:
    if not user_ids:
        return {}
    marks = ",".join("?" * len(user_ids))
    found: dict[str, list[Membership]] = {}
    for row in conn.execute(
        f"SELECT user_id, community_id, role FROM memberships WHERE user_id IN ({marks}) "
        "ORDER BY community_id",
        user_ids,
    ):
        found.setdefault(row["user_id"], []).append(
            Membership(community_id=row["community_id"], role=row["role"])
        )
    return found
