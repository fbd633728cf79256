"""Put a sandbox instance in the state a step expects, through the admin API and SCIM — no clicks.

Each level includes the previous ones, in journey order. SCIM traffic is sent the way Entra sends
it (Test Connection probe, then POSTs of users and groups with the bearer token).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import httpx

from assistant.steeple.client import SteepleClient
from assistant.steeple.contract import ENTRA_COMPLIANT_FLAG, GroupMapping
from tests.support.probe import probe_scim
from tests.support.scim import group_body, user_body

LEVELS = ("none", "installed", "token", "tested", "provisioned", "mapped", "active")

PEOPLE = (
    ("ada.lovelace@contoso.example", "Ada", "Lovelace"),
    ("alan.turing@contoso.example", "Alan", "Turing"),
    ("grace.hopper@contoso.example", "Grace", "Hopper"),
)


@dataclass
class Prepared:
    """What preparation created that tests may need (the secret never leaves the test)."""

    secret: str = ""
    tenant_url: str = ""
    group_ids: list[str] = field(default_factory=list)


def _user(email: str, given: str, family: str) -> dict[str, object]:
    return user_body(email, email, given=given, family=family, display_name=f"{given} {family}")


def hostile_users() -> list[dict[str, object]]:
    """The hostile directory's people as Entra would POST them (some with no e-mail at all)."""
    from sandbox.hostile import HOSTILE_DOMAIN
    from sandbox.hostile import PEOPLE as HOSTILE_PEOPLE

    users: list[dict[str, object]] = []
    for person in HOSTILE_PEOPLE:
        user = _user(f"{person.nickname}@{HOSTILE_DOMAIN}", person.given_name, person.family_name)
        user["displayName"] = person.display_name
        if person.email:
            user["emails"] = [{"value": person.email, "type": "work", "primary": True}]
        else:
            del user["emails"]
        users.append(user)
    return users


async def provision_people(
    scim_url: str, secret: str, group_names: list[str], users: list[dict[str, object]] | None = None
) -> list[str]:
    """POST users, then groups holding all of them, as Entra's initial cycle would.

    A name Steeple refuses (a control character in it: 400 invalidValue, issue 20) is skipped,
    as Entra logs that object's failure and goes on with the others.
    """
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/scim+json"}
    async with httpx.AsyncClient(base_url=scim_url.split("?")[0], headers=headers) as scim:
        member_ids = []
        for payload in users or [_user(*person) for person in PEOPLE]:
            answer = await scim.post("/Users", json=payload)
            if not _refused_name(answer):
                answer.raise_for_status()
                member_ids.append(answer.json()["id"])
        group_ids = []
        for name in group_names:
            answer = await scim.post("/Groups", json=group_body(name, member_ids))
            if not _refused_name(answer):
                answer.raise_for_status()
                group_ids.append(answer.json()["id"])
    return group_ids


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _refused_name(answer: httpx.Response) -> bool:
    return answer.status_code == 400 and answer.json().get("scimType") == "invalidValue"


async def prepare(base_url: str, admin_key: str, level: str, hostile: bool = False) -> Prepared:
    """Bring the instance up to `level` (see LEVELS); `hostile` provisions the hostile directory
    (sandbox/hostile.py) instead of three well-behaved people."""
    wanted = LEVELS.index(level)
    done = Prepared()
    async with SteepleClient(base_url, admin_key) as client:
        if wanted >= LEVELS.index("installed"):
            await client.install_integration()
        if wanted >= LEVELS.index("token"):
            created = await client.create_token()
            done.secret = created.secret
            done.tenant_url = (await client.get_credentials()).tenant_url
        # Talk SCIM to where the server really listens: the public URL may be a fixed fake one.
        scim_url = f"{base_url}/scim/v2?{ENTRA_COMPLIANT_FLAG}"
        if wanted >= LEVELS.index("tested"):
            await probe_scim(scim_url, done.secret)
        if wanted >= LEVELS.index("provisioned"):
            communities = (await client.list_communities()).items
            # A group named after a community whose name holds an escape sequence would be
            # refused (issue 20): the suggested pair is the first community Entra could send.
            named = next((c for c in communities if not _CONTROL.search(c.name)), communities[0])
            names = [f"{named.name} users", f"{named.name} admins"]
            users = None
            if hostile:
                from sandbox.hostile import GROUP_NAMES

                names += list(GROUP_NAMES)
                users = hostile_users()
            done.group_ids = await provision_people(scim_url, done.secret, names, users)
        if wanted >= LEVELS.index("mapped"):
            communities = (await client.list_communities()).items
            community = next(
                (c for c in communities if not _CONTROL.search(c.name)), communities[0]
            ).id
            await client.set_mapping(
                done.group_ids[0], GroupMapping(community_id=community, role="user")
            )
            await client.set_mapping(
                done.group_ids[1], GroupMapping(community_id=community, role="admin")
            )
        if wanted >= LEVELS.index("active"):
            await client.activate()
    return done
