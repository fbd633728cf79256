"""Microsoft's documented examples fed through the Graph client and the facade.

No real tenant runs here, so the documented answer IS the reference: each fixture under
`tests/fixtures/graph/` is a learn.microsoft.com example (its page and docs commit named in the
file), served to the real `GraphClient` by an `httpx.MockTransport` (tests/support/
graph_fixtures.py). The assertions are what a person would be told: a never-steady job shows its
initial-cycle progress, a quarantine its reason and next attempt, a Free tenant "Entra ID P1 or
P2" — and an answer in an unknown form a sentence, never a pydantic trace.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx
import pytest

from assistant.entra.facts import job_facts, log_line
from assistant.entra.graph_errors import (
    GraphBadRequest,
    GraphError,
    GraphLicenceRequired,
    GraphPermissionDenied,
    GraphUnexpectedAnswer,
    error_from_response,
)
from assistant.entra.graph_models import DEFAULT_ROLE_ID, SynchronizationJob, decode_on_demand
from assistant.entra.side import EntraSide, GraphNotInScope
from assistant.entra.status import entra_status, job_summary, status_text
from assistant.explain.chain import (
    EntraFacts,
    EntraJob,
    EntraPerson,
    PersonFacts,
    SteepleFacts,
    explain,
)
from tests.support.graph_fixtures import Documented, DocumentedGraph, all_names, load

SP = "/servicePrincipals/(?P<sp>[^/]+)"
JOBS = SP + "/synchronization/jobs"
USER_TO_USER_RULE = "ea807875-5618-4f0a-9125-0b46a05298ca"
"""The rule id of the provisionOnDemand page's documented request."""


def collection(*items: Any) -> tuple[int, dict[str, Any]]:
    """A documented object served as Graph serves a collection of it (`value`)."""
    return 200, {"value": list(items)}


def job_body(name: str = "synchronizationjob-get") -> dict[str, Any]:
    body = load(name).body
    assert isinstance(body, dict)
    return copy.deepcopy(body)


def sp_body(name: str = "tutorial-saml-sso-instantiate") -> dict[str, Any]:
    body = load(name).body
    assert isinstance(body, dict)
    return copy.deepcopy(body["servicePrincipal"])


@pytest.mark.parametrize("name", all_names())
def test_every_fixture_names_its_microsoft_page_and_docs_commit(name: str) -> None:
    documented = load(name)
    assert documented.page.startswith("https://learn.microsoft.com/"), name
    assert documented.source.startswith(("microsoftgraph/", "MicrosoftDocs/")), name
    assert len(documented.commit) == 40 and int(documented.commit, 16) >= 0, name
    assert (documented.status is None) != (documented.method is None), name
    assert documented.body is not None, name


async def test_a_never_steady_job_with_an_empty_quarantine_is_read_not_crashed() -> None:
    graph = DocumentedGraph().on("GET", JOBS + "/[^/]+", load("synchronizationjob-get"))
    async with graph.client() as client:
        job = await client.job("sp", "{jobId}")
    status = job.status
    assert status.steady_state_first_achieved_time is None  # "0001-01-01T00:00:00Z": never
    assert status.quarantine is not None and status.quarantine.series_count == 2
    assert status.quarantine.reason is None and status.quarantine.next_attempt is None
    facts = job_facts(job, assigned_groups=0, users_in_scope=None)
    assert facts.state == "Paused" and not facts.steady
    assert facts.quarantine_reason is None and facts.next_retry is None
    assert facts.last_error is not None
    assert facts.last_error.startswith("SalesforceInvalidCredentials: Your Salesforce.com")
    summary = job_summary(job)
    assert summary["steady_state"] is False and summary["quarantine"]["next_attempt"] is None
    json.dumps(summary)  # every value is JSON


async def test_a_new_job_is_not_configured_until_credentials_are_saved() -> None:
    graph = (
        DocumentedGraph()
        .on("GET", JOBS, collection())
        .on("GET", SP + "/synchronization/templates", load("synchronization-list-templates"))
        .on("POST", JOBS, load("synchronization-post-jobs"))
        .on("GET", "/servicePrincipals", collection(sp_body()))
    )
    side = EntraSide(graph.client())
    try:
        job = await side.ensure_job()
        assert not await side.credentials_saved()  # list answers none: no job yet
    finally:
        await side.aclose()
    assert graph.bodies("POST", JOBS) == [{"templateId": "Slack"}]  # the documented template
    facts = job_facts(job, assigned_groups=0, users_in_scope=None)
    assert facts.state == "NotConfigured" and not facts.credentials_saved and not facts.steady


