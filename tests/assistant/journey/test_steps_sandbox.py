"""The journey read from a real sandbox in each state, built through the admin API and SCIM."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx

from assistant.journey.steps import StepId, StepStatus, load_journey
from assistant.steeple.client import SteepleClient
from assistant.steeple.contract import GroupMapping
from sandbox.server import SandboxServer
from tests.support.probe import ProbeOutcome, probe_scim
from tests.support.scim import scim_create_group, scim_create_user


async def test_instance_without_sso_is_blocked_on_step_one(
    start_sandbox: Callable[..., SandboxServer], admin_key: str
) -> None:
    server = start_sandbox(sso=False)
    async with SteepleClient(server.base_url, admin_key) as steeple:
        journey = await load_journey(steeple)
    assert journey.current is StepId.SSO
    assert journey.step(StepId.SSO).status is StepStatus.BLOCKED
    assert journey.step(StepId.SSO).blockers


async def test_journey_follows_the_instance_step_by_step(client: SteepleClient) -> None:
    journey = await load_journey(client)
    assert journey.current is StepId.INSTALL
    assert journey.step(StepId.SSO).status is StepStatus.DONE

    await client.install_integration()
    assert (await load_journey(client)).current is StepId.CREDENTIALS

    old = await client.create_token()
    token = await client.create_token()
    await client.revoke_token(old.id)
    credentials = await client.get_credentials()
    journey = await load_journey(client)
    assert journey.current is StepId.ENTRA
    assert journey.step(StepId.ENTRA).status is StepStatus.CURRENT

    # A token this instance never issued is anonymous noise: 401, and the journey unmoved.
    wrong = await probe_scim(credentials.tenant_url, "stp_not-the-pasted-token")
    assert wrong.outcome is ProbeOutcome.UNAUTHORIZED
    assert (await load_journey(client)).step(StepId.ENTRA).status is StepStatus.CURRENT

    # Entra's Test Connection with the revoked token: 401, named as a stale token.
    stale = await probe_scim(credentials.tenant_url, old.secret)
    assert stale.outcome is ProbeOutcome.UNAUTHORIZED
    entra = (await load_journey(client)).step(StepId.ENTRA)
    assert entra.status is StepStatus.BLOCKED
    assert "not the current one" in entra.blockers[0]

    right = await probe_scim(credentials.tenant_url, token.secret)
    assert right.ok, right.message
    journey = await load_journey(client)
    assert journey.step(StepId.ENTRA).status is StepStatus.DONE
    assert journey.current is StepId.ASSIGN

    scim = credentials.scim_base_url
    alice = await scim_create_user(
        scim, token.secret, "alice@steeple-demo.fr", "alice@steeple-demo.fr"
    )
    group_id = await scim_create_group(scim, token.secret, "Steeple - Siège - Users", [alice])
    journey = await load_journey(client)
    assert journey.step(StepId.ASSIGN).status is StepStatus.DONE
    assert journey.step(StepId.PROVISION).status is StepStatus.DONE
    assert journey.current is StepId.ROLES
    assert journey.facts.groups_total == 1 and journey.facts.mapped_groups == 0

    community = (await client.list_communities()).items[0]
    await client.set_mapping(group_id, GroupMapping(community_id=community.id, role="user"))
    journey = await load_journey(client)
    assert journey.current is StepId.ACTIVATE
    assert journey.facts.mapped_groups == 1

    await client.activate()
    journey = await load_journey(client)
    assert journey.complete and journey.current is None

    # A rotation: a new token nobody has tested yet sends the journey back to step 4.
    await client.create_token()
    assert (await load_journey(client, "fr")).current is StepId.ENTRA

    await client.remove_integration()
    journey = await load_journey(client)
    assert journey.current is StepId.INSTALL
    assert "removed" in journey.step(StepId.INSTALL).guidance


async def test_groups_only_means_provision_is_current(client: SteepleClient) -> None:
    """Entra sends users before groups, but an empty group alone is a real state too."""
    await client.install_integration()
    token = await client.create_token()
    credentials = await client.get_credentials()
    assert (await probe_scim(credentials.tenant_url, token.secret)).ok
    await scim_create_group(credentials.scim_base_url, token.secret, "Steeple - Empty", [])
    journey = await load_journey(client)
    assert journey.current is StepId.PROVISION


class RecordingTransport(httpx.AsyncHTTPTransport):
    """The real transport, noting the path of every request (nothing is answered for it)."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        return await super().handle_async_request(request)


