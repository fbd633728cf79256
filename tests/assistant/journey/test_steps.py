"""`compute_journey` on hand-made facts: every state, the stale-token case, French texts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from assistant.entra.facts import JobFacts
from assistant.journey.steps import InstanceFacts, StepId, StepStatus, compute_journey
from assistant.steeple.contract import (
    IntegrationState,
    ProvisioningStatus,
    RequestLogEntry,
    SsoConfig,
    TokenInfo,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SSO_OK = SsoConfig(configured=True, provider="azure_ad", protocol="saml", identifier_claim="email")
INSTALLED = IntegrationState(installed=True, installed_at=T0, live_tokens=1)
TOKEN = TokenInfo(id="tok1", hint="abcd", created_at=T0 + timedelta(minutes=1))


def status(**changes: object) -> ProvisioningStatus:
    base: dict[str, object] = dict(
        sync_active=False,
        users_received=0,
        users_active=0,
        groups_received=0,
        requests_total=0,
        errors_total=0,
    )
    base.update(changes)
    return ProvisioningStatus.model_validate(base)


def facts(**changes: object) -> InstanceFacts:
    base: dict[str, object] = dict(
        sso=SSO_OK, integration=INSTALLED, tokens=(TOKEN,), provisioning=status()
    )
    base.update(changes)
    return InstanceFacts(**base)  # type: ignore[arg-type]


def log_entry(at: datetime, code: int) -> RequestLogEntry:
    return RequestLogEntry(
        seq=1, time=at, method="GET", path="/Users", status=code, latency_ms=1, kind="user_query"
    )


def test_no_sso_blocks_step_one() -> None:
    journey = compute_journey(
        InstanceFacts(
            sso=SsoConfig(configured=False), integration=IntegrationState(installed=False)
        )
    )
    assert journey.current is StepId.SSO
    first = journey.step(StepId.SSO)
    assert first.status is StepStatus.BLOCKED and first.number == 1
    assert first.blockers and "not configured" in first.blockers[0]
    assert journey.blocked and not journey.complete
    assert all(s.status is StepStatus.TODO for s in journey.steps[1:])


def test_sso_only_means_install_is_current() -> None:
    journey = compute_journey(
        InstanceFacts(sso=SSO_OK, integration=IntegrationState(installed=False))
    )
    assert journey.current is StepId.INSTALL
    assert journey.step(StepId.SSO).status is StepStatus.DONE
    assert journey.step(StepId.INSTALL).status is StepStatus.CURRENT
    assert not journey.blocked


def test_installed_without_token_means_credentials() -> None:
    journey = compute_journey(facts(tokens=(), integration=IntegrationState(installed=True)))
    assert journey.current is StepId.CREDENTIALS


def test_token_without_test_connection_means_entra() -> None:
    journey = compute_journey(facts())
    assert journey.current is StepId.ENTRA
    assert journey.step(StepId.ENTRA).blockers == ()


def test_successful_test_after_token_completes_entra() -> None:
    tested = status(
        last_test_connection_at=T0 + timedelta(minutes=5), last_test_connection_status=200
    )
    journey = compute_journey(facts(provisioning=tested))
    assert journey.step(StepId.ENTRA).status is StepStatus.DONE
    assert journey.current is StepId.ASSIGN


def test_test_before_newest_token_does_not_count() -> None:
    tested = status(last_test_connection_at=T0, last_test_connection_status=200)
    assert compute_journey(facts(provisioning=tested)).current is StepId.ENTRA


def test_401_after_newest_token_says_pasted_token_is_stale() -> None:
    at = T0 + timedelta(minutes=3)
    refused = status(
        last_test_connection_at=at,
        last_test_connection_status=401,
        last_error=log_entry(at, 401),
        errors_total=1,
    )
    journey = compute_journey(facts(provisioning=refused))
    entra = journey.step(StepId.ENTRA)
    assert entra.status is StepStatus.BLOCKED
    assert "not the current one" in entra.blockers[0]


def test_401_superseded_by_later_success_is_history() -> None:
    prov = status(
        last_test_connection_at=T0 + timedelta(minutes=9),
        last_test_connection_status=200,
        last_error=log_entry(T0 + timedelta(minutes=3), 401),
    )
    assert compute_journey(facts(provisioning=prov)).step(StepId.ENTRA).status is StepStatus.DONE


def test_other_failed_test_is_explained() -> None:
    prov = status(
        last_test_connection_at=T0 + timedelta(minutes=3), last_test_connection_status=404
    )
    entra = compute_journey(facts(provisioning=prov)).step(StepId.ENTRA)
    assert entra.status is StepStatus.BLOCKED and "404" in entra.blockers[0]


def test_groups_received_then_users_then_mapping_then_active() -> None:
    tested = dict(
        last_test_connection_at=T0 + timedelta(minutes=5), last_test_connection_status=200
    )
    with_groups = status(groups_received=2, **tested)
    assert compute_journey(facts(provisioning=with_groups)).current is StepId.PROVISION
    with_users = status(groups_received=2, users_received=5, users_active=5, **tested)
    assert compute_journey(facts(provisioning=with_users)).current is StepId.ROLES
    mapped = facts(provisioning=with_users, groups_total=2, mapped_groups=1)
    assert compute_journey(mapped).current is StepId.ACTIVATE
    active = facts(
        provisioning=with_users,
        groups_total=2,
        mapped_groups=1,
        integration=IntegrationState(installed=True, sync_active=True, live_tokens=1),
    )
    journey = compute_journey(active)
    assert journey.complete and journey.current is None
    assert all(s.status is StepStatus.DONE for s in journey.steps)


def job(state: str = "Active", assigned_groups: int = 1, **fields: object) -> JobFacts:
    """Entra's view of the job as `EntraSide.facts()` returns it."""
    values: dict[str, object] = {
        "steady": False,
        "in_initial_cycle": False,
        "progress": None,
        "users_in_scope": None,
        "last_run": None,
        **fields,
    }
    return JobFacts(state=state, assigned_groups=assigned_groups, **values)  # type: ignore[arg-type]