async def test_the_listed_jobs_read_as_documented() -> None:
    graph = DocumentedGraph().on("GET", JOBS, load("synchronization-list-jobs"))
    async with graph.client() as client:
        (job,) = await client.jobs("sp")
    assert job.template_id == "BoxOutDelta" and job.status.code == "Paused"
    assert job.status.quarantine is None and job.status.progress == []


def never_steady_in_initial_cycle() -> dict[str, Any]:
    """Assembled from the documented job (synchronizationjob-get): the same job running its
    first cycle, with one progress observation in the CSDL's synchronizationProgress shape."""
    body = job_body()
    body["status"].update(
        code="Active",
        quarantine=None,
        progress=[
            {
                "completedUnits": 12,
                "totalUnits": 40,
                "progressObservationDateTime": "2026-03-02T09:30:00Z",
                "units": None,
            }
        ],
    )
    return body


def test_a_never_steady_job_shows_its_initial_cycle_progress() -> None:
    job = SynchronizationJob.model_validate(never_steady_in_initial_cycle())
    facts = job_facts(job, assigned_groups=2, users_in_scope=40)
    assert facts.in_initial_cycle and not facts.steady and facts.progress == (12, 40)
    summary = job_summary(job)
    text = status_text(
        {
            "signed_in_as": "admin@contoso.com",
            "app": {"id": "sp", "display_name": "Steeple"},
            "job": summary,
            "logs": None,
        },
        "fr",
    )
    assert "Cycle initial en cours : 12 objets sur 40" in text


async def test_entra_status_tells_the_quarantine_and_a_free_tenant_licence() -> None:
    quarantined = job_body()
    quarantined["status"]["code"] = "Quarantine"
    quarantined["status"]["quarantine"].update(
        reason="IngestionInterrupted",  # v1.0's CSDL lists it; older code did not know it
        nextAttempt="2026-03-03T09:30:00Z",
        currentBegan="2026-03-02T09:30:00Z",
        seriesBegan="2026-03-02T09:30:00Z",
    )
    graph = (
        DocumentedGraph()
        .on("GET", "/servicePrincipals", collection(sp_body()))
        .on("GET", JOBS, collection(quarantined))
        .on("GET", "/auditLogs/provisioning", load("error-non-premium-tenant"))
    )
    async with graph.client() as client:
        body = await entra_status(client, "AWS Contoso", "admin@contoso.com", "en")
    assert body["blocking"] == "quarantined"
    assert body["job"]["quarantine"]["reason"] == "IngestionInterrupted"
    assert body["job"]["quarantine"]["next_attempt"].startswith("2026-03-03T09:30")
    unavailable = body["logs"]["unavailable"]
    assert unavailable["error"] == "GraphLicenceRequired"
    assert "Entra ID P1 or P2" in unavailable["message"]
    assert "consent" not in unavailable["fix"] and "permission" not in unavailable["fix"].lower()
    text = status_text(body, "en")
    assert "Quarantined: IngestionInterrupted, next attempt 2026-03-03T09:30" in text
    assert "Provisioning logs: Reading the provisioning logs" in text and "P1 or P2" in text


async def test_the_documented_logs_become_lines_newest_first_in_one_request() -> None:
    success = load("provisioningobjectsummary-list").body["value"]
    failure = load("provisioningobjectsummary-list-error").body["value"]
    graph = DocumentedGraph().on("GET", "/auditLogs/provisioning", collection(*failure, *success))
    async with graph.client() as client:
        entries = await client.provisioning_logs("ContosoOutDelta.7928", top=20)
    (request,) = graph.seen
    assert request.url.params["$orderby"] == "activityDateTime desc"
    assert request.url.params["$top"] == "20"
    assert request.url.params["$filter"] == "jobId eq 'ContosoOutDelta.7928'"
    lines = [log_line(e) for e in entries]
    assert lines[0].target == "Self-service Pilot" and lines[0].status == "failure"
    assert (
        lines[0].error_code == "ContosoEntryConflict" and "HTTP status code 409" in lines[0].reason
    )
    assert lines[1].target == "60a7a801-7101-4c69-ae00-ce9f75f8460a"  # displayName "": the id
    assert lines[1].action == "create" and lines[1].error_code == ""


def test_the_documented_on_demand_answer_decodes() -> None:
    result = decode_on_demand(load("synchronizationjob-provisionondemand").body)
    assert (result.result, result.error_code, result.action) == (
        "Skipped",
        "RedundantExport",
        "Other",
    )
    assert result.error_message == (
        "The state of the user in both the source and target systems already match."
    )


