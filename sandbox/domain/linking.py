"""Linking staged SCIM users to Steeple accounts, and community memberships from mapped groups.

The rules, shared by activation and by the live SCIM hooks:
- a SCIM user is matched to an account by e-mail (case-insensitive), else an account is created
  with `auth_method = 'sso'`; a SCIM user with no e-mail, or whose e-mail another SCIM user already
  holds, is a conflict and is skipped (never guessed);
- `active: false` removes the account (no access) without unlinking it, `active: true` restores it;
- memberships with `source = 'scim'` are recomputed from the mapped groups the SCIM user is in
  (the strongest role wins, so a member of both a users and an admins group is an admin); manual
  memberships are left alone, as an administrator set them by hand.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

ROLE_RANK = {"user": 1, "admin": 2}
ACCOUNT_NAMESPACE = uuid.UUID("6f1d8f53-34a1-4c55-9a53-0f3c2b7de001")
"""uuid5 namespace for account ids, so ids are stable across runs (snapshots, reports)."""

Outcome = Literal["linked", "created", "updated", "removed", "conflict", "missing"]
ConflictKind = Literal["duplicate_email", "missing_email"]


def normalise_email(email: str | None) -> str | None:
    if email is None:
        return None
    cleaned = email.strip().casefold()
    return cleaned or None


def account_id_for(seed: str) -> str:
    return "usr_" + uuid.uuid5(ACCOUNT_NAMESPACE, seed).hex[:16]


@dataclass(frozen=True)
class Names:
    given_name: str | None
    family_name: str | None
    display_name: str | None


def names_of(resource_json: str, fallback_display: str | None) -> Names:
    """Given/family/display names from a stored SCIM resource; tolerant of odd shapes."""
    try:
        resource = json.loads(resource_json)
    except ValueError:
        resource = {}
    name = resource.get("name") if isinstance(resource, dict) else None
    name = name if isinstance(name, dict) else {}
    given = name.get("givenName")
    family = name.get("familyName")
    display = resource.get("displayName") if isinstance(resource, dict) else None
    return Names(
        given_name=given if isinstance(given, str) else None,
        family_name=family if isinstance(family, str) else None,
        display_name=display if isinstance(display, str) else fallback_display,
    )


def desired_memberships(
    conn: sqlite3.Connection, scim_user_id: str, exclude_group: str | None = None
) -> dict[str, str]:
    """community id → role the mapped groups of this SCIM user grant (strongest role wins)."""
    rows = conn.execute(
        "SELECT m.community_id, m.role FROM scim_group_members gm "
        "JOIN group_mappings m ON m.group_id = gm.group_id "
        "WHERE gm.member_id = ? AND gm.group_id IS NOT ?",
        (scim_user_id, exclude_group),
    ).fetchall()
    desired: dict[str, str] = {}
    for row in rows:
        current = desired.get(row["community_id"])
        if current is None or ROLE_RANK[row["role"]] > ROLE_RANK[current]:
            desired[row["community_id"]] = row["role"]
    return desired


def sync_memberships(conn: sqlite3.Connection, user_id: str, desired: dict[str, str]) -> int:
    """Make the account's SCIM-sourced memberships equal `desired`; return grants made."""
    existing = {
        row["community_id"]: (row["role"], row["source"])
        for row in conn.execute(
            "SELECT community_id, role, source FROM memberships WHERE user_id = ?", (user_id,)
        )
    }
    for community_id, (_, source) in existing.items():
        if source == "scim" and community_id not in desired:
            conn.execute(
                "DELETE FROM memberships WHERE user_id = ? AND community_id = ?",
                (user_id, community_id),
            )
    granted = 0
    for community_id, role in desired.items():
        current = existing.get(community_id)
        if current is None:
            conn.execute(
                "INSERT INTO memberships (user_id, community_id, role, source) "
                "VALUES (?, ?, ?, 'scim')",
                (user_id, community_id, role),
            )
            granted += 1
        elif current[1] == "scim" and current[0] != role:
            conn.execute(
                "UPDATE memberships SET role = ? WHERE user_id = ? AND community_id = ?",
                (role, user_id, community_id),
            )
            granted += 1
    return granted


def linked_account(conn: sqlite3.Connection, scim_user_id: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM users WHERE scim_user_id = ?", (scim_user_id,)
    ).fetchone()
    return row


