"""Admin authentication: `Authorization: Bearer <admin key>`, compared in constant time."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from sandbox.domain.common import DomainError
from sandbox.state import SandboxState
from sandbox.throttle import FailureThrottle

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
    request: Request,
) -> None:
    """Refuse with 401 unless the bearer token is the admin key (never echoed, never logged).

    The presented key is compared first, in constant time, and the right key always gets
    through: wrong keys from the same address (a shared proxy, any local process) must never
    lock the administrator out (issue 20, point 3). Wrong keys are counted per client address;
    past the allowance each further wrong key gets 429 + `Retry-After` until it refills, which
    tells a script with a stale key to back off. The key itself (at least 16 characters, 256
    random bits when generated) is what makes online guessing hopeless.
    """
    presented = credentials.credentials.encode("utf-8", "replace") if credentials else b""
    expected = state.config.admin_key.encode("utf-8")
    if credentials and hmac.compare_digest(presented, expected):
        return
    if not credentials:  # no key, no guess: a plain 401, never counted
        raise DomainError(401, "unauthorized", "Missing or wrong admin API key.")
    throttle: FailureThrottle = request.app.state.admin_failures
    client = request.client.host if request.client else "?"
    wait = throttle.retry_after(client)
    if wait:
        raise DomainError(
            429,
            "too_many_attempts",
            f"Too many wrong admin API keys from this address: retry in {wait} s.",
            headers={"Retry-After": str(wait)},
        )
    throttle.failed(client)
    raise DomainError(401, "unauthorized", "Missing or wrong admin API key.")