class WithoutMappedCountTransport(RecordingTransport):
    """The sandbox's real answers, except that the provisioning status leaves out
    `groups_mapped`, as an instance that does not report it would."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        if not request.url.path.endswith("/provisioning"):
            return response
        body = json.loads(await response.aread())
        del body["groups_mapped"]
        return httpx.Response(response.status_code, json=body, request=request)


async def three_groups_one_mapped(client: SteepleClient) -> None:
    await client.install_integration()
    token = await client.create_token()
    scim = (await client.get_credentials()).scim_base_url
    names = ("Steeple - Siège - Users", "Steeple - Siège - Admins", "Steeple - Lyon - Users")
    ids = [await scim_create_group(scim, token.secret, name, []) for name in names]
    community = (await client.list_communities()).items[0]
    await client.set_mapping(ids[0], GroupMapping(community_id=community.id, role="user"))


async def test_the_journey_counts_mapped_groups_without_paging_through_them(
    sandbox: SandboxServer, admin_key: str, client: SteepleClient
) -> None:
    """A 10,000-group tenant cost ten 1,000-group pages before the first screen; now none."""
    await three_groups_one_mapped(client)
    recorder = RecordingTransport()
    async with SteepleClient(sandbox.base_url, admin_key, transport=recorder) as steeple:
        journey = await load_journey(steeple)
    assert (journey.facts.groups_total, journey.facts.mapped_groups) == (3, 1)
    assert recorder.paths, "the journey was read through the recording transport"
    assert not [path for path in recorder.paths if path.endswith("/groups")]


async def test_an_instance_that_does_not_count_mapped_groups_is_counted_by_paging(
    sandbox: SandboxServer, admin_key: str, client: SteepleClient
) -> None:
    await three_groups_one_mapped(client)
    older = WithoutMappedCountTransport()
    async with SteepleClient(sandbox.base_url, admin_key, transport=older) as steeple:
        journey = await load_journey(steeple)
    assert (journey.facts.groups_total, journey.facts.mapped_groups) == (3, 1)
    assert [path for path in older.paths if path.endswith("/groups")]


async def test_a_cycle_that_brings_people_and_no_group_is_said_on_the_copy_paste_path(
    start_sandbox: Callable[..., SandboxServer], admin_key: str
) -> None:
    """Issue 19, point 10, without Graph: the admin said the groups are assigned, but Entra's
    cycles bring people only. Once a cycle is over (here: the next one has begun), step 6 says
    so; step 5 stays done — the sidebar never goes back by itself."""
    import asyncio

    from sandbox.entra.job import ProvisioningJob
    from sandbox.entra.tenant import generate_tenant

    server = start_sandbox(seed="empty", cycle_gap_seconds=0.3)
    async with SteepleClient(server.base_url, admin_key) as client:
        await client.install_integration()
        token = await client.create_token()
        tenant_url = (await client.get_credentials()).tenant_url
        assert (await probe_scim(tenant_url, token.secret)).ok  # Test Connection
        tenant = generate_tenant(4, 1, seed=9)
        # People assigned one by one (the simulator assigns groups only, so a group stands in
        # for them and its users are sent on their own: the same requests, no group ones).
        entra = ProvisioningJob(tenant, tenant_url=tenant_url, token=token.secret)
        entra.assigned = list(tenant.groups)
        await asyncio.sleep(0.4)
        person = next(iter(tenant.users.values())).user_principal_name
        await entra.provision_on_demand(person)

        journey = await load_journey(client, assign_confirmed=True)
        assert journey.current is StepId.PROVISION
        assert journey.step(StepId.PROVISION).status is StepStatus.CURRENT  # still under way

        await asyncio.sleep(0.4)
        assert (await entra.test_connection()).success  # the next cycle's probe: one is over
        journey = await load_journey(client, assign_confirmed=True, lang="fr")
        assert journey.step(StepId.ASSIGN).status is StepStatus.DONE
        provision = journey.step(StepId.PROVISION)
        assert journey.current is StepId.PROVISION and provision.status is StepStatus.BLOCKED
        assert provision.blockers[0].startswith("Entra a exécuté un cycle sans envoyer de groupe")
