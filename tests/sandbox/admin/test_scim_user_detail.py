"""`GET /integrations/azure-ad/scim-users/{id}`: one received person followed to their account.

The Steeple half of "why is this person not in Steeple?": the received groups holding them, what
each maps to (community name included), and whether the account was linked by e-mail, created, or
not made yet — with the conflict that keeps activation from making it.
"""

from __future__ import annotations

from typing import Any

from sandbox.seed import SIEGE, USINE_LYON
from tests.support.sandboxes import Instance
from tests.support.scim import INTEGRATION


def _detail(instance: Instance, scim_id: str) -> dict[str, Any]:
    response = instance.admin.get(f"{INTEGRATION}/scim-users/{scim_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_groups_mappings_and_link_kind_before_and_after_activation(installed: Instance) -> None:
    scim = installed.scim()
    chloe = scim.create_user("cmoreau@contoso.example", "Chloe.Moreau@Steeple-Demo.fr")
    yanis = scim.create_user("ybenali@contoso.example", "yanis.benali@steeple-demo.fr")
    nomail = scim.create_user("nomail@contoso.example", None)
    lyon = scim.create_group("Lyon - Tous", [chloe, yanis, nomail])
    scim.create_group("Siège - Tous", [chloe])
    installed.admin.put(
        f"{INTEGRATION}/groups/{lyon}/mapping",
        json={"community_id": USINE_LYON.id, "role": "admin"},
    ).raise_for_status()

    before = _detail(installed, chloe)
    assert before["user"]["user_name"] == "cmoreau@contoso.example"
    assert before["link"] == "none" and before["conflict"] is None and before["account"] is None
    groups = {g["display_name"]: g for g in before["groups"]}
    assert set(groups) == {"Lyon - Tous", "Siège - Tous"}
    assert groups["Lyon - Tous"]["mapping"] == {"community_id": USINE_LYON.id, "role": "admin"}
    assert groups["Lyon - Tous"]["community_name"] == USINE_LYON.name
    assert groups["Siège - Tous"]["mapping"] is None
    assert groups["Siège - Tous"]["community_name"] is None
    assert _detail(installed, nomail)["conflict"] == "missing_email"

    installed.admin.post(f"{INTEGRATION}/activate").raise_for_status()
    linked = _detail(installed, chloe)  # the demo account chloe.moreau@… existed: matched
    assert linked["link"] == "linked_by_email"
    assert linked["account"]["email"].lower() == "chloe.moreau@steeple-demo.fr"
    assert linked["account"]["status"] == "active"
    assert USINE_LYON.id in {m["community_id"] for m in linked["account"]["memberships"]}
    created = _detail(installed, yanis)  # nobody had this address: an account was made
    assert created["link"] == "created" and created["account"]["auth_method"] == "sso"
    assert created["user"]["steeple_user_id"] == created["account"]["id"]
    assert _detail(installed, nomail)["link"] == "none"
    assert created["account"]["memberships"] == [{"community_id": USINE_LYON.id, "role": "admin"}]
    assert SIEGE.id not in {m["community_id"] for m in created["account"]["memberships"]}


def test_unknown_id_is_404_in_the_admin_shape(installed: Instance) -> None:
    response = installed.admin.get(f"{INTEGRATION}/scim-users/no-such-id")
    assert response.status_code == 404
    assert response.json()["code"] == "scim_user_not_found"
    assert response.json()["message"]


def test_not_installed_is_409(demo: Instance) -> None:
    response = demo.admin.get(f"{INTEGRATION}/scim-users/anything")
    assert response.status_code == 409
    assert response.json()["code"] == "integration_not_installed"
