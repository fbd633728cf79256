"""Activation and live application, driven through the real SCIM endpoint in Entra's dialect.

Before activation nothing happens to Steeple accounts; the preview tells exactly what activation
then does; afterwards every SCIM write applies at once; deactivation stops that.
"""

from __future__ import annotations

import sqlite3

from sandbox.seed import COMMERCIAUX, DIRECTION, SIEGE, USINE_LYON
from tests.support.sandboxes import Instance, dump_tables
from tests.support.scim import INTEGRATION, ScimClient


def _users(instance: Instance, include_removed: bool = False) -> dict[str, dict[str, object]]:
    params: dict[str, object] = {"limit": 1000}
    if include_removed:
        params["include_removed"] = "true"
    items = instance.admin.get("/users", params=params).json()["items"]
    return {str(u["email"]).lower(): u for u in items}


def _roles(user: dict[str, object]) -> dict[str, str]:
    return {m["community_id"]: m["role"] for m in user["memberships"]}  # type: ignore[attr-defined]


def _map(instance: Instance, group_id: str, community_id: str, role: str) -> None:
    instance.admin.put(
        f"{INTEGRATION}/groups/{group_id}/mapping",
        json={"community_id": community_id, "role": role},
    ).raise_for_status()


def _staged_tenant(instance: Instance) -> tuple[ScimClient, dict[str, str], dict[str, str]]:
    """Entra has pushed: an existing employee, newcomers, conflicts, an inactive user, groups."""
    scim = instance.scim()
    users = {
        # Matches the demo account chloe.moreau@… by e-mail, whatever the case.
        "chloe": scim.create_user("cmoreau@contoso.example", "Chloe.Moreau@Steeple-Demo.fr"),
        "yanis": scim.create_user("ybenali@contoso.example", "yanis.benali@steeple-demo.fr"),
        "zoe": scim.create_user("zoe@contoso.example", "zoe.faure@steeple-demo.fr"),
        "dup1": scim.create_user("dup1@contoso.example", "shared@steeple-demo.fr"),
        "dup2": scim.create_user("dup2@contoso.example", "SHARED@steeple-demo.fr"),
        "nomail": scim.create_user("nomail@contoso.example", None),
        "gone": scim.create_user("gone@contoso.example", "gone@steeple-demo.fr", active=False),
    }
    groups = {
        "lyon": scim.create_group("Lyon - Tous", [users["chloe"], users["yanis"], users["dup1"]]),
        "lyon_admins": scim.create_group("Lyon - Managers", [users["yanis"]]),
        "siege": scim.create_group("Siège - Tous", [users["chloe"]]),
    }
    _map(instance, groups["lyon"], USINE_LYON.id, "user")
    _map(instance, groups["lyon_admins"], USINE_LYON.id, "admin")
    _map(instance, groups["siege"], SIEGE.id, "user")
    return scim, users, groups


def test_before_activation_scim_writes_touch_no_account(installed: Instance) -> None:
    before = _users(installed, include_removed=True)
    scim, users, _ = _staged_tenant(installed)
    scim.set_active(users["chloe"], False)
    scim.delete_user(users["zoe"])
    assert _users(installed, include_removed=True) == before


def test_preview_is_what_activation_then_does(installed: Instance) -> None:
    _, users, _ = _staged_tenant(installed)
    before = dump_tables(installed.db_path)
    preview = installed.admin.get(f"{INTEGRATION}/activation-preview").json()
    assert dump_tables(installed.db_path) == before  # a dry run
    assert preview["linked_by_email"] == 1
    assert preview["created"] == 2
    assert preview["deactivated"] == 1
    conflicts = {c["kind"]: c for c in preview["conflicts"]}
    assert set(conflicts["duplicate_email"]["scim_user_ids"]) == {users["dup1"], users["dup2"]}
    assert conflicts["missing_email"]["scim_user_ids"] == [users["nomail"]]
    assert preview["unmapped_users"] == 1
    assert preview["unmapped_sample"] == ["zoe@contoso.example"]
    assert preview["new_admins"] == [
        {
            "email": "yanis.benali@steeple-demo.fr",
            "community_id": USINE_LYON.id,
            "community_name": "Usine de Lyon",
        }
    ]

    result = installed.admin.post(f"{INTEGRATION}/activate").json()
    assert result["integration"]["sync_active"] is True
    assert result["linked_by_email"] == 1
    assert result["created"] == 2
    assert result["skipped_conflicts"] == 3

    accounts = _users(installed)
    chloe = accounts["chloe.moreau@steeple-demo.fr"]
    assert chloe["auth_method"] == "sso"
    # Her manual membership of Usine de Lyon is left alone; Siège comes from the mapped group.
    assert _roles(chloe) == {USINE_LYON.id: "user", SIEGE.id: "user"}
    yanis = accounts["yanis.benali@steeple-demo.fr"]
    assert yanis["auth_method"] == "sso" and yanis["given_name"] == "Test"
    assert _roles(yanis) == {USINE_LYON.id: "admin"}  # users + admins group → admin
    assert _roles(accounts["zoe.faure@steeple-demo.fr"]) == {}
    assert "shared@steeple-demo.fr" not in accounts
    assert "gone@steeple-demo.fr" not in _users(installed, include_removed=True)

    received = installed.admin.get(f"{INTEGRATION}/scim-users", params={"limit": 100}).json()
    linked = {u["id"]: u["steeple_user_id"] for u in received["items"]}
    assert linked[users["chloe"]] == chloe["id"]
    assert linked[users["dup1"]] is None and linked[users["nomail"]] is None
    lyon = next(
        c for c in installed.admin.get("/communities").json()["items"] if c["id"] == USINE_LYON.id
    )
    assert lyon["admin_count"] == 2  # Nicolas (manual) and Yanis (SCIM)


