"""Graph's synchronization API over the hosted provisioning job.

`servicePrincipals/{id}/synchronization/…`: templates, jobs (create, list, get, start, pause,
restart, validateCredentials, provisionOnDemand, schema) and `PUT …/secrets` with `BaseAddress`
and `SecretToken`. The sandbox hosts one job: the first service principal to create one owns it.

Answers are held to Microsoft's documented examples (tests/fixtures/graph): the status carries
year-1 steady-state times for a job never steady, empty-string quarantine fields once a
quarantined job is turned off, `synchronizedEntryCountByType` and `troubleshootingUrl`; a new
job is NotConfigured until its credentials are saved. provisionOnDemand checks `ruleId` against
the job's schema and keeps Microsoft's rate (5 requests per 10 s). Microsoft documents no
failure body for validateCredentials: the one here is ours (see `entra_test_failure`).
"""

from __future__ import annotations

import json
import uuid
from http import HTTPStatus
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from assistant.entra.contract import NEVER, CycleReport, SynchronizationJobStatus
from sandbox.entra.connection import ConnectionResult, test_connection
from sandbox.entra.host import HostError
from sandbox.entra.transport import ScimTransport
from sandbox.graph.common import graph_route, json_body, page
from sandbox.graph.emulator import SCIM_TEMPLATE_ID, GraphEmulator, ServicePrincipal
from sandbox.graph.errors import GraphProblem, bad_request, not_found

SYNC_READ = ("Synchronization.Read.All", "Synchronization.ReadWrite.All")
SYNC_WRITE = ("Synchronization.ReadWrite.All",)


def _sp(emulator: GraphEmulator, request: Request) -> ServicePrincipal:
    """The service principal, once replicated (a new app's synchronization answers 404 first)."""
    sp = emulator.service_principals.get(request.path_params["id"])
    if sp is None or not emulator.visible(sp):
        raise not_found(request.path_params["id"])
    return sp


def _job_sp(emulator: GraphEmulator, request: Request) -> ServicePrincipal:
    sp = _sp(emulator, request)
    if sp.job_id is None or sp.job_id != request.path_params["job"]:
        raise not_found(request.path_params["job"])
    return sp


def graph_status(status: SynchronizationJobStatus, turned_off: bool) -> dict[str, Any]:
    """The job status as Graph writes it (Microsoft's job examples): "never" as the year-1
    date (the CSDL makes steady-state times non-nullable), the documented collections present,
    and — once a quarantined job is turned off — a quarantine whose dates and reason are empty
    strings, as the documented Get-job example shows a paused job's (our reading of it)."""
    body = status.model_dump(mode="json", by_alias=True)
    for name in ("steadyStateFirstAchievedTime", "steadyStateLastAchievedTime"):
        body[name] = body.get(name) or NEVER
    body.setdefault("synchronizedEntryCountByType", [])
    body["troubleshootingUrl"] = body.get("troubleshootingUrl")
    quarantine = body.get("quarantine")
    if isinstance(quarantine, dict) and turned_off:
        quarantine.update(currentBegan="", nextAttempt="", reason="", seriesBegan="")
    elif isinstance(quarantine, dict):
        for name in ("currentBegan", "nextAttempt", "seriesBegan"):
            quarantine[name] = quarantine.get(name) or NEVER
    return body


def job_json(emulator: GraphEmulator, sp: ServicePrincipal) -> dict[str, Any]:
    host = emulator.host
    status = host.job.status
    minutes = max(1, round(host.job.scale.cycle_interval / host.job.scale.factor / 60))
    if host.running:
        state = "Active"
    elif status.code == "Paused":
        state = "Paused"
    else:
        state = "Disabled"
    turned_off = status.code == "Paused" and status.quarantine is not None
    return {
        "id": sp.job_id,
        "templateId": SCIM_TEMPLATE_ID,
        "schedule": {"expiration": None, "interval": f"PT{minutes}M", "state": state},
        "status": graph_status(status, turned_off),
        "synchronizationJobSettings": [],
    }


USER_TARGET = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


