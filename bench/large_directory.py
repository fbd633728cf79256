"""The roles screen with 10,000 received groups vs 10 (Pilot, headless): first paint and keystrokes.

Each directory lives in its own sandbox process (pinned to core 0; this process, which runs the
app, on core 1), installed through the admin API, its groups bulk-inserted straight into SQLite.
First paint = from starting the app on the roles step to the first page of groups on screen;
a keystroke = from pressing a key in the search box to the filtered page on screen (a real
admin-API round trip each). Runs are interleaved. Targets: first paint ≤ 1.5× the 10-group
screen's, keystroke median < 50 ms.

    uv run python bench/large_directory.py [--quick] [--runs N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import core_pins, emit_json, figure, median, pin_self_to, print_table  # noqa: E402
from initial_cycle import ServerProcess  # noqa: E402

PAINT_TARGET = 1.5
KEYSTROKE_TARGET_MS = 50.0
KEYS = ["0", "0", "1", "backspace", "backspace", "backspace"]


def stage_groups(db_path: Path, count: int) -> None:
    """`count` received groups, named like a real tenant's, straight into a served database."""
    now = "2026-01-01T00:00:00+00:00"
    conn = sqlite3.connect(db_path, timeout=30, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        rows = []
        for i in range(count):
            kind = "Admins" if i % 2 else "Users"
            name = f"Steeple - Équipe {(i * 7919) % max(count, 1):05d} - {kind}"
            rows.append((f"grp-{i:05d}", name, name.casefold(), f"ext-{i}", i % 90, now, now))
        conn.executemany(
            "INSERT INTO scim_groups (id, display_name, display_name_norm, external_id, resource, "
            "member_count, created_at, modified_at) VALUES (?, ?, ?, ?, '{}', ?, ?, ?)",
            rows,
        )
        conn.execute("UPDATE provisioning_counters SET groups_received = ? WHERE id = 1", (count,))
        conn.execute("COMMIT")
    finally:
        conn.close()


async def wait_until(condition: Callable[[], bool], limit: float = 60.0) -> None:
    deadline = time.perf_counter() + limit
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the roles screen did not get there in time")
        await asyncio.sleep(0.0005)


async def one_run(server: ServerProcess) -> tuple[float, list[float], int]:
    """(seconds to first paint, seconds per keystroke, rows shown) for one fresh app."""
    from assistant.client import SteepleClient
    from assistant.journey import StepId
    from assistant.settings import Settings
    from screens.app import ProvisioningAssistant
    from screens.steps.roles import RolesStep
    from screens.widgets.role_table import RoleTable

    started = time.perf_counter()
    client = SteepleClient(f"http://127.0.0.1:{server.port}", server.admin_key)
    app = ProvisioningAssistant(Settings(), client, start_step=StepId.ROLES)
    app.animation_level = "none"
    async with app.run_test(size=(120, 40)) as pilot:

        def loaded() -> bool:
            screen = app.screen
            return isinstance(screen, RolesStep) and screen.completed_io >= 1

        await wait_until(loaded)
        await pilot.pause()  # the refresh that puts the rows on screen
        first_paint = time.perf_counter() - started
        screen: Any = app.screen
        rows = screen.query_one(RoleTable).row_count
        await pilot.press("slash")
        await pilot.pause()
        keystrokes = []
        for key in KEYS:
            before = screen.completed_io
            pressed = time.perf_counter()
            await pilot.press(key)
            await wait_until(lambda b=before: screen.completed_io > b)
            await pilot.pause()
            keystrokes.append(time.perf_counter() - pressed)
    return first_paint, keystrokes, rows


async def measure(servers: dict[int, ServerProcess], runs: int) -> dict[int, dict[str, Any]]:
    results: dict[int, dict[str, Any]] = {n: {"paint": [], "keys": [], "rows": 0} for n in servers}
    for server in servers.values():  # warm-up: imports and first connections, not measured
        await one_run(server)
    for _ in range(runs):
        for size, server in servers.items():
            paint, keys, rows = await one_run(server)
            results[size]["paint"].append(paint)
            results[size]["keys"].extend(keys)
            results[size]["rows"] = rows
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small run for the test suite")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    sizes = (10, 1_000) if args.quick else (10, 10_000)
    runs = 1 if args.quick else max(5, args.runs)
    config_dir = tempfile.TemporaryDirectory(prefix="steeple-bench-config-")
    os.environ["STEEPLE_ASSISTANT_CONFIG_DIR"] = config_dir.name  # never the user's settings
    server_pin, driver_pin = core_pins()
    if driver_pin:
        pin_self_to(1)
    servers = {size: ServerProcess.start("sandbox", server_pin) for size in sizes}
    try:
        for size, server in servers.items():
            stage_groups(server.db_path, size)
        results = asyncio.run(measure(servers, runs))
    finally:
        for server in servers.values():
            server.stop()
        config_dir.cleanup()

    small, large = sizes
    rows = [
        [
            f"{size:,}",
            results[size]["rows"],
            median(results[size]["paint"]) * 1000,
            median(results[size]["keys"]) * 1000,
            max(results[size]["keys"]) * 1000,
        ]
        for size in sizes
    ]
    print_table(
        f"Roles screen, median of {runs} interleaved runs ({len(KEYS)} keystrokes each)",
        [
            "received groups",
            "rows loaded",
            "first paint ms",
            "keystroke median ms",
            "keystroke max ms",
        ],
        rows,
    )
    paint_ratio = median(results[large]["paint"]) / median(results[small]["paint"])
    keystroke_ms = median(results[large]["keys"]) * 1000
    print(
        f"\nfirst paint ratio {paint_ratio:.3f} (target ≤ {PAINT_TARGET}); "
        f"keystroke {keystroke_ms:.1f} ms (target < {KEYSTROKE_TARGET_MS})"
    )
    emit_json(
        "large_directory",
        args.quick,
        {
            "first_paint_ratio": figure(paint_ratio, PAINT_TARGET),
            "keystroke_ms": figure(keystroke_ms, KEYSTROKE_TARGET_MS),
        },
        sizes=list(sizes),
        runs=runs,
        first_paint_ms={str(s): round(median(results[s]["paint"]) * 1000, 1) for s in sizes},
        keystroke_median_ms={str(s): round(median(results[s]["keys"]) * 1000, 1) for s in sizes},
        rows_loaded={str(s): results[s]["rows"] for s in sizes},
    )


if __name__ == "__main__":
    main()
