"""Exact request shapes (method, path, query, headers, body) in both PATCH dialects.

The peer is a recording SCIM service written for these tests; what it receives is what went over
the wire, so these assertions pin Entra's shapes, not our own server's leniency. Pages:
learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups and
…/application-provisioning-config-problem-scim-compatibility.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from sandbox.entra.dialects import Variants
from tests.support.entra import TOKEN, RecordingScim, make_job, small_tenant
from tests.support.scim import patch_body

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
AAD_GROUP = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"
GUID = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"


ADA_POST = {
    "schemas": [CORE_USER, ENTERPRISE],
    "externalId": "ada",
    "userName": "ada@contoso.fr",
    "active": True,
    "displayName": "Ada Lovelace",
    "emails": [{"primary": True, "type": "work", "value": "ada@contoso.fr"}],
    "meta": {"resourceType": "User"},
    "name": {"formatted": "Ada Lovelace", "familyName": "Lovelace", "givenName": "Ada"},
    ENTERPRISE: {"department": "IT", "employeeNumber": "E1"},
    "roles": [],  # as Microsoft's Create User request example ends
}
BOB_POST = {  # no mail, no department, no employee id: attributes omitted, never null
    "schemas": [CORE_USER, ENTERPRISE],
    "externalId": "bob",
    "userName": "bob@contoso.onmicrosoft.com",
    "active": True,
    "displayName": "Bob Martin",
    "meta": {"resourceType": "User"},
    "name": {"formatted": "Bob Martin", "familyName": "Martin", "givenName": "Bob"},
    "roles": [],
}


def group_post(object_id: str, name: str) -> dict[str, Any]:
    return {
        "schemas": [CORE_GROUP, AAD_GROUP],
        "externalId": object_id,
        "displayName": name,
        "meta": {"resourceType": "Group"},
    }


def initial_sequence(compliant: bool) -> list[tuple[str, str, str, Any]]:
    def members(*ids: str) -> dict[str, Any]:
        if compliant:
            return patch_body(
                {"op": "add", "path": "members", "value": [{"value": i} for i in ids]}
            )
        value = [{"$ref": None, "value": i} for i in ids]
        return patch_body({"op": "Add", "path": "members", "value": value})

    users_q = "filter=userName+eq+%22ada%40contoso.fr%22"
    bob_q = "filter=userName+eq+%22bob%40contoso.onmicrosoft.com%22"
    groups_q = "excludedAttributes=members&filter=displayName+eq+%22Steeple+-+Si%C3%A8ge+-+{}%22"
    # userName first, then externalId (matching precedence 2) before a user is created
    return [
        ("GET", "/Users", users_q, None),
        ("GET", "/Users", "filter=externalId+eq+%22ada%22", None),
        ("POST", "/Users", "", ADA_POST),
        ("GET", "/Users", bob_q, None),
        ("GET", "/Users", "filter=externalId+eq+%22bob%22", None),
        ("POST", "/Users", "", BOB_POST),
        ("GET", "/Groups", groups_q.format("Users"), None),
        ("POST", "/Groups", "", group_post("g-users", "Steeple - Siège - Users")),
        ("PATCH", "/Groups/id-00003", "", members("id-00001", "id-00002")),
        ("GET", "/Groups", groups_q.format("Admins"), None),
        ("POST", "/Groups", "", group_post("g-admins", "Steeple - Siège - Admins")),
        # the nested group is not expanded: only Ada, a direct member, is added
        ("PATCH", "/Groups/id-00004", "", members("id-00001")),
    ]


@pytest.mark.parametrize("compliant", [True, False], ids=["compliant", "legacy"])
async def test_initial_cycle_shapes(peer: tuple[RecordingScim, str], compliant: bool) -> None:
    app, url = peer
    job = make_job(small_tenant(), url + ("?aadOptscim062020" if compliant else ""))
    report = await job.run_cycle()

    probe, group_probe, *rest = app.requests
    assert (probe.method, probe.path) == ("GET", "/Users")
    assert re.fullmatch(f"filter=userName\\+eq\\+%22{GUID}%22", probe.query)
    assert (group_probe.method, group_probe.path) == ("GET", "/Groups")
    assert re.fullmatch(
        f"excludedAttributes=members&filter=displayName\\+eq\\+%22{GUID}%22", group_probe.query
    )
    assert rest and [(r.method, r.path, r.query, r.body) for r in rest] == initial_sequence(
        compliant
    )
    for request in app.requests:
        assert request.headers["authorization"] == f"Bearer {TOKEN}"
        assert "accept" not in request.headers  # Entra sends no Accept header
        if request.body is not None:
            assert request.headers["content-type"] == "application/scim+json; charset=utf-8"
        else:
            assert "content-type" not in request.headers
    assert {r.method for r in app.requests} <= {"GET", "POST", "PATCH", "DELETE"}
    assert (report.created, report.failed, report.requests) == (4, 0, 14)
    assert sorted(u["userName"] for u in app.users.values()) == [
        "ada@contoso.fr",
        "bob@contoso.onmicrosoft.com",
    ]


def change_tenant(job: Any) -> None:
    """Between cycles: Ada's surname and mail change."""
    ada = job.tenant.users["u-ada"]
    ada.surname, ada.mail = "King", "ada.king@contoso.fr"


