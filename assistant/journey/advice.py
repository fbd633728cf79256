"""Mapping advice: propose group → community mappings and check each community's coverage.

The recommended layout is two Entra groups per community, "… - <community> - Users" and
"… - <community> - Admins". Names are compared without case or accents, because Entra group names
are typed by people ("Usine de Lyon" vs "usine de lyon").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.steeple.contract import Community, ReceivedGroup, Role

ADMIN_WORDS = ("admin", "admins", "administrators", "administrateurs", "administrateur", "managers")


def normalise(name: str) -> str:
    """Lower-case, accents removed, punctuation collapsed to single spaces."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(re.split(r"[^a-z0-9]+", plain)).strip()


def role_from_name(group_name: str) -> Role:
    words = normalise(group_name).split()
    return "admin" if any(word in ADMIN_WORDS for word in words) else "user"


@dataclass(frozen=True)
class MappingSuggestion:
    group_id: str
    group_name: str
    community_id: str
    community_name: str
    role: Role


def _community_for(group_name: str, communities: Sequence[Community]) -> Community | None:
    """The community whose name appears as whole words in the group name; longest name wins."""
    padded = f" {normalise(group_name)} "
    best: Community | None = None
    for community in communities:
        name = normalise(community.name)
        if name and f" {name} " in padded and (best is None or len(name) > len(best.name)):
            best = community
    return best


def community_named_in(group_name: str, communities: Sequence[Community]) -> Community | None:
    """The community a group's name names (whole words, longest name wins), if any."""
    return _community_for(group_name, communities)


def suggest_mappings(
    groups: Sequence[ReceivedGroup], communities: Sequence[Community]
) -> list[MappingSuggestion]:
    """A suggestion for each unmapped group whose name names a community."""
    suggestions: list[MappingSuggestion] = []
    for group in groups:
        if group.mapping is not None:
            continue
        community = _community_for(group.display_name, communities)
        if community is not None:
            suggestions.append(
                MappingSuggestion(
                    group.id,
                    group.display_name,
                    community.id,
                    community.name,
                    role_from_name(group.display_name),
                )
            )
    return suggestions


@dataclass(frozen=True)
class CommunityCoverage:
    """How a community is fed by mapped groups, and what the advice says is missing."""

    community_id: str
    community_name: str
    users_groups: int
    admin_groups: int
    admin_count: int
    flags: tuple[str, ...]
    """Among `no_users_group`, `no_admins_group`, `no_admin`."""


def community_coverage(
    groups: Sequence[ReceivedGroup], communities: Sequence[Community]
) -> list[CommunityCoverage]:
    """One entry per community, flagged against the "one users + one admins group" advice."""
    result: list[CommunityCoverage] = []
    for community in communities:
        mapped = [g.mapping for g in groups if g.mapping and g.mapping.community_id == community.id]
        users = sum(1 for m in mapped if m.role == "user")
        admins = sum(1 for m in mapped if m.role == "admin")
        flags: list[str] = []
        if users == 0:
            flags.append("no_users_group")
        if admins == 0:
            flags.append("no_admins_group")
        if community.admin_count == 0 and admins == 0:
            flags.append("no_admin")
        result.append(
            CommunityCoverage(
                community.id, community.name, users, admins, community.admin_count, tuple(flags)
            )
        )
    return result
