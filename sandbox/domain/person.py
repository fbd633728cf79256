"""One received SCIM user followed to their Steeple account: the Steeple half of "why is this
person not in Steeple?".

Read-only: it reports the link the live hooks or activation made, and, before one exists, the
conflict that would keep activation from making it (the same rule, `linking.match_account`).
"""

from __future__ import annotations

import sqlite3

from assistant.steeple.contract import (
    GroupMapping,
    LinkKind,
    ReceivedUser,
    ReceivedUserDetail,
    ReceivedUserGroup,
)
from sandbox.domain.accounts import account_of
from sandbox.domain.common import DomainError
from sandbox.domain.linking import account_id_for, linked_account, match_account


def scim_user_detail(conn: sqlite3.Connection, scim_user_id: str) -> ReceivedUserDetail:
    row = conn.execute("SELECT * FROM scim_users WHERE id = ?", (scim_user_id,)).fetchone()
    if row is None:
        raise DomainError(404, "scim_user_not_found", "No received SCIM user has this id.")
    account_row = linked_account(conn, scim_user_id)
    link: LinkKind = "none"
    conflict = None
    if account_row is not None:
        # An account made for the SCIM user has the id derived from it; any other was matched.
        created = account_row["id"] == account_id_for("scim:" + scim_user_id)
        link = "created" if created else "linked_by_email"
    elif row["active"]:
        _, conflict = match_account(conn, row)
    groups = [
        ReceivedUserGroup(
            id=g["id"],
            display_name=g["display_name"],
            mapping=(
                GroupMapping(community_id=g["community_id"], role=g["role"])
                if g["community_id"] is not None
                else None
            ),
            community_name=g["community_name"],
        )
        for g in conn.execute(
            "SELECT g.id, g.display_name, m.community_id, m.role, c.name AS community_name "
            "FROM scim_group_members gm JOIN scim_groups g ON g.id = gm.group_id "
            "LEFT JOIN group_mappings m ON m.group_id = g.id "
            "LEFT JOIN communities c ON c.id = m.community_id "
            "WHERE gm.member_id = ? AND gm.member_type = 'User' "
            "ORDER BY g.display_name_norm, g.id",
            (scim_user_id,),
        )
    ]
    user = ReceivedUser(
        id=row["id"],
        user_name=row["user_name"],
        email=row["email"],
        external_id=row["external_id"],
        display_name=row["display_name"],
        active=bool(row["active"]),
        steeple_user_id=account_row["id"] if account_row is not None else None,
    )
    account = account_of(conn, account_row["id"]) if account_row is not None else None
    return ReceivedUserDetail(
        user=user, groups=groups, link=link, conflict=conflict, account=account
    )