GROUP_READ = "excludedAttributes=members"
VARIANTS = [
    pytest.param(True, Variants(), id="compliant"),
    *(
        pytest.param(
            False,
            v,
            id=f"legacy-str{int(v.legacy_active_string)}-ref{int(v.legacy_remove_ref_null)}",
        )
        for v in Variants.all()
    ),
]


def legacy_active(variants: Variants, value: bool) -> Any:
    return ("True" if value else "False") if variants.legacy_active_string else value


@pytest.mark.parametrize(("compliant", "variants"), VARIANTS)
async def test_incremental_cycle_sends_only_changes(
    peer: tuple[RecordingScim, str], compliant: bool, variants: Variants
) -> None:
    app, url = peer
    job = make_job(
        small_tenant(), url + ("?aadOptscim062020" if compliant else ""), variants=variants
    )
    await job.run_cycle()
    app.requests.clear()
    change_tenant(job)
    job.tenant.groups["g-users"].member_ids.remove("u-bob")  # member removal
    await job.run_cycle()

    email = 'emails[type eq "work"].value'
    if compliant:
        # the documented "replace multiple attributes" example: the filtered path first
        ada = patch_body(
            {"op": "replace", "path": email, "value": "ada.king@contoso.fr"},
            {"op": "replace", "value": {"name.familyName": "King", "name.formatted": "Ada King"}},
        )
        bob = patch_body({"op": "replace", "path": "active", "value": False})
        removal = patch_body({"op": "remove", "path": 'members[value eq "id-00002"]'})
    else:
        ada = patch_body(
            {"op": "Replace", "path": email, "value": "ada.king@contoso.fr"},
            {"op": "Replace", "path": "name.familyName", "value": "King"},
            {"op": "Replace", "path": "name.formatted", "value": "Ada King"},
        )
        bob = patch_body(
            {"op": "Replace", "path": "active", "value": legacy_active(variants, False)}
        )
        item: dict[str, Any] = {"value": "id-00002"}
        if variants.legacy_remove_ref_null:
            item = {"$ref": None, "value": "id-00002"}
        removal = patch_body({"op": "Remove", "path": "members", "value": [item]})
    # Ada is read by id, then patched; Bob left the only group that put him in scope: he is
    # disabled and removed from the group (read by id first); nothing else is sent.
    assert app.shapes()[2:] == [
        ("GET", "/Users/id-00001", "", None),
        ("PATCH", "/Users/id-00001", "", ada),
        ("PATCH", "/Users/id-00002", "", bob),
        ("GET", "/Groups/id-00003", GROUP_READ, None),
        ("PATCH", "/Groups/id-00003", "", removal),
    ]

    # A third cycle with no change sends nothing but the start-of-cycle probes.
    app.requests.clear()
    report = await job.run_cycle()
    assert [r.path for r in app.requests] == ["/Users", "/Groups"] and report.processed == 0


