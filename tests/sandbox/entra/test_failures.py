"""Acceptance 3 and failure behaviour: Test Connection causes, escrow, quarantine, restart."""

from __future__ import annotations

import socket
from datetime import timedelta

from sandbox.entra.connection import ENTRA_FAILURE_MESSAGE
from tests.support.entra import RecordingScim, make_job, small_tenant
from tests.support.faults import FaultyApp
from tests.support.servers import ThreadedServer

COMPLIANT = "?aadOptscim062020"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_test_connection_keeps_the_real_cause(peer: tuple[RecordingScim, str]) -> None:
    app, url = peer
    ok = await make_job(small_tenant(), url).test_connection()
    assert ok.success and ok.cause == "ok"
    wrong = await make_job(small_tenant(), url, token="not-the-token").test_connection()
    assert (wrong.success, wrong.message, wrong.cause, wrong.status) == (
        False,
        ENTRA_FAILURE_MESSAGE,
        "unauthorized",
        401,
    )
    missing = await make_job(small_tenant(), url + "/nope").test_connection()
    assert (missing.cause, missing.status) == ("not_found", 404)
    refused = await make_job(
        small_tenant(), f"http://127.0.0.1:{free_port()}/scim"
    ).test_connection()
    assert (refused.success, refused.cause, refused.status) == (False, "refused", None)
    assert "not-the-token" not in repr(wrong) and "not-the-token" not in str(wrong.to_dict())


async def test_test_connection_wants_an_empty_list_response() -> None:
    server = ThreadedServer(FaultyApp()).start()
    try:
        base = server.base_url
        empty = await make_job(small_tenant(), base + "/scimlist").test_connection()
        assert empty.success
        for mode, cause in (
            ("wrongjson", "not_scim"),
            ("html", "not_scim"),
            ("fail500", "http_error"),
        ):
            result = await make_job(small_tenant(), f"{base}/{mode}").test_connection()
            assert (result.success, result.cause) == (False, cause), mode
    finally:
        server.stop()


async def test_wrong_token_quarantines_with_backoff_and_restart_recovers(
    peer: tuple[RecordingScim, str],
) -> None:
    app, url = peer
    job = make_job(small_tenant(), url + COMPLIANT, token="wrong")
    reports = await job.run(3)
    assert all(r.quarantined for r in reports) and not app.users
    quarantine = job.status.quarantine
    assert job.status.code == "Quarantine" and quarantine is not None
    assert quarantine.reason == "EncounteredQuarantineException"
    assert quarantine.series_count == 3 and job.status.count_successive_complete_failures == 3
    # Retries 6 h and 12 h after the first failure; the next one 24 h after it (Entra time, at
    # 5 s per 40 minutes) — learn.microsoft.com/entra/identity/app-provisioning/
    # application-provisioning-quarantine-status, "Retry duration".
    factor = 5 / 2400
    assert quarantine.next_attempt - quarantine.series_began == timedelta(hours=24) * factor
    assert quarantine.current_began - quarantine.series_began == timedelta(hours=12) * factor
    assert job.status.last_execution is not None and job.status.last_execution.state == "Failed"
    assert "wrong" not in job.status.model_dump_json()

    job.configure(url + COMPLIANT, app.token)
    job.restart()
    report = await job.run_cycle()
    assert (report.created, report.failed, report.quarantined) == (4, 0, False)
    assert job.status.code == "Active" and job.status.quarantine is None
    assert job.status.last_successful_execution is not None
    assert len(app.users) == 2


async def test_quarantine_gives_up_after_28_days(peer: tuple[RecordingScim, str]) -> None:
    _, url = peer
    job = make_job(small_tenant(), url, token="wrong")
    reports = await job.run(100)
    # 6 h + 12 h + 24 h + daily…: the 29th attempt is past 28 days; the job is then disabled
    assert job.status.code == "Paused" and job.next_cycle_at is None
    assert len(reports) < 100 and job.disabled


async def test_token_refused_mid_cycle_quarantines(peer: tuple[RecordingScim, str]) -> None:
    app, url = peer
    app.fail[("POST", "/Users")] = 401
    job = make_job(small_tenant(), url)
    report = await job.run_cycle()
    assert report.quarantined and job.status.code == "Quarantine"
    assert job.status.quarantine is not None
    assert job.status.quarantine.error is not None
    assert job.status.quarantine.error.code == "Unauthorized"


async def test_failed_objects_are_escrowed_and_retried(peer: tuple[RecordingScim, str]) -> None:
    app, url = peer
    app.fail[("POST", "/Users")] = 503
    job = make_job(small_tenant(), url)
    first = await job.run_cycle()
    users = [e for e in first.entries if e.object_type == "User"]
    # a 5xx is Microsoft's InternalServerError (howto-analyze-provisioning-logs, "Error codes")
    assert [(e.status, e.error_code) for e in users] == [("failure", "InternalServerError")] * 2
    assert set(job.memory.escrow) == {"u-ada", "u-bob"}
    assert job.status.code == "Active"  # entry-level errors do not quarantine
    assert job.status.last_execution is not None
    assert job.status.last_execution.state == "EntryLevelErrors"
    del app.fail[("POST", "/Users")]
    app.requests.clear()
    second = await job.run_cycle()
    assert second.failed == 0 and not job.memory.escrow
    assert [r.method for r in app.requests].count("POST") == 2 + 0  # the two users, retried
    assert len(app.users) == 2