def test_entra_assignments_complete_assign_step() -> None:
    tested = status(
        last_test_connection_at=T0 + timedelta(minutes=5), last_test_connection_status=200
    )
    journey = compute_journey(facts(provisioning=tested, entra=job("NotRun", assigned_groups=3)))
    assert journey.step(StepId.ASSIGN).status is StepStatus.DONE
    assert journey.current is StepId.PROVISION


def test_quarantine_blocks_provisioning() -> None:
    tested = status(
        last_test_connection_at=T0 + timedelta(minutes=5), last_test_connection_status=200
    )
    entra = job("Quarantine", quarantine_reason="EncounteredQuarantineException")
    step = compute_journey(facts(provisioning=tested, entra=entra)).step(StepId.PROVISION)
    assert step.status is StepStatus.BLOCKED
    assert "EncounteredQuarantineException" in step.blockers[0]


def test_a_running_job_does_not_block_provisioning() -> None:
    tested = status(
        last_test_connection_at=T0 + timedelta(minutes=5), last_test_connection_status=200
    )
    step = compute_journey(facts(provisioning=tested, entra=job("Active"))).step(StepId.PROVISION)
    assert step.status is StepStatus.CURRENT and not step.blockers


def test_revoked_token_after_activation_is_truthful() -> None:
    prov = status(groups_received=1, users_received=1, users_active=1)
    integration = IntegrationState(installed=True, sync_active=True, live_tokens=0)
    journey = compute_journey(
        facts(tokens=(), integration=integration, provisioning=prov, mapped_groups=1)
    )
    assert journey.current is StepId.CREDENTIALS
    assert journey.step(StepId.ACTIVATE).status is StepStatus.DONE


def test_removed_integration_explains_kept_data() -> None:
    removed = IntegrationState(
        installed=False, removed_at=T0, staged_data_kept_until=T0 + timedelta(days=30)
    )
    journey = compute_journey(InstanceFacts(sso=SSO_OK, integration=removed))
    assert journey.current is StepId.INSTALL
    assert "2026-04-01" in journey.step(StepId.INSTALL).guidance


def test_french_texts() -> None:
    journey = compute_journey(facts(), lang="fr")
    assert journey.step(StepId.ENTRA).title == "Configurer Entra"
    assert "Tester la connexion" in journey.step(StepId.ENTRA).guidance
    assert [s.number for s in journey.steps] == list(range(1, 9))
    assert [s.id.value for s in journey.steps] == [
        "sso",
        "install",
        "credentials",
        "entra",
        "assign",
        "provision",
        "roles",
        "activate",
    ]