def test_preview_says_per_person_what_they_keep_and_what_entra_changes(
    installed: Instance,
) -> None:
    """Issue 23: an administrator made by hand, in no mapped group, keeps her rights: the dry
    run says so (never "no access"), names every administrator who stays one, and says per
    person what Entra's groups add — which is then exactly what activation does."""
    _, users, _ = _staged_tenant(installed)
    scim = installed.scim()
    scim.create_user("cmartin@contoso.example", "camille.martin@steeple-demo.fr")  # no group
    preview = installed.admin.get(f"{INTEGRATION}/activation-preview").json()

    people = {person["email"].lower(): person for person in preview["people"]}
    camille = people["camille.martin@steeple-demo.fr"]
    assert camille["account"] == "linked"
    assert {(r["community_name"], r["role"]) for r in camille["keeps"]} == {
        ("Siège", "admin"),
        ("Direction", "admin"),
    }
    assert camille["adds"] == [] and camille["removes"] == []
    assert preview["unmapped_sample"] == ["zoe@contoso.example"]  # Camille keeps her rights
    assert preview["unmapped_users"] == 1 and preview["unmapped_keeping"] == 1

    chloe = people["chloe.moreau@steeple-demo.fr"]
    assert [(r["community_id"], r["role"]) for r in chloe["keeps"]] == [(USINE_LYON.id, "user")]
    assert [(r["community_id"], r["role"]) for r in chloe["adds"]] == [(SIEGE.id, "user")]
    yanis = people["yanis.benali@steeple-demo.fr"]
    assert yanis["account"] == "created"
    assert [(r["community_id"], r["role"]) for r in yanis["adds"]] == [(USINE_LYON.id, "admin")]
    assert preview["people_total"] == len(preview["people"]) == 4  # chloe, yanis, zoe, camille

    kept = {(a["email"], a["community_id"], a["by_hand"]) for a in preview["admins_kept"]}
    assert ("camille.martin@steeple-demo.fr", SIEGE.id, True) in kept
    assert ("camille.martin@steeple-demo.fr", DIRECTION.id, True) in kept
    assert ("nicolas.leroy@steeple-demo.fr", USINE_LYON.id, True) in kept
    assert ("manon.durand@steeple-demo.fr", COMMERCIAUX.id, True) in kept

    installed.admin.post(f"{INTEGRATION}/activate").raise_for_status()
    accounts = _users(installed)
    for email, person in people.items():
        expected = {r["community_id"]: r["role"] for r in person["keeps"] + person["adds"]}
        assert _roles(accounts[email]) == expected, email


def test_a_reactivation_preview_says_what_entra_groups_no_longer_give(installed: Instance) -> None:
    """Deactivated, then a mapping removed: re-activating takes that group's rights away, and
    the dry run says so person by person, and no longer counts him among the admins kept."""
    _, users, groups = _staged_tenant(installed)
    installed.admin.post(f"{INTEGRATION}/activate").raise_for_status()
    installed.admin.post(f"{INTEGRATION}/deactivate").raise_for_status()
    installed.admin.delete(f"{INTEGRATION}/groups/{groups['lyon_admins']}/mapping")
    installed.admin.delete(f"{INTEGRATION}/groups/{groups['siege']}/mapping")
    preview = installed.admin.get(f"{INTEGRATION}/activation-preview").json()
    chloe = next(p for p in preview["people"] if p["email"].lower().startswith("chloe"))
    assert [(r["community_id"], r["role"]) for r in chloe["removes"]] == [(SIEGE.id, "user")]
    assert [(r["community_id"], r["role"]) for r in chloe["keeps"]] == [(USINE_LYON.id, "user")]
    yanis = next(p for p in preview["people"] if p["email"] == "yanis.benali@steeple-demo.fr")
    assert [(r["community_id"], r["role"]) for r in yanis["adds"]] == [(USINE_LYON.id, "user")]
    assert yanis["removes"] == []  # a role change is an add (admin → member), not a removal
    kept = {(a["email"], a["community_id"]) for a in preview["admins_kept"]}
    assert ("yanis.benali@steeple-demo.fr", USINE_LYON.id) not in kept