async def test_entra_error_codes(peer: tuple[RecordingScim, str]) -> None:
    app, url = peer
    app.users["x1"] = {"id": "x1", "userName": "ada@contoso.fr"}
    app.users["x2"] = {"id": "x2", "userName": "ada@contoso.fr"}
    app.fail[("POST", "/Users")] = 409
    app.fail[("POST", "/Groups")] = 429
    job = make_job(small_tenant(), url)
    report = await job.run_cycle()
    codes = {e.source_id: e.error_code for e in report.entries if e.status == "failure"}
    assert codes == {
        "u-ada": "DuplicateTargetEntries",
        "u-bob": "EntryConflict",
        "g-users": "TooManyRequests",
        "g-admins": "TooManyRequests",
    }


async def test_escrow_proportion_threshold_quarantines(peer: tuple[RecordingScim, str]) -> None:
    app, url = peer
    app.fail[("POST", "/")] = 500
    job = make_job(small_tenant(), url, escrow_min_failures=3)
    report = await job.run_cycle()
    assert report.failed == 4 and report.quarantined
    assert job.status.quarantine is not None
    assert job.status.quarantine.reason == "EncounteredEscrowProportionThreshold"


async def test_existing_user_is_matched_and_patched_only_where_it_differs(
    peer: tuple[RecordingScim, str],
) -> None:
    app, url = peer
    app.users["pre"] = {
        "id": "pre",
        "userName": "ada@contoso.fr",
        "active": True,
        "displayName": "Ada L.",
        "externalId": "ada",
        "emails": [{"type": "work", "value": "ada@contoso.fr", "primary": True}],
        "name": {"givenName": "Ada", "familyName": "Lovelace", "formatted": "Ada Lovelace"},
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
            "department": "IT",
            "employeeNumber": "E1",
        },
    }
    job = make_job(small_tenant(), url + COMPLIANT)
    await job.run_cycle()
    ada = [(r.method, r.path, r.body) for r in app.requests if r.path == "/Users/pre"]
    assert ada == [
        (
            "PATCH",
            "/Users/pre",
            {
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "replace", "value": {"displayName": "Ada Lovelace"}}],
            },
        )
    ]


async def test_disable_then_enable(peer: tuple[RecordingScim, str]) -> None:
    app, url = peer
    job = make_job(small_tenant(), url)
    await job.run_cycle()
    job.tenant.users["u-bob"].account_enabled = False
    disabled = await job.run_cycle()
    job.tenant.users["u-bob"].account_enabled = True
    app.requests.clear()
    enabled = await job.run_cycle()
    assert [e.action for e in disabled.entries] == ["Disable"] and disabled.disabled == 1
    assert [e.action for e in enabled.entries] == ["Enable"]
    patches = [r.body for r in app.requests if r.method == "PATCH"]
    assert patches[0]["Operations"] == [
        {"op": "Replace", "path": "active", "value": job.dialect(False)._legacy_active(True)}
    ]


async def test_provision_on_demand_one_user(peer: tuple[RecordingScim, str]) -> None:
    app, url = peer
    job = make_job(small_tenant(), url + COMPLIANT)
    report = await job.provision_on_demand("BOB@contoso.onmicrosoft.com")
    assert report.kind == "on-demand" and report.created == 1
    # probe (user, group), then userName and externalId lookups, then the create
    assert [(r.method, r.path) for r in app.requests] == [
        ("GET", "/Users"),
        ("GET", "/Groups"),
        ("GET", "/Users"),
        ("GET", "/Users"),
        ("POST", "/Users"),
    ]
    # Unassigned, then provisioned on demand: disabled, in the legacy shape although the tenant
    # URL carries the flag (provision-on-demand, "Known limitations"; scim-compatibility page).
    job.assigned = ["g-admins"]
    app.requests.clear()
    disabled = await job.provision_on_demand("bob@contoso.onmicrosoft.com")
    assert [(e.action, e.status) for e in disabled.entries] == [("Disable", "success")]
    assert app.requests[-1].body["Operations"] == [
        {"op": "Replace", "path": "active", "value": job.dialect(False)._legacy_active(False)}
    ]
    # A user who was never provisioned and is not assigned is skipped.
    job.memory.user_ids.clear()
    job.memory.unmanaged.clear()
    skipped = await job.provision_on_demand("bob@contoso.onmicrosoft.com")
    assert [e.status for e in skipped.entries] == ["skipped"]


async def test_entra_pace_runs_in_scaled_time(peer: tuple[RecordingScim, str]) -> None:
    _, url = peer
    job = make_job(small_tenant(), url, object_pace_minutes=(0.01, 0.08))
    began = job.clock.now()
    await job.run_cycle()
    spent = (job.clock.now() - began).total_seconds()
    per_object_entra_seconds = spent / (5 / 2400) / 4  # 4 objects, 5 s stands for 40 minutes
    assert 0.6 <= per_object_entra_seconds <= 4.8
