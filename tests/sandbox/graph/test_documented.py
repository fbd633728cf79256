"""The Graph emulator held to Microsoft's documentation, not to our client.

Each answer is compared with the documented example of its page (tests/fixtures/graph): the
emulator's job carries every property Microsoft's job example carries, "never" as the year-1
date, a turned-off quarantine's empty strings; an app declares `User` and `msiam_access` and
refuses role ids it does not declare; `replyUrls` is not filterable; provisionOnDemand wants the
schema's rule id and keeps Microsoft's rate; a new app replicates; a Free tenant refuses what
needs Entra ID P1/P2. Everything over real HTTPS, with raw requests where the client would hide
the wire.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from assistant.entra.contract import NEVER, SynchronizationQuarantine
from assistant.entra.graph_client import GraphClient
from assistant.entra.graph_errors import GraphLicenceRequired
from assistant.entra.signin import EntraSignIn
from sandbox.graph.emulator import DEFAULT_ROLE_ID
from sandbox.graph.mount import GraphEndpoints
from sandbox.server import SandboxServer
from tests.support.graph_fixtures import load
from tests.support.sandboxes import admin_client, install


@pytest.fixture
async def raw(signed_in: EntraSignIn, graph: GraphEndpoints) -> AsyncIterator[httpx.AsyncClient]:
    """Plain HTTPS to the emulator with the session's bearer token: the wire, unread."""
    token = await signed_in.atoken()
    async with httpx.AsyncClient(
        base_url=graph.graph_url,
        verify=signed_in.settings.ssl_context(),
        headers={"Authorization": f"Bearer {token}"},
    ) as client:
        yield client


def keys_of(documented: Any, served: Any, path: str = "") -> list[str]:
    """Properties of the documented object missing from the served one (recursively)."""
    missing: list[str] = []
    if isinstance(documented, dict) and isinstance(served, dict):
        for key, value in documented.items():
            if key not in served:
                missing.append(f"{path}{key}")
            else:
                missing += keys_of(value, served[key], f"{path}{key}.")
    return missing


async def sso_app(raw: httpx.AsyncClient) -> dict[str, Any]:
    (app,) = (
        await raw.get("/servicePrincipals", params={"$filter": "displayName eq 'Steeple'"})
    ).json()["value"]
    return app


async def new_job(raw: httpx.AsyncClient) -> tuple[str, dict[str, Any]]:
    app = await sso_app(raw)
    created = await raw.post(
        f"/servicePrincipals/{app['id']}/synchronization/jobs", json={"templateId": "scim"}
    )
    assert created.status_code == 201, created.text
    return app["id"], created.json()


async def test_a_new_job_answers_as_microsoft_s_create_example(raw: httpx.AsyncClient) -> None:
    _, job = await new_job(raw)
    documented = load("synchronization-post-jobs").body
    assert keys_of(documented, job) == []
    status = job["status"]
    assert status["code"] == "NotConfigured"  # no authorization provided yet
    assert status["steadyStateFirstAchievedTime"] == NEVER == status["steadyStateLastAchievedTime"]
    assert status["lastExecution"] is None and status["quarantine"] is None
    assert status["synchronizedEntryCountByType"] == [] and status["troubleshootingUrl"] is None


async def test_saving_credentials_takes_the_job_past_not_configured(
    raw: httpx.AsyncClient, graph_sandbox: SandboxServer, admin_key: str
) -> None:
    with admin_client(graph_sandbox, admin_key) as admin:
        tenant_url, secret = install(admin)
    sp_id, job = await new_job(raw)
    saved = await raw.put(
        f"/servicePrincipals/{sp_id}/synchronization/secrets",
        json={
            "value": [
                {"key": "BaseAddress", "value": tenant_url},
                {"key": "SecretToken", "value": secret},
            ]
        },
    )
    assert saved.status_code == 204
    listed = (await raw.get(f"/servicePrincipals/{sp_id}/synchronization/jobs")).json()
    assert keys_of(load("synchronization-list-jobs").body, listed) == []
    assert listed["value"][0]["status"]["code"] == "NotRun"


