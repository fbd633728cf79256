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


def touch(conn: sqlite3.Connection, token_id: str, when: datetime) -> None:
    """Record that a token was used (shown to the admin as 'last used')."""
    conn.execute("UPDATE scim_tokens SET last_used_at = ? WHERE id = ?", (when.isoformat(), token_id))