def schema_with_rule_ids() -> dict[str, Any]:
    """Assembled: the documented schema, its USER_TO_USER rule given the id the documented
    provisionOnDemand request names (the CSDL declares `synchronizationRule.id`)."""
    body = load("synchronizationschema-get").body
    assert isinstance(body, dict)
    body = copy.deepcopy(body)
    body["synchronizationRules"][0]["id"] = USER_TO_USER_RULE
    return body


def on_demand_graph(schema: Any, answer: Documented | tuple[int, Any]) -> DocumentedGraph:
    user = load("user-get").body
    return (
        DocumentedGraph()
        .on("GET", "/users", collection(user))
        .on("GET", "/servicePrincipals", collection(sp_body()))
        .on("GET", JOBS, collection(job_body()))
        .on("GET", JOBS + "/[^/]+/schema", (200, schema))
        .on("POST", JOBS + "/[^/]+/provisionOnDemand", answer)
    )


async def test_on_demand_sends_the_schema_rule_id_and_the_subject_as_documented() -> None:
    graph = on_demand_graph(schema_with_rule_ids(), load("synchronizationjob-provisionondemand"))
    side = EntraSide(graph.client())
    try:
        result = await side.provision_on_demand("AdeleV@contoso.com")
        await side.provision_on_demand("AdeleV@contoso.com")
    finally:
        await side.aclose()
    assert result.result == "Skipped"
    documented = load("synchronizationjob-provisionondemand.request").body
    sent = graph.bodies("POST", JOBS + "/[^/]+/provisionOnDemand")[0]
    assert sent.keys() == documented.keys()
    assert sent["parameters"][0].keys() == documented["parameters"][0].keys()
    assert sent["parameters"][0]["ruleId"] == USER_TO_USER_RULE
    assert sent["parameters"][0]["subjects"] == [
        {"objectId": "87d349ed-44d7-43e1-9a83-5f2406dee5bd", "objectTypeName": "User"}
    ]
    schema_reads = [r for r in graph.seen if r.url.path.endswith("/schema")]
    assert len(schema_reads) == 1  # the rule id is cached per job


async def test_a_documented_schema_without_rule_ids_is_a_sentence() -> None:
    graph = on_demand_graph(load("synchronizationschema-get").body, (500, {}))
    side = EntraSide(graph.client(), lang="fr")
    try:
        with pytest.raises(GraphError) as failed:
            await side.provision_on_demand("AdeleV@contoso.com")
    finally:
        await side.aclose()
    assert "no synchronization rule" in failed.value.sentence
    assert "aucune règle de synchronisation" in failed.value.text("fr")[0]
    assert not [r for r in graph.seen if r.url.path.endswith("provisionOnDemand")]


async def test_a_person_out_of_scope_is_told_so() -> None:
    skipped = {
        "key": json.dumps(
            {"result": "Skipped", "details": {"errorCode": "NotEffectivelyEntitled"}}
        ),
        "value": "{}",
    }
    graph = on_demand_graph(schema_with_rule_ids(), (200, skipped))
    side = EntraSide(graph.client())
    try:
        with pytest.raises(GraphNotInScope) as failed:
            await side.provision_on_demand("AdeleV@contoso.com")
    finally:
        await side.aclose()
    assert (
        "not in scope" in failed.value.sentence and "may have been deleted" not in failed.value.fix
    )


@pytest.mark.parametrize(
    ("fixture", "expected_role"),
    [
        ("tutorial-saml-sso-instantiate", "8774f594-1d59-4279-b9d9-59ef09a23530"),  # User
        ("applicationtemplate-instantiate", "8b292bda-39b6-4b77-849e-887565235bb0"),  # only role
    ],
)
async def test_groups_are_assigned_with_the_app_s_own_role(
    fixture: str, expected_role: str
) -> None:
    created = load("serviceprincipal-post-approleassignedto")
    graph = (
        DocumentedGraph()
        .on("GET", "/servicePrincipals", collection(sp_body(fixture)))
        .on("GET", SP + "/appRoleAssignedTo", collection())
        .on("POST", SP + "/appRoleAssignedTo", created)
    )
    side = EntraSide(graph.client())
    try:
        outcome = await side.assign_groups(["33ad69f9-da99-4bed-acd0-3f24235cb296"])
    finally:
        await side.aclose()
    assert outcome.added == 1 and outcome.other_role == []
    (sent,) = graph.bodies("POST", SP + "/appRoleAssignedTo")
    documented = load("serviceprincipal-post-approleassignedto.request").body
    assert sent.keys() == documented.keys()
    assert sent["appRoleId"] == expected_role != DEFAULT_ROLE_ID
    assert sent["resourceId"] == sp_body(fixture)["id"]


