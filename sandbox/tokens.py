"""SCIM bearer tokens: generated once, stored as a hash, compared in constant time.

Tokens are 256-bit random strings, so a single SHA-256 is enough (no password stretching is
needed for high-entropy secrets) and lets lookup go by an indexed hash column.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime

TOKEN_PREFIX = "stp_"
MAX_LIVE_TOKENS = 2


def new_secret() -> str:
    """A fresh token secret; shown to the admin exactly once."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def hint_of(secret: str) -> str:
    """The 4-character hint the admin can compare with what Entra shows."""
    return secret[-4:]


@dataclass(frozen=True)
class Bearer:
    """What a presented bearer is to this instance: live (its id), issued (its hint), or neither."""

    live_id: str | None
    hint: str | None

    @property
    def issued(self) -> bool:
        return self.hint is not None


def identify(conn: sqlite3.Connection, presented: str | None) -> Bearer:
    """One indexed lookup for the gateway: the live token's id and any issued token's hint.

    The lookup is by hash (which leaks nothing about the secret), then the stored hash is
    compared with `hmac.compare_digest` so the final check is constant-time. A revoked token
    is still *issued*: Entra holding a stale token is what the journey must say, while a
    guessed or garbage bearer is anonymous noise (issue 10, point 8).

    The hint is the stored one (never derived from what was presented), so a guessed bearer
    that happens to end like a real token gets no hint: only tokens this instance issued do.
    """
    if not presented:
        return Bearer(None, None)
    digest = hash_secret(presented)
    row = conn.execute(
        "SELECT id, secret_hash, hint, revoked_at FROM scim_tokens WHERE secret_hash = ?",
        (digest,),
    ).fetchone()
    if row is None or not hmac.compare_digest(row["secret_hash"], digest):
        return Bearer(None, None)
    live = str(row["id"]) if row["revoked_at"] is None else None
    return Bearer(live, str(row["hint"]))


def touch(
    conn: sqlite3.Connection, token_id: str, when: datetime, *, provisioning: bool = False
) -> None:
    """Record that a token was used (shown to the admin as 'last used'); with `provisioning`,
    that it bore Entra's provisioning at work, which is what says which token Entra holds."""
    stamp = when.isoformat()
    if provisioning:
        conn.execute(
            "UPDATE scim_tokens SET last_used_at = ?, last_provisioned_at = ? WHERE id = ?",
            (stamp, stamp, token_id),
        )
    else:
        conn.execute("UPDATE scim_tokens SET last_used_at = ? WHERE id = ?", (stamp, token_id))


class TooManyLiveTokens(Exception):
    """A third live token was asked for: revoke one first (rotation keeps at most two)."""


def create_token(conn: sqlite3.Connection, now: datetime) -> tuple[str, str, str]:
    """Create a live token and return `(id, secret, hint)`; the secret is never stored.

    The caller owns the transaction (so the live-count check and the insert are atomic).
    """
    live = conn.execute("SELECT COUNT(*) FROM scim_tokens WHERE revoked_at IS NULL").fetchone()[0]
    if live >= MAX_LIVE_TOKENS:
        raise TooManyLiveTokens
    secret = new_secret()
    token_id = "tok_" + secrets.token_hex(8)
    conn.execute(
        "INSERT INTO scim_tokens (id, secret_hash, hint, created_at) VALUES (?, ?, ?, ?)",
        (token_id, hash_secret(secret), hint_of(secret), now.isoformat()),
    )
    return token_id, secret, hint_of(secret)