def match_account(
    conn: sqlite3.Connection, scim_row: sqlite3.Row
) -> tuple[sqlite3.Row | None, ConflictKind | None]:
    """The existing account this (unlinked) SCIM user should be linked to, or a conflict.

    Another active SCIM user with the same e-mail is a conflict, as at activation: which of
    the two is the person is not ours to guess. Once one of them goes, the other links.
    """
    email = normalise_email(scim_row["email"])
    if email is None:
        return None, "missing_email"
    others = conn.execute(
        "SELECT COUNT(*) FROM scim_users WHERE email_norm = ? AND active = 1 AND id != ?",
        (scim_row["email_norm"], scim_row["id"]),
    ).fetchone()[0]
    if others:
        return None, "duplicate_email"
    account: sqlite3.Row | None = conn.execute(
        "SELECT * FROM users WHERE email_norm = ?", (email,)
    ).fetchone()
    if account is not None and account["scim_user_id"] not in (None, scim_row["id"]):
        holder = conn.execute(
            "SELECT 1 FROM scim_users WHERE id = ?", (account["scim_user_id"],)
        ).fetchone()
        if holder is not None:
            return None, "duplicate_email"
    return account, None


def apply_scim_user(
    conn: sqlite3.Connection, scim_user_id: str, now: datetime
) -> tuple[Outcome, int]:
    """Bring the Steeple side in line with one SCIM user; return what happened and grants made."""
    scim_row = conn.execute("SELECT * FROM scim_users WHERE id = ?", (scim_user_id,)).fetchone()
    if scim_row is None:
        return "missing", 0
    account = linked_account(conn, scim_user_id)
    if not scim_row["active"]:
        if account is None:
            return "removed", 0
        conn.execute("UPDATE users SET status = 'removed' WHERE id = ?", (account["id"],))
        return "removed", sync_memberships(
            conn, account["id"], desired_memberships(conn, scim_user_id)
        )
    names = names_of(scim_row["resource"], scim_row["display_name"])
    outcome: Outcome
    if account is None:
        account, conflict = match_account(conn, scim_row)
        if conflict is not None:
            return "conflict", 0
        outcome = "linked" if account is not None else "created"
    else:
        outcome = "updated"
    if account is None:
        user_id = account_id_for("scim:" + scim_user_id)
        conn.execute(
            "INSERT INTO users (id, email, email_norm, given_name, family_name, display_name, "
            "auth_method, status, must_set_password, scim_user_id, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, 'sso', 'active', 0, ?, ?)",
            (
                user_id,
                scim_row["email"].strip(),
                normalise_email(scim_row["email"]),
                names.given_name,
                names.family_name,
                names.display_name,
                scim_user_id,
                now.isoformat(),
            ),
        )
    else:
        user_id = account["id"]
        conn.execute(
            "UPDATE users SET scim_user_id = ?, auth_method = 'sso', status = 'active', "
            "must_set_password = 0, given_name = COALESCE(?, given_name), "
            "family_name = COALESCE(?, family_name), display_name = COALESCE(?, display_name) "
            "WHERE id = ?",
            (scim_user_id, names.given_name, names.family_name, names.display_name, user_id),
        )
        _follow_email_change(conn, user_id, scim_row["email"])
    granted = sync_memberships(conn, user_id, desired_memberships(conn, scim_user_id))
    return outcome, granted


def _follow_email_change(conn: sqlite3.Connection, user_id: str, email: str | None) -> None:
    """A renamed mailbox in Entra renames the account, unless another account holds the address."""
    norm = normalise_email(email)
    if norm is None or email is None:
        return
    holder = conn.execute("SELECT id FROM users WHERE email_norm = ?", (norm,)).fetchone()
    if holder is None:
        conn.execute(
            "UPDATE users SET email = ?, email_norm = ? WHERE id = ?",
            (email.strip(), norm, user_id),
        )


def unlink_scim_user(conn: sqlite3.Connection, scim_user_id: str) -> None:
    """The SCIM user is being deleted: the account loses access and its group memberships."""
    account = linked_account(conn, scim_user_id)
    if account is None:
        return
    conn.execute(
        "UPDATE users SET status = 'removed', scim_user_id = NULL WHERE id = ?", (account["id"],)
    )
    sync_memberships(conn, account["id"], {})


def recompute_members(
    conn: sqlite3.Connection, scim_user_ids: Iterable[str], exclude_group: str | None = None
) -> int:
    """Recompute memberships of the accounts linked to these SCIM users; return grants made."""
    granted = 0
    for scim_user_id in set(scim_user_ids):
        account = linked_account(conn, scim_user_id)
        if account is not None:
            desired = desired_memberships(conn, scim_user_id, exclude_group)
            granted += sync_memberships(conn, account["id"], desired)
    return granted


def group_member_ids(conn: sqlite3.Connection, group_id: str) -> list[str]:
    return [
        row["member_id"]
        for row in conn.execute(
            "SELECT member_id FROM scim_group_members WHERE group_id = ? AND member_type = 'User'",
            (group_id,),
        )
    ]
