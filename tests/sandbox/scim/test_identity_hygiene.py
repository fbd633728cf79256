"""Identity hygiene on the SCIM endpoint (issue 10, point 10).

`userName` is unique by what an admin would call the same name — trimmed, NFC-normalised and
case-folded — so a trailing space or a decomposed accent cannot open a second account; a group
cannot contain itself; a member id that names no user or group is `400 invalidValue`. Each
refusal leaves every stored table as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.support.scim import GROUP_SCHEMA, PATCH_SCHEMA, assert_scim_error, entra_user

Dump = Callable[[], dict[str, list[tuple[Any, ...]]]]
STORED = "Zoé.Ölçer@Contoso.com"  # precomposed é and Ö, as Entra sends them

SAME_NAMES = {
    "trailing space": STORED + " ",
    "leading tab and space": "\t " + STORED,
    "decomposed accents (NFD)": "Zoe\u0301.O\u0308lc\u0327er@Contoso.com",
    "other case": STORED.upper(),
    "NFD and case and spaces": "  ZOE\u0301.O\u0308LC\u0327ER@contoso.COM ",
}


@pytest.fixture
def stored_user(scim: httpx.Client) -> dict[str, str]:
    first = scim.post("/Users", json=entra_user(STORED))
    assert first.status_code == 201, first.text
    other = scim.post("/Users", json=entra_user("other@contoso.com"))
    return {"user": first.json()["id"], "other": other.json()["id"]}


@pytest.mark.parametrize("name", list(SAME_NAMES.values()), ids=list(SAME_NAMES))
def test_the_same_user_name_written_differently_is_409_uniqueness(
    scim: httpx.Client, stored_user: dict[str, str], dump: Dump, name: str
) -> None:
    before = dump()
    assert_scim_error(scim.post("/Users", json=entra_user(name)), 409, "uniqueness")
    replaced = scim.put(f"/Users/{stored_user['other']}", json=entra_user(name))
    assert_scim_error(replaced, 409, "uniqueness")
    patch = {
        "schemas": [PATCH_SCHEMA],
        "Operations": [{"op": "replace", "path": "userName", "value": name}],
    }
    assert_scim_error(scim.patch(f"/Users/{stored_user['other']}", json=patch), 409, "uniqueness")
    assert dump() == before


def test_the_filter_finds_the_user_by_the_same_key(
    scim: httpx.Client, stored_user: dict[str, str]
) -> None:
    """Entra looks a user up before creating it: the lookup must agree with uniqueness."""
    for name in SAME_NAMES.values():
        found = scim.get("/Users", params={"filter": f'userName eq "{name}"'}).json()
        assert [user["id"] for user in found["Resources"]] == [stored_user["user"]], name


def _group(scim: httpx.Client, members: list[str]) -> str:
    body = {
        "schemas": [GROUP_SCHEMA],
        "displayName": "G",
        "members": [{"value": m} for m in members],
    }
    created = scim.post("/Groups", json=body)
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


def test_a_group_cannot_contain_itself(
    scim: httpx.Client, stored_user: dict[str, str], dump: Dump
) -> None:
    group = _group(scim, [stored_user["user"]])
    before = dump()
    for op in ("add", "replace"):
        patch = {
            "schemas": [PATCH_SCHEMA],
            "Operations": [{"op": op, "path": "members", "value": [{"value": group}]}],
        }
        assert_scim_error(scim.patch(f"/Groups/{group}", json=patch), 400, "invalidValue")
    put = {"schemas": [GROUP_SCHEMA], "displayName": "G", "members": [{"value": group}]}
    assert_scim_error(scim.put(f"/Groups/{group}", json=put), 400, "invalidValue")
    assert dump() == before


def test_unknown_member_ids_are_400_invalid_value(
    scim: httpx.Client, stored_user: dict[str, str], dump: Dump
) -> None:
    group = _group(scim, [stored_user["user"]])
    nested = _group(scim, [])
    before = dump()
    unknown = "7b1a0c51-0000-4000-8000-000000000000"
    body = {"schemas": [GROUP_SCHEMA], "displayName": "H", "members": [{"value": unknown}]}
    assert_scim_error(scim.post("/Groups", json=body), 400, "invalidValue")
    put = {**body, "members": [{"value": stored_user["other"]}, {"value": unknown}]}
    assert_scim_error(scim.put(f"/Groups/{group}", json=put), 400, "invalidValue")
    for op in ("add", "replace"):
        patch = {
            "schemas": [PATCH_SCHEMA],
            "Operations": [
                {"op": op, "path": "members", "value": [{"value": stored_user["other"]}]},
                {"op": "add", "path": "members", "value": [{"value": unknown}]},
            ],
        }
        assert_scim_error(scim.patch(f"/Groups/{group}", json=patch), 400, "invalidValue")
    assert dump() == before
    # Known users and groups are still accepted as members.
    fine = {
        "schemas": [PATCH_SCHEMA],
        "Operations": [
            {"op": "add", "path": "members", "value": [{"value": stored_user["other"]}]},
            {"op": "add", "path": "members", "value": [{"value": nested}]},
        ],
    }
    assert scim.patch(f"/Groups/{group}", json=fine).status_code == 204
