"""The live state of one sandbox instance, shared by its admin API, SCIM endpoint and Entra host."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from assistant.steeple.contract import SCIM_PREFIX, SsoConfig
from sandbox.config import SandboxConfig


@dataclass
class SandboxState:
    """Held on `app.state.sandbox`; everything route handlers need, nothing global."""

    config: SandboxConfig
    conn: sqlite3.Connection
    public_url: str
    sso_listeners: list[Callable[[SsoConfig], None]] = field(default_factory=list)
    """Told each SSO configuration the admin API saves. Steeple knows no listener by name: the
    sandbox's composer (`sandbox/app.py`) subscribes the simulated tenant, because the admin who
    sets SSO up in Steeple makes its enterprise app in Entra too."""

    @property
    def now(self) -> Callable[[], datetime]:
        return self.config.clock

    @property
    def scim_base_url(self) -> str:
        return self.public_url.rstrip("/") + SCIM_PREFIX