async def get_schema(request: Request, emulator: GraphEmulator) -> Response:
    """The job's schema, reduced to what provisionOnDemand needs: its rules and their ids (the
    ids are ours; Microsoft's are per template)."""
    sp = _job_sp(emulator, request)
    assert sp.job_id is not None
    return JSONResponse(
        {
            "directories": [
                {
                    "name": "Azure Active Directory",
                    "objects": [{"name": "User"}, {"name": "Group"}],
                },
                {"name": "customappsso", "objects": [{"name": "User"}, {"name": "Group"}]},
            ],
            "synchronizationRules": [
                {
                    "id": emulator.rule_id(sp.job_id),
                    "name": "USER_TO_USER",
                    "sourceDirectoryName": "Azure Active Directory",
                    "targetDirectoryName": "customappsso",
                    "objectMappings": [
                        {"sourceObjectName": "User", "targetObjectName": USER_TARGET},
                        {"sourceObjectName": "Group", "targetObjectName": "Group"},
                    ],
                }
            ],
        }
    )


async def list_templates(request: Request, emulator: GraphEmulator) -> Response:
    sp = _sp(emulator, request)
    template = {
        "id": SCIM_TEMPLATE_ID,
        "applicationId": sp.app_id,
        "default": True,
        "description": "SCIM 2.0 provisioning (non-gallery application)",
        "discoverable": True,
        "factoryTag": SCIM_TEMPLATE_ID,
        "metadata": [],
    }
    return page(request, emulator, [template], "synchronizationTemplates")


async def list_jobs(request: Request, emulator: GraphEmulator) -> Response:
    sp = _sp(emulator, request)
    items = [job_json(emulator, sp)] if sp.job_id else []
    return page(request, emulator, items, "synchronizationJobs")


async def create_job(request: Request, emulator: GraphEmulator) -> Response:
    sp = _sp(emulator, request)
    body = await json_body(request)
    if body.get("templateId") != SCIM_TEMPLATE_ID:
        raise bad_request(f"Unknown templateId; this application offers '{SCIM_TEMPLATE_ID}'.")
    if sp.job_id is not None or any(o.job_id for o in emulator.service_principals.values()):
        raise GraphProblem(
            409, "Conflict", "The sandbox tenant hosts one provisioning job and it exists already."
        )
    sp.job_id = f"{SCIM_TEMPLATE_ID}.{uuid.uuid4().hex}.{emulator.tenant_id.replace('-', '')}"
    emulator.host.job.assigned = list(dict.fromkeys(sp.assignment_ids.values()))
    return JSONResponse(job_json(emulator, sp), status_code=201)


async def get_job(request: Request, emulator: GraphEmulator) -> Response:
    return JSONResponse(job_json(emulator, _job_sp(emulator, request)))


def _credentials(items: Any) -> dict[str, str]:
    if not isinstance(items, list):
        raise bad_request("Credentials must be a list of {key, value} pairs.")
    pairs: dict[str, str] = {}
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("key"), str):
            raise bad_request("Each credential is a {key, value} pair.")
        pairs[item["key"]] = str(item.get("value") or "")
    return pairs


async def put_secrets(request: Request, emulator: GraphEmulator) -> Response:
    """Save the job's credentials. Microsoft documents no merge rule for a PUT naming only some
    keys; our reading (docs/sandbox.md): a `BaseAddress` other than the saved one without
    a `SecretToken` clears the saved token, so a token is never sent to an address it was not
    saved for (whoever holds a Graph token could otherwise point it at themselves and run
    validateCredentials)."""
    _sp(emulator, request)
    pairs = _credentials((await json_body(request)).get("value"))
    saved_url = emulator.host.job.tenant_url or ""
    url = pairs.get("BaseAddress", saved_url).strip()
    if "SecretToken" in pairs:
        token = pairs["SecretToken"].strip()
    elif url == saved_url.strip():
        token = emulator.host.job.secret()
    else:
        token = ""
    if not url.lower().startswith(("http://", "https://")):
        raise bad_request("BaseAddress must be an absolute http(s) URL.")
    emulator.host.job.configure(url, token)
    return Response(status_code=204)


