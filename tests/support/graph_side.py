"""The Entra facade a test drives over real HTTPS: signed in to the login emulator, talking to
the sandbox's Graph emulator, and a tenant brought to "provisioning, first cycle over".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.support.waiting import first_cycle

if TYPE_CHECKING:
    from assistant.entra.side import EntraSide
    from assistant.entra.signin import EntraSignIn
    from sandbox.graph.mount import GraphEndpoints


def side_for(signin: EntraSignIn, graph: GraphEndpoints, **options: Any) -> EntraSide:
    """The facade on `graph` as `signin`; `options` go to `EntraSide` (language, app name…)."""
    from assistant.entra.graph_client import GraphClient
    from assistant.entra.side import EntraSide

    client = GraphClient(
        signin.atoken, base_url=graph.graph_url, verify=signin.settings.ssl_context()
    )
    return EntraSide(client, **options)


async def start_provisioning(
    signin: EntraSignIn, graph: GraphEndpoints, tenant_url: str, secret: str
) -> None:
    """Entra set up with `secret`, two groups assigned, provisioning on, its first cycle over."""
    side = side_for(signin, graph)
    try:
        await side.ensure_job()
        await side.save_credentials(tenant_url, secret)
        await side.assign_groups(list(graph.emulator.host.tenant.groups)[:2])
        await side.start()
        await first_cycle(side)
    finally:
        await side.aclose()
