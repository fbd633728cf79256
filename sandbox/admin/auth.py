"""Admin authentication: `Authorization: Bearer <admin key>`, compared in constant time."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from sandbox.domain.common import DomainError
from sandbox.state import SandboxState

bearer = HTTPBearer(auto_error=False, description="The instance's admin API key.")


async def sandbox_state(request: Request) -> SandboxState:
    """The instance the request is for (one per app, on `app.state.sandbox`)."""
    state: SandboxState = request.app.state.sandbox
    return state


State = Annotated[SandboxState, Depends(sandbox_state)]
"""A handler parameter of this type receives the instance's state."""


async def require_admin(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    state: State,
) -> None:
    """Refuse with 401 unless the bearer token is the admin key (never echoed, never logged)."""
    presented = credentials.credentials.encode("utf-8") if credentials else b""
    expected = state.config.admin_key.encode("utf-8")
    if not credentials or not hmac.compare_digest(presented, expected):
        raise DomainError(401, "unauthorized", "Missing or wrong admin API key.")
