"""Activation of the sync: its dry run (the preview) and the real thing share one plan.

Computing the plan once and either describing or executing it is what keeps the preview honest:
whatever the admin is shown is exactly what `activate` then does.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from assistant.steeple.contract import (
    ActivationConflict,
    ActivationPreview,
    ActivationResult,
    CommunityRight,
    DeactivationPreview,
    DeactivationResult,
    KeptAdmin,
    NewAdmin,
    PersonPreview,
)
from sandbox.domain.integration import (
    SIGNS_IN_WITH_SSO,
    integration_state,
    is_sync_active,
    live_token_count,
    require_installed,
    set_sync_active,
)
from sandbox.domain.linking import (
    apply_scim_user,
    desired_memberships,
    linked_account,
    match_account,
    normalise_email,
    unlink_scim_user,
)

UNMAPPED_SAMPLE = 20
PEOPLE_SAMPLE = 500
"""People described one by one in the preview; `people_total` counts them all."""


@dataclass
class ActivationPlan:
    """Who gets linked, created or skipped; `accounts` maps SCIM user id → existing account."""

    to_link: list[sqlite3.Row] = field(default_factory=list)
    to_create: list[sqlite3.Row] = field(default_factory=list)
    conflicts: list[ActivationConflict] = field(default_factory=list)
    inactive: list[sqlite3.Row] = field(default_factory=list)
    to_remove: list[sqlite3.Row] = field(default_factory=list)
    """Inactive SCIM users (unassigned or disabled in Entra) whose linked account has access."""
    accounts: dict[str, sqlite3.Row] = field(default_factory=dict)
    orphans: list[str] = field(default_factory=list)
    """SCIM ids of accounts with access whose SCIM user was deleted while sync was off."""

    @property
    def removed(self) -> int:
        return len(self.to_remove) + len(self.orphans)

    @property
    def skipped(self) -> int:
        return sum(len(conflict.scim_user_ids) for conflict in self.conflicts)


def plan_activation(conn: sqlite3.Connection) -> ActivationPlan:
    plan = ActivationPlan()
    by_email: dict[str, list[sqlite3.Row]] = defaultdict(list)
    for row in conn.execute("SELECT * FROM scim_users ORDER BY user_name_norm"):
        if not row["active"]:
            plan.inactive.append(row)
            account = linked_account(conn, row["id"])
            if account is not None and account["status"] == "active":
                plan.to_remove.append(row)
            continue
        email = normalise_email(row["email"])
        if email is None:
            plan.conflicts.append(
                ActivationConflict(
                    kind="missing_email",
                    scim_user_ids=[row["id"]],
                    user_names=[row["user_name"]],
                    message=f"{row['user_name']} has no e-mail: no account can be matched.",
                )
            )
            continue
        by_email[email].append(row)
    plan.orphans = [
        row["scim_user_id"]
        for row in conn.execute(
            "SELECT scim_user_id FROM users WHERE status = 'active' AND scim_user_id IS NOT NULL "
            "AND scim_user_id NOT IN (SELECT id FROM scim_users)"
        )
    ]
    for email, rows in by_email.items():
        if len(rows) > 1:
            plan.conflicts.append(
                ActivationConflict(
                    kind="duplicate_email",
                    email=email,
                    scim_user_ids=[row["id"] for row in rows],
                    user_names=[row["user_name"] for row in rows],
                    message=f"{len(rows)} SCIM users share the e-mail {email}; none is linked.",
                )
            )
            continue
        row = rows[0]
        account = linked_account(conn, row["id"])
        if account is None:
            account, conflict = match_account(conn, row)
            if conflict is not None:
                plan.conflicts.append(
                    ActivationConflict(
                        kind=conflict,
                        email=email,
                        scim_user_ids=[row["id"]],
                        user_names=[row["user_name"]],
                        message=f"The account {email} is already linked to another SCIM user.",
                    )
                )
                continue
        if account is None:
            plan.to_create.append(row)
        else:
            plan.to_link.append(row)
            plan.accounts[row["id"]] = account
    return plan


def preview(conn: sqlite3.Connection) -> ActivationPreview:
    """What `activate` would do, without doing it — person by person.

    Each person linked or created is told what they keep (memberships granted by hand, which
    activation never touches), what Entra's mapped groups add (`sync_memberships`' grants) and
    what those groups no longer give (SCIM-sourced memberships of a re-activation). Someone in no
    mapped group who keeps a right granted by hand is not "without access".
    """
    require_installed(conn)
    plan = plan_activation(conn)
    names = {row["id"]: row["name"] for row in conn.execute("SELECT id, name FROM communities")}
    unmapped: list[str] = []
    keeping = 0
    new_admins: list[NewAdmin] = []
    people: list[PersonPreview] = []
    for row in sorted(plan.to_link + plan.to_create, key=lambda r: r["user_name_norm"]):
        desired = desired_memberships(conn, row["id"])
        account = plan.accounts.get(row["id"])
        current = _current_memberships(conn, account["id"]) if account is not None else {}
        change = _person_change(row, account is not None, desired, current, names)
        if len(people) < PEOPLE_SAMPLE:
            people.append(change)
        if not desired:
            if change.keeps:
                keeping += 1
            else:
                unmapped.append(row["user_name"])
        for community_id, role in sorted(desired.items()):
            if role != "admin":
                continue
            held = current.get(community_id)
            if held is not None and (held[1] == "manual" or held[0] == "admin"):
                continue
            new_admins.append(
                NewAdmin(
                    email=row["email"].strip(),
                    community_id=community_id,
                    community_name=names.get(community_id, community_id),
                )
            )
    return ActivationPreview(
        linked_by_email=len(plan.to_link),
        created=len(plan.to_create),
        conflicts=plan.conflicts,
        unmapped_users=len(unmapped),
        unmapped_sample=unmapped[:UNMAPPED_SAMPLE],
        unmapped_keeping=keeping,
        new_admins=new_admins,
        admins_kept=_admins_kept(conn, plan, names),
        people=people,
        people_total=len(plan.to_link) + len(plan.to_create),
        deactivated=len(plan.inactive),
        removed=plan.removed,
    )


def _person_change(
    row: sqlite3.Row,
    linked: bool,
    desired: dict[str, str],
    current: dict[str, tuple[str, str]],
    names: dict[str, str],
) -> PersonPreview:
    """What `sync_memberships` will do to this person's account, said before it does it."""

    def right(community_id: str, role: str) -> CommunityRight:
        name = names.get(community_id, community_id)
        return CommunityRight(community_id=community_id, community_name=name, role=role)  # type: ignore[arg-type]

    keeps = [right(c, role) for c, (role, source) in sorted(current.items()) if source == "manual"]
    adds = [
        right(c, role)
        for c, role in sorted(desired.items())
        if c not in current or (current[c][1] == "scim" and current[c][0] != role)
    ]
    removes = [
        right(c, role)
        for c, (role, source) in sorted(current.items())
        if source == "scim" and c not in desired
    ]
    return PersonPreview(
        email=(row["email"] or row["user_name"]).strip(),
        account="linked" if linked else "created",
        keeps=keeps,
        adds=adds,
        removes=removes,
    )


