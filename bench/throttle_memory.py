"""Memory of the wrong-key throttle under a flood of distinct addresses (issue 20, point 3).

The admin API counts wrong keys per client address (`sandbox.throttle.FailureThrottle`), as the
SCIM endpoint does for unknown bearers. Every address that fails once is remembered until its
bucket refills, so a flood from many addresses (or a spoofing proxy) must not grow memory with
it. Measured with tracemalloc: the throttle with its bound against the same throttle unbounded
(the baseline, in the same run), after 1,000, 10,000 and 100,000 distinct addresses. Target:
memory at 100,000 addresses ≤ 1.5× memory at 1,000 (bounded, not growing), and a guesser that
keeps failing during the flood is still counted at the end.

    uv run python bench/throttle_memory.py [--quick]
"""

from __future__ import annotations

import argparse
import sys
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import emit_json, figure, print_table  # noqa: E402

from sandbox.throttle import MAX_BUCKETS, FailureThrottle  # noqa: E402

GROWTH_TARGET = 1.5


def flood(addresses: int, max_keys: int) -> tuple[int, int, bool]:
    """(bytes held, keys remembered, guesser still counted) after `addresses` distinct ones."""
    now = [0.0]
    throttle = FailureThrottle(rate=0.1, burst=3, monotonic=lambda: now[0], max_keys=max_keys)
    tracemalloc.start()
    baseline = tracemalloc.take_snapshot()
    for n in range(addresses):
        throttle.failed(f"10.{n >> 16}.{(n >> 8) & 255}.{n & 255}")
        if n % 10 == 0:
            throttle.failed("198.51.100.7")  # the guesser, failing all along
        now[0] += 0.001
    held = sum(s.size_diff for s in tracemalloc.take_snapshot().compare_to(baseline, "filename"))
    tracemalloc.stop()
    return held, len(throttle), "198.51.100.7" in throttle


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 addresses at most")
    args = parser.parse_args()
    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    rows = []
    held: dict[int, int] = {}
    counted = True
    for size in sizes:
        bounded, keys, still = flood(size, MAX_BUCKETS)
        unbounded, all_keys, _ = flood(size, 10**9)
        held[size] = bounded
        counted = counted and still
        rows.append(
            [size, keys, f"{bounded / 1024:.0f} KiB", all_keys, f"{unbounded / 1024:.0f} KiB"]
        )
    print_table(
        f"Wrong-key throttle memory (bound {MAX_BUCKETS} addresses)",
        ["addresses", "kept", "bounded", "kept (no bound)", "unbounded (baseline)"],
        rows,
    )
    growth = held[sizes[-1]] / held[sizes[0]]
    print(f"\ngrowth {sizes[0]:,} → {sizes[-1]:,} addresses: {growth:.2f}×")
    print(f"the guesser failing throughout is still counted: {counted}")
    emit_json(
        "throttle_memory",
        args.quick,
        {
            "growth": figure(growth, GROWTH_TARGET),
            "guesser_counted": figure(1.0 if counted else 0.0, 1.0, at_most=False),
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
