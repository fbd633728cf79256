"""SCIM bearer tokens: generated once, stored as a hash, compared in constant time.

Tokens are 256-bit random strings, so a single SHA-256 is enough (no password stretching is
needed for high-entropy secrets) and lets lookup go by an indexed hash column.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
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


def authenticate(conn: sqlite3.Connection, presented: str | None) -> str | None:
    """Return the id of the live token matching `presented`, or None.

    The lookup is by hash (which leaks nothing about the secret), then the stored hash is
    compared with `hmac.compare_digest` so the final check is constant-time.
    """
    if not presented:
        return None
    digest = hash_secret(presented)
    row = conn.execute(
        "SELECT id, secret_hash FROM scim_tokens WHERE secret_hash = ? AND revoked_at IS NULL",
        (digest,),
    ).fetchone()
    if row is None or not hmac.compare_digest(row["secret_hash"], digest):
        return None
    return str(row["id"])


def was_issued(conn: sqlite3.Connection, presented: str | None) -> bool:
    """True when `presented` is a token this instance issued, live or since revoked.

    Only such a request may say "Entra holds a stale token"; a guessed or garbage bearer is
    just anonymous noise (issue 10, point 8).
    """
    if not presented:
        return False
    row = conn.execute(
        "SELECT 1 FROM scim_tokens WHERE secret_hash = ?", (hash_secret(presented),)
    ).fetchone()
    return row is not None


def touch(conn: sqlite3.Connection, token_id: str, when: datetime) -> None:
    """Record that a token was used (shown to the admin as 'last used')."""
    conn.execute(
        "UPDATE scim_tokens SET last_used_at = ? WHERE id = ?", (when.isoformat(), token_id)
    )


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
