"""SCIM Users over real HTTP, in the shapes Microsoft Entra ID sends, asserting on stored rows."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from sandbox.server import SandboxServer
from tests.support.scim import ENTERPRISE, USER_SCHEMA, entra_user, scim_patch


def create(scim: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    response = scim.post("/Users", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def stored(sandbox: SandboxServer, user_id: str) -> dict[str, Any]:
    row = sandbox.app.state.sandbox.conn.execute(
        "SELECT * FROM scim_users WHERE id = ?", (user_id,)
    ).fetchone()
    return dict(row)


def test_create_returns_resource_with_meta_and_stores_it_as_sent(
    scim: httpx.Client, sandbox: SandboxServer
) -> None:
    body = entra_user("Alice.Martin@Contoso.com", password="never-stored", unknownThing=42)
    response = scim.post("/Users", json=body)
    assert response.status_code == 201
    assert response.headers["content-type"].startswith("application/scim+json")
    user = response.json()
    assert response.headers["Location"] == user["meta"]["location"]
    assert user["meta"]["location"] == f"{sandbox.scim_url}/Users/{user['id']}"
    assert user["meta"]["resourceType"] == "User"
    assert user["meta"]["version"] == 'W/"1"' == response.headers["ETag"]
    assert user["meta"]["created"] and user["meta"]["lastModified"]
    assert "password" not in user
    # Values as sent: no re-casing; unknown attributes ignored (kept, never rejected).
    fetched = scim.get(f"/Users/{user['id']}").json()
    assert fetched["userName"] == "Alice.Martin@Contoso.com"
    assert fetched[ENTERPRISE] == {"department": "Sales"}
    row = stored(sandbox, user["id"])
    assert row["user_name_norm"] == "alice.martin@contoso.com"
    assert row["email"] == "Alice.Martin@Contoso.com"
    assert row["external_id"] == "Alice.Martin"
    assert row["active"] == 1
    assert "never-stored" not in row["resource"]


def test_json_and_scim_json_bodies_and_get_without_accept(
    scim: httpx.Client, scim_token: str, sandbox: SandboxServer
) -> None:
    for index, content_type in enumerate(
        ["application/scim+json; charset=utf-8", "application/json"]
    ):
        response = scim.post(
            "/Users",
            content=json.dumps(entra_user(f"ct{index}@contoso.com")).encode(),
            headers={"Content-Type": content_type},
        )
        assert response.status_code == 201, response.text
    with httpx.Client() as client:
        request = client.build_request(
            "GET", sandbox.scim_url + "/Users", headers={"Authorization": f"Bearer {scim_token}"}
        )
        del request.headers["Accept"]
        bare = client.send(request)
    assert bare.status_code == 200
    assert bare.json()["totalResults"] == 2


@pytest.mark.parametrize(
    "filter_text",
    [
        'userName eq "bob@contoso.com"',
        'USERNAME eq "BOB@CONTOSO.COM"',
        'externalId eq "bob"',
        'displayName eq "Bob"',
        'userName sw "bob@" and active eq true',
        'emails[type eq "work" and value co "bob"]',
        'name.familyName eq "bob"',
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Sales"'
        ' and not (userName eq "carol@contoso.com")',
        'userName eq "nobody@contoso.com" or externalId eq "bob"',
        'userName ne "carol@contoso.com"',
        "title pr",
    ],
)
def test_filters_find_exactly_the_matching_user(scim: httpx.Client, filter_text: str) -> None:
    create(scim, entra_user("bob@contoso.com", title="Buyer"))
    create(scim, entra_user("carol@contoso.com"))
    result = scim.get("/Users", params={"filter": filter_text}).json()
    assert result["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:ListResponse"]
    assert result["totalResults"] == 1
    assert [u["userName"] for u in result["Resources"]] == ["bob@contoso.com"]


def test_filter_without_hit_is_an_empty_list_not_404(scim: httpx.Client) -> None:
    response = scim.get("/Users", params={"filter": 'userName eq "ghost@contoso.com"'})
    assert response.status_code == 200
    assert response.json()["totalResults"] == 0
    assert response.json()["Resources"] == []


def test_paging_and_count_cap(start_sandbox: Any) -> None:
    server = start_sandbox(seed="empty", max_page_size=3)
    from tests.support.scim import make_token

    with httpx.Client(
        base_url=server.scim_url, headers={"Authorization": f"Bearer {make_token(server)}"}
    ) as client:
        for index in range(5):
            assert client.post("/Users", json=entra_user(f"p{index}@c.com")).status_code == 201
        page = client.get("/Users", params={"startIndex": 2, "count": 2}).json()
        assert page["totalResults"] == 5 and page["startIndex"] == 2
        assert [u["userName"] for u in page["Resources"]] == ["p1@c.com", "p2@c.com"]
        capped = client.get("/Users", params={"count": 100}).json()
        assert capped["itemsPerPage"] == 3
        assert client.get("/Users", params={"count": 0}).json()["Resources"] == []
        filtered = client.get(
            "/Users", params={"filter": 'userName sw "p"', "startIndex": 5, "count": 2}
        ).json()
        assert filtered["totalResults"] == 5
        assert [u["userName"] for u in filtered["Resources"]] == ["p4@c.com"]


def test_attributes_and_excluded_attributes(scim: httpx.Client) -> None:
    user = create(scim, entra_user("dave@contoso.com"))
    only = scim.get(f"/Users/{user['id']}", params={"attributes": "userName,name.givenName"}).json()
    assert set(only) == {"schemas", "id", "userName", "name"}
    assert only["name"] == {"givenName": "Test"}
    listed = scim.get("/Users", params={"excludedAttributes": f"emails,{ENTERPRISE}"}).json()
    assert "emails" not in listed["Resources"][0]
    assert ENTERPRISE not in listed["Resources"][0]
    assert listed["Resources"][0]["userName"] == "dave@contoso.com"


def test_duplicate_user_name_is_409_uniqueness_case_insensitive(
    scim: httpx.Client, sandbox: SandboxServer
) -> None:
    create(scim, entra_user("erin@contoso.com"))
    response = scim.post("/Users", json=entra_user("ERIN@contoso.com"))
    assert response.status_code == 409
    assert response.json()["scimType"] == "uniqueness"
    assert response.json()["status"] == "409"
    count = sandbox.app.state.sandbox.conn.execute("SELECT COUNT(*) FROM scim_users").fetchone()
    assert count[0] == 1


def test_external_id_is_not_unique(scim: httpx.Client) -> None:
    create(scim, entra_user("f1@contoso.com", externalId="same"))
    create(scim, entra_user("f2@contoso.com", externalId="same"))
    found = scim.get("/Users", params={"filter": 'externalId eq "same"'}).json()
    assert found["totalResults"] == 2


@pytest.mark.parametrize(
    ("sent", "expected"),
    [(False, False), ("False", False), ("false", False), ("True", True), (True, True)],
)
def test_active_as_boolean_or_string_and_inactive_users_still_returned(
    scim: httpx.Client, sandbox: SandboxServer, sent: Any, expected: bool
) -> None:
    user = create(scim, entra_user("gina@contoso.com"))
    response = scim_patch(
        scim, "Users", user["id"], {"op": "Replace", "path": "active", "value": sent}
    )
    assert response.status_code == 200
    assert response.json()["active"] is expected
    assert stored(sandbox, user["id"])["active"] == int(expected)
    by_filter = scim.get("/Users", params={"filter": 'userName eq "gina@contoso.com"'}).json()
    assert by_filter["Resources"][0]["active"] is expected
    assert scim.get(f"/Users/{user['id']}").json()["active"] is expected
    counters = sandbox.app.state.sandbox.conn.execute(
        "SELECT users_received, users_active FROM provisioning_counters"
    ).fetchone()
    assert tuple(counters) == (1, int(expected))


def test_active_as_string_on_create(scim: httpx.Client, sandbox: SandboxServer) -> None:
    user = create(scim, entra_user("hank@contoso.com", active="False"))
    assert user["active"] is False
    assert stored(sandbox, user["id"])["active"] == 0


def test_path_less_replace_with_dotted_and_urn_keys(scim: httpx.Client) -> None:
    user = create(scim, entra_user("ivy@contoso.com"))
    response = scim_patch(
        scim,
        "Users",
        user["id"],
        {
            "op": "Replace",
            "value": {
                "name.givenName": "Ivy",
                "displayName": "Ivy Lane",
                f"{ENTERPRISE}:department": "R&D",
                "active": "True",
            },
        },
    )
    assert response.status_code == 200
    fetched = scim.get(f"/Users/{user['id']}").json()
    assert fetched["name"] == {"formatted": "Ivy", "familyName": "Ivy", "givenName": "Ivy"}
    assert fetched["displayName"] == "Ivy Lane"
    assert fetched[ENTERPRISE]["department"] == "R&D"


def test_work_email_value_path_replaces_or_adds(scim: httpx.Client, sandbox: SandboxServer) -> None:
    with_email = create(scim, entra_user("jo@contoso.com"))
    scim_patch(
        scim,
        "Users",
        with_email["id"],
        {"op": "replace", "path": 'emails[type eq "work"].value', "value": "Jo.New@contoso.com"},
    )
    assert scim.get(f"/Users/{with_email['id']}").json()["emails"] == [
        {"primary": True, "type": "work", "value": "Jo.New@contoso.com"}
    ]
    assert stored(sandbox, with_email["id"])["email_norm"] == "jo.new@contoso.com"

    body = entra_user("kim@contoso.com")
    del body["emails"]
    without = create(scim, body)
    response = scim_patch(
        scim,
        "Users",
        without["id"],
        {"op": "Add", "path": 'emails[type eq "work"].value', "value": "kim@contoso.com"},
    )
    assert response.status_code == 200
    assert scim.get(f"/Users/{without['id']}").json()["emails"] == [
        {"type": "work", "value": "kim@contoso.com"}
    ]
    assert stored(sandbox, without["id"])["email"] == "kim@contoso.com"


def test_enterprise_attributes_by_urn_path_and_manager_forms(scim: httpx.Client) -> None:
    boss = create(scim, entra_user("boss@contoso.com"))
    user = create(scim, entra_user("lea@contoso.com"))
    path = f"{ENTERPRISE}:manager"
    forms: list[Any] = [
        boss["id"],
        {"value": boss["id"]},
        [{"$ref": None, "value": boss["id"]}],
    ]
    for form in forms:
        scim_patch(scim, "Users", user["id"], {"op": "Remove", "path": path})
        assert "manager" not in scim.get(f"/Users/{user['id']}").json()[ENTERPRISE]
        response = scim_patch(scim, "Users", user["id"], {"op": "Add", "path": path, "value": form})
        assert response.status_code == 200, response.text
        assert scim.get(f"/Users/{user['id']}").json()[ENTERPRISE]["manager"] == {
            "value": boss["id"]
        }
    scim_patch(
        scim,
        "Users",
        user["id"],
        {"op": "Replace", "path": f"{ENTERPRISE}:employeeNumber", "value": "0042"},
        {"op": "Replace", "path": f"{ENTERPRISE}:department", "value": "Usine"},
    )
    extension = scim.get(f"/Users/{user['id']}").json()[ENTERPRISE]
    assert extension["employeeNumber"] == "0042"
    assert extension["department"] == "Usine"


def test_roles_as_json_encoded_strings(scim: httpx.Client) -> None:
    user = create(scim, entra_user("mo@contoso.com"))
    role_value = json.dumps({"id": "06b07648", "value": "25", "displayName": "Admin"})
    scim_patch(
        scim, "Users", user["id"], {"op": "Add", "path": "roles", "value": [{"value": role_value}]}
    )
    assert scim.get(f"/Users/{user['id']}").json()["roles"] == [{"value": role_value}]
    encoded_list = json.dumps([{"primary": True, "value": "Writer"}])
    scim_patch(scim, "Users", user["id"], {"op": "Replace", "path": "roles", "value": encoded_list})
    assert scim.get(f"/Users/{user['id']}").json()["roles"] == [
        {"primary": True, "value": "Writer"}
    ]


def test_rfc_dialect_patch_add_remove_and_sub_attribute(scim: httpx.Client) -> None:
    user = create(scim, entra_user("ned@contoso.com"))
    response = scim_patch(
        scim,
        "Users",
        user["id"],
        {"op": "add", "path": "nickName", "value": "Neddy"},
        {"op": "replace", "path": "name.familyName", "value": "Stark"},
        {"op": "add", "path": "phoneNumbers", "value": [{"type": "work", "value": "+33 1"}]},
        {"op": "remove", "path": 'emails[type eq "work"]'},
        {"op": "remove", "path": "title"},
    )
    assert response.status_code == 200
    fetched = scim.get(f"/Users/{user['id']}").json()
    assert fetched["nickName"] == "Neddy"
    assert fetched["name"]["familyName"] == "Stark"
    assert fetched["phoneNumbers"] == [{"type": "work", "value": "+33 1"}]
    assert fetched["emails"] == []
    assert fetched["meta"]["version"] == 'W/"2"'


def test_put_replaces_the_resource(scim: httpx.Client, sandbox: SandboxServer) -> None:
    user = create(scim, entra_user("olga@contoso.com"))
    body = {"schemas": [USER_SCHEMA], "userName": "olga.p@contoso.com", "active": False}
    response = scim.put(f"/Users/{user['id']}", json=body)
    assert response.status_code == 200
    fetched = scim.get(f"/Users/{user['id']}").json()
    assert fetched["userName"] == "olga.p@contoso.com"
    assert "emails" not in fetched and fetched["active"] is False
    assert stored(sandbox, user["id"])["email"] is None


def test_delete_is_204_then_404(scim: httpx.Client, sandbox: SandboxServer) -> None:
    user = create(scim, entra_user("pat@contoso.com"))
    assert scim.delete(f"/Users/{user['id']}").status_code == 204
    missing = scim.get(f"/Users/{user['id']}")
    assert missing.status_code == 404
    assert missing.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    counters = sandbox.app.state.sandbox.conn.execute(
        "SELECT users_received, users_active FROM provisioning_counters"
    ).fetchone()
    assert tuple(counters) == (0, 0)