async def test_a_turned_off_quarantine_reads_as_the_documented_get_job(
    raw: httpx.AsyncClient, graph: GraphEndpoints
) -> None:
    """Quarantined 28 days, Entra turns the job off: the documented Get-job example (code
    Paused, quarantine with empty dates and reason, seriesCount and error kept)."""
    sp_id, job = await new_job(raw)
    status = graph.emulator.host.job.status
    status.code = "Paused"
    status.quarantine = SynchronizationQuarantine.model_validate(
        load("synchronizationjob-get").body["status"]["quarantine"]
    )
    status.quarantine.reason = "EncounteredQuarantineException"
    served = (await raw.get(f"/servicePrincipals/{sp_id}/synchronization/jobs/{job['id']}")).json()
    documented = load("synchronizationjob-get").body
    assert keys_of(documented["status"], served["status"]) == []
    quarantine = served["status"]["quarantine"]
    assert {k: quarantine[k] for k in ("currentBegan", "nextAttempt", "reason", "seriesBegan")} == {
        "currentBegan": "",
        "nextAttempt": "",
        "reason": "",
        "seriesBegan": "",
    }
    assert (
        quarantine["seriesCount"] == 2
        and quarantine["error"]["code"] == "SalesforceInvalidCredentials"
    )


async def test_an_ingestion_interrupted_quarantine_is_served_and_read(
    graph: GraphEndpoints, signed_in: EntraSignIn, raw: httpx.AsyncClient
) -> None:
    sp_id, job = await new_job(raw)
    graph.emulator.host.job.status.code = "Quarantine"
    graph.emulator.host.job.status.quarantine = SynchronizationQuarantine(
        reason="IngestionInterrupted", series_count=1
    )
    client = GraphClient(
        signed_in.atoken, base_url=graph.graph_url, verify=signed_in.settings.ssl_context()
    )
    async with client:
        read = await client.job(sp_id, job["id"])
    assert read.status.quarantine is not None
    assert read.status.quarantine.reason == "IngestionInterrupted"
    assert read.status.quarantine.next_attempt is None  # year 1: never


async def test_the_app_declares_user_and_msiam_access_and_refuses_other_roles(
    raw: httpx.AsyncClient, graph: GraphEndpoints
) -> None:
    app = await sso_app(raw)
    documented = load("tutorial-saml-sso-instantiate").body["servicePrincipal"]["appRoles"]
    served = app["appRoles"]
    assert [r["displayName"] for r in served] == [r["displayName"] for r in documented]
    assert all(keys_of(d, s) == [] for d, s in zip(documented, served, strict=True))
    group = next(iter(graph.emulator.host.tenant.groups))
    url = f"/servicePrincipals/{app['id']}/appRoleAssignedTo"

    async def assign(role: str) -> httpx.Response:
        return await raw.post(
            url, json={"principalId": group, "resourceId": app["id"], "appRoleId": role}
        )

    for refused in (DEFAULT_ROLE_ID, str(uuid.uuid4())):  # the app declares roles: not these
        answer = await assign(refused)
        assert answer.status_code == 400 and answer.json()["error"]["code"] == "Request_BadRequest"
    user_role = next(r["id"] for r in served if r["displayName"] == "User")
    created = await assign(user_role)
    assert created.status_code == 201
    assert keys_of(load("serviceprincipal-post-approleassignedto").body, created.json()) == [
        "@odata.context"
    ]
    assert (await assign(user_role)).status_code == 400  # the same again: already exists
    listed = (await raw.get(url)).json()
    assert (
        keys_of(
            load("serviceprincipal-list-approleassignedto").body["value"][0], listed["value"][0]
        )
        == []
    )