async def validate_credentials(request: Request, emulator: GraphEmulator) -> Response:
    _job_sp(emulator, request)
    body = await json_body(request)
    job = emulator.host.job
    if body.get("useSavedCredentials"):
        url, token = job.tenant_url or "", job.secret()
    else:
        pairs = _credentials(body.get("credentials", []))
        url, token = pairs.get("BaseAddress", "").strip(), pairs.get("SecretToken", "").strip()
    if not url.lower().startswith(("http://", "https://")):
        raise bad_request("BaseAddress must be an absolute http(s) URL.")
    transport = ScimTransport(url, token, timeout=5.0)
    try:
        result = await test_connection(transport)
    finally:
        await transport.aclose()
    if result.success:
        return Response(status_code=204)
    code, message = entra_test_failure(result, url)
    raise GraphProblem(400, code, message)


_NETWORK_TEXT = {
    # .NET's own words, as Entra's provisioning service (a .NET service) reports them.
    "timeout": "An error occurred while sending the request. The operation has timed out.",
    "refused": "An error occurred while sending the request. Unable to connect to the remote "
    "server. No connection could be made because the target machine actively refused it.",
    "tls": "An error occurred while sending the request. The SSL connection could not be "
    "established. The remote certificate is invalid according to the validation procedure.",
    "unreachable": "An error occurred while sending the request. The remote name could not be "
    "resolved.",
}


def entra_test_failure(result: ConnectionResult, url: str) -> tuple[str, str]:
    """(code, message) as Entra's Test Connection words a failure: one sentence for all, then
    the details (the endpoint's HTTP status, or the network error) where the cause hides.

    Ours: Microsoft documents no failure body for validateCredentials (its page shows only the
    204). This follows what the admin center shows on a failed Test Connection; the assistant's
    decoder (`assistant/entra/verdict.py`) reads the cause by keyword and keeps anything else as
    "unknown" with Entra's own words, so a real tenant's other wording still reads safely."""
    if result.status is None:
        code = "SystemForCrossDomainIdentityManagementCredentialValidationUnavailable"
        details = _NETWORK_TEXT.get(result.cause, _NETWORK_TEXT["unreachable"])
    else:
        code = "SystemForCrossDomainIdentityManagementCredentialValidationFailure"
        try:
            reason = HTTPStatus(result.status).phrase.replace(" ", "")
        except ValueError:
            reason = str(result.status)
        resource = url.rstrip("/") + '/Users?filter=userName+eq+"…"'
        details = (
            "We received this unexpected response from your application: Received response "
            f"from Web resource. Resource: {resource} Operation: GET Response Status Code: "
            f"{reason} Response Content: {result.detail}"
        )
    return code, f"{result.message} Error code: {code} Details: {details}"


async def start(request: Request, emulator: GraphEmulator) -> Response:
    _job_sp(emulator, request)
    try:
        emulator.host.start()
    except HostError as exc:
        raise bad_request(str(exc.message), code="Request_BadRequest") from None
    return Response(status_code=204)


async def pause(request: Request, emulator: GraphEmulator) -> Response:
    _job_sp(emulator, request)
    await emulator.host.stop()
    return Response(status_code=204)


async def restart(request: Request, emulator: GraphEmulator) -> Response:
    _job_sp(emulator, request)
    await emulator.host.stop()
    emulator.host.job.restart()
    try:
        emulator.host.start()
    except HostError as exc:
        raise bad_request(str(exc.message), code="Request_BadRequest") from None
    return Response(status_code=204)


