"""SSO configuration of the instance, kept as one JSON value in `kv`.

Provisioning accounts that cannot sign in is pointless, so the assistant blocks until this is
configured; `PUT /sso` lets the sandbox journey continue past that block.
"""

from __future__ import annotations

import sqlite3

from assistant.contract import SsoConfig, SsoConfigUpdate
from sandbox.domain.common import kv_get, kv_set

SSO_KEY = "sso"


def get_sso(conn: sqlite3.Connection) -> SsoConfig:
    raw = kv_get(conn, SSO_KEY)
    if raw is None:
        return SsoConfig(configured=False)
    stored = SsoConfigUpdate.model_validate_json(raw)
    return SsoConfig(configured=True, **stored.model_dump())


def set_sso(conn: sqlite3.Connection, update: SsoConfigUpdate) -> SsoConfig:
    """Configure SSO (replacing any previous configuration); the caller owns the transaction."""
    kv_set(conn, SSO_KEY, update.model_dump_json())
    return SsoConfig(configured=True, **update.model_dump())
