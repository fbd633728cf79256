"""The Azure AD integration's lifecycle: install, remove, SCIM tokens, sync on/off.

The lifecycle lives in `kv` (a handful of values, no table needed). Removal returns the instance
to classic e-mail + password sign-in but keeps staged SCIM data for a grace period, so an admin who
removed it by mistake can reinstall without Entra re-sending everything.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from assistant.steeple.contract import IntegrationState, RemovalPreview, RemovalResult, TokenInfo
from sandbox.domain.common import DomainError, kv_get, kv_set, parse_time

STAGED_DATA_GRACE = timedelta(days=30)

SIGNS_IN_WITH_SSO = "auth_method = 'sso' AND status = 'active'"
"""The accounts removal (and, when linked to Entra, deactivation) sends back to e-mail + password.

One condition for the preview's count and for the UPDATE, so what is announced is what is done;
removed accounts have no access either way and are left as they are.
"""

_INSTALLED = "integration.installed_at"
_ACTIVATED = "integration.activated_at"
_REMOVED = "integration.removed_at"
_KEPT_UNTIL = "integration.staged_data_kept_until"


def is_installed(conn: sqlite3.Connection) -> bool:
    return kv_get(conn, _INSTALLED) is not None


def is_sync_active(conn: sqlite3.Connection) -> bool:
    """True once activated (and until deactivated or removed): SCIM writes then apply live."""
    return kv_get(conn, _ACTIVATED) is not None


def require_installed(conn: sqlite3.Connection) -> None:
    if not is_installed(conn):
        raise DomainError(
            409,
            "integration_not_installed",
            "The Azure AD integration is not installed: install it first.",
        )


def live_token_count(conn: sqlite3.Connection) -> int:
    return int(
        conn.execute("SELECT COUNT(*) FROM scim_tokens WHERE revoked_at IS NULL").fetchone()[0]
    )


def integration_state(conn: sqlite3.Connection) -> IntegrationState:
    activated_at = parse_time(kv_get(conn, _ACTIVATED))
    return IntegrationState(
        installed=is_installed(conn),
        installed_at=parse_time(kv_get(conn, _INSTALLED)),
        sync_active=activated_at is not None,
        activated_at=activated_at,
        removed_at=parse_time(kv_get(conn, _REMOVED)),
        live_tokens=live_token_count(conn),
        staged_data_kept_until=parse_time(kv_get(conn, _KEPT_UNTIL)),
    )


def install(conn: sqlite3.Connection, now: datetime) -> bool:
    """Install the integration; return False (and change nothing) when it already is.

    Reinstalling within the grace period after a removal finds the staged data again; after it,
    the staged data is purged first.
    """
    if is_installed(conn):
        return False
    kept_until = parse_time(kv_get(conn, _KEPT_UNTIL))
    if kept_until is not None and now >= kept_until:
        purge_staged_data(conn)
    kv_set(conn, _INSTALLED, now.isoformat())
    kv_set(conn, _KEPT_UNTIL, None)
    return True


def purge_staged_data(conn: sqlite3.Connection) -> None:
    """Forget what Entra sent (grace period over): a reinstall then starts from nothing.

    The counters the SCIM layer keeps are reset with the rows they count, so the provisioning
    status stays true; the request log is history and is kept (it is bounded anyway).
    """
    conn.execute("DELETE FROM group_mappings")
    conn.execute("DELETE FROM scim_group_members")
    conn.execute("DELETE FROM scim_groups")
    conn.execute("DELETE FROM scim_users")
    conn.execute(
        "UPDATE provisioning_counters SET users_received = 0, users_active = 0, "
        "groups_received = 0, burst_started_at = NULL, burst_first_seq = NULL, "
        "burst_is_cycle = 0 WHERE id = 1"
    )
    conn.execute("DELETE FROM cycle_starts")  # a new integration's clock starts afresh


def removal_preview(conn: sqlite3.Connection) -> RemovalPreview:
    """What `remove` would do now, counted with the very conditions it updates by."""
    require_installed(conn)
    return RemovalPreview(
        sync_active=is_sync_active(conn),
        users_switched_to_password=_count(
            conn, f"SELECT COUNT(*) FROM users WHERE {SIGNS_IN_WITH_SSO}"
        ),
        tokens_revoked=live_token_count(conn),
        staged_users=_count(conn, "SELECT COUNT(*) FROM scim_users"),
        staged_groups=_count(conn, "SELECT COUNT(*) FROM scim_groups"),
    )


def _count(conn: sqlite3.Connection, sql: str) -> int:
    return int(conn.execute(sql).fetchone()[0])


def remove(conn: sqlite3.Connection, now: datetime) -> RemovalResult:
    """Back to classic authentication: sync off, tokens revoked, SSO users set a password."""
    require_installed(conn)
    revoked = conn.execute(
        "UPDATE scim_tokens SET revoked_at = ? WHERE revoked_at IS NULL", (now.isoformat(),)
    ).rowcount
    switched = conn.execute(
        "UPDATE users SET auth_method = 'password', must_set_password = 1, scim_user_id = NULL "
        f"WHERE {SIGNS_IN_WITH_SSO}"
    ).rowcount
    conn.execute("UPDATE users SET scim_user_id = NULL WHERE scim_user_id IS NOT NULL")
    kept_until = now + STAGED_DATA_GRACE
    kv_set(conn, _INSTALLED, None)
    kv_set(conn, _ACTIVATED, None)
    kv_set(conn, _REMOVED, now.isoformat())
    kv_set(conn, _KEPT_UNTIL, kept_until.isoformat())
    return RemovalResult(
        integration=integration_state(conn),
        users_switched_to_password=switched,
        tokens_revoked=revoked,
        staged_data_kept_until=kept_until,
    )


def set_sync_active(conn: sqlite3.Connection, now: datetime | None) -> None:
    """Mark sync as activated at `now`, or (None) deactivated."""
    kv_set(conn, _ACTIVATED, None if now is None else now.isoformat())


def list_tokens(conn: sqlite3.Connection) -> list[TokenInfo]:
    rows = conn.execute(
        "SELECT id, hint, created_at, last_used_at, last_provisioned_at FROM scim_tokens "
        "WHERE revoked_at IS NULL ORDER BY created_at, id"
    ).fetchall()
    return [
        TokenInfo(
            id=row["id"],
            hint=row["hint"],
            created_at=datetime.fromisoformat(row["created_at"]),
            last_used_at=parse_time(row["last_used_at"]),
            last_provisioned_at=parse_time(row["last_provisioned_at"]),
        )
        for row in rows
    ]


def revoke_token(conn: sqlite3.Connection, token_id: str, now: datetime) -> None:
    """Revoke a live token: Entra's next request with it gets a 401."""
    changed = conn.execute(
        "UPDATE scim_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
        (now.isoformat(), token_id),
    ).rowcount
    if not changed:
        raise DomainError(404, "token_not_found", "No live SCIM token has this id.")