async def test_reply_urls_are_not_filterable_service_principal_names_are(
    raw: httpx.AsyncClient, graph_sandbox: SandboxServer
) -> None:
    app = await sso_app(raw)
    refused = await raw.get(
        "/servicePrincipals",
        params={"$filter": f"replyUrls/any(x:x eq '{app['replyUrls'][0]}')"},
    )
    assert refused.status_code == 400
    documented = load("error-unsupported-filter").body
    assert keys_of(documented, refused.json()) == []
    assert refused.json()["error"]["code"] == "Request_UnsupportedQuery"
    assert "'replyUrls' of resource 'ServicePrincipal'" in refused.json()["error"]["message"]
    entity_id = f"{graph_sandbox.base_url}/saml/metadata"
    found = await raw.get(
        "/servicePrincipals", params={"$filter": f"servicePrincipalNames/any(x:x eq '{entity_id}')"}
    )
    assert [sp["id"] for sp in found.json()["value"]] == [app["id"]]


async def test_on_demand_wants_the_schema_rule_and_keeps_microsoft_s_rate(
    raw: httpx.AsyncClient, graph: GraphEndpoints, graph_sandbox: SandboxServer, admin_key: str
) -> None:
    with admin_client(graph_sandbox, admin_key) as admin:
        tenant_url, secret = install(admin)
    sp_id, job = await new_job(raw)
    graph.emulator.host.job.configure(tenant_url, secret)
    base = f"/servicePrincipals/{sp_id}/synchronization/jobs/{job['id']}"
    schema = (await raw.get(f"{base}/schema")).json()
    rule = schema["synchronizationRules"][0]["id"]
    user = next(u for u in graph.emulator.host.tenant.users.values() if u.account_enabled)
    documented = load("synchronizationjob-provisionondemand.request").body

    def body(rule_id: str) -> dict[str, Any]:
        parameters = [
            {
                "subjects": [{"objectId": user.object_id, "objectTypeName": "User"}],
                "ruleId": rule_id,
            }
        ]
        assert parameters[0].keys() == documented["parameters"][0].keys()
        return {"parameters": parameters}

    for wrong in ("", "not-a-rule"):
        refused = await raw.post(f"{base}/provisionOnDemand", json=body(wrong))
        assert refused.status_code == 400, refused.text
    now = [1000.0]
    graph.emulator.clock = lambda: now[0]
    answers = [await raw.post(f"{base}/provisionOnDemand", json=body(rule)) for _ in range(6)]
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    assert int(answers[-1].headers["Retry-After"]) >= 1
    documented_answer = load("synchronizationjob-provisionondemand").body
    assert answers[0].json().keys() == documented_answer.keys()
    now[0] += 10.0  # ten seconds on: the window has passed
    assert (await raw.post(f"{base}/provisionOnDemand", json=body(rule))).status_code == 200


async def test_a_new_app_is_not_visible_until_it_has_replicated(
    raw: httpx.AsyncClient, graph: GraphEndpoints
) -> None:
    now = [500.0]
    graph.emulator.clock = lambda: now[0]
    graph.emulator.replication_delay = 20.0
    created = await raw.post(
        "/applicationTemplates/8adf8e6e-67b2-4cf2-a259-e3dc5476c621/instantiate",
        json={"displayName": "Steeple SCIM"},
    )
    assert created.status_code == 201
    sp = created.json()["servicePrincipal"]
    assert [r["displayName"] for r in sp["appRoles"]] == ["User", "msiam_access"]
    for url in (
        f"/servicePrincipals/{sp['id']}",
        f"/servicePrincipals/{sp['id']}/synchronization/templates",
    ):
        answer = await raw.get(url)
        assert (
            answer.status_code == 404
            and answer.json()["error"]["code"] == "Request_ResourceNotFound"
        )
    listed = await raw.get(
        "/servicePrincipals", params={"$filter": "displayName eq 'Steeple SCIM'"}
    )
    assert listed.json()["value"] == []
    now[0] += 20.0
    assert (await raw.get(f"/servicePrincipals/{sp['id']}")).status_code == 200


