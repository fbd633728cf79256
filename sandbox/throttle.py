"""Throttles shared by the SCIM endpoint and the admin API, with bounded memory.

`TokenBucketLimiter` paces requests per key (a token's hash, a client address);
`FailureThrottle` counts failed admin-key attempts per client address, so a script with a wrong
key is told to back off (429 + `Retry-After`) instead of hammering the instance.

Memory is bounded by `max_keys`, whatever the number of addresses: a bucket that has refilled
says nothing a new bucket would not, so those are forgotten first; only when every bucket is
still counting (a flood from more addresses than the bound) are the least recently seen ones
dropped, a slice at a time so the scan is paid once per slice, not once per request. Clearing
everything when full, as before, let a flood of fresh addresses wipe a guesser's count.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

MAX_BUCKETS = 1024
"""Tokens are few, client addresses are not: a few hundred bytes per key, so ~200 KiB at most."""
EVICT_FRACTION = 8
"""When no bucket has refilled, drop the oldest 1/8 at once (amortised O(1) per new key)."""


@dataclass(slots=True)
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
        max_keys: int = MAX_BUCKETS,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.burst = max(1.0, burst if burst is not None else rate)
        self.max_keys = max(1, max_keys)
        self._now = monotonic
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def __len__(self) -> int:
        """How many keys are remembered (never more than `max_keys`)."""
        return len(self._buckets)

    def __contains__(self, key: object) -> bool:
        """Whether `key`'s count is remembered (a forgotten key starts with a full burst)."""
        return key in self._buckets

    def _level(self, bucket: _Bucket, now: float) -> float:
        return min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)

    def wait(self, key: str) -> float:
        """Seconds until `key` may take one request (0.0 now), without taking it."""
        bucket = self._buckets.get(key)
        if bucket is None:
            return 0.0
        tokens = self._level(bucket, self._now())
        return 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate

    def acquire(self, key: str) -> float:
        """Take one request from `key`'s bucket: 0.0 if allowed, else seconds until one is free."""
        now = self._now()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self.max_keys:
                self._make_room(now)
            bucket = self._buckets[key] = _Bucket(self.burst, now)
        else:
            self._buckets.move_to_end(key)
        bucket.tokens = self._level(bucket, now)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate

    def _make_room(self, now: float) -> None:
        """Forget refilled buckets; if none has, the least recently seen slice."""
        full = [
            key for key, bucket in self._buckets.items() if self._level(bucket, now) >= self.burst
        ]
        for key in full:
            del self._buckets[key]
        if len(self._buckets) < self.max_keys:
            return
        for _ in range(max(1, self.max_keys // EVICT_FRACTION)):
            self._buckets.popitem(last=False)


class FailureThrottle:
    """`burst` failures per key, refilled at `rate` per second; a key with none left must wait.

    Only failures are throttled: the caller checks a presented secret first and lets the right
    one through whatever the address's count, so nobody can lock the administrator out by
    sending wrong keys from the same address (a shared proxy, any local process). Refusing the
    right key too would hide from a guesser when they found it, but an admin key of 128+ random
    bits cannot be found online anyway; the lock-out could.
    """

    def __init__(
        self,
        rate: float,
        burst: float,
        monotonic: Callable[[], float] = time.monotonic,
        max_keys: int = MAX_BUCKETS,
    ) -> None:
        self._bucket = TokenBucketLimiter(rate, burst, monotonic, max_keys)

    def __len__(self) -> int:
        return len(self._bucket)

    def __contains__(self, key: object) -> bool:
        return key in self._bucket

    def retry_after(self, key: str) -> int:
        """Whole seconds `key` must wait before its next attempt; 0 when it may try now."""
        wait = self._bucket.wait(key)
        return 0 if wait <= 0 else max(1, math.ceil(wait))

    def failed(self, key: str) -> None:
        """Count one failed attempt against `key`."""
        self._bucket.acquire(key)
