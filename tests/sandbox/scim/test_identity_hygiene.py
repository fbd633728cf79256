"""Identity hygiene on the SCIM endpoint (issue 10, point 10).

`userName` is unique by what an admin would call the same name — trimmed, then NFKC, case-folded
and with default-ignorable code points removed (issue 20, point 4) — so a trailing space, a
decomposed accent, a full-width letter or an invisible zero-width character cannot open a second
account; a control character in a name is refused outright; a group cannot contain itself; a
member id that names no user or group is `400 invalidValue`. Each refusal leaves every stored
table as it was.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from sandbox.db import SCHEMA_VERSION
from sandbox.server import SandboxServer
from tests.support.scim import (
    GROUP_SCHEMA,
    PATCH_SCHEMA,
    assert_scim_error,
    entra_user,
    make_token,
    scim_client,
)

Dump = Callable[[], dict[str, list[tuple[Any, ...]]]]
STORED = "Zoé.Ölçer@Contoso.com"  # precomposed é and Ö, as Entra sends them

SAME_NAMES = {
    "trailing space": STORED + " ",
    "leading spaces": "   " + STORED,
    "decomposed accents (NFD)": "Zoe\u0301.O\u0308lc\u0327er@Contoso.com",
    "other case": STORED.upper(),
    "NFD and case and spaces": "  ZOE\u0301.O\u0308LC\u0327ER@contoso.COM ",
    "zero-width space": "Zoé.Ö\u200blçer@Contoso.com",
    "zero-width joiner": "Zoé\u200d.Ölçer@Contoso.com",
    "byte order mark": "\ufeffZoé.Ölçer@Contoso.com",
    "soft hyphen": "Zoé.Öl\u00adçer@Contoso.com",
    "bidi marks": "\u200eZoé.Ölçer@Contoso.com\u202c",
    "full-width letters (NFKC)": "Ｚｏé.Ölçer@Contoso.com",
    "ligature-free sharp s": "ZOÉ.ÖLÇER@CONTOSO.COM",
}

# The issue's own example: two accounts for one person, one of them invisible.
ISSUE_PAIR = ("dup@x.fr", "dup\u200b@x.fr")
CONTROLS = {
    "NUL": "dup\u0000@x.fr",
    "tab": "\tdup@x.fr",
    "newline": "dup@x.fr\n",
    "escape sequence": "\u001b[31mdup@x.fr",
    "DEL": "dup\u007f@x.fr",
    "C1 CSI": "dup\u009b@x.fr",
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


def test_the_issue_pair_is_one_person(scim: httpx.Client, dump: Dump) -> None:
    """`dup\u200b@x.fr` after `dup@x.fr`: 409 uniqueness, nothing written (issue 20)."""
    first, twin = ISSUE_PAIR
    assert scim.post("/Users", json=entra_user(first)).status_code == 201
    before = dump()
    assert_scim_error(scim.post("/Users", json=entra_user(twin)), 409, "uniqueness")
    assert dump() == before
    # Entra's lookup before a create finds the one person under either spelling.
    for name in ISSUE_PAIR:
        found = scim.get("/Users", params={"filter": f'userName eq "{name}"'}).json()
        assert found["totalResults"] == 1, name


@pytest.mark.parametrize("name", list(CONTROLS.values()), ids=list(CONTROLS))
def test_a_control_character_in_a_name_is_400_invalid_value(
    scim: httpx.Client, stored_user: dict[str, str], dump: Dump, name: str
) -> None:
    """C0/C1 controls, NUL included, in userName, externalId, displayName or a group's name."""
    before = dump()
    for attribute in ("userName", "externalId", "displayName"):
        body = {**entra_user("fresh@contoso.com"), attribute: name}
        assert_scim_error(scim.post("/Users", json=body), 400, "invalidValue")
        assert_scim_error(
            scim.put(f"/Users/{stored_user['other']}", json=body), 400, "invalidValue"
        )
        patch = {
            "schemas": [PATCH_SCHEMA],
            "Operations": [{"op": "replace", "path": attribute, "value": name}],
        }
        patched = scim.patch(f"/Users/{stored_user['other']}", json=patch)
        assert_scim_error(patched, 400, "invalidValue")
    group = {"schemas": [GROUP_SCHEMA], "displayName": name}
    assert_scim_error(scim.post("/Groups", json=group), 400, "invalidValue")
    assert dump() == before


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


def test_a_version_6_database_is_rekeyed_without_losing_anyone(
    start_sandbox: Callable[..., SandboxServer],
) -> None:
    """Rows stored under the old key (NFC + case fold) take the new one when the file is opened.

    Two rows that only the new key finds to be one person both stay: the oldest takes the key,
    the other keeps its old one, and any new spelling of the name collides with the first.
    """
    first = start_sandbox(seed="empty")
    token = make_token(first)
    with scim_client(first, token) as scim:
        kept = scim.post("/Users", json=entra_user("dup@x.fr")).json()["id"]
        wide = scim.post("/Users", json=entra_user("Ｗｉｄｅ@x.fr")).json()["id"]
    first.stop()
    with sqlite3.connect(first.config.db_path) as conn:  # what a v6 build stored
        conn.execute("UPDATE scim_users SET user_name_norm = 'ｗｉｄｅ@x.fr' WHERE id = ?", (wide,))
        conn.execute(
            "INSERT INTO scim_users (id, user_name, user_name_norm, resource, created_at, "
            "modified_at) VALUES ('twin', 'dup\u200b@x.fr', 'dup\u200b@x.fr', '{}', "
            "'2999-01-01T00:00:00+00:00', '2999-01-01T00:00:00+00:00')"
        )
        conn.execute("PRAGMA user_version = 6")

    second = start_sandbox(seed="empty")
    conn = second.app.state.sandbox.conn
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    keys = dict(conn.execute("SELECT id, user_name_norm FROM scim_users").fetchall())
    assert keys == {kept: "dup@x.fr", wide: "wide@x.fr", "twin": "dup\u200b@x.fr"}
    with scim_client(second, token) as scim:
        assert_scim_error(scim.post("/Users", json=entra_user("WIDE@x.fr")), 409, "uniqueness")
        assert_scim_error(scim.post("/Users", json=entra_user("dup\u2060@x.fr")), 409, "uniqueness")