async def test_a_free_tenant_refuses_groups_and_logs_as_graph_does(
    start_sandbox: Callable[..., SandboxServer],
) -> None:
    from tests.support.app import signed_in_side

    server = start_sandbox(with_entra=True, with_graph=True, entra_licence="free")
    assert server.graph is not None
    tenant = server.graph.emulator.host.tenant
    side = signed_in_side(server)
    try:
        with pytest.raises(GraphLicenceRequired) as groups:
            await side.assign_groups([next(iter(tenant.groups))])
        with pytest.raises(GraphLicenceRequired) as logs:
            await side.graph.provisioning_logs(None, top=1)
        person = next(iter(tenant.users))  # one by one still works on Free
        assert (await side.assign_groups([person])).added == 1
    finally:
        await side.aclose()
    assert "Assigning groups" in groups.value.sentence and "one by one" in groups.value.fix
    assert "provisioning logs" in logs.value.sentence and "admin center" in logs.value.fix
    assert logs.value.code == "Authentication_RequestFromNonPremiumTenantOrB2CTenant"
    assert logs.value.graph_message == load("error-non-premium-tenant").body["error"]["message"]


async def test_the_logs_honour_top_orderby_and_page_by_default(
    raw: httpx.AsyncClient, graph: GraphEndpoints
) -> None:
    emulator = graph.emulator
    emulator.page_size = 4
    emulator.log_items.extend(
        {"id": f"e{i}", "activityDateTime": f"2026-03-02T09:{i:02d}:00Z", "jobId": "job"}
        for i in range(10)
    )
    newest = (
        await raw.get(
            "/auditLogs/provisioning", params={"$top": "3", "$orderby": "activityDateTime desc"}
        )
    ).json()
    assert [e["id"] for e in newest["value"]] == ["e9", "e8", "e7"]
    oldest = (
        await raw.get("/auditLogs/provisioning", params={"$orderby": "activityDateTime asc"})
    ).json()
    assert [e["id"] for e in oldest["value"]] == ["e0", "e1", "e2", "e3"]  # a page by default
    assert "@odata.nextLink" in oldest
    following = (await raw.get(oldest["@odata.nextLink"])).json()
    assert [e["id"] for e in following["value"]] == ["e4", "e5", "e6", "e7"]
    documented = load("provisioningobjectsummary-list").body
    assert keys_of({"@odata.context": 1, "value": 1}, newest) == [] and documented[
        "@odata.context"
    ].endswith("auditLogs/provisioning")


async def test_search_and_count_need_consistency_level_as_documented(
    raw: httpx.AsyncClient, graph: GraphEndpoints
) -> None:
    searched = await raw.get("/groups", params={"$search": '"displayName:Siège"'})
    assert searched.status_code == 400
    assert searched.json()["error"] == {
        **searched.json()["error"],
        **{
            k: v
            for k, v in load("error-search-without-consistency").body["error"].items()
            if k in ("code", "message")
        },
    }
    group = next(iter(graph.emulator.host.tenant.groups))
    counted = await raw.get(f"/groups/{group}/members/microsoft.graph.user/$count")
    assert counted.status_code == 400
    documented = load("error-count-without-consistency").body["error"]
    assert (counted.json()["error"]["code"], counted.json()["error"]["message"]) == (
        documented["code"],
        documented["message"],
    )
    eventual = {"ConsistencyLevel": "eventual"}
    found = await raw.get(
        "/groups",
        params={
            "$search": '"displayName:Siège"',
            "$count": "true",
            "$top": "1",
            "$orderby": "displayName",
        },
        headers=eventual,
    )
    body = found.json()
    assert body["@odata.count"] == 2 and len(body["value"]) == 1 and "@odata.nextLink" in body
    assert body["value"][0]["displayName"] == "Steeple - Siège - Admins"
