"""Cost of the assistant's poll: provisioning-status latency with 1,000 vs 100,000 staged users.

Two sandbox servers (own processes, pinned to core 0; this driver on core 1) hold the same state
except the number of staged SCIM users; requests alternate between them (in shuffled order) so
noise hits both alike.
Users are bulk-inserted straight into SQLite (100,000 through HTTP would take minutes and measure
the SCIM endpoint, not the poll), with a full request log and 50 observed cycle starts.
Target: median latency ratio ≤ 1.2.

    uv run python bench/poll_cost.py [--quick] [--requests N]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    core_pins,
    cpu_seconds,
    emit_json,
    figure,
    median,
    percentile,
    pin_self_to,
    print_table,
)
from initial_cycle import ServerProcess  # noqa: E402

STATUS = "/api/admin/v1/integrations/azure-ad/provisioning"
RATIO_TARGET = 1.2
LOG_ROWS = 5000


def stage_users(db_path: Path, users: int) -> None:
    """Bulk-stage `users` SCIM users, a full request log and counters into a served database."""
    conn = sqlite3.connect(db_path, timeout=30, isolation_level=None)
    now = "2026-01-01T00:00:00+00:00"
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "INSERT INTO scim_users (id, user_name, user_name_norm, external_id, display_name, "
            "email, email_norm, active, resource, created_at, modified_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
            (
                (
                    f"usr-{i:06d}",
                    f"user{i}@contoso.fr",
                    f"user{i}@contoso.fr",
                    f"E{i}",
                    f"User {i}",
                    f"user{i}@contoso.fr",
                    f"user{i}@contoso.fr",
                    json.dumps({"userName": f"user{i}@contoso.fr", "active": True}),
                    now,
                    now,
                )
                for i in range(users)
            ),
        )
        conn.executemany(
            "INSERT INTO request_log (time, method, path, status, latency_ms, kind, summary) "
            "VALUES (?, 'POST', '/Users', ?, 1.0, 'create_user', '')",
            ((now, 409 if i == LOG_ROWS - 7 else 201) for i in range(LOG_ROWS)),
        )
        error_seq = conn.execute("SELECT seq FROM request_log WHERE status = 409").fetchone()[0]
        conn.executemany(
            "INSERT OR IGNORE INTO cycle_starts (time) VALUES (?)",
            ((f"2026-01-01T{h:02d}:{m:02d}:00+00:00",) for h in range(24) for m in (0, 40)),
        )
        conn.execute(
            "UPDATE provisioning_counters SET users_received = ?, users_active = ?, "
            "requests_total = ?, errors_total = 1, first_request_at = ?, last_request_at = ?, "
            "last_error_seq = ? WHERE id = 1",
            (users, users, users * 2, now, now, error_seq),
        )
        conn.execute("COMMIT")
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small run for the test suite")
    parser.add_argument("--requests", type=int, default=2000, help="requests per server")
    args = parser.parse_args()
    sizes = (100, 10_000) if args.quick else (1_000, 100_000)
    requests = 100 if args.quick else args.requests
    server_pin, driver_pin = core_pins()
    if driver_pin:
        pin_self_to(1)
    servers = {size: ServerProcess.start("sandbox", server_pin) for size in sizes}
    latencies: dict[int, list[float]] = {size: [] for size in sizes}
    bodies: dict[int, dict[str, object]] = {}
    try:
        clients = {}
        for size, server in servers.items():
            stage_users(server.db_path, size)
            clients[size] = httpx.Client(
                base_url=f"http://127.0.0.1:{server.port}",
                headers={"Authorization": f"Bearer {server.admin_key}"},
                timeout=30,
            )
        for size, client in clients.items():  # warm-up, and the staged state is really served
            for _ in range(20):
                answer = client.get(STATUS)
                answer.raise_for_status()
            bodies[size] = answer.json()
        cpu_before = {s: cpu_seconds(servers[s].process.pid) for s in sizes}
        order = random.Random(7)
        for _ in range(requests):
            # Both servers share core 0: whichever goes second waits for the first to go idle,
            # so the order is shuffled each round rather than fixed.
            for size in order.sample(sizes, len(sizes)):
                client = clients[size]
                started = time.perf_counter()
                client.get(STATUS).raise_for_status()
                latencies[size].append(time.perf_counter() - started)
        cpu_ms = {
            s: (cpu_seconds(servers[s].process.pid) - cpu_before[s]) * 1000 / requests
            for s in sizes
        }
        for client in clients.values():
            client.close()
    finally:
        for server in servers.values():
            server.stop()

    small, large = sizes
    rows = [
        [
            f"{size:,}",
            bodies[size]["users_received"],
            len(latencies[size]),
            median(latencies[size]) * 1000,
            percentile(latencies[size], 0.99) * 1000,
            cpu_ms[size],
        ]
        for size in sizes
    ]
    print_table(
        "provisioning-status latency (alternating requests)",
        [
            "staged users",
            "users_received shown",
            "requests",
            "median ms",
            "p99 ms",
            "server CPU ms/req",
        ],
        rows,
    )
    ratio = median(latencies[large]) / median(latencies[small])
    p99_ratio = percentile(latencies[large], 0.99) / percentile(latencies[small], 0.99)
    print(f"\nmedian ratio {ratio:.3f} (target ≤ {RATIO_TARGET}); p99 ratio {p99_ratio:.3f}")
    cpu_ratio = cpu_ms[large] / cpu_ms[small]
    print(f"server CPU per request ratio {cpu_ratio:.3f}")
    served_right = all(bodies[size]["users_received"] == size for size in sizes)
    emit_json(
        "poll_cost",
        args.quick,
        {
            "median_ratio": figure(ratio, RATIO_TARGET),
            "staged_state_served": {"value": served_right, "target": True, "met": served_right},
        },
        sizes=list(sizes),
        requests_per_server=requests,
        median_ms={str(s): round(median(latencies[s]) * 1000, 3) for s in sizes},
        p99_ms={str(s): round(percentile(latencies[s], 0.99) * 1000, 3) for s in sizes},
        p99_ratio=round(p99_ratio, 3),
        server_cpu_ms_per_request={str(s): round(cpu_ms[s], 3) for s in sizes},
        server_cpu_ratio=round(cpu_ratio, 3),
    )


if __name__ == "__main__":
    main()
