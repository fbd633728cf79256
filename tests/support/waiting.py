"""The one way a test waits for something outside it to happen: on state, never on time.

Entra's cycles, a revoked token meeting its 401, a job reaching quarantine: the test reads the
state again until it holds. The bound is not an assertion about speed (these machines are
noisy), only a way to fail with a sentence instead of hanging; the Pilot's own waits are
`tests/support/pilot.py`'s `wait_for`.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar, cast

if TYPE_CHECKING:
    from assistant.entra.facts import JobFacts
    from assistant.entra.side import EntraSide

T = TypeVar("T")

BOUND_SECONDS = 60.0
"""Long enough for Entra's first cycle on a loaded two-core machine (cycles run every 1–2 s)."""


async def eventually(
    read: Callable[[], T | Awaitable[T]],
    done: Callable[[T], bool],
    what: str,
    *,
    seconds: float = BOUND_SECONDS,
    every: float = 0.05,
) -> T:
    """Call `read` (sync or async) until `done(value)`; return that value.

    Sync tests call it through `asyncio.run(eventually(...))`.
    """
    deadline = time.monotonic() + seconds
    while True:
        answer = read()
        value = cast(T, await answer if inspect.isawaitable(answer) else answer)
        if done(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what} (last read: {value!r:.300})")
        await asyncio.sleep(every)


async def first_cycle(side: EntraSide) -> JobFacts:
    """Entra's first cycle has run once the job's facts carry its last run."""
    return await eventually(side.facts, lambda facts: facts.last_run is not None, "a first cycle")
