"""A hostile directory: names that try to crash, spoof or act through whatever shows them.

`sandbox serve --seed hostile` seeds Steeple communities and accounts with these names, and the
simulated Entra tenant hosted by that sandbox (`--with-entra`, the assistant's `--sandbox` mode)
provisions the hostile users and groups below. `python -m sandbox.hostile tenant.json` writes the
same tenant for `sandbox entra provision --tenant-file tenant.json` against any SCIM endpoint.

Every name is something a real directory can hold (Entra accepts any Unicode in displayName):
Rich/Textual markup and actions, ANSI CSI, OSC 52 (clipboard) and OSC 0 (window title), C1
controls, bells, newlines with Markdown, a right-to-left override, zero-width characters, emoji
with joiners, combining marks, 200-character names, and users without any e-mail.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sandbox.entra.tenant import EntraGroup, EntraUser, Tenant

HOSTILE_NAMESPACE = uuid.UUID("6f1d0c2a-3b4e-4f5a-8c7d-9e0f1a2b3c4d")
HOSTILE_DOMAIN = "hostile.example"

OSC52 = "\x1b]52;c;b3duZWQgYnkgYSBncm91cCBuYW1l\x07"
"""Writes "owned by a group name" to the admin's clipboard on terminals that allow it."""
OSC0 = "\x1b]0;PWNED window title\x07"
ANSI_RED = "\x1b[31m"
C1_CSI = "\x9b"
RTL_OVERRIDE = "\u202e"
ZWJ = "\u200d"
LONG_NAME = ("Groupe au nom très long " * 10)[:199] + "!"

PAYLOADS: tuple[str, ...] = (OSC52, OSC0, ANSI_RED, C1_CSI, "\x07", RTL_OVERRIDE)
"""The active sequences tests look for raw in terminal output (none may appear)."""

COMMUNITY_NAMES: tuple[str, ...] = (
    "[b]Siège[/b]",
    "Usine [/link] Lyon",
    f"Commerciaux {ANSI_RED}rouge\x1b[0m",
    f"Direction {RTL_OVERRIDE}sruetartsinimda",
)

GROUP_NAMES: tuple[str, ...] = (
    "[/link] closing only",
    "Sales [/EMEA]",
    "Marketing [old]",
    "[b]Bold[/b] and [/] stray",
    "[@click=app.quit]Quit when clicked[/]",
    "[@click=app.screenshot('owned.txt','.')]Siège - Users[/]",
    f"[b]Siège[/b] - Admins {OSC52}",
    f"Title {OSC0}changer",
    f"{ANSI_RED}Red alert\x1b[0m team",
    f"C1 {C1_CSI}31m control {chr(0x9D)}0;x{chr(0x9C)} codes",
    "Bell \x07\x07 ringers\x7f",
    "Line one\n# Injected heading\n[click me](https://evil.example) | a | b |",
    f"Payroll {RTL_OVERRIDE}txt.exe",
    f"Zero\u200bwidth{ZWJ}joiner\u2060 {ZWJ}group",
    f"Famille 👩{ZWJ}👩{ZWJ}👧 e\u0301te\u0301 Z\u0337a\u0334l\u0336g\u0335o\u0336",
    LONG_NAME,
    "Back`tick` *star* _under_ <b>html</b> &amp; ~strike~",
)


@dataclass(frozen=True)
class HostilePerson:
    """One directory user; `email` empty for the accounts that have none."""

    nickname: str
    display_name: str
    given_name: str
    family_name: str
    email: str


PEOPLE: tuple[HostilePerson, ...] = (
    HostilePerson(
        "ada", "[@click=app.quit]Ada[/] Lovelace", "[b]Ada", "Lovelace[/]", f"ada@{HOSTILE_DOMAIN}"
    ),
    HostilePerson("alan", f"Alan {OSC52}Turing", "Alan", f"Turing{OSC0}", f"alan@{HOSTILE_DOMAIN}"),
    HostilePerson("grace", f"Grace {RTL_OVERRIDE}reppoH", "Grace", "Hopper", ""),
    HostilePerson("linus", "Linus\nTorvalds # not a heading", "Linus", "T[/link]orvalds", ""),
    HostilePerson(
        "zoe", f"Zoé{ZWJ}\u200b Ze\u0301ro {C1_CSI}2J", "Zoé", "Zéro", f"zoe@{HOSTILE_DOMAIN}"
    ),
    HostilePerson("long", LONG_NAME, "Long", "Name", f"long@{HOSTILE_DOMAIN}"),
)


def _id(prefix: str, name: str, length: int = 12) -> str:
    return prefix + uuid.uuid5(HOSTILE_NAMESPACE, name).hex[:length]


def hostile_tenant() -> Tenant:
    """The hostile directory as a simulated Entra tenant; every user is in some group."""
    tenant = Tenant(domain="hostile.onmicrosoft.com")
    for person in PEOPLE:
        user = EntraUser(
            object_id=str(uuid.uuid5(HOSTILE_NAMESPACE, "user:" + person.nickname)),
            user_principal_name=f"{person.nickname}@{HOSTILE_DOMAIN}",
            mail_nickname=person.nickname,
            display_name=person.display_name,
            given_name=person.given_name,
            surname=person.family_name,
            mail=person.email,
        )
        tenant.users[user.object_id] = user
    user_ids = list(tenant.users)
    for index, name in enumerate(GROUP_NAMES):
        members = [user_ids[index % len(user_ids)], user_ids[(index + 1) % len(user_ids)]]
        group = EntraGroup(str(uuid.uuid5(HOSTILE_NAMESPACE, "group:" + name)), name, members)
        tenant.groups[group.object_id] = group
    return tenant


def seed_hostile(conn: sqlite3.Connection, now: datetime) -> None:
    """Communities named with markup and control sequences, and accounts named like the people.

    Only e-mail-bearing people get a Steeple account (an account needs an e-mail to log in), so
    activation links some received users by e-mail and creates the others.
    """
    community_ids = []
    for name in COMMUNITY_NAMES:
        community_id = _id("com_", "community:" + name)
        community_ids.append(community_id)
        conn.execute("INSERT INTO communities (id, name) VALUES (?, ?)", (community_id, name))
    for index, person in enumerate(p for p in PEOPLE if p.email):
        user_id = _id("usr_", "account:" + person.email, 16)
        conn.execute(
            "INSERT INTO users (id, email, email_norm, given_name, family_name, display_name, "
            "auth_method, status, must_set_password, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, 'password', 'active', 0, ?)",
            (
                user_id,
                person.email,
                person.email.casefold(),
                person.given_name,
                person.family_name,
                person.display_name,
                now.isoformat(),
            ),
        )
        role = "admin" if index == 0 else "user"
        conn.execute(
            "INSERT INTO memberships (user_id, community_id, role, source) "
            "VALUES (?, ?, ?, 'manual')",
            (user_id, community_ids[index % len(community_ids)], role),
        )


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m sandbox.hostile FILE`: write the hostile tenant as JSON for `--tenant-file`."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m sandbox.hostile TENANT.json", file=sys.stderr)
        return 2
    with open(args[0], "w", encoding="utf-8") as out:
        json.dump(hostile_tenant().to_dict(), out, ensure_ascii=True, indent=2)
    print(f"Hostile tenant written to {args[0]}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
