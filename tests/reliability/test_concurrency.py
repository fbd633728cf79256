"""Parallel writers: member adds/removes on one group lose nothing; one userName wins once."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx

from sandbox.server import SandboxServer
from tests.support.scim import GROUP_SCHEMA, entra_user, patch_body, scim_client, token_for


def in_parallel(server: SandboxServer, jobs: list[Callable[[httpx.Client], int]]) -> list[int]:
    """Run every job on its own client, released together by a barrier; return the statuses."""
    token = token_for(server)
    barrier = threading.Barrier(len(jobs))  # every request released at the same moment

    def run(job: Callable[[httpx.Client], int]) -> int:
        with scim_client(server, token) as client:
            client.get("/ServiceProviderConfig")  # connect before the barrier
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=10)
            return job(client)

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def test_parallel_member_patches_lose_no_member(empty_sandbox: SandboxServer) -> None:
    with scim_client(empty_sandbox, token_for(empty_sandbox)) as scim:
        ids = [
            scim.post("/Users", json=entra_user(f"m{i:02d}@contoso.com")).json()["id"]
            for i in range(48)
        ]
        initial, to_add = ids[:16], ids[16:]
        group = scim.post(
            "/Groups",
            json={
                "schemas": [GROUP_SCHEMA],
                "displayName": "Race",
                "members": [{"value": i} for i in initial],
            },
        ).json()
    to_remove = initial[::2]
    url = f"/Groups/{group['id']}"

    def adder(user_id: str) -> Callable[[httpx.Client], int]:
        body = patch_body({"op": "add", "path": "members", "value": [{"value": user_id}]})
        return lambda c: c.patch(url, json=body).status_code

    def remover(user_id: str) -> Callable[[httpx.Client], int]:
        body = patch_body({"op": "remove", "path": f'members[value eq "{user_id}"]'})
        return lambda c: c.patch(url, json=body).status_code

    jobs = [adder(i) for i in to_add] + [remover(i) for i in to_remove]
    jobs += [adder(i) for i in to_add[:8]]  # repeated adds are idempotent, not duplicates
    statuses = in_parallel(empty_sandbox, jobs)
    assert set(statuses) == {204}, statuses

    expected = (set(initial) - set(to_remove)) | set(to_add)
    with scim_client(empty_sandbox, token_for(empty_sandbox)) as scim:
        members = [m["value"] for m in scim.get(url).json()["members"]]
    assert len(members) == len(set(members))
    assert set(members) == expected
    conn = empty_sandbox.app.state.sandbox.conn
    stored = {
        r[0]
        for r in conn.execute(
            "SELECT member_id FROM scim_group_members WHERE group_id = ?", (group["id"],)
        )
    }
    assert stored == expected


def test_parallel_creates_of_one_user_name_yield_one_user_and_409s(
    empty_sandbox: SandboxServer,
) -> None:
    def create(variant: str) -> Callable[[httpx.Client], int]:
        body = entra_user(variant, externalId=f"ext-{variant}")
        return lambda c: c.post("/Users", json=body).status_code

    # Case variants are the same userName (caseExact false in RFC 7643).
    names = ["dup@contoso.com", "DUP@contoso.com", "Dup@Contoso.com", "dup@CONTOSO.COM"] * 6
    statuses = in_parallel(empty_sandbox, [create(n) for n in names])
    assert statuses.count(201) == 1, statuses
    assert statuses.count(409) == len(names) - 1
    conn = empty_sandbox.app.state.sandbox.conn
    assert (
        conn.execute(
            "SELECT COUNT(*) FROM scim_users WHERE user_name_norm = 'dup@contoso.com'"
        ).fetchone()[0]
        == 1
    )
    assert conn.execute("SELECT COUNT(*) FROM scim_users").fetchone()[0] == 1
