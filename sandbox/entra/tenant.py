"""The simulated tenant's directory: users and groups as Entra holds them, loaded or generated.

Generation is deterministic (one `random.Random(seed)`, no clock, no uuid4) so that the same seed
gives the same tenant and therefore the same SCIM request sequence: demos and benchmarks repeat.
"""

from __future__ import annotations

import json
import random
import tomllib
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sandbox.demo_company import EMPLOYEES, Employee

COMMUNITIES = ("Siège", "Usine de Lyon", "Commerciaux")
"""The sandbox demo company's communities; Steeple's advice is two groups per community."""

GIVEN_NAMES = (
    "Adèle",
    "Alice",
    "Amina",
    "Antoine",
    "Arthur",
    "Benoît",
    "Chloé",
    "Claire",
    "David",
    "Élodie",
    "Emma",
    "François",
    "Gabriel",
    "Hugo",
    "Inès",
    "Jade",
    "Jean",
    "Léa",
    "Louis",
    "Lucas",
    "Manon",
    "Marc",
    "Marie",
    "Mathis",
    "Nathalie",
    "Nicolas",
    "Noah",
    "Olivier",
    "Pauline",
    "Pierre",
    "Raphaël",
    "Sarah",
    "Sébastien",
    "Théo",
    "Valérie",
    "Yanis",
    "Zoé",
    "Priya",
    "Kenji",
    "Fatou",
    "Lars",
    "Ana",
    "Wei",
    "Omar",
)
FAMILY_NAMES = (
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefèvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "N'Diaye",
    "Nguyen",
    "Okafor",
    "Sørensen",
    "García",
)
DEPARTMENTS = ("Ventes", "Production", "Logistique", "Finance", "RH", "Direction", "IT", "Qualité")
TEAM_GROUPS = (
    "Tous les salariés",
    "Managers",
    "Équipe IT",
    "Comité de direction",
    "Qualité Lyon",
    "Logistique Nord",
    "Finance & Contrôle",
    "Ressources humaines",
    "Projet Horizon",
    "Ambassadeurs Steeple",
    "Service client",
    "Atelier B",
    "Stagiaires",
    "Marketing",
)


@dataclass
class EntraUser:
    """One Entra user; `soft_deleted` = in the recycle bin (restorable), absent = hard-deleted."""

    object_id: str
    user_principal_name: str
    mail_nickname: str
    display_name: str
    given_name: str = ""
    surname: str = ""
    mail: str = ""
    department: str = ""
    employee_id: str = ""
    account_enabled: bool = True
    soft_deleted: bool = False
    job_title: str = ""
    telephone_number: str = ""
    mobile: str = ""
    fax: str = ""
    street_address: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""
    manager_id: str = ""
    """objectId of the user's manager in the tenant; Entra sends it as a reference (a PATCH)."""


@dataclass
class EntraGroup:
    """One Entra security group; `member_ids` may name users or (nested) groups."""

    object_id: str
    display_name: str
    member_ids: list[str] = field(default_factory=list)


@dataclass
class Tenant:
    """The directory: users and groups by objectId, in a stable order."""

    domain: str
    users: dict[str, EntraUser] = field(default_factory=dict)
    groups: dict[str, EntraGroup] = field(default_factory=dict)

    def user_by_upn(self, upn: str) -> EntraUser | None:
        """Look a user up the way an admin types it (case-insensitive UPN) or by objectId."""
        wanted = upn.casefold()
        for user in self.users.values():
            if user.user_principal_name.casefold() == wanted or user.object_id == upn:
                return user
        return None

    def group_by_name(self, name: str) -> EntraGroup | None:
        for group in self.groups.values():
            if group.display_name == name or group.object_id == name:
                return group
        return None

    def direct_user_members(self, group: EntraGroup) -> list[str]:
        """Users directly in the group: Entra does not expand nested groups when provisioning."""
        return [m for m in group.member_ids if m in self.users]

    def nested_group_ids(self, group: EntraGroup) -> list[str]:
        return [m for m in group.member_ids if m in self.groups]

    def to_dict(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "users": [asdict(u) for u in self.users.values()],
            "groups": [asdict(g) for g in self.groups.values()],
        }


def tenant_from_dict(data: dict[str, Any]) -> Tenant:
    """Build a tenant from the JSON/TOML shape written by `Tenant.to_dict`."""
    tenant = Tenant(domain=str(data.get("domain", "contoso.onmicrosoft.com")))
    for raw in data.get("users", []):
        user = EntraUser(**raw)
        tenant.users[user.object_id] = user
    for raw in data.get("groups", []):
        group = EntraGroup(**raw)
        tenant.groups[group.object_id] = group
    return tenant


def load_tenant(path: str | Path) -> Tenant:
    """Load a tenant from a `.json` or `.toml` file (same shape either way)."""
    source = Path(path)
    if source.suffix.lower() == ".toml":
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    else:
        data = json.loads(source.read_text(encoding="utf-8"))
    return tenant_from_dict(data)


def _ascii_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalnum() or c == "-").strip("-")


