"""The simulated Entra tenant's initial cycle against our sandbox and against `scim2-server`.

Each server runs in its own process (`bench/_scim_server.py`, uvicorn on loopback), pinned to
core 0; this driver pins itself to core 1. Per server: a cycle at concurrency 8 with N users (and
200 groups of up to 100 members), the same at N/10 (memory flat in N), and a serial cycle
(concurrency 1, 1,000 users by default: at ~20–50 ms per request on a loaded machine, 10,000 serial
users would take far longer than the 5 minutes a server may have).
The fair figure is the server's CPU milliseconds per request (from /proc/<pid>/stat): the driver
tops out before a fast server does. Every group's member count is checked afterwards over SCIM.

Targets: our CPU per request ≤ 0.5 ms; our p99 ≤ 1/3 of the peer's; our peak RSS at N ≤ 1.3× at
N/10 (memory flat in N).

    uv run python bench/initial_cycle.py [--quick] [--users N] [--serial-users N]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import secrets
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    ROOT,
    core_pins,
    cpu_seconds,
    emit_json,
    figure,
    peak_rss_mib,
    percentile,
    pin_self_to,
    print_table,
    rss_mib,
)

from sandbox.entra.clock import ManualClock, TimeScale  # noqa: E402
from sandbox.entra.job import JobSettings, ProvisioningJob  # noqa: E402
from sandbox.entra.tenant import EntraGroup, Tenant, generate_tenant  # noqa: E402

SERVER = Path(__file__).resolve().parent / "_scim_server.py"
GROUPS = 200
CPU_TARGET_MS = 0.5
P99_TARGET_RATIO = 1 / 3
MEMORY_FLAT_TARGET = 1.3


def bench_tenant(users: int, groups: int = GROUPS, seed: int = 11) -> Tenant:
    """N users, `groups` groups of 1–100 direct user members, every user in at least one group."""
    tenant = generate_tenant(users, 0, seed=seed)
    for user in tenant.users.values():
        # Entra never provisions disabled users: all enabled, so every user and member is
        # expected on the target. No managers: scim2-server refuses Entra's string manager.
        user.account_enabled, user.manager_id = True, ""
    rng = random.Random(seed)
    user_ids = list(tenant.users)
    members: list[list[str]] = [[] for _ in range(groups)]
    for index, user_id in enumerate(user_ids):
        members[index % groups].append(user_id)
    for index, group_members in enumerate(members):
        wanted = rng.randint(len(group_members), 100) if len(group_members) < 100 else 0
        extra = [
            u for u in rng.sample(user_ids, min(len(user_ids), wanted)) if u not in group_members
        ]
        group_members.extend(extra[: max(0, wanted - len(group_members))])
        group = EntraGroup(f"grp-{index:04d}", f"Équipe {index:04d}", group_members)
        tenant.groups[group.object_id] = group
    return tenant


def request_kind(method: str, path: str, query: str) -> str:
    resource = "user" if "/Users" in path else "group" if "/Groups" in path else "other"
    if method == "GET":
        return f"{resource} lookup" if "filter" in query else f"{resource} get"
    return f"{resource} {method.lower()}"


class TimingTransport(httpx.AsyncBaseTransport):
    """httpx's own transport, noting each request's kind and latency (driver side)."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.latencies: dict[str, list[float]] = defaultdict(list)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        started = time.perf_counter()
        response = await self._inner.handle_async_request(request)
        await response.aread()
        elapsed = time.perf_counter() - started
        kind = request_kind(request.method, request.url.path, request.url.query.decode())
        self.latencies[kind].append(elapsed)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