async def test_an_assignment_with_another_role_is_reported_not_duplicated() -> None:
    listed = load("serviceprincipal-list-approleassignedto").body["value"]
    graph = (
        DocumentedGraph()
        .on("GET", "/servicePrincipals", collection(sp_body()))
        .on("GET", SP + "/appRoleAssignedTo", collection(*listed))
    )
    side = EntraSide(graph.client())
    try:
        outcome = await side.assign_groups([listed[0]["principalId"]])
    finally:
        await side.aclose()
    assert outcome.added == 0
    assert outcome.other_role == [("MOD Administrator", "Default Access")]
    assert not [r for r in graph.seen if r.method == "POST"]


def test_the_documented_user_reads_without_the_properties_it_leaves_out() -> None:
    from assistant.entra.graph_models import User

    user = User.model_validate(load("user-get").body)
    assert user.user_principal_name == "AdeleV@contoso.com" and user.account_enabled is None


@pytest.mark.parametrize(
    ("fixture", "kind"),
    [
        ("error-invalidrange", GraphBadRequest),
        ("error-unsupported-filter", GraphBadRequest),
        ("error-count-without-consistency", GraphBadRequest),
        ("error-search-without-consistency", GraphBadRequest),
        ("error-non-premium-tenant", GraphLicenceRequired),
    ],
)
def test_graph_s_error_bodies_become_typed_errors(fixture: str, kind: type[GraphError]) -> None:
    documented = load(fixture)
    assert documented.status is not None
    error = error_from_response(
        documented.status,
        documented.body,
        action="read the provisioning logs",
        permission="AuditLog.Read.All",
        licensed="provisioning_logs",
    )
    assert type(error) is kind
    assert error.code == documented.body["error"]["code"]
    assert error.graph_message == documented.body["error"]["message"]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_free_tenant_is_a_licence_not_a_permission(lang: str) -> None:
    documented = load("error-non-premium-tenant")
    for licensed in ("provisioning_logs", "group_assignment"):
        error = error_from_response(
            403, documented.body, action="x", permission="AuditLog.Read.All", licensed=licensed
        )
        assert isinstance(error, GraphLicenceRequired)
        assert not isinstance(error, GraphPermissionDenied)
        sentence, fix = error.text(lang)
        assert "Entra ID P1" in sentence and "P2" in sentence
        assert "AuditLog" not in sentence + fix and "Grant admin consent" not in fix
        assert (
            ("one by one" in fix)
            or ("une par une" in fix)
            or ("admin center" in fix)
            or ("centre d'administration" in fix)
        )


@pytest.mark.parametrize(
    "body",
    [
        {"value": "not a list"},
        {"value": [{"id": "x", "templateId": "scim", "status": {"code": 5}}]},
        {"value": [{"templateId": "no id"}]},
    ],
)
async def test_an_answer_in_an_unknown_form_is_a_sentence_not_a_trace(body: Any) -> None:
    graph = DocumentedGraph().on("GET", JOBS, (200, body))
    async with graph.client() as client:
        with pytest.raises(GraphUnexpectedAnswer) as failed:
            await client.jobs("sp")
    sentence, fix = failed.value.text("en")
    assert sentence.startswith("Entra answered in a form this version does not know: ")
    assert "Traceback" not in sentence and "pydantic" not in sentence and fix


async def test_a_body_that_is_not_json_is_a_sentence() -> None:
    graph = DocumentedGraph().on(
        "GET", JOBS + "/[^/]+", lambda request: httpx.Response(200, text="<html>proxy</html>")
    )
    async with graph.client() as client:
        with pytest.raises(GraphUnexpectedAnswer):
            await client.job("sp", "job")


def test_explain_says_the_quarantine_of_the_documented_job() -> None:
    job = SynchronizationJob.model_validate(job_body())
    job.status.code = "Quarantine"
    facts = job_facts(job, assigned_groups=1, users_in_scope=None)
    entra = EntraFacts(
        person=EntraPerson("u", "adelev@contoso.com", "Adele", "adelev@contoso.com", True),
        groups=("Steeple - Siège - Users",),
        app_found=True,
        assigned_groups=("Steeple - Siège - Users",),
        job=EntraJob(facts.state, facts.quarantine_reason, facts.next_retry, facts.last_error),
    )
    result = explain(PersonFacts("adelev@contoso.com", SteepleFacts(installed=True), entra), "en")
    broken = result.first_broken
    assert broken is not None and broken.id == "entra.job"
    assert "SalesforceInvalidCredentials" in broken.sentence + broken.fix  # the reason is empty


