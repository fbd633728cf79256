"""Fidelity, part 1: what a SCIM endpoint receives, compared with Microsoft's documented examples.

Each test records the simulator's traffic on the tiny recording SCIM server of `peers.py` and
checks one documented point; the page it comes from is named in the test. Points 1-16 of the
the fidelity table of docs/sandbox.md. (Timing, escrow, quarantine, logs: `test_fidelity_job.py`.)
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from sandbox.entra.mappings import ENTERPRISE_USER, MANAGER
from sandbox.entra.tenant import EntraUser
from tests.support.entra import RecordingScim, make_job, small_tenant

SCIM_PAGE = "https://learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups"
COMPAT_PAGE = "https://learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility"
HOW_PAGE = "https://learn.microsoft.com/entra/identity/app-provisioning/how-provisioning-works"
POD_PAGE = "https://learn.microsoft.com/entra/identity/app-provisioning/provision-on-demand"
FLAG = "?aadOptscim062020"
GUID = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def ops(app: RecordingScim, path: str) -> list[list[dict[str, Any]]]:
    """The Operations of every PATCH sent to `path`, in order."""
    return [r.body["Operations"] for r in app.requests if (r.method, r.path) == ("PATCH", path)]


def calls(app: RecordingScim) -> list[tuple[str, str, str]]:
    return [(r.method, r.path, r.query) for r in app.requests]


async def test_01_test_connection_fetches_a_random_user_and_a_random_group(
    peer: tuple[RecordingScim, str],
) -> None:
    """SCIM_PAGE: "makes requests to fetch a random user and group … as a part of the Test
    Connection flow"; groups are queried by displayName with excludedAttributes=members."""
    app, url = peer
    assert (await make_job(small_tenant(), url).test_connection()).success
    (m1, p1, q1), (m2, p2, q2) = calls(app)
    assert (m1, p1, m2, p2) == ("GET", "/Users", "GET", "/Groups")
    assert re.fullmatch(rf"filter=userName\+eq\+%22{GUID}%22", q1)
    assert re.fullmatch(rf"excludedAttributes=members&filter=displayName\+eq\+%22{GUID}%22", q2)


async def test_02_provision_on_demand_starts_with_the_test_connection_probe(
    peer: tuple[RecordingScim, str],
) -> None:
    """POD_PAGE, "Step 1: Test connection": a request for a "test user" before anything else."""
    app, url = peer
    await make_job(small_tenant(), url).provision_on_demand("ada@contoso.fr")
    assert [(m, p) for m, p, _ in calls(app)[:2]] == [("GET", "/Users"), ("GET", "/Groups")]
    assert re.search(GUID, app.requests[0].query)  # the random user, not Ada


async def test_03_users_are_also_queried_by_external_id(peer: tuple[RecordingScim, str]) -> None:
    """SCIM_PAGE: users are "queried with their username and externalId"; the second matching
    attribute is tried when the first finds nobody, so a renamed target user is matched."""
    app, url = peer
    app.users["pre"] = {"id": "pre", "userName": "ada.old@contoso.fr", "externalId": "ada"}
    await make_job(small_tenant(), url + FLAG).provision_on_demand("ada@contoso.fr")
    queries = [q for m, p, q in calls(app)[2:] if (m, p) == ("GET", "/Users")]
    assert queries == [
        "filter=userName+eq+%22ada%40contoso.fr%22",
        "filter=externalId+eq+%22ada%22",
    ]
    assert not [r for r in app.requests if r.method == "POST"]  # matched, not created
    assert ops(app, "/Users/pre")  # and updated


async def test_04_a_known_user_is_read_by_id_before_it_is_patched(
    peer: tuple[RecordingScim, str],
) -> None:
    """SCIM_PAGE, "Get User": `GET /Users/{id}`; "users are retrieved with their id"."""
    app, url = peer
    job = make_job(small_tenant(), url + FLAG)
    await job.run_cycle()
    app.requests.clear()
    job.tenant.users["u-ada"].display_name = "Ada King"
    await job.run_cycle()
    assert calls(app)[2:] == [("GET", "/Users/id-00001", ""), ("PATCH", "/Users/id-00001", "")]