def test_on_a_real_instance_assign_is_done_by_the_admins_word_then_checked_by_data() -> None:
    """Issue 11, point 1: Steeple cannot see Entra's assignment before a cycle brings groups.
    Issue 19, point 10: a cycle that brings no group is said on the provisioning step, and the
    sidebar never goes back a step by itself — the admin's word is never taken back."""
    tested = dict(
        last_test_connection_at=T0 + timedelta(minutes=5), last_test_connection_status=200
    )
    waiting = facts(provisioning=status(**tested))
    assert compute_journey(waiting).current is StepId.ASSIGN
    confirmed = facts(provisioning=status(**tested), assign_confirmed=True)
    assert compute_journey(confirmed).current is StepId.PROVISION

    # The first cycle is under way: users first, groups later in the same cycle. Not said yet.
    one_cycle = status(**tested, users_received=4, users_active=4, cycle_starts=[T0])
    journey = compute_journey(facts(provisioning=one_cycle, assign_confirmed=True))
    assert journey.step(StepId.ASSIGN).status is StepStatus.DONE
    provision = journey.step(StepId.PROVISION)
    assert journey.current is StepId.PROVISION and provision.status is StepStatus.CURRENT

    # The cycle is over (a later one started) and no group ever came: said on step 6, whose
    # screen shows its blockers; step 5 stays done.
    later = [T0, T0 + timedelta(minutes=40)]
    no_group = status(**tested, users_received=4, users_active=4, cycle_starts=later)
    journey = compute_journey(facts(provisioning=no_group, assign_confirmed=True), "fr")
    assert journey.step(StepId.ASSIGN).status is StepStatus.DONE
    provision = journey.step(StepId.PROVISION)
    assert journey.current is StepId.PROVISION and provision.status is StepStatus.BLOCKED
    assert "sans envoyer de groupe" in provision.blockers[0]
    # Without the admin's word, step 5 is current and says it itself.
    unconfirmed = compute_journey(facts(provisioning=no_group)).step(StepId.ASSIGN)
    assert unconfirmed.status is StepStatus.BLOCKED
    assert unconfirmed.blockers[0].startswith("Entra ran a cycle and sent no group")
    grouped = status(**tested, users_received=4, groups_received=1, cycle_starts=later)
    assert compute_journey(facts(provisioning=grouped)).current is StepId.ROLES


def test_a_single_cycle_is_over_once_the_traffic_has_been_quiet() -> None:
    """One cycle, people only, then five minutes without a request: it has ended."""
    tested = dict(
        last_test_connection_at=T0 + timedelta(minutes=5), last_test_connection_status=200
    )
    people = status(
        **tested,
        users_received=2,
        users_active=2,
        cycle_starts=[T0 + timedelta(minutes=10)],
        last_request_at=T0 + timedelta(minutes=11),
    )
    running = facts(
        provisioning=people, assign_confirmed=True, observed_at=T0 + timedelta(minutes=12)
    )
    assert not compute_journey(running).step(StepId.PROVISION).blockers
    quiet = facts(
        provisioning=people, assign_confirmed=True, observed_at=T0 + timedelta(minutes=17)
    )
    step = compute_journey(quiet).step(StepId.PROVISION)
    assert step.status is StepStatus.BLOCKED and "sent no group" in step.blockers[0]


def test_through_graph_an_on_demand_run_is_not_a_cycle() -> None:
    """Issue 19, point 10: "Provision one person now" brings a person (and the traffic counts a
    burst), but Entra's job has run no cycle: step 6 is not done, and no group is not said."""
    tested = dict(
        last_test_connection_at=T0 + timedelta(minutes=5), last_test_connection_status=200
    )
    on_demand = status(
        **tested, users_received=1, users_active=1, groups_received=1, cycle_starts=[T0]
    )
    never_ran = job("NotRun", assigned_groups=2)
    journey = compute_journey(facts(provisioning=on_demand, entra=never_ran))
    provision = journey.step(StepId.PROVISION)
    assert journey.current is StepId.PROVISION and provision.status is StepStatus.CURRENT
    assert not provision.blockers
    ran = job("Active", assigned_groups=2, last_run=T0 + timedelta(minutes=30))
    assert compute_journey(facts(provisioning=on_demand, entra=ran)).current is StepId.ROLES
    # A cycle Entra reports, that brought people and no group: said at once, through Graph too.
    people_only = status(**tested, users_received=3, users_active=3, cycle_starts=[T0])
    journey = compute_journey(facts(provisioning=people_only, entra=ran))
    assert "sent no group" in journey.step(StepId.PROVISION).blockers[0]


def test_a_401_after_which_entra_worked_is_not_a_stale_token() -> None:
    """Issue 20, point 1: someone tested an old token (401) but Entra's provisioning went on
    with the live one afterwards: Entra does not hold a stale token."""
    refused = log_entry(T0 + timedelta(minutes=20), 401)
    prov = status(
        last_test_connection_at=T0 + timedelta(minutes=5),
        last_test_connection_status=200,
        last_error=refused,
        users_received=1,
        groups_received=1,
        last_request_at=T0 + timedelta(minutes=30),
    )
    stale = compute_journey(facts(provisioning=prov)).step(StepId.ENTRA)
    assert stale.status is StepStatus.BLOCKED  # nothing says Entra worked since: stale
    worked = TokenInfo(
        id="tok1",
        hint="abcd",
        created_at=TOKEN.created_at,
        last_provisioned_at=T0 + timedelta(minutes=25),
    )
    fine = compute_journey(facts(provisioning=prov, tokens=(worked,))).step(StepId.ENTRA)
    assert fine.status is StepStatus.DONE
