"""SSO configuration of the instance, kept as one JSON value in `kv`.

Provisioning accounts that cannot sign in is pointless, so the assistant blocks until this is
configured; `PUT /sso` lets the sandbox journey continue past that block.
"""

from __future__ import annotations

import sqlite3

from assistant.steeple.contract import SsoConfig, SsoConfigUpdate
from sandbox.domain.common import kv_get, kv_set

SSO_KEY = "sso"


def sso_view(update: SsoConfigUpdate, public_url: str = "") -> SsoConfig:
    """The configuration with the addresses Entra's app must carry, from the public base URL
    (the one Entra and browsers use), so the assistant can recognise Steeple's app in Entra."""
    base = public_url.rstrip("/")
    saml = update.protocol == "saml"
    return SsoConfig(
        configured=True,
        **update.model_dump(),
        saml_entity_id=f"{base}/saml/metadata" if base and saml else None,
        reply_url=(f"{base}/saml/acs" if saml else f"{base}/oidc/callback") if base else None,
    )


def get_sso(conn: sqlite3.Connection, public_url: str = "") -> SsoConfig:
    raw = kv_get(conn, SSO_KEY)
    if raw is None:
        return SsoConfig(configured=False)
    return sso_view(SsoConfigUpdate.model_validate_json(raw), public_url)


def set_sso(conn: sqlite3.Connection, update: SsoConfigUpdate, public_url: str = "") -> SsoConfig:
    """Configure SSO (replacing any previous configuration); the caller owns the transaction."""
    kv_set(conn, SSO_KEY, update.model_dump_json())
    return sso_view(update, public_url)
