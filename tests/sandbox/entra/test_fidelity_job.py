"""Fidelity, part 2: timing, escrow, quarantine, provisioning logs and the documented variants.

Same recording SCIM server as part 1; time is the job's manual clock (5 s stand for Entra's
40 minutes), so back-offs are asserted as clock readings, never as waits. Points 17-22 of the
the fidelity table of docs/sandbox.md; each test names the page it checks.
"""

from __future__ import annotations

from datetime import timedelta

from sandbox.entra.dialects import Dialect, Variants
from sandbox.entra.outcomes import DOCUMENTED_ERROR_CODES
from tests.support.entra import RecordingScim, make_job, small_tenant

QUARANTINE_PAGE = "https://learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-quarantine-status"
HOW_PAGE = "https://learn.microsoft.com/entra/identity/app-provisioning/how-provisioning-works"
LOGS_PAGE = (
    "https://learn.microsoft.com/entra/identity/monitoring-health/howto-analyze-provisioning-logs"
)
COMPAT_PAGE = "https://learn.microsoft.com/entra/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility"
SCIM_PAGE = "https://learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups"
FACTOR = 5 / 2400  # 5 s of simulated time per 40 Entra minutes


async def test_17_escrowed_objects_are_retried_less_and_less_often(
    peer: tuple[RecordingScim, str],
) -> None:
    """HOW_PAGE, "Errors and retries": failures are "retried in the next sync cycle … gradually
    scaling back the frequency of retries" (intervals undocumented; here 1, 2, 4… cycles)."""
    app, url = peer
    app.fail[("POST", "/Users")] = 500
    job = make_job(small_tenant(), url)
    attempts = []
    for cycle in range(8):
        app.requests.clear()
        await job.run_cycle()
        if any(r.method == "POST" and r.body.get("externalId") == "ada" for r in app.requests):
            attempts.append(cycle)
    assert attempts == [0, 1, 3, 7]
    assert job.memory.escrow["u-ada"].failures == 4


async def test_17b_failed_member_updates_back_off_too(peer: tuple[RecordingScim, str]) -> None:
    """HOW_PAGE, "Errors and retries", for a reference: a group whose member update keeps failing
    is retried on the same widening schedule, not every cycle."""
    app, url = peer
    app.fail[("PATCH", "/Groups")] = 500
    job = make_job(small_tenant(), url)
    job.assigned = ["g-users"]
    attempts = []
    for cycle in range(8):
        app.requests.clear()
        await job.run_cycle()
        if any((r.method, r.path) == ("PATCH", "/Groups/id-00003") for r in app.requests):
            attempts.append(cycle)
    assert attempts == [0, 1, 3, 7]
    assert job.memory.escrow["members:g-users"].reference


async def test_18_quarantine_retries_6_12_24_hours_after_the_first_failure_then_daily(
    peer: tuple[RecordingScim, str],
) -> None:
    """QUARANTINE_PAGE, "Retry duration": first retry in 6 hours, the second 12 hours and the
    third 24 hours after the first failure, then every 24 hours; disabled after 28 days."""
    _, url = peer
    job = make_job(small_tenant(), url, token="wrong")
    reports = await job.run(6)
    start = reports[0].began
    hours = [(r.began - start) / (timedelta(hours=1) * FACTOR) for r in reports]
    assert [round(h, 6) for h in hours] == [0, 6, 12, 24, 48, 72]
    quarantine = job.status.quarantine
    assert quarantine is not None and quarantine.reason == "EncounteredQuarantineException"
    assert quarantine.series_began == start
    assert quarantine.next_attempt - start == timedelta(hours=96) * FACTOR


async def test_19_escrow_thresholds_exclude_reference_failures(
    peer: tuple[RecordingScim, str],
) -> None:
    """QUARANTINE_PAGE, "Escrow thresholds": from 5,000 failures, more than 40 % or more than
    40,000 quarantine; "Reference failures won't be counted" (a group member is one); 60,000
    failures of any kind always quarantine. Thresholds scaled down here: 2, 40 %, 1 and 2."""
    app, url = peer
    app.fail[("PATCH", "/Groups")] = 500  # every member update fails: reference failures
    job = make_job(small_tenant(), url, escrow_min_failures=2)
    report = await job.run_cycle()
    assert report.failed == 2 and not report.quarantined  # 2 of 4 objects, but references
    assert all(e.reference for e in job.memory.escrow.values())
    absolute = make_job(small_tenant(), url, escrow_min_failures=2, escrow_absolute_max=1)
    assert (await absolute.run_cycle()).quarantined
    assert absolute.status.quarantine is not None
    assert absolute.status.quarantine.reason == "EncounteredTotalEscrowThreshold"

    app.fail.clear()
    app.users.clear()
    app.groups.clear()
    app.fail[("POST", "/Users")] = 500  # the two users fail themselves: non-reference
    count = make_job(
        small_tenant(), url, escrow_min_failures=2, escrow_max_proportion=1.0, escrow_max_failures=1
    )
    assert (await count.run_cycle()).quarantined
    assert count.status.quarantine is not None
    assert count.status.quarantine.reason == "EncounteredTotalEscrowThreshold"
    share = make_job(small_tenant(), url, escrow_min_failures=2)
    assert (await share.run_cycle()).quarantined  # 2 of 2 linked-or-failed users > 40 %
    assert share.status.quarantine is not None
    assert share.status.quarantine.reason == "EncounteredEscrowProportionThreshold"


