"""Per-token rate limiting for the SCIM endpoint: a token bucket per bearer, 429 + `Retry-After`.

Why: Entra backs off when a target answers 429 with `Retry-After`, so a flooding or runaway
client is slowed without losing writes; one noisy token cannot starve another. Sits *inside*
the authenticating gateway, so only valid tokens get a bucket (no memory growth from garbage
tokens) and every 429 still lands in the request log. Buckets are keyed by the SHA-256 of the
bearer (the same digest stored at rest), never by the secret itself.
"""

from __future__ import annotations

import math

from starlette.types import ASGIApp, Receive, Scope, Send

from sandbox.scim.errors import ScimError, error_response
from sandbox.scim.request_log import _bearer, set_summary
from sandbox.throttle import TokenBucketLimiter
from sandbox.tokens import hash_secret

__all__ = ["ScimRateLimit", "TokenBucketLimiter", "with_rate_limit"]


class ScimRateLimit:
    """ASGI wrapper answering 429 (RFC 7644 §3.12 body, `Retry-After` in whole seconds)."""

    def __init__(self, app: ASGIApp, limiter: TokenBucketLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        bearer = _bearer(scope) if scope["type"] == "http" else None
        if bearer is None:
            await self.app(scope, receive, send)
            return
        wait = self.limiter.acquire(hash_secret(bearer))
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        retry_after = max(1, math.ceil(wait))
        set_summary(scope, "rate limited")
        response = error_response(
            ScimError(429, f"too many requests for this token; retry after {retry_after} s"),
            headers={"Retry-After": str(retry_after)},
        )
        await response(scope, receive, send)


def with_rate_limit(app: ASGIApp, rate_per_second: float | None) -> ASGIApp:
    """`app` limited per token, or unchanged when the limit is switched off (None)."""
    if rate_per_second is None:
        return app
    return ScimRateLimit(app, TokenBucketLimiter(rate_per_second))