async def test_05_memberships_are_checked_with_an_and_filter(
    peer: tuple[RecordingScim, str],
) -> None:
    """SCIM_PAGE: "requests to determine whether a reference attribute has a certain value are
    requests about the members attribute"; Entra "only uses the operators eq, and"."""
    app, url = peer
    # The target already has the group, with Ada in it; Entra did not create it.
    app.users["t-ada"] = {"id": "t-ada", "userName": "ada@contoso.fr", "externalId": "ada"}
    app.groups["t-g"] = {
        "id": "t-g",
        "displayName": "Steeple - Siège - Users",
        "members": [{"value": "t-ada"}],
    }
    job = make_job(small_tenant(), url + FLAG)
    job.assigned = ["g-users"]
    await job.run_cycle()
    checks = [q for m, p, q in calls(app) if (m, p) == ("GET", "/Groups") and "members+eq" in q]
    bob = job.memory.user_ids["u-bob"]
    assert checks == [
        "excludedAttributes=members&filter=id+eq+%22t-g%22+and+members+eq+%22t-ada%22",
        f"excludedAttributes=members&filter=id+eq+%22t-g%22+and+members+eq+%22{bob}%22",
    ]
    # Only the missing member is added.
    assert ops(app, "/Groups/t-g") == [
        [{"op": "add", "path": "members", "value": [{"value": bob}]}]
    ]


async def test_06_flag_a_newly_set_attribute_is_a_lowercase_add_with_a_path(
    peer: tuple[RecordingScim, str],
) -> None:
    """COMPAT_PAGE, "Requests to add a single-value string attribute", with the flag:
    `{"op": "add", "path": "nickName", "value": "Babs"}`; without it, `Add`."""
    app, url = peer
    job = make_job(small_tenant(), url + FLAG)
    await job.run_cycle()
    job.tenant.users["u-bob"].department = "Ventes"
    await job.run_cycle()
    path = f"{ENTERPRISE_USER}:department"
    assert ops(app, "/Users/id-00002") == [[{"op": "add", "path": path, "value": "Ventes"}]]


async def test_06b_flag_multiple_replacements_fold_after_the_filtered_path(
    peer: tuple[RecordingScim, str],
) -> None:
    """COMPAT_PAGE, "Requests to replace multiple attributes", with the flag: the
    `emails[type eq "work"].value` replace with its path first, then one path-less replace."""
    app, url = peer
    job = make_job(small_tenant(), url + FLAG)
    await job.run_cycle()
    ada = job.tenant.users["u-ada"]
    ada.display_name, ada.given_name, ada.mail, ada.employee_id = "Ad", "Adah", "a@contoso.fr", "E9"
    await job.run_cycle()
    (sent,) = ops(app, "/Users/id-00001")
    assert sent[0] == {
        "op": "replace",
        "path": 'emails[type eq "work"].value',
        "value": "a@contoso.fr",
    }
    assert sent[1]["op"] == "replace" and "path" not in sent[1]
    assert sent[1]["value"] == {
        "displayName": "Ad",
        "name.givenName": "Adah",
        "name.formatted": "Adah Lovelace",
        f"{ENTERPRISE_USER}:employeeNumber": "E9",
    }


async def test_07_flag_a_disable_is_a_replace_of_active_with_a_path(
    peer: tuple[RecordingScim, str],
) -> None:
    """COMPAT_PAGE, "Requests made to disable users", with the flag:
    `{"op": "replace", "path": "active", "value": false}`."""
    app, url = peer
    job = make_job(small_tenant(), url + FLAG)
    await job.run_cycle()
    job.tenant.users["u-bob"].account_enabled = False
    await job.run_cycle()
    assert ops(app, "/Users/id-00002") == [[{"op": "replace", "path": "active", "value": False}]]


async def test_08_provision_on_demand_ignores_the_flag(peer: tuple[RecordingScim, str]) -> None:
    """COMPAT_PAGE: "this feature flag currently doesn't work with on-demand provisioning" — so
    on demand the legacy shapes go out (`Replace`, `"False"` or `false`) whatever the URL says."""
    app, url = peer
    job = make_job(small_tenant(), url + FLAG)
    await job.run_cycle()
    job.tenant.users["u-ada"].surname = "King"
    await job.provision_on_demand("ada@contoso.fr")
    assert ops(app, "/Users/id-00001") == [
        [
            {"op": "Replace", "path": "name.familyName", "value": "King"},
            {"op": "Replace", "path": "name.formatted", "value": "Ada King"},
        ]
    ]