async def test_20_provisioning_log_error_codes_are_microsofts(
    peer: tuple[RecordingScim, str],
) -> None:
    """LOGS_PAGE, "Error codes": InternalServerError (not "ServiceUnavailable" for a 5xx),
    NotImplemented, UnprocessableEntity, EntryConflict, TooManyRequests, InvalidAnchor…"""
    app, url = peer
    seen = {}
    for status, code in (
        (500, "InternalServerError"),
        (502, "InternalServerError"),
        (503, "InternalServerError"),
        (501, "NotImplemented"),
        (422, "UnprocessableEntity"),
        (409, "EntryConflict"),
        (429, "TooManyRequests"),
    ):
        app.fail = {("POST", "/Users"): status}
        report = await make_job(small_tenant(), url).run_cycle()
        (first, *_) = [e for e in report.entries if e.status == "failure"]
        seen[status] = first.error_code
        assert first.error_code == code and code in DOCUMENTED_ERROR_CODES
    app.fail.clear()
    job = make_job(small_tenant(), url)
    await job.run_cycle()
    app.users.clear()  # the target lost everyone: the anchors are invalid
    job.tenant.users["u-ada"].surname = "King"
    report = await job.run_cycle()
    assert [e.error_code for e in report.entries if e.status == "failure"] == ["InvalidAnchor"]


async def test_21_retry_after_is_honoured(peer: tuple[RecordingScim, str]) -> None:
    """A 429 with `Retry-After: 30`: the request is sent again once 30 s have passed (RFC 9110
    §10.2.3), not in the same breath and not given up; LOGS_PAGE: TooManyRequests "is
    automatically retried"."""
    app, url = peer
    app.transient[("POST", "/Users")] = (429, 30)
    job = make_job(small_tenant(), url)
    before = job.clock.now()
    report = await job.run_cycle()
    posts = [r for r in app.requests if (r.method, r.path) == ("POST", "/Users")]
    assert [p.body["externalId"] for p in posts] == ["ada", "ada", "bob"]
    assert job.clock.now() - before >= timedelta(seconds=30)
    assert (report.created, report.failed) == (4, 0)


async def test_22_both_documented_legacy_variants_are_sent(
    peer: tuple[RecordingScim, str],
) -> None:
    """Where the pages disagree, both forms are documented: a legacy disable is "False"
    (COMPAT_PAGE) or false (SCIM_PAGE, "Disable User"); a legacy member removal carries
    `"$ref": null` (SCIM_PAGE, "Update Group [Remove Members]") or not (COMPAT_PAGE). A job picks
    each from its seed, so both appear across seeds and a seed always repeats its choice."""
    chosen = {Variants.from_seed(seed) for seed in range(1, 40)}
    assert {v.legacy_active_string for v in chosen} == {True, False}
    assert {v.legacy_remove_ref_null for v in chosen} == {True, False}
    assert Variants.from_seed(7) == Variants.from_seed(7)
    shapes = {
        (
            str(Dialect(False, v).active_operations(False)),
            str(Dialect(False, v).member_remove_operations(["x"])),
        )
        for v in Variants.all()
    }
    assert len(shapes) == 4
    app, url = peer
    for variants in Variants.all():
        app.requests.clear()
        job = make_job(small_tenant(), url, variants=variants)
        await job.run_cycle()
        job.tenant.users["u-bob"].account_enabled = False
        job.tenant.groups["g-users"].member_ids.remove("u-bob")
        await job.run_cycle()
        patches = [r.body["Operations"] for r in app.requests if r.method == "PATCH"]
        assert Dialect(False, variants).active_operations(False) in patches
        assert (
            Dialect(False, variants).member_remove_operations([job.memory.user_ids["u-bob"]])
            in patches
        )


async def test_job_status_speaks_graph_vocabulary(peer: tuple[RecordingScim, str]) -> None:
    """QUARANTINE_PAGE / Graph synchronizationJob status: escrow counts, entry-level errors, and
    steady state once a cycle ends with nothing in escrow."""
    app, url = peer
    app.fail[("POST", "/Users")] = 500
    job = make_job(small_tenant(), url)
    await job.run_cycle()
    execution = job.status.last_execution
    assert execution is not None and execution.state == "EntryLevelErrors"
    assert execution.count_escrowed == 2 and job.status.steady_state_last_achieved_time is None
    app.fail.clear()
    await job.run_cycle()
    assert job.status.code == "Active" and job.status.last_execution is not None
    assert job.status.last_execution.count_escrowed == 0
    assert job.status.steady_state_first_achieved_time is not None
