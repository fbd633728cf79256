"""Throttles shared by the SCIM endpoint and the admin API.

`TokenBucketLimiter` paces requests per key (a token's hash, a client address);
`FailureThrottle` counts failed admin-key attempts per client address, so guessing the key
gets 429 + `Retry-After` long before it gets anywhere.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_BUCKETS = 1024
"""Bounds memory: tokens are few, client addresses are not (when full, all buckets restart)."""


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

    def wait(self, key: str) -> float:
        """Seconds until `key` may take one request (0.0 now), without taking it."""
        bucket = self._buckets.get(key)
        if bucket is None:
            return 0.0
        tokens = min(self.burst, bucket.tokens + (self._now() - bucket.updated) * self.rate)
        return 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate

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


class FailureThrottle:
    """`burst` failures per key, refilled at `rate` per second; a key with none left must wait.

    Every attempt from a key that is out of failures is refused — the right secret included,
    or the refusal itself would tell a guesser when they had found it.
    """

    def __init__(
        self, rate: float, burst: float, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._bucket = TokenBucketLimiter(rate, burst, monotonic)

    def retry_after(self, key: str) -> int:
        """Whole seconds `key` must wait before its next attempt; 0 when it may try now."""
        wait = self._bucket.wait(key)
        return 0 if wait <= 0 else max(1, math.ceil(wait))

    def failed(self, key: str) -> None:
        """Count one failed attempt against `key`."""
        self._bucket.acquire(key)
