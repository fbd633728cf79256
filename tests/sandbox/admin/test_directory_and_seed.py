"""Communities, users (paging, search, removed ones) and the deterministic demo seed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sandbox.seed import demo_communities, demo_people
from tests.support.sandboxes import Instance, dump_tables


def test_demo_seed_has_the_french_company(demo: Instance) -> None:
    communities = demo.admin.get("/communities").json()["items"]
    names = [c["name"] for c in communities]
    assert names == sorted(names)
    assert {"Siège", "Usine de Lyon", "Commerciaux"} <= set(names)
    siege = next(c for c in communities if c["name"] == "Siège")
    assert siege["member_count"] == 6 and siege["admin_count"] == 1

    users = demo.admin.get("/users", params={"limit": 100}).json()
    assert users["next_cursor"] is None
    assert len(users["items"]) == len(demo_people()) == 15
    assert all(u["email"].endswith("@steeple-demo.fr") for u in users["items"])
    assert all(u["auth_method"] == "password" and u["status"] == "active" for u in users["items"])
    camille = next(u for u in users["items"] if u["email"] == "camille.martin@steeple-demo.fr")
    assert camille["display_name"] == "Camille Martin"
    assert {(m["community_id"], m["role"]) for m in camille["memberships"]} == {
        (c.id, "admin") for c in demo_communities() if c.name in {"Siège", "Direction"}
    }


@pytest.mark.seeds_itself  # two databases seeded here, not two copies of one template
def test_demo_ids_are_the_same_on_every_new_database(
    open_instance: Callable[..., Instance], tmp_path: Path
) -> None:
    first = open_instance(db_path=tmp_path / "a.db")
    second = open_instance(db_path=tmp_path / "b.db")
    for path in ("/users?limit=100", "/communities"):
        assert first.admin.get(path).json() == second.admin.get(path).json()


@pytest.mark.seeds_itself
def test_the_seed_runs_once_per_database(
    open_instance: Callable[..., Instance], tmp_path: Path
) -> None:
    db = tmp_path / "once.db"
    first = open_instance(db_path=db)
    first.server.stop()
    before = dump_tables(db)
    # A restart asking for a different seed changes nothing: the database was already seeded.
    again = open_instance(db_path=db, seed="empty", sso=False)
    assert len(again.admin.get("/users", params={"limit": 100}).json()["items"]) == 15
    assert again.admin.get("/sso").json()["configured"] is True
    again.server.stop()
    assert dump_tables(db) == before


def test_empty_seed_creates_no_accounts(open_instance: Callable[..., Instance]) -> None:
    instance = open_instance(seed="empty")
    assert instance.admin.get("/users").json() == {"items": [], "next_cursor": None}
    assert instance.admin.get("/communities").json() == {"items": []}


def test_users_page_by_cursor_in_email_order(demo: Instance) -> None:
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, object] = {"limit": 4}
        if cursor:
            params["cursor"] = cursor
        page = demo.admin.get("/users", params=params).json()
        seen += [u["email"] for u in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 4
    assert seen == sorted(p.email for p in demo_people())


def test_users_search_by_name_or_email_case_insensitively(demo: Instance) -> None:
    by_name = demo.admin.get("/users", params={"query": "LEFÈVRE"}).json()["items"]
    by_email = demo.admin.get("/users", params={"query": "hugo.lef"}).json()["items"]
    assert [u["email"] for u in by_email] == ["hugo.lefevre@steeple-demo.fr"]
    assert [u["email"] for u in by_name] == ["hugo.lefevre@steeple-demo.fr"]
    by_family = demo.admin.get("/users", params={"query": "MARTIN"}).json()["items"]
    assert [u["email"] for u in by_family] == ["camille.martin@steeple-demo.fr"]
    wildcard = demo.admin.get("/users", params={"query": "%"}).json()["items"]
    assert wildcard == []


def test_users_search_folds_accented_capitals(demo: Instance) -> None:
    for query in ("ÉMILIE", "émilie", "Émilie Mich"):
        found = demo.admin.get("/users", params={"query": query}).json()["items"]
        assert [u["email"] for u in found] == ["emilie.michel@steeple-demo.fr"], query
