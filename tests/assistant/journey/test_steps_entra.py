"""The journey while the simulated Entra tenant provisions the sandbox, read through Graph.

The journey takes Entra's view from the facade (`EntraSide.facts()`, typed `JobFacts`): the
assignments Steeple cannot see before a cycle, then the instance's own data as the cycle lands.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assistant.journey.steps import StepId, StepStatus, load_journey
from assistant.steeple.client import SteepleClient
from tests.support.app import signed_in_side
from tests.support.waiting import eventually


async def test_journey_with_the_entra_side(
    start_sandbox: Callable[..., Any], admin_key: str
) -> None:
    server = start_sandbox(with_entra=True, with_graph=True, entra_cycle_interval=2.0)
    side = signed_in_side(server)
    try:
        async with SteepleClient(server.base_url, admin_key) as client:
            await client.install_integration()
            token = await client.create_token()
            tenant_url = (await client.get_credentials()).tenant_url
            await side.save_credentials(tenant_url, token.secret)
            assert (await side.test_connection(tenant_url, token.secret)).ok
            journey = await load_journey(client, entra=side)
            assert journey.step(StepId.ENTRA).status is StepStatus.DONE
            assert journey.current is StepId.ASSIGN

            groups = [g.id for g in await side.groups() if g.name.startswith("Steeple - ")]
            await side.assign_groups(groups[:2])
            journey = await load_journey(client, entra=side)
            assert journey.facts.entra is not None and journey.facts.entra.assigned_groups == 2
            assert journey.current is StepId.PROVISION  # assigned in Entra, nothing received yet

            await side.start()
            journey = await eventually(  # Entra's first cycle lands
                lambda: load_journey(client, entra=side),
                lambda journey: journey.current is StepId.ROLES,
                "the roles step",
            )
            assert journey.current is StepId.ROLES
            assert journey.facts.provisioning is not None
            assert journey.facts.provisioning.users_received > 0

            # The admin rotated, tested the old (now revoked) token in Entra: the journey says so.
            await side.pause()
            await client.create_token()
            await client.revoke_token(token.id)
            assert not (await side.test_connection(tenant_url, token.secret)).ok
            entra = (await load_journey(client, entra=side)).step(StepId.ENTRA)
            assert entra.status is StepStatus.BLOCKED
            assert "not the current one" in entra.blockers[0]
    finally:
        await side.aclose()


async def test_provision_one_person_now_is_not_a_cycle(
    start_sandbox: Callable[..., Any], admin_key: str
) -> None:
    """Issue 19, point 10, through Graph: "Provision one person now" before Start brings that
    person to Steeple (and its burst of traffic counts as a cycle start there), but Entra has run
    no cycle: step 6 is not ticked and the cycle clock says no cycle has run. Once Entra's own
    cycle ends, both follow."""
    from assistant.journey.cycle_clock import cycle_line

    server = start_sandbox(with_entra=True, with_graph=True, entra_cycle_interval=2.0)
    side = signed_in_side(server)
    try:
        async with SteepleClient(server.base_url, admin_key) as client:
            await client.install_integration()
            token = await client.create_token()
            tenant_url = (await client.get_credentials()).tenant_url
            await side.save_credentials(tenant_url, token.secret)
            assert (await side.test_connection(tenant_url, token.secret)).ok
            groups = [g.id for g in await side.groups() if g.name.startswith("Steeple - ")]
            await side.assign_groups(groups[:2])
            host = server.graph.emulator.host
            member = next(iter(host.tenant.groups[groups[0]].member_ids))
            await side.provision_on_demand(host.tenant.users[member].user_principal_name)

            journey = await load_journey(client, entra=side)
            prov = journey.facts.provisioning
            assert prov is not None and prov.users_received == 1 and prov.cycle_starts
            assert journey.current is StepId.PROVISION
            assert journey.step(StepId.PROVISION).status is StepStatus.CURRENT
            assert not journey.step(StepId.PROVISION).blockers
            line = cycle_line(prov, prov.cycle_starts[-1], entra=journey.facts.entra)
            assert line.startswith("No provisioning cycle seen yet")
            assert cycle_line(prov, prov.cycle_starts[-1]).startswith("Next Entra cycle")

            await side.start()
            journey = await eventually(
                lambda: load_journey(client, entra=side),
                lambda journey: journey.current is StepId.ROLES,
                "the roles step",
            )
            assert journey.current is StepId.ROLES
            prov = journey.facts.provisioning
            assert prov is not None
            line = cycle_line(prov, prov.cycle_starts[-1], entra=journey.facts.entra)
            assert line.startswith("Next Entra cycle")
    finally:
        await side.aclose()
