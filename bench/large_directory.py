"""The roles screen with 10,000 received groups vs 10 (Pilot, headless): first paint and keystrokes.

Each directory lives in its own sandbox process (pinned to core 0; this process, which runs the
app, on core 1), installed through the admin API, its groups bulk-inserted straight into SQLite.
First paint = from starting the app on the roles step to the frame that puts the first page of
groups on screen; a keystroke = from the key event sent (as the terminal driver sends it) to the
frame that shows the filtered page (a real admin-API round trip each), keystrokes 150 ms apart
like a steady typist's; a burst = three keys sent at once (a paste), timed from the last one to
the frame with the final page. Frames are noted by `_paint_clock.PaintClock`, not after Pilot's
pauses (which sleep 20 ms each); each keystroke's CPU time in this process (the app's work,
without the time spent waiting for a core on a loaded machine) is shown too. Runs are
interleaved. Targets: first paint ≤ 1.5× the 10-group
screen's, keystroke median < 50 ms, and a keystroke at 10,000 groups ≤ 1.2× one at 10 (median
app CPU, and median time to the painted page).

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
KEYSTROKE_RATIO_TARGET = 1.2
"""A keystroke at 10,000 groups vs at 10 (issue 21): the app's CPU, and the time to the page."""
KEYS = ["0", "0", "1", "backspace", "backspace", "backspace"]
BURST = ["0", "0", "1"]


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


TYPING_GAP = 0.15
"""Seconds between two keystrokes of a steady typist (~80 words a minute): each keystroke is
timed on its own, the next one sent this long after the previous one was sent."""


def names_of(table: Any, count: int) -> list[str]:
    """The group names the table holds in its first `count` rows, as shown (plain text)."""
    return [str(table.get_row_at(i)[1]) for i in range(min(count, table.row_count))]


async def one_run(
    server: ServerProcess,
) -> tuple[float, list[tuple[float, float]], float, int]:
    """(s to first paint, (wall s, CPU s) per keystroke, s burst → final page, rows shown).

    Every time is taken at the frame that puts the awaited rows on screen (`PaintClock`), never
    after a Pilot pause.
    """
    from _paint_clock import PaintClock
    from textual.widgets import Input, Static

    from assistant.journey.steps import StepId
    from assistant.settings import Settings
    from assistant.steeple.client import SteepleClient
    from screens.app import ProvisioningAssistant
    from screens.steps import roles
    from screens.steps.roles import RolesStep
    from screens.widgets.role_table import RoleTable

    queries = {"", "0", "00", "001"}
    async with SteepleClient(f"http://127.0.0.1:{server.port}", server.admin_key) as check:
        pages = {q: await check.list_groups(q, None, roles.PAGE_SIZE) for q in queries}
    expected = {q: [g.display_name for g in page.items] for q, page in pages.items()}
    totals = {q: page.total for q, page in pages.items()}

    def showing(query: str) -> Callable[[], bool]:
        """The roles screen shows the first page of `query`'s matches: rows, names, info line.

        The first page is as long as the screen says (`RolesStep.first_page_size`, from the
        terminal's height, more rows than it can show); the names checked are the first 40."""

        def holds() -> bool:
            screen = app.screen
            if not isinstance(screen, RolesStep) or not screen.is_mounted:
                return False
            want = expected[query][: screen.first_page_size()]
            table = screen.query_one(RoleTable)
            if table.row_count != len(want) or table._require_update_dimensions:
                return False
            if screen.query_one("#search", Input).value.strip() != query:
                return False
            info = str(screen.query_one("#table-info", Static).content)
            said = f"{len(want)} of {totals[query]} groups" + (
                f" matching '{query}'" if query else ""
            )
            return info.startswith(said + " ·") and names_of(table, 40) == want[:40]

        return holds

    started = time.perf_counter()
    client = SteepleClient(f"http://127.0.0.1:{server.port}", server.admin_key)
    app = ProvisioningAssistant(Settings(), client, start_step=StepId.ROLES)
    app.animation_level = "none"
    clock = PaintClock(app)
    async with app.run_test(size=(120, 40)) as pilot:
        first_paint = (await clock.frame_where(showing("")))[0] - started
        screen: Any = app.screen
        rows = screen.query_one(RoleTable).row_count
        await pilot.pause()
        search = screen.query_one("#search", Input)
        clock.press("slash")
        await clock.frame_where(lambda: app.focused is search)
        await asyncio.sleep(TYPING_GAP)
        keystrokes: list[tuple[float, float]] = []
        typed = ""
        for key in KEYS:
            typed = typed[:-1] if key == "backspace" else typed + key
            sent = clock.press(key)
            painted = await clock.frame_where(showing(typed))
            keystrokes.append((painted[0] - sent[0], painted[1] - sent[1]))
            await asyncio.sleep(max(0.0, sent[0] + TYPING_GAP - time.perf_counter()))
        for key in BURST:  # as fast as the terminal sends them: a paste, a key held down
            sent = clock.press(key)
        burst = (await clock.frame_where(showing("".join(BURST))))[0] - sent[0]
    return first_paint, keystrokes, burst, rows