def test_after_activation_scim_writes_apply_live(installed: Instance) -> None:
    scim, users, groups = _staged_tenant(installed)
    installed.admin.post(f"{INTEGRATION}/activate").raise_for_status()

    # A new SCIM user matching an existing account is linked at once.
    emilie = scim.create_user("emichel@contoso.example", "EMILIE.MICHEL@steeple-demo.fr")
    account = _users(installed)["emilie.michel@steeple-demo.fr"]
    assert account["auth_method"] == "sso"
    assert _roles(account) == {COMMERCIAUX.id: "user"}  # manual, untouched

    # Group membership changes update community memberships.
    scim.add_members(groups["lyon_admins"], [emilie])
    assert _roles(_users(installed)["emilie.michel@steeple-demo.fr"]) == {
        COMMERCIAUX.id: "user",
        USINE_LYON.id: "admin",
    }
    scim.remove_members(groups["lyon_admins"], [users["yanis"]])
    assert _roles(_users(installed)["yanis.benali@steeple-demo.fr"]) == {USINE_LYON.id: "user"}

    # active:false removes the person (hidden unless asked); active:true brings them back.
    scim.set_active(users["yanis"], False)
    assert "yanis.benali@steeple-demo.fr" not in _users(installed)
    removed = _users(installed, include_removed=True)["yanis.benali@steeple-demo.fr"]
    assert removed["status"] == "removed"
    still_readable = scim.http.get(f"/Users/{users['yanis']}")
    assert still_readable.status_code == 200 and still_readable.json()["active"] is False
    scim.set_active(users["yanis"], True)
    assert _users(installed)["yanis.benali@steeple-demo.fr"]["status"] == "active"

    # A previously inactive user turned active gets an account.
    scim.set_active(users["gone"], True)
    assert _users(installed)["gone@steeple-demo.fr"]["auth_method"] == "sso"

    # Mapping changes after activation recompute at once.
    installed.admin.delete(f"{INTEGRATION}/groups/{groups['siege']}/mapping").raise_for_status()
    assert _roles(_users(installed)["chloe.moreau@steeple-demo.fr"]) == {USINE_LYON.id: "user"}
    _map(installed, groups["siege"], SIEGE.id, "admin")
    assert _roles(_users(installed)["chloe.moreau@steeple-demo.fr"])[SIEGE.id] == "admin"

    # Deleting a group drops what it granted.
    scim.delete_group(groups["siege"])
    assert SIEGE.id not in _roles(_users(installed)["chloe.moreau@steeple-demo.fr"])

    # Duplicated e-mails stay unlinked until only one active SCIM user holds the address.
    scim.set_active(users["dup1"], True)
    assert "shared@steeple-demo.fr" not in _users(installed, include_removed=True)
    scim.set_active(users["dup2"], False)
    scim.set_active(users["dup1"], True)
    assert _users(installed)["shared@steeple-demo.fr"]["auth_method"] == "sso"
    twin = scim.create_user("twin@contoso.example", "Shared@steeple-demo.fr")
    received = installed.admin.get(f"{INTEGRATION}/scim-users", params={"query": "twin"}).json()
    assert [(u["id"], u["steeple_user_id"]) for u in received["items"]] == [(twin, None)]

    # DELETE removes the person and unlinks the account.
    scim.delete_user(users["zoe"])
    assert "zoe.faure@steeple-demo.fr" not in _users(installed)
    conn = sqlite3.connect(installed.db_path)
    row = conn.execute(
        "SELECT status, scim_user_id FROM users WHERE email_norm = 'zoe.faure@steeple-demo.fr'"
    ).fetchone()
    conn.close()
    assert row == ("removed", None)


def test_deactivate_stops_live_application_and_keeps_accounts(installed: Instance) -> None:
    scim, users, _ = _staged_tenant(installed)
    installed.admin.post(f"{INTEGRATION}/activate").raise_for_status()
    state = installed.admin.post(f"{INTEGRATION}/deactivate").json()["integration"]
    assert state["sync_active"] is False
    before = _users(installed, include_removed=True)
    assert before["yanis.benali@steeple-demo.fr"]["status"] == "active"
    scim.set_active(users["yanis"], False)
    scim.create_user("late@contoso.example", "late@steeple-demo.fr")
    assert _users(installed, include_removed=True) == before
    assert installed.admin.get(f"{INTEGRATION}/provisioning").json()["sync_active"] is False


def test_activating_twice_changes_nothing_more(installed: Instance) -> None:
    _staged_tenant(installed)
    first = installed.admin.post(f"{INTEGRATION}/activate").json()
    users_after_first = _users(installed, include_removed=True)
    second = installed.admin.post(f"{INTEGRATION}/activate").json()
    assert second["created"] == 0 and second["memberships_granted"] == 0
    assert second["integration"]["activated_at"] == first["integration"]["activated_at"]
    assert _users(installed, include_removed=True) == users_after_first