async def test_on_demand_keeps_microsoft_s_rate_of_5_per_10_seconds() -> None:
    """ "The rate limit for this API is 5 requests per 10 seconds": a sixth request waits until
    the first leaves the window (a clock the test winds; no real wait)."""
    from assistant.entra.graph_client import GraphClient

    now = [0.0]
    waits: list[float] = []

    async def wind(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    async def token() -> str:
        return "documented-example-token"

    graph = DocumentedGraph().on(
        "POST", JOBS + "/[^/]+/provisionOnDemand", load("synchronizationjob-provisionondemand")
    )
    http = httpx.AsyncClient(transport=httpx.MockTransport(graph))
    async with GraphClient(token, http=http, sleep=wind, clock=lambda: now[0]) as client:
        for _ in range(6):
            await client.provision_on_demand("sp", "job", USER_TO_USER_RULE, [("u", "User")])
            now[0] += 0.5
    assert waits == [7.5]  # the sixth, 2.5 s after the first: waits out the rest of 10 s
    assert len(graph.seen) == 6


def test_entra_says_shows_the_documented_job_s_progress_and_quarantine() -> None:
    """The provisioning step's *Entra says* line, fed the documented job."""
    from screens.widgets.entra_says import state_line

    running = job_facts(
        SynchronizationJob.model_validate(never_steady_in_initial_cycle()),
        assigned_groups=2,
        users_in_scope=40,
    )
    assert "initial cycle 12 of 40 processed" in state_line(running, "en")
    quarantined_body = job_body()
    quarantined_body["status"]["code"] = "Quarantine"
    quarantined_body["status"]["quarantine"].update(
        reason="IngestionInterrupted", nextAttempt="2026-03-03T09:30:00Z"
    )
    quarantined = job_facts(
        SynchronizationJob.model_validate(quarantined_body), assigned_groups=2, users_in_scope=40
    )
    line = state_line(quarantined, "fr")
    assert "IngestionInterrupted" in line and "09:30" in line
    unknown = job_body()  # the documented quarantine: no reason, no next attempt
    unknown["status"]["code"] = "Quarantine"
    said = state_line(
        job_facts(SynchronizationJob.model_validate(unknown), assigned_groups=0, users_in_scope=0),
        "en",
    )
    assert said == (  # words, never "?" for what Graph left empty
        "Quarantined by Entra, which gives no reason yet: its provisioning logs (below, or in the "
        "admin center) say what failed."
    )


async def test_a_refused_lookup_falls_through_and_what_was_tried_is_named() -> None:
    """A tenant whose Graph refuses the identifier filter (Graph's documented 400 body): the
    app is looked up by name next, its reply URLs compared here; none matching: the sentence
    names both tries."""
    refused = load("error-unsupported-filter").body
    app = sp_body()
    app["replyUrls"] = ["https://acme.steeple.example/saml/acs"]

    def answer(request: httpx.Request) -> httpx.Response:
        clause = request.url.params.get("$filter", "")
        if clause.startswith("servicePrincipalNames"):
            return httpx.Response(400, json=refused)
        return httpx.Response(200, json={"value": [app] if "AWS Contoso" in clause else []})

    identifiers = ["https://acme.steeple.example/saml/metadata", app["replyUrls"][0]]
    graph = DocumentedGraph().on("GET", "/servicePrincipals", answer)
    side = EntraSide(graph.client(), app_name="AWS Contoso", sso_identifiers=identifiers)
    try:
        found = await side.find_app()
    finally:
        await side.aclose()
    assert found is not None and found.id == app["id"] and side.found_by == "reply_url"

    nobody = DocumentedGraph().on("GET", "/servicePrincipals", answer)
    side = EntraSide(nobody.client(), app_name="Steeple", sso_identifiers=identifiers, lang="fr")
    try:
        assert await side.find_app() is None
    finally:
        await side.aclose()
    said = side.not_found_sentence()
    assert said.startswith("Aucune application d'entreprise trouvée par son identifiant SAML")
    assert "Request_UnsupportedQuery" in said and "son nom Steeple" in said