async def measure(servers: dict[int, ServerProcess], runs: int) -> dict[int, dict[str, Any]]:
    results: dict[int, dict[str, Any]] = {
        n: {"paint": [], "keys": [], "keys_cpu": [], "burst": [], "rows": 0} for n in servers
    }
    for server in servers.values():  # warm-up: imports and first connections, not measured
        await one_run(server)
    for _ in range(runs):
        for size, server in servers.items():
            paint, keys, burst, rows = await one_run(server)
            results[size]["paint"].append(paint)
            results[size]["keys"].extend(wall for wall, _ in keys)
            results[size]["keys_cpu"].extend(cpu for _, cpu in keys)
            results[size]["burst"].append(burst)
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
            median(results[size]["keys_cpu"]) * 1000,
            median(results[size]["burst"]) * 1000,
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
            "keystroke CPU ms",
            "burst → page ms",
        ],
        rows,
    )
    paint_ratio = median(results[large]["paint"]) / median(results[small]["paint"])
    keystroke_ms = median(results[large]["keys"]) * 1000
    cpu_ratio = median(results[large]["keys_cpu"]) / median(results[small]["keys_cpu"])
    wall_ratio = median(results[large]["keys"]) / median(results[small]["keys"])
    print(
        f"\nfirst paint ratio {paint_ratio:.3f} (target ≤ {PAINT_TARGET}); "
        f"keystroke {keystroke_ms:.1f} ms (target < {KEYSTROKE_TARGET_MS}); keystroke "
        f"{large:,} vs {small:,} groups: app CPU {cpu_ratio:.3f}, to the painted page "
        f"{wall_ratio:.3f} (target ≤ {KEYSTROKE_RATIO_TARGET})"
    )
    emit_json(
        "large_directory",
        args.quick,
        {
            "first_paint_ratio": figure(paint_ratio, PAINT_TARGET),
            "keystroke_ms": figure(keystroke_ms, KEYSTROKE_TARGET_MS),
            "keystroke_cpu_ratio": figure(cpu_ratio, KEYSTROKE_RATIO_TARGET),
            "keystroke_wall_ratio": figure(wall_ratio, KEYSTROKE_RATIO_TARGET),
        },
        sizes=list(sizes),
        runs=runs,
        first_paint_ms={str(s): round(median(results[s]["paint"]) * 1000, 1) for s in sizes},
        keystroke_median_ms={str(s): round(median(results[s]["keys"]) * 1000, 1) for s in sizes},
        keystroke_app_cpu_median_ms={
            str(s): round(median(results[s]["keys_cpu"]) * 1000, 1) for s in sizes
        },
        burst_to_page_ms={str(s): round(median(results[s]["burst"]) * 1000, 1) for s in sizes},
        typing_gap_ms=TYPING_GAP * 1000,
        rows_loaded={str(s): results[s]["rows"] for s in sizes},
    )


if __name__ == "__main__":
    main()