async def provision_on_demand(request: Request, emulator: GraphEmulator) -> Response:
    sp = _job_sp(emulator, request)
    body = await json_body(request)
    try:
        parameter = body["parameters"][0]
        subject = parameter["subjects"][0]
        object_id = str(subject["objectId"])
    except (KeyError, IndexError, TypeError):
        raise bad_request("parameters[0].subjects[0].objectId is required.") from None
    if parameter.get("ruleId") != emulator.rule_id(sp.job_id or ""):  # ours: the wording
        raise bad_request(
            "The ruleId is not a synchronization rule of this job's schema.",
            code="InvalidRuleId",
        )
    wait = emulator.on_demand_wait()
    if wait is not None:
        raise GraphProblem(
            429,
            "TooManyRequests",
            "Provision on demand allows 5 requests per 10 seconds.",
            headers={"Retry-After": str(max(1, round(wait)))},
        )
    job = emulator.host.job
    user = emulator.host.tenant.users.get(object_id)
    if user is None:
        raise not_found(object_id)
    if not job.tenant_url or not job.token_set:
        raise bad_request("Save the tenant URL and secret token first.")
    try:
        report = await job.provision_on_demand(user.user_principal_name)
    except LookupError as exc:
        raise bad_request(str(exc)) from None
    return JSONResponse(
        {
            "@odata.context": (
                "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.stringKeyStringValuePair"
            ),
            **on_demand_pair(report, object_id, user.user_principal_name),
        }
    )


_RESULT = {"success": "Success", "failure": "Failure", "skipped": "Skipped"}


def on_demand_pair(report: CycleReport, object_id: str, upn: str) -> dict[str, str]:
    """Graph's answer: `key` is the JSON of `{result, details}`, `value` the JSON of the
    provisioning record (action, statusInfo, identities), as in the v1.0 reference example."""
    entries = [e for e in report.entries if e.source_id == object_id]
    entry = entries[-1] if entries else None
    status = entry.status if entry else "skipped"
    details = (
        {"errorCode": entry.error_code, "errorMessage": entry.detail}
        if entry and entry.error_code
        else {}
    )
    record = {
        "action": entry.action if entry and entry.action != "Skip" else "Other",
        "changeId": report.cycle_id,
        "startTime": report.began.isoformat(),
        "endTime": (report.ended or report.began).isoformat(),
        "reportableIdentifier": upn,
        "statusInfo": {
            "status": _RESULT[status],
            "errorCode": entry.error_code if entry else None,
            "reason": (entry.detail or None) if entry else None,
        },
        "sourceIdentity": {"id": object_id, "type": "User"},
        "targetIdentity": {"id": entry.target_id if entry else None, "type": "User"},
        "sourceSystem": {"name": "Azure Active Directory"},
        "targetSystem": {"name": SCIM_TEMPLATE_ID},
    }
    return {
        "key": json.dumps({"result": _RESULT[status], "details": details}),
        "value": json.dumps(record),
    }


routes = [
    graph_route(
        "/servicePrincipals/{id}/synchronization/templates", list_templates, ["GET"], SYNC_READ
    ),
    graph_route("/servicePrincipals/{id}/synchronization/jobs", list_jobs, ["GET"], SYNC_READ),
    graph_route("/servicePrincipals/{id}/synchronization/jobs", create_job, ["POST"], SYNC_WRITE),
    graph_route("/servicePrincipals/{id}/synchronization/jobs/{job}", get_job, ["GET"], SYNC_READ),
    graph_route(
        "/servicePrincipals/{id}/synchronization/jobs/{job}/schema", get_schema, ["GET"], SYNC_READ
    ),
    graph_route(
        "/servicePrincipals/{id}/synchronization/secrets", put_secrets, ["PUT"], SYNC_WRITE
    ),
    graph_route(
        "/servicePrincipals/{id}/synchronization/jobs/{job}/validateCredentials",
        validate_credentials,
        ["POST"],
        SYNC_WRITE,
    ),
    graph_route(
        "/servicePrincipals/{id}/synchronization/jobs/{job}/start", start, ["POST"], SYNC_WRITE
    ),
    graph_route(
        "/servicePrincipals/{id}/synchronization/jobs/{job}/pause", pause, ["POST"], SYNC_WRITE
    ),
    graph_route(
        "/servicePrincipals/{id}/synchronization/jobs/{job}/restart", restart, ["POST"], SYNC_WRITE
    ),
    graph_route(
        "/servicePrincipals/{id}/synchronization/jobs/{job}/provisionOnDemand",
        provision_on_demand,
        ["POST"],
        SYNC_WRITE,
    ),
]
