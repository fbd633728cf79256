"""The typed Graph client against the Graph emulator, over real HTTPS: paging, throttling,
missing permissions, and the Entra side of the journey (app, job, secrets, Test Connection)."""

from __future__ import annotations

import pytest

from assistant.entra.app_roles import assignment_role
from assistant.entra.graph_client import GraphClient, retry_after_seconds
from assistant.entra.graph_errors import (
    GraphBadRequest,
    GraphNotSignedIn,
    GraphPermissionDenied,
    GraphThrottled,
    GraphUnreachable,
)
from assistant.entra.signin import EntraSignIn
from sandbox.graph.mount import GraphEndpoints
from sandbox.server import SandboxServer
from tests.support.sandboxes import admin_client, install
from tests.support.signin import sign_in
from tests.support.waiting import eventually


class RecordedSleep:
    """Records the waits the client asked for; waits no real time (no timed assertions)."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def client_for(signin: EntraSignIn, graph: GraphEndpoints, sleep: RecordedSleep) -> GraphClient:
    return GraphClient(
        signin.atoken, base_url=graph.graph_url, verify=signin.settings.ssl_context(), sleep=sleep
    )


async def test_collections_follow_next_link_to_the_end(
    signed_in: EntraSignIn, graph: GraphEndpoints
) -> None:
    graph.emulator.page_size = 7
    tenant_users = [u for u in graph.emulator.host.tenant.users.values() if not u.soft_deleted]
    before = graph.emulator.graph_requests
    async with client_for(signed_in, graph, RecordedSleep()) as client:
        users = await client.users()
    assert sorted(u.id for u in users) == sorted(u.object_id for u in tenant_users)
    assert graph.emulator.graph_requests - before == -(-len(tenant_users) // 7)  # ceil: pages


@pytest.mark.parametrize("status", [429, 503])
async def test_429_and_503_are_retried_after_the_wait_graph_asked_for(
    signed_in: EntraSignIn, graph: GraphEndpoints, status: int
) -> None:
    graph.emulator.throttle(2, retry_after=7, status=status)
    sleep = RecordedSleep()
    async with client_for(signed_in, graph, sleep) as client:
        groups = await client.groups()
    assert len(groups) == len(graph.emulator.host.tenant.groups)
    assert sleep.waits == [7.0, 7.0]


async def test_throttled_past_the_retries_is_a_sentence_and_a_fix(
    signed_in: EntraSignIn, graph: GraphEndpoints
) -> None:
    graph.emulator.throttle(10, retry_after=3)
    sleep = RecordedSleep()
    async with client_for(signed_in, graph, sleep) as client:
        with pytest.raises(GraphThrottled) as failed:
            await client.groups()
    assert sleep.waits == [3.0, 3.0, 3.0]  # three retries, each after Retry-After
    assert failed.value.code == "TooManyRequests"
    assert "throttling" in failed.value.sentence
    assert "retry in a minute" in failed.value.fix


async def test_a_missing_permission_names_it_with_the_consent_and_role(
    graph: GraphEndpoints, entra_settings: object, memory_keyring: object
) -> None:
    graph.emulator.consented = graph.emulator.consented - {
        "Synchronization.Read.All",
        "Synchronization.ReadWrite.All",
    }
    signin = EntraSignIn(entra_settings)  # type: ignore[arg-type]
    sign_in(signin, graph)
    async with client_for(signin, graph, RecordedSleep()) as client:
        created = await client.create_enterprise_app("Steeple")
        with pytest.raises(GraphPermissionDenied) as failed:
            await client.jobs(created.service_principal.id)
    error = failed.value
    assert error.status == 403 and error.code == "Authorization_RequestDenied"
    assert "Synchronization.Read.All" in error.sentence
    assert "Grant admin consent" in error.fix and "Application Administrator" in error.fix
    assert error.to_dict()["request_id"]


async def test_without_a_sign_in_the_client_says_so(graph: GraphEndpoints) -> None:
    async def no_token() -> str | None:
        return None

    async with GraphClient(no_token, base_url=graph.graph_url) as client:
        with pytest.raises(GraphNotSignedIn) as failed:
            await client.users()
    assert "entra signin" in failed.value.fix


async def test_a_revoked_session_is_not_signed_in(
    signed_in: EntraSignIn, graph: GraphEndpoints
) -> None:
    await signed_in.atoken()
    graph.emulator.revoke_all()
    async with client_for(signed_in, graph, RecordedSleep()) as client:
        with pytest.raises(GraphNotSignedIn) as failed:
            await client.users()
    assert failed.value.code == "InvalidAuthenticationToken"


def test_retry_after_reads_seconds_and_dates() -> None:
    assert retry_after_seconds("12") == 12.0
    assert retry_after_seconds(None, 4.0) == 4.0
    assert retry_after_seconds("Thu, 01 Jan 1970 00:00:00 GMT") == 0.0
    assert retry_after_seconds("soon", 2.0) == 2.0


async def wait_for_a_cycle(client: GraphClient, sp_id: str, job_id: str) -> None:
    """On state, not on time: the first cycle's execution record."""
    await eventually(
        lambda: client.job(sp_id, job_id),
        lambda job: job.status.last_execution is not None,
        "the job's first cycle",
    )


