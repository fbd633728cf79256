"""Mapping advice: group names suggest communities and roles; coverage flags what is missing."""

from __future__ import annotations

from assistant.journey.advice import community_coverage, normalise, suggest_mappings
from assistant.steeple.contract import Community, GroupMapping, ReceivedGroup

SIEGE = Community(id="c1", name="Siège", admin_count=0)
LYON = Community(id="c2", name="Usine de Lyon", admin_count=1)


def group(
    gid: str, name: str, mapping: GroupMapping | None = None, nested: int = 0
) -> ReceivedGroup:
    return ReceivedGroup(
        id=gid, display_name=name, member_count=3, nested_group_count=nested, mapping=mapping
    )


def test_suggestions_follow_group_names() -> None:
    groups = [
        group("g1", "Steeple - Usine de Lyon - Admins"),
        group("g2", "Steeple - usine de lyon - Users"),
        group("g3", "Steeple - Siege - Utilisateurs"),
        group("g4", "Marketing"),
        group("g5", "Steeple - Siège - Users", GroupMapping(community_id="c1", role="user")),
    ]
    suggestions = {s.group_id: s for s in suggest_mappings(groups, [SIEGE, LYON])}
    assert set(suggestions) == {"g1", "g2", "g3"}
    assert (suggestions["g1"].community_id, suggestions["g1"].role) == ("c2", "admin")
    assert (suggestions["g2"].community_id, suggestions["g2"].role) == ("c2", "user")
    assert suggestions["g3"].community_name == "Siège"
    assert normalise("Usine-de  LYON") == "usine de lyon"


def test_coverage_flags_missing_groups_and_admins() -> None:
    groups = [
        group("g1", "A", GroupMapping(community_id="c1", role="user")),
        group("g2", "B", GroupMapping(community_id="c2", role="user")),
    ]
    coverage = {c.community_id: c for c in community_coverage(groups, [SIEGE, LYON])}
    assert coverage["c1"].flags == ("no_admins_group", "no_admin")
    assert coverage["c2"].flags == ("no_admins_group",)  # Lyon has a manual admin
    assert coverage["c1"].users_groups == 1
