"""Token rotation through Graph (issue 12, point 5): the facade saves and tests the new token.

The sandbox hosts the simulated tenant with its job cycling every two seconds; the rotation
goes through `EntraSide` over real HTTPS to the Graph emulator, which drives that job, and the
sandbox's request log is the witness: no 401 for Entra during the rotation, the old token
refused after it. A failing validateCredentials stops it before anything changes in Entra (and
the new token, which never reached Entra, is revoked).
"""

from __future__ import annotations

import socket
from collections.abc import Callable

import httpx

from assistant.entra.signin import EntraSettings, EntraSignIn
from assistant.rotation.engine import Revoked, Rotation, RotationEvent, Stage, Stopped, StopReason
from assistant.steeple.client import SteepleClient
from sandbox.graph.mount import GraphEndpoints
from sandbox.server import SandboxServer
from tests.support.app import GRAPH_CLIENT_ID as CLIENT_ID
from tests.support.graph_side import side_for
from tests.support.memory_keyring import MemoryKeyring
from tests.support.sandboxes import admin_client, install, request_log
from tests.support.signin import sign_in
from tests.support.waiting import first_cycle

LIMIT = 120.0
"""Many cycles: the test waits on the outcome, never on a duration."""


async def test_rotation_through_graph_keeps_entra_provisioning(
    graph_sandbox: SandboxServer, graph: GraphEndpoints, signed_in: EntraSignIn, admin_key: str
) -> None:
    admin = admin_client(graph_sandbox, admin_key)
    tenant_url, old_secret = install(admin)
    side = side_for(signed_in, graph)
    client = SteepleClient(graph_sandbox.base_url, admin_key)
    try:
        await side.ensure_job()
        await side.save_credentials(tenant_url, old_secret)
        await side.assign_groups(list(graph.emulator.host.tenant.groups)[:3])
        await side.start()
        await first_cycle(side)  # the initial cycle is over
        events: list[RotationEvent] = []
        outcome = await Rotation(
            client, entra=side, time_limit=LIMIT, poll_seconds=0.2, on_event=events.append
        ).run()
    finally:
        await side.aclose()
        await client.aclose()

    assert isinstance(outcome, Revoked), outcome
    stages = [e.stage for e in events if e.stage is not Stage.WAITING]
    assert stages[:4] == [Stage.CHECKED, Stage.CREATED, Stage.TESTED, Stage.SAVED]
    assert stages[-2:] == [Stage.VERIFIED, Stage.REVOKED]
    new_secret = graph.emulator.host.job.secret()  # what Entra holds now
    assert new_secret != old_secret and new_secret[-4:] == outcome.new_hint
    with httpx.Client(headers={"Authorization": f"Bearer {old_secret}"}) as old:
        assert old.get(graph_sandbox.scim_url + "/Users").status_code == 401
    hints = {old_secret[-4:], new_secret[-4:]}
    entra_requests = [e for e in request_log(admin) if e["token_hint"] in hints]
    refused = [e for e in entra_requests if e["status"] == 401]
    assert refused == [entra_requests[-1]]  # only the test's own request with the old token
    assert {e["token_hint"] for e in entra_requests[:-1]} == hints
    tokens = admin.get("/integrations/azure-ad/tokens").json()["tokens"]
    assert [t["hint"] for t in tokens] == [outcome.new_hint]
    admin.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_a_failing_validate_credentials_revokes_nothing_and_says_why(
    start_sandbox: Callable[..., SandboxServer], memory_keyring: MemoryKeyring, admin_key: str
) -> None:
    """The instance gives Entra an address nothing listens on: Test Connection fails, and
    Entra keeps the token it had (the new one is tested before it is saved)."""
    server = start_sandbox(
        with_entra=True, with_graph=True, public_url=f"http://127.0.0.1:{_free_port()}"
    )
    graph = server.graph
    assert graph is not None
    signin = EntraSignIn(
        EntraSettings(graph.authority, graph.graph_url, CLIENT_ID, graph.ca_pem_path)
    )
    sign_in(signin, graph)
    admin = admin_client(server, admin_key)
    _unreachable, old_secret = install(admin)  # what the instance tells Entra to call
    side = side_for(signin, graph)
    client = SteepleClient(server.base_url, admin_key)
    try:
        await side.ensure_job()
        await side.save_credentials(server.scim_url, old_secret)  # what Entra had, reachable
        events: list[RotationEvent] = []
        outcome = await Rotation(
            client, entra=side, time_limit=LIMIT, poll_seconds=0.2, on_event=events.append
        ).run()
    finally:
        await side.aclose()
        await client.aclose()

    assert isinstance(outcome, Stopped) and outcome.reason is StopReason.TEST_FAILED
    assert outcome.message and outcome.fix  # the verdict's sentence and fix, decoded
    assert [e.stage for e in events][:2] == [Stage.CHECKED, Stage.CREATED]
    assert Stage.SAVED not in [e.stage for e in events]
    assert graph.emulator.host.job.secret() == old_secret  # Entra untouched
    assert graph.emulator.host.job.tenant_url == server.scim_url
    # The new token never reached Entra: nobody needs it, so it is revoked (issue 20, point 2).
    tokens = admin.get("/integrations/azure-ad/tokens").json()["tokens"]
    assert [t["hint"] for t in tokens] == [old_secret[-4:]]
    assert outcome.live_hints == (old_secret[-4:],)
    admin.close()
