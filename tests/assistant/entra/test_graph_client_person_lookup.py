"""Looking one person up through Graph (for "why is this person not in Steeple?"), against the
Graph emulator over real HTTPS: by mail or UPN, their direct groups through `memberOf` (paged),
and Graph's 404 for someone who does not exist."""

from __future__ import annotations

import httpx

from assistant.entra.graph_client import GraphClient
from assistant.entra.signin import EntraSignIn
from sandbox.entra.tenant import EntraGroup
from sandbox.graph.mount import GraphEndpoints


def client_for(signin: EntraSignIn, graph: GraphEndpoints) -> GraphClient:
    return GraphClient(
        signin.atoken, base_url=graph.graph_url, verify=signin.settings.ssl_context()
    )


async def test_found_by_mail_else_by_upn(signed_in: EntraSignIn, graph: GraphEndpoints) -> None:
    users = list(graph.emulator.host.tenant.users.values())
    with_mail, without_mail = users[1], users[2]
    with_mail.mail = "Someone.Else@contoso.example"
    without_mail.mail = ""
    async with client_for(signed_in, graph) as client:
        by_mail = await client.user_by_address("someone.else@contoso.example")
        by_upn = await client.user_by_address(without_mail.user_principal_name)
        nobody = await client.user_by_address("nobody@contoso.example")
    assert by_mail is not None and by_mail.id == with_mail.object_id
    assert by_upn is not None and by_upn.id == without_mail.object_id and by_upn.mail is None
    assert nobody is None


async def test_member_of_lists_direct_groups_over_every_page(
    signed_in: EntraSignIn, graph: GraphEndpoints
) -> None:
    tenant = graph.emulator.host.tenant
    person = next(iter(tenant.users.values()))
    for group in tenant.groups.values():
        if person.object_id in group.member_ids:
            group.member_ids.remove(person.object_id)
    direct = list(tenant.groups.values())[:5]
    for group in direct:
        group.member_ids.append(person.object_id)
    # Member only through a nested group: Entra does not provision that, so it is not listed.
    outer = EntraGroup(
        object_id="nested-outer", display_name="Outer", member_ids=[direct[0].object_id]
    )
    tenant.groups[outer.object_id] = outer
    graph.emulator.page_size = 2
    before = graph.emulator.graph_requests
    async with client_for(signed_in, graph) as client:
        groups = await client.member_of(person.object_id)
    assert sorted(g.id for g in groups) == sorted(g.object_id for g in direct)
    assert {g.display_name for g in groups} == {g.display_name for g in direct}
    assert graph.emulator.graph_requests - before == 3  # 5 groups, 2 a page


def test_member_of_an_unknown_user_is_graphs_404(
    signed_in: EntraSignIn, graph: GraphEndpoints
) -> None:
    token = signed_in.token()
    response = httpx.get(
        f"{graph.graph_url}/users/no-such-user/memberOf",
        headers={"Authorization": f"Bearer {token}"},
        verify=graph.tls.client_context(),
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "Request_ResourceNotFound"
