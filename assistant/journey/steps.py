"""The eight steps of the set-up, each derived from the instance's state alone.

Nothing here remembers what the person clicked: re-running the assistant, or running it on another
machine, reads the instance and lands on the same step. `compute_journey` is pure (unit-tested on
hand-made facts); `load_journey` gathers the facts over the admin API.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from assistant.i18n.translate import t
from assistant.steeple.client import SteepleClient
from assistant.steeple.contract import (
    IntegrationState,
    ProvisioningStatus,
    SsoConfig,
    TokenInfo,
)
from assistant.steeple.errors import ErrorKind, SteepleError

if TYPE_CHECKING:  # Entra's modules load only once signed in (15 ms of every start otherwise)
    from assistant.entra.facts import JobFacts
    from assistant.entra.side import EntraSide

MAPPING_SCAN_PAGE = 1000
MAPPING_SCAN_MAX_PAGES = 20
"""Counting mappings pages through groups; 20 pages of 1,000 covers any real tenant."""
CYCLE_QUIET = timedelta(minutes=5)
"""Silence after a cycle's last request that ends it. Entra sends an object every 0.6–4.8 s;
five minutes also absorbs a `Retry-After` pause and any clock skew between here and the
instance, whose times these are."""


class StepId(StrEnum):
    SSO = "sso"
    INSTALL = "install"
    CREDENTIALS = "credentials"
    ENTRA = "entra"
    ASSIGN = "assign"
    PROVISION = "provision"
    ROLES = "roles"
    ACTIVATE = "activate"


class StepStatus(StrEnum):
    DONE = "done"
    CURRENT = "current"
    BLOCKED = "blocked"
    TODO = "todo"


@dataclass(frozen=True)
class StepState:
    """One step as the sidebar and `status` show it."""

    id: StepId
    number: int
    status: StepStatus
    title: str
    guidance: str
    blockers: tuple[str, ...] = ()


@dataclass(frozen=True)
class InstanceFacts:
    """Everything the journey reads, gathered once so computing it needs no I/O.

    `provisioning` is None while the integration is not installed (the API answers 409 then).
    `mapped_groups` counts groups with a mapping (a lower bound on huge tenants).
    """

    sso: SsoConfig
    integration: IntegrationState
    tokens: tuple[TokenInfo, ...] = ()
    provisioning: ProvisioningStatus | None = None
    groups_total: int = 0
    mapped_groups: int = 0
    entra: JobFacts | None = None
    """What Entra says about the provisioning job (Graph), when signed in; None otherwise."""
    assign_confirmed: bool = False
    """The admin said the groups are assigned in Entra: Steeple cannot see that before a cycle."""
    observed_at: datetime | None = None
    """When the facts were read (tells a cycle that has ended from one under way)."""

    @property
    def newest_token_at(self) -> datetime | None:
        return max((tok.created_at for tok in self.tokens), default=None)


@dataclass(frozen=True)
class Journey:
    steps: tuple[StepState, ...]
    current: StepId | None
    facts: InstanceFacts = field(repr=False)

    def step(self, step_id: StepId) -> StepState:
        for state in self.steps:
            if state.id == step_id:
                return state
        raise KeyError(step_id)

    @property
    def complete(self) -> bool:
        return self.current is None

    @property
    def blocked(self) -> bool:
        return any(s.status is StepStatus.BLOCKED for s in self.steps)


ORDER: tuple[StepId, ...] = tuple(StepId)


def _after(moment: datetime | None, reference: datetime | None) -> bool:
    return moment is not None and (reference is None or moment >= reference)


def _entra_step(facts: InstanceFacts, lang: str) -> tuple[bool, list[str]]:
    """Step 4: a successful Test Connection since the newest token, or a 401 saying otherwise."""
    prov = facts.provisioning
    if prov is None:
        return False, []
    newest = facts.newest_token_at
    tested_at, tested_status = prov.last_test_connection_at, prov.last_test_connection_status
    tested_since_token = _after(tested_at, newest)
    ok = tested_since_token and tested_status is not None and 200 <= tested_status < 300
    last_error = prov.last_error
    stale = tested_since_token and tested_status == 401
    if last_error is not None and last_error.status == 401 and _after(last_error.time, newest):
        # A 401 older than a later successful test is history, not a problem; so is one after
        # which Entra's provisioning worked with a live token (someone tested an old token).
        worked = max(
            (tok.last_provisioned_at for tok in facts.tokens if tok.last_provisioned_at),
            default=None,
        )
        superseded = (ok and tested_at is not None and last_error.time <= tested_at) or (
            worked is not None and worked > last_error.time
        )
        stale = stale or not superseded
    if stale:
        return False, [t("blocker.stale_token", lang)]
    if ok:
        return True, []
    # Entra may have been tested before a rotation: traffic accepted since the token counts too.
    if _after(prov.last_request_at, newest) and (prov.users_received or prov.groups_received):
        return True, []
    if tested_since_token and tested_status is not None:
        return False, [t("blocker.test_failed", lang, status=tested_status)]
    return False, []


def _step_done(step: StepId, facts: InstanceFacts, lang: str) -> tuple[bool, list[str]]:
    """Whether `step` is done on this instance, and what blocks it when it is not."""
    prov = facts.provisioning
    installed = facts.integration.installed
    if step is StepId.SSO:
        configured = facts.sso.configured
        return configured, ([] if configured else [t("blocker.sso_missing", lang)])
    if step is StepId.INSTALL:
        return installed, []
    if step is StepId.CREDENTIALS:
        live = bool(facts.tokens) or facts.integration.live_tokens > 0
        return installed and live, []
    if step is StepId.ENTRA:
        if facts.entra is not None and not facts.entra.credentials_saved:
            # Through Graph, Entra says whether it holds a tenant URL and token: Test Connection
            # alone checks them and saves nothing, so the step waits for Save.
            return False, []
        return _entra_step(facts, lang) if installed else (False, [])
    if step is StepId.ASSIGN:
        received = prov is not None and prov.groups_received > 0
        assigned = facts.entra is not None and facts.entra.assigned_groups > 0
        if received or assigned or facts.assign_confirmed:
            # The admin's word stands: data never takes a step back by itself. A cycle that
            # brings no group is said on the provisioning step, where it is seen.
            return installed, []
        return False, ([t("blocker.no_group_cycle", lang)] if _cycle_without_group(facts) else [])
    if step is StepId.PROVISION:
        blockers = []
        if facts.entra is not None and facts.entra.state == "Quarantine":
            reason = facts.entra.quarantine_reason or "?"  # Entra's text: callers render it safely
            blockers.append(t("blocker.entra_quarantine", lang, reason=reason))
        if _cycle_without_group(facts):
            blockers.append(t("blocker.no_group_cycle", lang))
        arrived = prov is not None and prov.users_received > 0 and prov.groups_received > 0
        done = installed and arrived and _cycle_ran(facts)
        return done, ([] if done else blockers)
    if step is StepId.ROLES:
        return installed and facts.mapped_groups > 0, []
    return installed and facts.integration.sync_active, []


def _cycle_ran(facts: InstanceFacts) -> bool:
    """Entra ran a provisioning cycle — not merely an on-demand run (issue 19, point 10).

    Signed in, Entra's own word decides: a job's `lastExecution` is a cycle's, and "Provision
    one person now" never sets it. Otherwise only the traffic can say, and it cannot tell an
    on-demand run from a cycle that had one person to send: any burst that did more than the
    connection probe counts.
    """
    if _entra_says(facts.entra):
        return facts.entra is not None and facts.entra.last_run is not None
    prov = facts.provisioning
    return prov is not None and bool(prov.cycle_starts or prov.users_received)


def _entra_says(entra: JobFacts | None) -> bool:
    """Entra's job can speak for the traffic: signed in, and the job exists (with none, what
    arrived did not come from it)."""
    return entra is not None and entra.state != "NotConfigured"


def _cycle_ended(facts: InstanceFacts) -> bool:
    """A cycle has ended: Entra says so, a later one began, or the traffic has gone quiet."""
    if _entra_says(facts.entra):
        return facts.entra is not None and facts.entra.last_run is not None
    prov = facts.provisioning
    if prov is None or not prov.cycle_starts:
        return False
    if len(prov.cycle_starts) >= 2:
        return True
    last, now = prov.last_request_at, facts.observed_at
    return last is not None and now is not None and now - last >= CYCLE_QUIET


def _cycle_without_group(facts: InstanceFacts) -> bool:
    """A whole cycle brought no group (nothing, or only people, is assigned)."""
    prov = facts.provisioning
    return prov is not None and prov.groups_received == 0 and _cycle_ended(facts)


def _guidance(step: StepId, facts: InstanceFacts, lang: str) -> str:
    text = t(f"{step.value}.guidance", lang)
    integration = facts.integration
    if step is StepId.INSTALL and not integration.installed and integration.removed_at:
        until = integration.staged_data_kept_until
        text += " " + t("install.removed", lang, until=until.date().isoformat() if until else "?")
    return text


def compute_journey(facts: InstanceFacts, lang: str = "en") -> Journey:
    """The journey for these facts: the first step not done is the current one.

    Steps before it are done by definition; later steps show their own truth (a token revoked
    after activation leaves step 3 current and step 8 done). Only the current step can be BLOCKED.
    """
    states: list[StepState] = []
    current: StepId | None = None
    for number, step in enumerate(ORDER, start=1):
        done, blockers = _step_done(step, facts, lang)
        if done:
            status = StepStatus.DONE
        elif current is None:
            current = step
            status = StepStatus.BLOCKED if blockers else StepStatus.CURRENT
        else:
            status = StepStatus.TODO
        states.append(
            StepState(
                id=step,
                number=number,
                status=status,
                title=t(f"{step.value}.title", lang),
                guidance=_guidance(step, facts, lang),
                blockers=tuple(blockers) if status is not StepStatus.DONE else (),
            )
        )
    return Journey(steps=tuple(states), current=current, facts=facts)


async def count_mapped_groups(client: SteepleClient) -> tuple[int, int]:
    """(groups total, groups with a mapping), paging through the received groups."""
    cursor: str | None = None
    mapped = 0
    total = 0
    for _ in range(MAPPING_SCAN_MAX_PAGES):
        page = await client.list_groups(cursor=cursor, limit=MAPPING_SCAN_PAGE)
        total = page.total
        mapped += sum(1 for group in page.items if group.mapping is not None)
        cursor = page.next_cursor
        if not cursor or not page.items:
            break
    return total, mapped


async def load_entra_facts(entra: EntraSide) -> JobFacts | None:
    """What Entra says, or None when Graph cannot say it now.

    The instance is the truth of the journey; Entra's view only adds to it (assignments Steeple
    cannot see yet, a quarantine). A Graph failure here must not stop the wizard: the steps that
    talk to Graph show it with its fix.
    """
    from assistant.entra.graph_errors import GraphError

    try:
        return await entra.facts()
    except GraphError:
        return None


async def load_facts(
    client: SteepleClient, entra: EntraSide | None = None, assign_confirmed: bool = False
) -> InstanceFacts:
    """Gather the facts concurrently; installed-only calls run only when installed."""
    sso, integration = await asyncio.gather(client.get_sso(), client.get_integration())
    entra_facts = await load_entra_facts(entra) if entra is not None else None
    if not integration.installed:
        return InstanceFacts(sso=sso, integration=integration, entra=entra_facts)
    try:
        tokens, provisioning = await asyncio.gather(client.list_tokens(), client.get_provisioning())
        if provisioning.groups_mapped is None:  # an instance that does not count them: page
            groups_total, mapped = await count_mapped_groups(client)
        else:  # O(1): no scan of 10,000 groups before the first screen (bench/large_directory.py)
            groups_total, mapped = provisioning.groups_received, provisioning.groups_mapped
    except SteepleError as exc:
        if exc.kind is not ErrorKind.CONFLICT:  # removed between the two calls
            raise
        return InstanceFacts(sso=sso, integration=integration, entra=entra_facts)
    return InstanceFacts(
        assign_confirmed=assign_confirmed,
        observed_at=datetime.now(UTC),
        sso=sso,
        integration=integration,
        tokens=tuple(tokens.tokens),
        provisioning=provisioning,
        groups_total=groups_total,
        mapped_groups=mapped,
        entra=entra_facts,
    )


async def load_journey(
    client: SteepleClient,
    lang: str = "en",
    entra: EntraSide | None = None,
    assign_confirmed: bool = False,
) -> Journey:
    """Read the instance (and, when signed in to Entra, its provisioning job) and compute it.

    `assign_confirmed` is the admin's word that the groups are assigned in Entra (step 5), which
    no API of Steeple can see before Entra's next cycle brings them.
    """
    return compute_journey(await load_facts(client, entra, assign_confirmed), lang)