@dataclass
class ServerProcess:
    """A SCIM server child process; `scim_url` is its tenant URL (dialect flag included)."""

    kind: str
    process: subprocess.Popen[str]
    port: int
    token: str
    scim_url: str = ""
    admin_key: str = field(default="", repr=False)
    temp: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)

    @classmethod
    def start(cls, kind: str, pin: list[str]) -> ServerProcess:
        temp = tempfile.TemporaryDirectory(prefix="steeple-bench-")
        token = "bench-" + secrets.token_urlsafe(16)
        if kind == "sandbox":
            args = ["sandbox", str(Path(temp.name) / "steeple.db"), "adm_" + token]
        else:
            args = ["scim2", token]
        process = subprocess.Popen(
            [*pin, sys.executable, str(SERVER), *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith("PORT "):
            process.kill()
            raise RuntimeError(f"{kind} server did not start: {line!r}")
        server = cls(kind, process, int(line.split()[1]), token, temp=temp)
        base = f"http://127.0.0.1:{server.port}"
        server.admin_key = "adm_" + token
        if kind == "sandbox":
            admin = httpx.Client(
                base_url=base + "/api/admin/v1",
                headers={"Authorization": f"Bearer adm_{token}"},
                timeout=30,
            )
            admin.post("/integrations/azure-ad").raise_for_status()
            server.token = admin.post("/integrations/azure-ad/tokens").json()["secret"]
            server.scim_url = admin.get("/integrations/azure-ad/credentials").json()["tenant_url"]
            admin.close()
        else:
            server.scim_url = base + "/v2?aadOptscim062020"
        return server

    @property
    def db_path(self) -> Path:
        assert self.temp is not None
        return Path(self.temp.name) / "steeple.db"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.temp is not None:
            self.temp.cleanup()


async def check_members(server: ServerProcess, job: ProvisioningJob) -> tuple[int, int, int]:
    """(groups whose member count is right, groups, users stored), read back over SCIM."""
    base = server.scim_url.split("?")[0]
    headers = {"Authorization": f"Bearer {server.token}"}
    right = 0
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as scim:
        for object_id, scim_id in job.memory.group_ids.items():
            body = (await scim.get(f"/Groups/{scim_id}")).json()
            expected = len(job.tenant.direct_user_members(job.tenant.groups[object_id]))
            right += len(body.get("members") or []) == expected
        users = (await scim.get("/Users", params={"count": 1})).json().get("totalResults", -1)
    return right, len(job.tenant.groups), int(users)


@dataclass
class CycleResult:
    server: str
    users: int
    concurrency: int
    requests: int
    seconds: float
    cpu_ms_per_request: float
    peak_rss_mib: float
    rss_mib: float
    latencies: dict[str, list[float]]
    failed: int
    members_right: int
    groups: int
    users_stored: int

    @property
    def all_latencies(self) -> list[float]:
        return [x for values in self.latencies.values() for x in values]


async def run_cycle(
    kind: str, users: int, concurrency: int, pin: list[str], groups: int = GROUPS
) -> CycleResult:
    tenant = bench_tenant(users, groups)
    server = ServerProcess.start(kind, pin)
    try:
        timing = TimingTransport()
        job = ProvisioningJob(
            tenant,
            tenant_url=server.scim_url,
            token=server.token,
            assigned=list(tenant.groups),
            clock=ManualClock(),
            scale=TimeScale(5.0),
            settings=JobSettings(
                max_in_flight=concurrency,
                seed=1,
                timeout=60,
                transport=timing,
                # scim2-models cannot register Microsoft's non-URN group schema (see tests/entra).
                aad_group_schema=kind == "sandbox",
            ),
        )
        cpu_before = cpu_seconds(server.process.pid)
        started = time.perf_counter()
        report = await job.run_cycle()
        seconds = time.perf_counter() - started
        cpu = cpu_seconds(server.process.pid) - cpu_before
        peak, current = peak_rss_mib(server.process.pid), rss_mib(server.process.pid)
        requests = sum(len(v) for v in timing.latencies.values())
        right, groups, stored = await check_members(server, job)
        await timing.aclose()
        return CycleResult(
            kind,
            users,
            concurrency,
            requests,
            seconds,
            cpu * 1000 / max(1, requests),
            peak,
            current,
            dict(timing.latencies),
            report.failed,
            right,
            groups,
            stored,
        )
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small run for the test suite")
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument(
        "--serial-users", type=int, default=1000, help="users in the concurrency-1 run"
    )
    parser.add_argument("--groups", type=int, default=GROUPS)
    parser.add_argument("--servers", default="sandbox,scim2")
    args = parser.parse_args()
    users = 60 if args.quick else args.users
    serial_users = 20 if args.quick else args.serial_users
    groups = 5 if args.quick else args.groups
    small = max(20, users // 10)
    server_pin, driver_pin = core_pins()
    if driver_pin:
        pin_self_to(1)
    results: dict[str, dict[str, CycleResult]] = {}
    for kind in args.servers.split(","):
        runs = {
            "main": asyncio.run(run_cycle(kind, users, 8, server_pin, groups)),
            "small": asyncio.run(run_cycle(kind, small, 8, server_pin, groups)),
            "serial": asyncio.run(run_cycle(kind, serial_users, 1, server_pin, groups)),
        }
        results[kind] = runs
        for name, r in runs.items():
            print(
                f"[{kind} {name}] {r.users} users c={r.concurrency}: {r.requests} requests in "
                f"{r.seconds:.1f} s, {r.cpu_ms_per_request:.3f} ms CPU/request",
                file=sys.stderr,
                flush=True,
            )

    rows = []
    for kind, runs in results.items():
        for name, r in runs.items():
            rows.append(
                [
                    kind,
                    name,
                    r.users,
                    r.concurrency,
                    r.requests,
                    f"{r.requests / r.seconds:.0f}",
                    r.cpu_ms_per_request,
                    percentile(r.all_latencies, 0.5) * 1000,
                    percentile(r.all_latencies, 0.99) * 1000,
                    f"{r.peak_rss_mib:.1f}",
                    f"{r.members_right}/{r.groups}",
                    r.users_stored,
                    r.failed,
                ]
            )
    print_table(
        f"Initial cycle, {groups} groups (server pinned: {bool(server_pin)})",
        [
            "server",
            "run",
            "users",
            "conc",
            "requests",
            "req/s",
            "CPU ms/req",
            "p50 ms",
            "p99 ms",
            "peak RSS MiB",
            "members right",
            "users stored",
            "failed",
        ],
        rows,
    )
    kind_rows = []
    for kind, runs in results.items():
        for name in ("main", "serial"):
            r = runs[name]
            for request, values in sorted(r.latencies.items()):
                kind_rows.append(
                    [
                        kind,
                        name,
                        request,
                        len(values),
                        percentile(values, 0.5) * 1000,
                        percentile(values, 0.99) * 1000,
                    ]
                )
    print_table(
        "Latency per request kind (driver side)",
        ["server", "run", "kind", "n", "p50 ms", "p99 ms"],
        kind_rows,
    )

    ours = results.get("sandbox")
    peer = results.get("scim2")
    figures: dict[str, Any] = {}
    extra: dict[str, Any] = {
        "groups": groups,
        "users": users,
        "serial_users": serial_users,
        "small_users": small,
    }
    correct = all(
        r.members_right == r.groups and r.users_stored == r.users and r.failed == 0
        for runs in results.values()
        for r in runs.values()
    )
    figures["correct"] = {"value": correct, "target": True, "met": correct}
    if ours:
        main_run = ours["main"]
        figures["cpu_ms_per_request"] = figure(main_run.cpu_ms_per_request, CPU_TARGET_MS)
        figures["memory_ratio_n_vs_n10"] = figure(
            main_run.peak_rss_mib / ours["small"].peak_rss_mib, MEMORY_FLAT_TARGET
        )
        extra["sandbox"] = summary(ours)
    if ours and peer:
        ratio = percentile(ours["main"].all_latencies, 0.99) / percentile(
            peer["main"].all_latencies, 0.99
        )
        figures["p99_ratio_vs_peer"] = figure(ratio, round(P99_TARGET_RATIO, 4))
        extra["scim2_server"] = summary(peer)
        extra["cpu_ratio_vs_peer"] = round(
            ours["main"].cpu_ms_per_request / peer["main"].cpu_ms_per_request, 3
        )
    emit_json("initial_cycle", args.quick, figures, **extra)


def summary(runs: dict[str, CycleResult]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, r in runs.items():
        out[name] = {
            "users": r.users,
            "concurrency": r.concurrency,
            "requests": r.requests,
            "requests_per_s": round(r.requests / r.seconds, 1),
            "seconds": round(r.seconds, 2),
            "cpu_ms_per_request": round(r.cpu_ms_per_request, 4),
            "p50_ms": round(percentile(r.all_latencies, 0.5) * 1000, 3),
            "p99_ms": round(percentile(r.all_latencies, 0.99) * 1000, 3),
            "peak_rss_mib": round(r.peak_rss_mib, 1),
            "members_right": f"{r.members_right}/{r.groups}",
        }
    return out


if __name__ == "__main__":
    main()
