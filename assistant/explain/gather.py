"""Gathering the facts `assistant.explain.chain` decides on: the admin API for Steeple's side, and —
when signed in — Microsoft Graph through the Entra facade for Entra's side.

Steeple errors propagate (the caller turns them into exit 3 or an error panel); a Graph failure
does not stop the explanation: it is kept as `EntraFacts.error`, and the Entra links read as
"cannot see" with Graph's sentence, so the Steeple half is still explained. A tenant without
Entra ID P1/P2 cannot have its provisioning logs read: that alone is said (a licence, with what
still works), and every other link is still checked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.entra.facts import job_facts, log_line
from assistant.entra.graph_errors import GraphError, GraphLicenceRequired
from assistant.explain.chain import (
    EntraFacts,
    EntraJob,
    EntraPerson,
    PersonFacts,
    SteepleFacts,
)
from assistant.steeple.client import SteepleClient
from assistant.steeple.contract import ProvisioningStatus, ReceivedUser

if TYPE_CHECKING:
    from assistant.entra.side import EntraSide

SEARCH_PAGES = 5
"""Pages of 100 received users searched for the address (a substring search on the server)."""


def refused_request(prov: ProvisioningStatus) -> ProvisioningStatus | None:
    """Entra's latest request was refused with a 401 — it bears a token Steeple revoked.

    Only requests bearing a token this instance issued count as Entra's traffic (a guessed one is
    kept apart), so a 401 that is also the latest request means the token Entra holds is revoked.
    """
    error = prov.last_error
    if error is None or error.status != 401 or prov.last_request_at is None:
        return None
    return prov if error.time >= prov.last_request_at else None


async def _find_received(client: SteepleClient, *addresses: str) -> ReceivedUser | None:
    wanted = {a.strip().casefold() for a in addresses if a and a.strip()}
    for address in wanted:
        cursor: str | None = None
        for _ in range(SEARCH_PAGES):
            page = await client.list_scim_users(query=address, cursor=cursor, limit=100)
            for user in page.items:
                if user.user_name.casefold() in wanted or (user.email or "").casefold() in wanted:
                    return user
            cursor = page.next_cursor
            if cursor is None:
                break
    return None


async def gather_steeple(client: SteepleClient, *addresses: str) -> SteepleFacts:
    integration = await client.get_integration()
    if not integration.installed:
        return SteepleFacts(installed=False)
    prov = await client.get_provisioning()
    refused = refused_request(prov)
    found = await _find_received(client, *addresses)
    detail = await client.get_scim_user(found.id) if found is not None else None
    return SteepleFacts(
        installed=True,
        sync_active=prov.sync_active,
        received=detail,
        refused=refused.last_error if refused is not None else None,
    )


async def gather_entra(side: EntraSide, address: str) -> EntraFacts:
    """The person, their direct groups, the app's assignments, the job and their last log line."""
    graph = side.graph
    try:
        user = await graph.user_by_address(address)
        if user is None:
            return EntraFacts()
        person = EntraPerson(
            id=user.id,
            upn=user.user_principal_name,
            name=user.display_name or user.user_principal_name,
            mail=user.mail,
            enabled=user.account_enabled is not False,
        )
        groups = await graph.member_of(user.id)
        app = await side.find_app()
        if app is None:
            return EntraFacts(person=person, groups=tuple(g.display_name or g.id for g in groups))
        assigned_ids = {a.principal_id for a in await graph.assignments(app.id)}
        # The job's facts without `side.facts()`'s count of users in scope, which pages through
        # every member of every assigned group: one person does not need it.
        job = await side.find_job()
        facts = job_facts(job, assigned_groups=len(assigned_ids), users_in_scope=None)
        entry, log_unavailable = None, None
        try:
            entry = await graph.last_provisioning_entry(user.id, job.id if job else None)
        except GraphLicenceRequired as unlicensed:  # a Free tenant: the rest is still seen
            log_unavailable = unlicensed.text(side.lang)
    except GraphError as failed:
        return EntraFacts(error=failed.text(side.lang))
    return EntraFacts(
        person=person,
        groups=tuple(g.display_name or g.id for g in groups),
        app_found=True,
        assigned_directly=user.id in assigned_ids,
        assigned_groups=tuple(g.display_name or g.id for g in groups if g.id in assigned_ids),
        job=EntraJob(
            state=facts.state,
            quarantine_reason=facts.quarantine_reason,
            next_retry=facts.next_retry,
            last_error=facts.last_error,
        ),
        last_entry=log_line(entry) if entry is not None else None,
        log_unavailable=log_unavailable,
    )


async def gather(client: SteepleClient, side: EntraSide | None, address: str) -> PersonFacts:
    """Both sides; Steeple is searched by the address and, when Graph knows it, by the UPN."""
    address = address.strip()
    entra = await gather_entra(side, address) if side is not None else None
    upn = entra.person.upn if entra is not None and entra.person is not None else ""
    steeple = await gather_steeple(client, address, upn)
    return PersonFacts(address=address, steeple=steeple, entra=entra)