def _guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def generate_tenant(
    users: int = 40,
    groups: int = 10,
    seed: int = 1,
    *,
    known_people: Sequence[Employee] = EMPLOYEES,
) -> Tenant:
    """A realistic, deterministic tenant.

    Includes: the "Steeple - <community> - Users/Admins" groups (when `groups` allows), some UPNs on
    the `onmicrosoft.com` domain, a few users with no mail, a few nested groups, disabled users,
    and users whose e-mail already exists in Steeple: every other one of `known_people` (the
    sandbox demo company's staff by default, whom its Steeple seed gives accounts).
    """
    rng = random.Random(seed)
    tenant = Tenant(domain="contoso.onmicrosoft.com")
    verified = "contoso.fr"
    taken: set[str] = set()
    for index in range(users):
        if index < len(known_people) and index % 2 == 0 and users >= 8:
            person = known_people[index]
            given, family, demo_mail = person.given_name, person.family_name, person.email
        else:
            given, family, demo_mail = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES), ""
        base = f"{_ascii_slug(given)}.{_ascii_slug(family)}"
        nickname, n = base, 1
        while nickname in taken:
            n += 1
            nickname = f"{base}{n}"
        taken.add(nickname)
        cloud_only = index % 9 == 4
        domain = tenant.domain if cloud_only else verified
        mail = demo_mail or ("" if index % 13 == 6 else f"{nickname}@{verified}")
        user = EntraUser(
            object_id=_guid(rng),
            user_principal_name=f"{nickname}@{domain}",
            mail_nickname=nickname,
            display_name=f"{given} {family}",
            given_name=given,
            surname=family,
            mail=mail,
            department=rng.choice(DEPARTMENTS),
            employee_id=f"E{10000 + index}" if index % 5 != 3 else "",
            account_enabled=index % 17 != 11,
        )
        tenant.users[user.object_id] = user
    user_ids = list(tenant.users)
    names = [f"Steeple - {c} - {kind}" for c in COMMUNITIES for kind in ("Users", "Admins")]
    names += list(TEAM_GROUPS)
    extra = 1
    while len(names) < groups:
        names.append(f"Groupe {extra:03d}")
        extra += 1
    created: list[EntraGroup] = []
    for index, name in enumerate(names[:groups]):
        if not user_ids:
            size = 0
        elif name.endswith("- Admins"):
            size = min(len(user_ids), rng.randint(1, 3))
        else:
            size = min(len(user_ids), max(1, rng.randint(len(user_ids) // 6, len(user_ids) // 3)))
        members = sorted(rng.sample(user_ids, size), key=user_ids.index)
        group = EntraGroup(object_id=_guid(rng), display_name=name, member_ids=members)
        if index >= 7 and index % 4 == 3 and created:
            group.member_ids.append(created[index % len(created)].object_id)  # nested group
        created.append(group)
        tenant.groups[group.object_id] = group
    homes = [g for g in created if g.display_name.endswith("- Users")] or created[:1]
    grouped = {m for g in created for m in g.member_ids}
    for index, user_id in enumerate(u for u in user_ids if u not in grouped):
        if homes:  # everyone belongs somewhere, so "assign all" puts every user in scope
            homes[index % len(homes)].member_ids.append(user_id)
    _add_profiles(tenant, seed)
    return tenant


JOB_TITLES = ("Technicien", "Commercial", "Comptable", "Chef d'équipe", "Développeuse", "Acheteur")
SITES = (
    ("12 rue de la Paix", "Paris", "Île-de-France", "75002"),
    ("4 quai Perrache", "Lyon", "Auvergne-Rhône-Alpes", "69002"),
    ("9 allée Marie Curie", "Lille", "Hauts-de-France", "59000"),
)


def _add_profiles(tenant: Tenant, seed: int) -> None:
    """Titles, phones, office addresses and managers, from a second RNG.

    A separate generator keeps the names, groups and ids of a seed exactly as they were before
    these attributes existed; some users keep each one empty (Entra then sends nothing for it).
    """
    rng = random.Random(f"profiles-{seed}")
    users = list(tenant.users.values())
    for index, user in enumerate(users):
        if index % 7 != 5:
            user.job_title = rng.choice(JOB_TITLES)
        if index % 3 != 2:
            user.telephone_number = (
                f"+33 1 {rng.randint(10, 99)} {rng.randint(10, 99)} {index % 100:02d}"
            )
        if index % 4 == 1:
            user.mobile = f"+33 6 {rng.randint(10, 99)} {rng.randint(10, 99)} {index % 100:02d}"
        if index % 11 == 3:
            user.fax = f"+33 1 {rng.randint(10, 99)} 00 {index % 100:02d}"
        if index % 5 != 4:
            street, city, region, postal = rng.choice(SITES)
            user.street_address, user.city, user.state = street, city, region
            user.postal_code, user.country = postal, "FR"
        if index >= 3 and index % 3 == 0:  # a few managers near the top of the list
            user.manager_id = users[rng.randrange(0, min(index, 6))].object_id