@pytest.mark.parametrize("compliant", [True, False], ids=["compliant", "legacy"])
async def test_restore_hard_delete_and_unassign(
    peer: tuple[RecordingScim, str], compliant: bool
) -> None:
    app, url = peer
    variants = Variants(legacy_active_string=True)
    job = make_job(
        small_tenant(), url + ("?aadOptscim062020" if compliant else ""), variants=variants
    )
    job.tenant.users["u-bob"].soft_deleted = True  # in the recycle bin: never created
    first = await job.run_cycle()
    assert [e.action for e in first.entries if e.source_id == "u-bob"] == ["Skip"]
    job.tenant.users["u-bob"].soft_deleted = False  # restored → created now
    del job.tenant.users["u-ada"]  # hard delete
    job.tenant.groups["g-admins"].member_ids.remove("u-ada")
    job.tenant.groups["g-users"].member_ids.remove("u-ada")
    app.requests.clear()
    await job.run_cycle()
    shapes = app.shapes()[2:]
    assert [s[:2] for s in shapes[:3]] == [("GET", "/Users"), ("GET", "/Users"), ("POST", "/Users")]
    added = (
        patch_body({"op": "add", "path": "members", "value": [{"value": "id-00004"}]})
        if compliant
        else patch_body(
            {"op": "Add", "path": "members", "value": [{"$ref": None, "value": "id-00004"}]}
        )
    )
    assert shapes[3:] == [
        ("GET", "/Groups/id-00002", GROUP_READ, None),
        ("PATCH", "/Groups/id-00002", "", added),
        ("DELETE", "/Users/id-00001", "", None),  # no member removal for a deleted user
    ]

    # Unassigning the group: its members are disabled first, then the group is deleted.
    app.requests.clear()
    job.assigned = ["g-admins"]
    await job.run_cycle()
    disable = (
        patch_body({"op": "replace", "path": "active", "value": False})
        if compliant
        else patch_body({"op": "Replace", "path": "active", "value": "False"})
    )
    assert app.shapes()[2:] == [
        ("PATCH", "/Users/id-00004", "", disable),
        ("DELETE", "/Groups/id-00002", "", None),
    ]
    assert set(app.groups) == {"id-00003"}


@pytest.mark.parametrize("compliant", [True, False], ids=["compliant", "legacy"])
async def test_added_cleared_attributes_and_group_rename(
    peer: tuple[RecordingScim, str], compliant: bool
) -> None:
    app, url = peer
    job = make_job(small_tenant(), url + ("?aadOptscim062020" if compliant else ""))
    await job.run_cycle()
    app.requests.clear()
    job.tenant.users["u-bob"].mail = "bob@contoso.fr"  # newly present
    job.tenant.users["u-ada"].department = ""  # now empty: nothing is sent (no Remove, no null)
    job.tenant.groups["g-users"].display_name = "Steeple - Siège - Everyone"
    await job.run_cycle()
    email = 'emails[type eq "work"].value'
    if compliant:
        bob = patch_body({"op": "add", "path": email, "value": "bob@contoso.fr"})
        rename = patch_body(
            {"op": "replace", "value": {"displayName": "Steeple - Siège - Everyone"}}
        )
    else:
        bob = patch_body({"op": "Add", "path": email, "value": "bob@contoso.fr"})
        rename = patch_body(
            {"op": "Replace", "path": "displayName", "value": "Steeple - Siège - Everyone"}
        )
    assert app.shapes()[2:] == [
        ("GET", "/Users/id-00002", "", None),
        ("PATCH", "/Users/id-00002", "", bob),
        ("GET", "/Groups/id-00003", GROUP_READ, None),
        ("PATCH", "/Groups/id-00003", "", rename),
    ]
