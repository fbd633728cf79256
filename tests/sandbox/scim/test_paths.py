"""Endpoint names match case-insensitively (`/users` answers like `/Users`), ids do not."""

from __future__ import annotations

import httpx
import pytest

from tests.support.scim import GROUP_SCHEMA, PATCH_SCHEMA, entra_user

SPELLINGS = ["Users", "users", "USERS", "uSeRs"]


def _base(scim: httpx.Client) -> str:
    return str(scim.base_url).rstrip("/")


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_user_list_is_the_same_whatever_the_spelling(scim: httpx.Client, spelling: str) -> None:
    created = scim.post("/Users", json=entra_user("ada@example.com")).json()
    canonical = scim.get("/Users")
    answer = scim.get(f"/{spelling}")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == canonical.headers["content-type"]
    assert answer.json() == canonical.json()
    assert (
        answer.json()["Resources"][0]["meta"]["location"] == f"{_base(scim)}/Users/{created['id']}"
    )


def test_user_lifecycle_under_lower_case_paths(scim: httpx.Client) -> None:
    created = scim.post("/users", json=entra_user("ada@example.com"))
    assert created.status_code == 201
    user_id = created.json()["id"]
    assert created.headers["location"] == f"{_base(scim)}/Users/{user_id}"
    assert created.json()["meta"]["location"] == created.headers["location"]

    read = scim.get(f"/users/{user_id}")
    assert read.status_code == 200
    assert read.json() == scim.get(f"/Users/{user_id}").json()

    patch = {
        "schemas": [PATCH_SCHEMA],
        "Operations": [{"op": "replace", "path": "active", "value": False}],
    }
    assert scim.patch(f"/USERS/{user_id}", json=patch).json()["active"] is False
    assert scim.delete(f"/uSeRs/{user_id}").status_code == 204
    assert scim.get(f"/Users/{user_id}").status_code == 404


def test_groups_under_any_spelling(scim: httpx.Client) -> None:
    created = scim.post("/GROUPS", json={"schemas": [GROUP_SCHEMA], "displayName": "Sales"})
    assert created.status_code == 201
    group = created.json()
    assert group["meta"]["location"] == f"{_base(scim)}/Groups/{group['id']}"
    assert scim.get(f"/groups/{group['id']}").json() == scim.get(f"/Groups/{group['id']}").json()
    assert scim.get("/groups").json() == scim.get("/Groups").json()


@pytest.mark.parametrize(
    "canonical",
    ["ServiceProviderConfig", "Schemas", "ResourceTypes", "ResourceTypes/User"],
)
def test_discovery_under_any_spelling(scim: httpx.Client, canonical: str) -> None:
    expected = scim.get(f"/{canonical}")
    assert expected.status_code == 200
    endpoint, _, rest = canonical.partition("/")
    for spelling in (endpoint.lower(), endpoint.upper()):
        answer = scim.get(f"/{spelling}/{rest}" if rest else f"/{spelling}")
        assert answer.status_code == 200, spelling
        assert answer.json() == expected.json()


def test_ids_are_not_folded(scim: httpx.Client) -> None:
    """Only the endpoint name is case-insensitive; an id is matched exactly as stored."""
    user_id = scim.post("/Users", json=entra_user("ada@example.com")).json()["id"]
    assert user_id != user_id.upper()
    missing = scim.get(f"/users/{user_id.upper()}")
    assert missing.status_code == 404
    assert missing.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]


def test_unknown_endpoint_is_still_a_scim_404(scim: httpx.Client) -> None:
    answer = scim.get("/userz")
    assert answer.status_code == 404
    assert answer.json()["status"] == "404"