def _admins_kept(
    conn: sqlite3.Connection, plan: ActivationPlan, names: dict[str, str]
) -> list[KeptAdmin]:
    """Administrators who stay ones: by hand (never touched, unless activation removes their
    account), or through a group that still makes them one."""
    removed_scim_ids = {row["id"] for row in plan.to_remove} | set(plan.orphans)
    kept: list[KeptAdmin] = []
    rows = conn.execute(
        "SELECT u.email, u.scim_user_id, m.community_id, m.source FROM memberships m "
        "JOIN users u ON u.id = m.user_id "
        "WHERE m.role = 'admin' AND u.status = 'active' ORDER BY u.email_norm, m.community_id"
    ).fetchall()
    for row in rows:
        if row["scim_user_id"] in removed_scim_ids:
            continue
        by_hand = row["source"] == "manual"
        if not by_hand:
            still = desired_memberships(conn, row["scim_user_id"]).get(row["community_id"])
            if still != "admin":
                continue
        community = row["community_id"]
        kept.append(
            KeptAdmin(
                email=row["email"],
                community_id=community,
                community_name=names.get(community, community),
                by_hand=by_hand,
            )
        )
    return kept


def _current_memberships(conn: sqlite3.Connection, user_id: str) -> dict[str, tuple[str, str]]:
    return {
        row["community_id"]: (row["role"], row["source"])
        for row in conn.execute(
            "SELECT community_id, role, source FROM memberships WHERE user_id = ?", (user_id,)
        )
    }


def activate(conn: sqlite3.Connection, now: datetime) -> ActivationResult:
    """Execute the plan and switch live application on; the caller owns the transaction."""
    require_installed(conn)
    plan = plan_activation(conn)
    linked = created = granted = 0
    for row in plan.to_link + plan.to_create:
        outcome, grants = apply_scim_user(conn, row["id"], now)
        granted += grants
        if outcome == "created":
            created += 1
        elif outcome in ("linked", "updated"):
            linked += 1
    removed = 0
    for row in plan.inactive:
        account = linked_account(conn, row["id"])
        removed += account is not None and account["status"] == "active"
        apply_scim_user(conn, row["id"], now)
    for scim_user_id in plan.orphans:
        unlink_scim_user(conn, scim_user_id)
        removed += 1
    if not is_sync_active(conn):
        set_sync_active(conn, now)
    return ActivationResult(
        integration=integration_state(conn),
        linked_by_email=linked,
        created=created,
        skipped_conflicts=plan.skipped,
        memberships_granted=granted,
        removed=removed,
    )


_LINKED_SSO = f"{SIGNS_IN_WITH_SSO} AND scim_user_id IS NOT NULL"
"""Who deactivation sends back to e-mail + password: people whose sign-in Entra's data decided."""


def deactivation_preview(conn: sqlite3.Connection) -> DeactivationPreview:
    """What `deactivate` would do now, counted with the very condition it updates by."""
    require_installed(conn)
    active = is_sync_active(conn)
    emails = (
        [
            row["email"]
            for row in conn.execute(
                f"SELECT email FROM users WHERE {_LINKED_SSO} ORDER BY email_norm"
            )
        ]
        if active
        else []
    )
    return DeactivationPreview(
        sync_active=active,
        users_switched_to_password=len(emails),
        users_sample=emails[:UNMAPPED_SAMPLE],
        live_tokens=live_token_count(conn),
    )


def deactivate(conn: sqlite3.Connection) -> DeactivationResult:
    """Untick synchronization: people linked to Entra go back to e-mail + password.

    Links and memberships stay, so re-activating (after its dry run) finds everyone again; while
    inactive, what Entra sends is received and staged, and applied only at re-activation.
    Deactivating an inactive sync changes nothing.
    """
    require_installed(conn)
    switched = 0
    if is_sync_active(conn):
        switched = conn.execute(
            f"UPDATE users SET auth_method = 'password', must_set_password = 1 WHERE {_LINKED_SSO}"
        ).rowcount
        set_sync_active(conn, None)
    return DeactivationResult(
        integration=integration_state(conn), users_switched_to_password=switched
    )
