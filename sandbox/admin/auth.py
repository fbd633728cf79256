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

    Wrong keys are counted per client address: past the allowance, every key presented from
    that address gets 429 + `Retry-After` until it refills (the right one too, or the answer
    would tell a guesser they had found it), so the key cannot be guessed online.
    """
    throttle: FailureThrottle = request.app.state.admin_failures
    client = request.client.host if request.client else "?"
    wait = throttle.retry_after(client) if credentials else 0  # no key, no guess: plain 401
    if wait:
        raise DomainError(
            429,
            "too_many_attempts",
            f"Too many wrong admin API keys from this address: retry in {wait} s.",
            headers={"Retry-After": str(wait)},
        )
    presented = credentials.credentials.encode("utf-8", "replace") if credentials else b""
    expected = state.config.admin_key.encode("utf-8")
    if not credentials or not hmac.compare_digest(presented, expected):
        if credentials:  # a guess; a request with no key at all guesses nothing
            throttle.failed(client)
        raise DomainError(401, "unauthorized", "Missing or wrong admin API key.")
