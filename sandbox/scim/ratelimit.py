"""Per-token rate limiting for the SCIM endpoint: a token bucket per bearer, 429 + `Retry-After`.

Why: Entra backs off when a target answers 429 with `Retry-After`, so a flooding or runaway
client is slowed without losing writes; one noisy token cannot starve another. Sits *inside*
the authenticating gateway, so only valid tokens get a bucket (no memory growth from garbage
tokens) and every 429 still lands in the request log. Buckets are keyed by the SHA-256 of the
bearer (the same digest stored at rest), never by the secret itself.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

from sandbox.scim.errors import ScimError, error_response
from sandbox.scim.request_log import _bearer, set_summary
from sandbox.tokens import hash_secret

MAX_BUCKETS = 1024
"""Live tokens are at most two per instance; the cap only bounds memory if that ever changes."""


@dataclass
class _Bucket:
    tokens: float
    updated: float


class TokenBucketLimiter:
    """`rate` requests per second per key, bursts up to `burst` (default: one second's worth)."""

    def __init__(
        self,
        rate: float,
        burst: float | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.burst = max(1.0, burst if burst is not None else rate)
        self._now = monotonic
        self._buckets: dict[str, _Bucket] = {}

    def acquire(self, key: str) -> float:
        """Take one request from `key`'s bucket: 0.0 if allowed, else seconds until one is free."""
        now = self._now()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= MAX_BUCKETS:
                self._buckets.clear()
            bucket = self._buckets[key] = _Bucket(self.burst, now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate


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
