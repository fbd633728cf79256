"""The simulated tenant hosted by the sandbox (`with_entra`), driven through Microsoft Graph.

The Graph emulator is the hosted job's only door (the bespoke `/api/entra-sim/v1` API is gone):
the Entra facade signs in with MSAL's real device-code flow and calls Graph over HTTPS. The job
sends its SCIM traffic over real HTTP to the saved tenant URL, here the same sandbox's SCIM
endpoint, so staged data is checked through the admin API.
"""

from __future__ import annotations

import ssl

import httpx
import pytest

from assistant.entra.graph_client import GraphClient
from assistant.entra.graph_errors import GraphBadRequest, GraphNotSignedIn
from assistant.entra.side import CredentialsNotSaved, EntraSide, GraphNotInScope
from assistant.entra.signin import EntraSignIn
from sandbox.graph.mount import GraphEndpoints
from sandbox.server import SandboxServer
from tests.support.graph_side import side_for
from tests.support.sandboxes import admin_client, all_pages, install
from tests.support.waiting import eventually

COMMUNITY_GROUPS = [
    f"Steeple - {c} - {k}"
    for c in ("Siège", "Usine de Lyon", "Commerciaux")
    for k in ("Users", "Admins")
]


async def test_wrong_token_quarantines_then_the_right_one_recovers(
    graph_sandbox: SandboxServer, graph: GraphEndpoints, signed_in: EntraSignIn, admin_key: str
) -> None:
    with admin_client(graph_sandbox, admin_key) as admin:
        tenant_url, secret = install(admin)
        side = side_for(signed_in, graph)
        try:
            groups = {g.name: g for g in await side.groups()}
            assert len(groups) == 10 and set(COMMUNITY_GROUPS) <= set(groups)
            assert (await side.facts()).state == "NotConfigured"

            # The admin pasted a wrong token: Entra's test says why, the right one passes.
            await side.save_credentials(tenant_url, "wrong-token")
            failed = await side.test_connection(tenant_url, "wrong-token")
            assert not failed.ok and failed.code and "401" in failed.sentence
            assert (await side.test_connection(tenant_url, secret)).ok

            assigned = await side.assign_groups([groups[n].id for n in COMMUNITY_GROUPS])
            assert assigned.added == 6 and assigned.other_role == []
            await side.start()
            quarantined = await eventually(
                side.facts, lambda f: f.state == "Quarantine", "quarantine"
            )
            assert quarantined.quarantine_reason == "EncounteredQuarantineException"
            assert admin.get("/integrations/azure-ad/provisioning").json()["users_received"] == 0

            # Fix the token, pause and start again: the cycle runs, everything in scope arrives.
            await side.save_credentials(tenant_url, secret)
            await side.pause()
            await side.start()
            active = await eventually(
                side.facts, lambda f: f.state == "Active" and f.last_run is not None, "a cycle"
            )
            assert active.quarantine_reason is None
            staged = all_pages(admin, "scim-users")
            enabled_in_scope = graph.emulator.host.job.users_in_scope()  # disabled: never sent
            assert len(staged) == len(enabled_in_scope) > 0
            assert active.users_in_scope is not None
            assert active.users_in_scope >= len(staged)
            assert {g["display_name"] for g in all_pages(admin, "groups")} == set(COMMUNITY_GROUPS)

            # Provision on demand: an unassigned user is skipped, as in the admin center.
            staged_names = {u["user_name"] for u in staged}
            outsider = next(
                u
                for u in graph.emulator.host.tenant.users.values()
                if u.user_principal_name not in staged_names and u.account_enabled
            )
            with pytest.raises(GraphNotInScope) as skipped:  # said as such, not "deleted"
                await side.provision_on_demand(outsider.user_principal_name)
            assert outsider.user_principal_name in skipped.value.sentence
            assert "NotEffectivelyEntitled" in skipped.value.sentence

            await side.pause()
            assert (await side.facts()).state == "Paused" and not graph.emulator.host.running
        finally:
            await side.aclose()

        # Entra's test went over HTTP: the sandbox's request log shows the refused probe.
        log = admin.get("/integrations/azure-ad/requests", params={"limit": 1000}).json()
        assert any(e["kind"] == "test_connection" and e["status"] == 401 for e in log["items"])


async def test_graph_never_echoes_the_token_and_refuses_what_is_missing(
    graph_sandbox: SandboxServer, graph: GraphEndpoints, signed_in: EntraSignIn, admin_key: str
) -> None:
    side = side_for(signed_in, graph)
    try:
        with pytest.raises(CredentialsNotSaved) as early:  # nothing saved yet: said exactly
            await side.start()
        assert "Test Connection checks them but does not save them" in early.value.sentence
        assert "Save" in early.value.fix
        with admin_client(graph_sandbox, admin_key) as admin:
            tenant_url, secret = install(admin)
        await side.save_credentials(tenant_url, secret)
        with pytest.raises(GraphBadRequest) as unassigned:  # saved, but nothing assigned yet
            await side.start()
        assert "Assign at least one group" in unassigned.value.graph_message
        app = await side.ensure_app()
        job = await side.ensure_job()
        token = await signed_in.atoken()
        headers = {"Authorization": f"Bearer {token}"}
        base = f"{graph.graph_url}/servicePrincipals/{app.id}/synchronization"
        async with httpx.AsyncClient(verify=signed_in.settings.ssl_context()) as raw:
            for url in (f"{base}/jobs/{job.id}", f"{base}/secrets", f"{base}/jobs"):
                answer = await raw.get(url, headers=headers)
                assert secret not in answer.text  # Graph never returns a secret's value
    finally:
        await side.aclose()


async def test_without_a_sign_in_graph_refuses_with_a_sentence(graph: GraphEndpoints) -> None:
    async def no_token() -> str | None:
        return None

    verify = ssl.create_default_context(cafile=graph.ca_pem_path)
    client = GraphClient(no_token, base_url=graph.graph_url, verify=verify)
    side = EntraSide(client)
    try:
        with pytest.raises(GraphNotSignedIn) as refused:
            await side.groups()
    finally:
        await side.aclose()
    assert "signin" in refused.value.fix