async def test_the_entra_side_through_graph(
    graph_sandbox: SandboxServer, graph: GraphEndpoints, signed_in: EntraSignIn, admin_key: str
) -> None:
    with admin_client(graph_sandbox, admin_key) as admin:
        tenant_url, secret = install(admin)
    async with client_for(signed_in, graph, RecordedSleep()) as client:
        # (the demo's SSO app is named "Steeple": this one is a second app, for provisioning)
        assert await client.service_principals("Steeple SCIM") == []
        created = await client.create_enterprise_app("Steeple SCIM")
        sp = created.service_principal
        assert [s.id for s in await client.service_principals("Steeple SCIM")] == [sp.id]
        (template,) = await client.sync_templates(sp.id)
        job = await client.create_job(sp.id, template.id)
        # As Microsoft's create-job example: no credentials yet, never steady (year-1 dates).
        assert job.status.code == "NotConfigured"
        assert job.status.steady_state_first_achieved_time is None
        # Test Connection with a wrong token: Entra's own code, our sentence.
        with pytest.raises(GraphBadRequest) as refused:
            await client.validate_credentials(sp.id, job.id, tenant_url, "not-the-token")
        assert refused.value.code.startswith("SystemForCrossDomainIdentityManagement")
        await client.save_secrets(sp.id, tenant_url, secret)
        assert (await client.job(sp.id, job.id)).status.code == "NotRun"  # configured now
        await client.validate_credentials(sp.id, job.id)  # the saved ones: accepted
        group = (await client.groups())[0]
        role = assignment_role(sp.app_roles)
        assert role.name == "User"  # the non-gallery app declares User and msiam_access
        assignment = await client.assign(sp.id, group.id, role.id)
        assert assignment.principal_id == group.id and assignment.app_role_id == role.id
        assert [a.principal_id for a in await client.assignments(sp.id)] == [group.id]
        await client.start_job(sp.id, job.id)
        await wait_for_a_cycle(client, sp.id, job.id)
        job = await client.job(sp.id, job.id)
        last = job.status.last_execution
        assert last is not None and last.count_exported > 0
        logs = await client.provisioning_logs(job.id)
        assert logs and all(entry.job_id == job.id for entry in logs)
        assert {entry.provisioning_status_info.status for entry in logs} <= {  # type: ignore[union-attr]
            "success",
            "failure",
            "skipped",
        }
        person = (await client.users())[0]
        assert person.user_principal_name
        found = await client.user_by_upn(person.user_principal_name)
        assert found is not None and found.id == person.id
        rule_id = (await client.job_schema(sp.id, job.id)).user_rule_id()
        assert rule_id
        result = await client.provision_on_demand(sp.id, job.id, rule_id, [(person.id, "User")])
        assert result.result in ("Success", "Skipped"), result
        assert result.action in ("Create", "Update", "Other")
        await client.pause_job(sp.id, job.id)
        assert (await client.job(sp.id, job.id)).status.code == "Paused"


async def test_a_filtered_collection_pages_with_its_filter(
    signed_in: EntraSignIn, graph: GraphEndpoints
) -> None:
    """The nextLink carries the (encoded) $filter: page 2 is still the filtered collection."""
    graph.emulator.page_size = 1
    name = "Steeple 'Prod' & co\u202e"
    async with client_for(signed_in, graph, RecordedSleep()) as client:
        for _ in range(3):
            await client.create_enterprise_app(name)
        await client.create_enterprise_app("Other app")
        found = await client.service_principals(name)
    assert len(found) == 3 and {s.display_name for s in found} == {name}


def test_on_demand_answers_decode_as_microsoft_documents_them() -> None:
    """The shape of the v1.0 reference example (synchronizationJob: provisionOnDemand)."""
    from assistant.entra.graph_client import decode_on_demand

    documented = {
        "key": '{"result":"Skipped","details":{"errorCode":"RedundantExport",'
        '"errorMessage":"The state of the user in both the source and target systems '
        'already match."}}',
        "value": '{"action":"Other","statusInfo":{"status":"Skipped","errorCode":null}}',
    }
    result = decode_on_demand(documented)
    assert (result.result, result.error_code, result.action) == (
        "Skipped",
        "RedundantExport",
        "Other",
    )
    assert decode_on_demand({"key": "not json", "value": 3}).result == "Unknown"


async def test_an_unreachable_graph_is_a_sentence_and_a_fix(signed_in: EntraSignIn) -> None:
    import socket

    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    async with GraphClient(signed_in.atoken, base_url=f"https://127.0.0.1:{port}/v1.0") as client:
        with pytest.raises(GraphUnreachable) as failed:
            await client.users()
    assert "Could not reach Microsoft Graph" in failed.value.sentence
    assert "network" in failed.value.fix


async def test_assignments_made_through_graph_are_the_hosted_jobs_groups(
    graph: GraphEndpoints, signed_in: EntraSignIn
) -> None:
    """Graph is the hosted job's only door: its app role assignments are the job's groups."""
    groups = list(graph.emulator.host.tenant.groups)
    async with client_for(signed_in, graph, RecordedSleep()) as client:
        sp = (await client.create_enterprise_app("Steeple")).service_principal
        await client.create_job(sp.id, "scim")
        role = assignment_role(sp.app_roles).id
        await client.assign(sp.id, groups[0], role)
        await client.assign(sp.id, groups[1], role)
        listed = await client.assignments(sp.id)
    assert graph.emulator.host.job.assigned == groups[:2]
    assert sorted(a.principal_id for a in listed) == sorted(groups[:2])
