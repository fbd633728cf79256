"""Graph reads at scale: a tenant of 20,000 groups and 200,000 provisioning-log entries vs 20
groups (issue 19, point 7), requests and time per screen refresh, through the real Entra facade.

Two sandboxes (in this process, each on its own loopback ports) host the simulated tenant behind
the Graph and login emulators over TLS; the facade signs in with MSAL's device code, as the
assistant does. The small tenant has 20 groups and a few hundred log lines; the large one 20,000
groups and 200,000 log entries, the same 40 people and the same two assigned groups. Measured,
each as requests sent (the client's own count) and wall time, median of the runs:

- assign step, first screen: the assignments, one page of 50 groups, their 50 member counts;
- assign step, a search by name: the same, for the groups matching a word;
- provisioning step, a refresh: the job, the assignments, the people in scope (counted once,
  then reused), the 20 newest log lines in one request.

Targets: at 20,000 groups a refresh sends a bounded number of requests — the assign step at most
a page of counts plus three reads (53), the provisioning step no more than at 20 groups (ratio
≤ 1.0) — and each request takes at most 3× the time it takes at 20 groups (per request: the
20-group screen has only 20 member counts to fetch where the large one has a page of 50; the
emulator still filters its whole directory per request, where a real Graph uses an index).
Before issue 19 the first screen listed and counted every group (200 pages of 100 and 20,000 counts)
and a refresh paged through every log entry (2,000 pages of 100).

    uv run python bench/graph_scale.py [--quick] [--runs N]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import emit_json, figure, median, print_table  # noqa: E402

PAGE = 50
REQUEST_BOUND = PAGE + 3
"""A page of member counts, the app lookup, the assignments and the page of groups."""
PROVISION_RATIO = 1.0
TIME_TARGET = 3.0
CLIENT_ID = "11111111-2222-3333-4444-555555555555"
ADMIN_KEY = "adm_bench-graph-scale-0123456789"


class Tenant:
    """One sandbox with its Graph emulator, a tenant of `groups` groups and `logs` log lines."""

    def __init__(self, groups: int, logs: int, workdir: Path) -> None:
        from sandbox.config import SandboxConfig
        from sandbox.entra.tenant import generate_tenant
        from sandbox.server import SandboxServer

        self.groups, self.logs = groups, logs
        config = SandboxConfig(
            admin_key=ADMIN_KEY,
            db_path=workdir / f"bench-{groups}.sqlite3",
            with_entra=True,
            with_graph=True,
        )
        self.server = SandboxServer(config).start()
        endpoints = self.server.graph
        assert endpoints is not None
        self.endpoints = endpoints
        emulator = endpoints.emulator
        tenant = generate_tenant(40, groups, seed=2026)
        emulator.host.tenant = tenant
        emulator.host.job.tenant = tenant
        self.assigned = [
            g.object_id for g in tenant.groups.values() if g.display_name.startswith("Steeple - Si")
        ]

    async def prepare(self) -> None:
        """The Steeple app's job with saved credentials and two groups; then `logs` entries."""
        side = self.side()
        try:
            await side.save_credentials(self.server.scim_url, "bench-token-not-used")
            await side.assign_groups(self.assigned)
            job = await side.find_job()
            assert job is not None
            job_id = job.id
        finally:
            await side.aclose()
        self.endpoints.emulator.log_items.extend(
            {
                "id": f"entry-{i:06d}",
                "activityDateTime": f"2026-03-{1 + i * 28 // max(self.logs, 1):02d}T09:00:00Z",
                "jobId": job_id,
                "cycleId": f"cycle-{i // 1000:04d}",
                "provisioningAction": "update",
                "provisioningStatusInfo": {"status": "success", "errorInformation": None},
                "sourceIdentity": {"id": f"user-{i % 40}", "displayName": f"Person {i % 40}"},
                "targetIdentity": {"id": f"scim-{i % 40}"},
            }
            for i in range(self.logs)
        )

    def side(self) -> Any:
        from assistant.entra.graph_client import GraphClient
        from assistant.entra.side import EntraSide
        from assistant.entra.signin import EntraSettings, EntraSignIn

        if not hasattr(self, "_signin"):
            settings = EntraSettings(
                authority=self.endpoints.authority,
                graph_url=self.endpoints.graph_url,
                client_id=CLIENT_ID,
                ca_bundle=self.endpoints.ca_pem_path,
            )
            self._signin = EntraSignIn(settings, persistent=False)
            prompt, flow = self._signin.start()
            self._type_code(prompt.user_code)
            self._signin.finish(flow)
        signin = self._signin
        client = GraphClient(
            signin.atoken, base_url=self.endpoints.graph_url, verify=signin.settings.ssl_context()
        )
        return EntraSide(client)

    def _type_code(self, user_code: str) -> None:
        """Enter the device code on the emulator's `/devicelogin` page, as the admin would."""
        import httpx

        with httpx.Client(verify=self.endpoints.tls.client_context(), timeout=10) as https:
            answer = https.post(
                self.endpoints.base_url + "/devicelogin", data={"user_code": user_code}
            )
        answer.raise_for_status()

    def stop(self) -> None:
        self.server.stop()


