"""Seeding a new sandbox database: a small French company (`demo`) or nothing (`empty`).

Ids are derived with uuid5 from stable names, never random, so snapshots and reports of a demo
instance are the same on every run. A database is seeded once (marked in `kv`): restarting on an
existing file never adds or resets anything.

`demo_people()` gives the demo company's staff (`sandbox.demo_company`, which the simulated Entra
tenant reads too) their Steeple accounts and memberships.
"""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass
from datetime import datetime

from assistant.steeple.contract import SsoConfigUpdate
from sandbox.db import transaction
from sandbox.demo_company import EMPLOYEES
from sandbox.domain.common import kv_get, kv_set
from sandbox.domain.sso import set_sso
from sandbox.state import SandboxState

SEEDED_KEY = "seeded"
SEED_NAMESPACE = uuid.UUID("0b5e7a34-8f1c-4d2e-9c61-5a7d3e2f1b00")


@dataclass(frozen=True)
class DemoCommunity:
    id: str
    name: str


@dataclass(frozen=True)
class DemoPerson:
    """One employee of the demo company, with a classic e-mail + password account."""

    given_name: str
    family_name: str
    email: str
    communities: tuple[tuple[str, str], ...]
    """(community id, role) pairs of their manual memberships."""

    @property
    def id(self) -> str:
        return "usr_" + uuid.uuid5(SEED_NAMESPACE, self.email.lower()).hex[:16]

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


def _community_id(slug: str) -> str:
    return "com_" + uuid.uuid5(SEED_NAMESPACE, slug).hex[:12]


SIEGE = DemoCommunity(_community_id("siege"), "Siège")
USINE_LYON = DemoCommunity(_community_id("usine-de-lyon"), "Usine de Lyon")
COMMERCIAUX = DemoCommunity(_community_id("commerciaux"), "Commerciaux")
DIRECTION = DemoCommunity(_community_id("direction"), "Direction")


def demo_communities() -> list[DemoCommunity]:
    return [SIEGE, USINE_LYON, COMMERCIAUX, DIRECTION]


_MEMBERSHIPS: dict[str, tuple[tuple[DemoCommunity, str], ...]] = {
    "camille.martin": ((SIEGE, "admin"), (DIRECTION, "admin")),
    "julien.bernard": ((SIEGE, "user"), (DIRECTION, "user")),
    "lea.dubois": ((SIEGE, "user"),),
    "thomas.petit": ((SIEGE, "user"),),
    "manon.durand": ((SIEGE, "user"), (COMMERCIAUX, "admin")),
    "nicolas.leroy": ((USINE_LYON, "admin"),),
    "chloe.moreau": ((USINE_LYON, "user"),),
    "antoine.simon": ((USINE_LYON, "user"),),
    "sarah.laurent": ((USINE_LYON, "user"),),
    "hugo.lefevre": ((USINE_LYON, "user"),),
    "emilie.michel": ((COMMERCIAUX, "user"),),
    "maxime.garcia": ((COMMERCIAUX, "user"),),
    "ines.david": ((COMMERCIAUX, "user"),),
    "lucas.bertrand": ((COMMERCIAUX, "user"),),
    "pauline.roux": ((SIEGE, "user"), (USINE_LYON, "user")),
}
"""Each employee's manual memberships, by the local part of their e-mail."""


def demo_people() -> list[DemoPerson]:
    """The demo company's 15 employees (e-mails on `@steeple-demo.fr`), in a stable order."""
    return [
        DemoPerson(
            given_name=employee.given_name,
            family_name=employee.family_name,
            email=employee.email,
            communities=tuple(
                (community.id, role)
                for community, role in _MEMBERSHIPS[employee.email.split("@")[0]]
            ),
        )
        for employee in EMPLOYEES
    ]


def seed_if_new(state: SandboxState) -> None:
    """Seed once, on a database that has never been seeded; later starts change nothing."""
    conn = state.conn
    if kv_get(conn, SEEDED_KEY) is not None:
        return
    with transaction(conn):
        if state.config.seed == "demo":
            _seed_demo(conn, state.now())
        elif state.config.seed == "hostile":
            from sandbox.hostile import seed_hostile

            seed_hostile(conn, state.now())
        if state.config.sso:
            set_sso(conn, SsoConfigUpdate(provider="azure_ad", protocol="saml"))
        kv_set(conn, SEEDED_KEY, state.config.seed)


def _seed_demo(conn: sqlite3.Connection, now: datetime) -> None:
    for community in demo_communities():
        conn.execute(
            "INSERT INTO communities (id, name) VALUES (?, ?)", (community.id, community.name)
        )
    for person in demo_people():
        conn.execute(
            "INSERT INTO users (id, email, email_norm, given_name, family_name, display_name, "
            "auth_method, status, must_set_password, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, 'password', 'active', 0, ?)",
            (
                person.id,
                person.email,
                person.email.casefold(),
                person.given_name,
                person.family_name,
                person.display_name,
                now.isoformat(),
            ),
        )
        for community_id, role in person.communities:
            conn.execute(
                "INSERT INTO memberships (user_id, community_id, role, source) "
                "VALUES (?, ?, ?, 'manual')",
                (person.id, community_id, role),
            )