def profiled() -> Any:
    tenant = small_tenant()
    ada = tenant.users["u-ada"]
    ada.job_title, ada.telephone_number, ada.mobile, ada.fax = (
        "CTO",
        "+33 1 02",
        "+33 6 03",
        "+33 1 04",
    )
    ada.street_address, ada.city, ada.state = "1 rue Vide", "Paris", "IDF"
    ada.postal_code, ada.country = "75001", "FR"
    tenant.users["u-bob"].manager_id = "u-ada"
    return tenant


@pytest.mark.parametrize("compliant", [True, False], ids=["compliant", "legacy"])
async def test_09_title_phone_numbers_and_work_address_are_sent(
    peer: tuple[RecordingScim, str], compliant: bool
) -> None:
    """SCIM_PAGE, user attribute table: jobTitle → title, telephoneNumber/mobile/
    facsimileTelephoneNumber → phoneNumbers[type eq "work"|"mobile"|"fax"].value, streetAddress,
    city, state, postalCode, country → addresses[type eq "work"].*; a change is a filtered path."""
    app, url = peer
    job = make_job(profiled(), url + (FLAG if compliant else ""))
    await job.run_cycle()
    ada = next(
        r.body for r in app.requests if r.method == "POST" and r.body.get("externalId") == "ada"
    )
    assert ada["title"] == "CTO"
    assert ada["phoneNumbers"] == [
        {"type": "work", "value": "+33 1 02"},
        {"type": "mobile", "value": "+33 6 03"},
        {"type": "fax", "value": "+33 1 04"},
    ]
    assert ada["addresses"] == [
        {"type": "work", "streetAddress": "1 rue Vide", "locality": "Paris", "region": "IDF",
         "postalCode": "75001", "country": "FR"}
    ]  # fmt: skip
    job.tenant.users["u-ada"].mobile = "+33 7 00"
    await job.run_cycle()
    op = "replace" if compliant else "Replace"
    mobile = 'phoneNumbers[type eq "mobile"].value'
    assert ops(app, "/Users/id-00001")[-1] == [{"op": op, "path": mobile, "value": "+33 7 00"}]


@pytest.mark.parametrize("compliant", [True, False], ids=["compliant", "legacy"])
async def test_10_manager_is_set_by_a_patch_after_the_user_is_created(
    peer: tuple[RecordingScim, str], compliant: bool
) -> None:
    """HOW_PAGE, initial cycle step 6: reference attributes are linked by "more updates" once the
    referenced object exists; the manager is the target id of the manager, as a plain value."""
    app, url = peer
    job = make_job(profiled(), url + (FLAG if compliant else ""))
    await job.run_cycle()
    bob_post = next(
        r.body for r in app.requests if r.method == "POST" and r.body.get("externalId") == "bob"
    )
    assert "manager" not in bob_post.get(ENTERPRISE_USER, {})
    sequence = [(r.method, r.path) for r in app.requests]
    patch_at = sequence.index(("PATCH", "/Users/id-00002"))
    assert patch_at > sequence.index(("POST", "/Users"), 4)  # after both users were created
    assert patch_at < sequence.index(("POST", "/Groups"))  # and before the groups
    op = "add" if compliant else "Add"
    assert ops(app, "/Users/id-00002") == [[{"op": op, "path": MANAGER, "value": "id-00001"}]]


async def test_11_a_disabled_user_is_not_created(peer: tuple[RecordingScim, str]) -> None:
    """HOW_PAGE, known limitations: "Provisioning a user that is disabled in Microsoft Entra ID
    isn't supported. They must be active … before they're provisioned." """
    app, url = peer
    tenant = small_tenant()
    tenant.users["u-bob"].account_enabled = False
    report = await make_job(tenant, url + FLAG).run_cycle()
    posted = [r.body["userName"] for r in app.requests if (r.method, r.path) == ("POST", "/Users")]
    assert posted == ["ada@contoso.fr"]
    assert [(e.action, e.status) for e in report.entries if e.source_id == "u-bob"] == [
        ("Skip", "skipped")
    ]


@pytest.mark.parametrize("compliant", [True, False], ids=["compliant", "legacy"])
async def test_12_a_cleared_attribute_is_not_removed_nor_sent_as_null(
    peer: tuple[RecordingScim, str], compliant: bool
) -> None:
    """POD_PAGE: "The provisioning service currently doesn't support provisioning null
    attributes"; clearing outbound needs an explicit setting (…/clear-attribute-values)."""
    app, url = peer
    job = make_job(small_tenant(), url + (FLAG if compliant else ""))
    await job.run_cycle()
    app.requests.clear()
    job.tenant.users["u-ada"].department = ""
    job.tenant.users["u-ada"].mail = ""
    report = await job.run_cycle()
    assert [r.method for r in app.requests] == ["GET", "GET"]  # the probes only
    assert report.processed == 0