Refresh = Callable[[Any], Awaitable[object]]


async def first_screen(side: Any) -> object:
    return await side.group_page(top=PAGE)


async def search(side: Any) -> object:
    return await side.group_page(search="Steeple", top=PAGE)


async def provisioning_refresh(side: Any) -> object:
    facts = await side.facts()
    lines = await side.recent_logs(20)
    assert len(lines) == 20, len(lines)
    return facts


async def measure(tenant: Tenant, refresh: Refresh, runs: int, warm: bool) -> tuple[int, float]:
    """(requests, median seconds) of one refresh: on a new facade each run (a screen opened
    afresh), or — `warm` — on one facade refreshed again, as a polling screen does."""
    requests: list[int] = []
    times: list[float] = []
    side = tenant.side()
    try:
        if warm:
            await refresh(side)  # the screen's first load
        for _ in range(runs):
            if not warm:
                await side.aclose()
                side = tenant.side()
            before = side.graph.requests_sent
            began = time.perf_counter()
            await refresh(side)
            times.append(time.perf_counter() - began)
            requests.append(side.graph.requests_sent - before)
    finally:
        await side.aclose()
    assert len(set(requests)) == 1, requests  # the same work every run
    return requests[0], median(times)


async def main_async(quick: bool, runs: int) -> None:
    large_groups, large_logs = (2_000, 20_000) if quick else (20_000, 200_000)
    cases: list[tuple[str, Refresh, bool]] = [
        ("assign: first screen (50 groups, counted)", first_screen, False),
        ("assign: search by name", search, False),
        ("provision: refresh (first)", provisioning_refresh, False),
        ("provision: refresh (polling)", provisioning_refresh, True),
    ]
    with tempfile.TemporaryDirectory(prefix="bench-graph-") as workdir:
        small = Tenant(20, 300, Path(workdir))
        large = Tenant(large_groups, large_logs, Path(workdir))
        try:
            for tenant in (small, large):
                await tenant.prepare()
            rows = []
            most_requests, provision_ratio, worst_time = 0, 0.0, 0.0
            for name, refresh, warm in cases:
                small_req, small_s = await measure(small, refresh, runs, warm)
                large_req, large_s = await measure(large, refresh, runs, warm)
                per_request = (large_s / max(large_req, 1)) / (small_s / max(small_req, 1))
                time_ratio = per_request if small_s else float("inf")
                most_requests = max(most_requests, large_req)
                if refresh is provisioning_refresh:
                    provision_ratio = max(provision_ratio, large_req / max(small_req, 1))
                worst_time = max(worst_time, time_ratio)
                rows.append(
                    [
                        name,
                        small_req,
                        large_req,
                        f"{small_s * 1000:.1f}",
                        f"{large_s * 1000:.1f}",
                        round(time_ratio, 2),
                    ]
                )
        finally:
            small.stop()
            large.stop()
    print_table(
        f"Graph reads per screen refresh: 20 groups vs {large_groups:,} groups and "
        f"{large_logs:,} log entries (median of {runs} runs)",
        [
            "refresh",
            "requests (20)",
            f"requests ({large_groups:,})",
            "ms (20)",
            f"ms ({large_groups:,})",
            "time per request, ratio",
        ],
        rows,
    )
    emit_json(
        "graph_scale",
        quick,
        {
            "requests_per_refresh": figure(most_requests, REQUEST_BOUND),
            "provision_requests_ratio": figure(provision_ratio, PROVISION_RATIO),
            "time_per_request_ratio": figure(worst_time, TIME_TARGET),
        },
        groups=large_groups,
        log_entries=large_logs,
        runs=runs,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="2,000 groups, 20,000 log entries")
    parser.add_argument("--runs", type=int, default=None, help="runs per refresh (default 7)")
    args = parser.parse_args()
    runs = args.runs or (3 if args.quick else 7)
    asyncio.run(main_async(args.quick, runs))


if __name__ == "__main__":
    main()
