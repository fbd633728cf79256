"""The journey while the simulated Entra tenant (sandbox/entra) provisions the sandbox over HTTP."""

from __future__ import annotations

from assistant.client import SteepleClient
from assistant.journey import StepId, StepStatus, load_journey
from sandbox.entra.job import JobSettings, ProvisioningJob
from sandbox.entra.tenant import generate_tenant


async def test_journey_with_the_entra_simulator(client: SteepleClient) -> None:
    await client.install_integration()
    token = await client.create_token()
    credentials = await client.get_credentials()
    tenant = generate_tenant(users=12, groups=4, seed=3)
    job = ProvisioningJob(
        tenant,
        tenant_url=credentials.tenant_url,
        token=token.secret,
        settings=JobSettings(seed=3, max_in_flight=2),
    )
    result = await job.test_connection()
    assert result.success, result.detail
    journey = await load_journey(client, entra=job)
    assert journey.step(StepId.ENTRA).status is StepStatus.DONE
    assert journey.current is StepId.ASSIGN

    job.assigned = list(tenant.groups)[:2]
    journey = await load_journey(client, entra=job)
    assert journey.facts.entra is not None and journey.facts.entra.assigned_groups == 2
    assert journey.current is StepId.PROVISION  # assigned in Entra, nothing received yet

    await job.run_cycle()
    journey = await load_journey(client, entra=job)
    assert journey.facts.provisioning is not None
    assert journey.facts.provisioning.users_received > 0
    assert journey.current is StepId.ROLES

    # The admin rotated, pasted the old (now revoked) token into Entra and tested again: the
    # journey says so. (A token never issued is anonymous noise and says nothing: issue 10.)
    await client.create_token()
    await client.revoke_token(token.id)
    job.configure(credentials.tenant_url, token.secret)
    assert not (await job.test_connection()).success
    entra = (await load_journey(client, entra=job)).step(StepId.ENTRA)
    assert entra.status is StepStatus.BLOCKED
    assert "not the current one" in entra.blockers[0]