async def test_13_an_unassigned_user_later_hard_deleted_gets_no_delete(
    peer: tuple[RecordingScim, str],
) -> None:
    """HOW_PAGE, known limitations: once unassigned "a disable request is sent. At that point,
    the service doesn't manage the user and a delete request isn't sent" afterwards."""
    app, url = peer
    job = make_job(small_tenant(), url + FLAG)
    await job.run_cycle()
    job.assigned = ["g-admins"]  # Bob was only in g-users
    await job.run_cycle()
    assert ops(app, "/Users/id-00002") == [[{"op": "replace", "path": "active", "value": False}]]
    del job.tenant.users["u-bob"]
    job.tenant.groups["g-users"].member_ids.remove("u-bob")
    app.requests.clear()
    await job.run_cycle()
    assert [r for r in app.requests if r.method == "DELETE"] == []


async def test_14_provision_on_demand_disables_an_unassigned_user(
    peer: tuple[RecordingScim, str],
) -> None:
    """POD_PAGE, known limitations: "On-demand provisioning supports disabling users that have
    been unassigned from the application." """
    app, url = peer
    job = make_job(small_tenant(), url)
    await job.run_cycle()
    job.assigned = ["g-admins"]
    report = await job.provision_on_demand("bob@contoso.onmicrosoft.com")
    assert [(e.action, e.status) for e in report.entries] == [("Disable", "success")]
    (sent,) = ops(app, "/Users/id-00002")
    assert sent[0]["op"] == "Replace" and sent[0]["path"] == "active"
    assert sent[0]["value"] in ("False", False)  # either documented legacy form


async def test_15_provision_on_demand_of_a_group_with_up_to_five_members(
    peer: tuple[RecordingScim, str],
) -> None:
    """POD_PAGE: "search for a group and pick up to five users"; "a single group with up to 5
    members at a time"."""
    app, url = peer
    tenant = small_tenant()
    for n in range(5):
        user = EntraUser(f"u-{n}", f"p{n}@contoso.fr", f"p{n}", f"P {n}")
        tenant.users[user.object_id] = user
        tenant.groups["g-users"].member_ids.append(user.object_id)
    job = make_job(tenant, url + FLAG)
    picked = ["ada@contoso.fr", "p0@contoso.fr", "p1@contoso.fr"]
    report = await job.provision_group_on_demand("Steeple - Siège - Users", picked)
    assert sorted(
        r.body["userName"] for r in app.requests if (r.method, r.path) == ("POST", "/Users")
    ) == sorted(picked)
    (group_post,) = [r for r in app.requests if (r.method, r.path) == ("POST", "/Groups")]
    assert group_post.body["displayName"] == "Steeple - Siège - Users"
    (added,) = ops(app, "/Groups/id-00004")
    assert added[0]["op"] == "Add" and len(added[0]["value"]) == 3  # legacy shape, 3 members
    assert report.failed == 0
    with pytest.raises(ValueError):
        await job.provision_group_on_demand(
            "Steeple - Siège - Users", [f"p{n}@contoso.fr" for n in range(5)] + ["ada@contoso.fr"]
        )


async def test_16_restart_keeps_the_links_a_renamed_group_is_patched(
    peer: tuple[RecordingScim, str],
) -> None:
    """HOW_PAGE: Restart provisioning "clears any stored watermark … Also, the action doesn't
    break the links between source and target objects"."""
    app, url = peer
    job = make_job(small_tenant(), url + FLAG)
    await job.run_cycle()
    job.tenant.groups["g-users"].display_name = "Steeple - Siège - Tous"
    job.restart()
    app.requests.clear()
    report = await job.run_cycle()
    assert [r for r in app.requests if r.method == "POST"] == []
    assert ops(app, "/Groups/id-00003") == [
        [{"op": "replace", "value": {"displayName": "Steeple - Siège - Tous"}}]
    ]
    assert report.kind == "initial" and report.failed == 0
    assert ("GET", "/Users/id-00001", "") in calls(app)  # re-evaluated by id, not re-matched
