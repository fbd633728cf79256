"""Every check `doctor` runs, each with a verdict and a fix.

Built on the journey's facts plus a few extra reads (the Tenant URL, recent errors, the linter,
mapping coverage), all read-only so diagnosing never changes what it diagnoses; support staff see
in one list what the wizard would show over eight screens.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from urllib.parse import urlsplit

from assistant.advice import community_coverage
from assistant.client import SteepleClient
from assistant.contract import ReceivedGroup, ReceivedUser
from assistant.cycle_clock import cycle_line, describe_window, next_cycle
from assistant.errors import SteepleError
from assistant.journey import Journey, StepStatus
from assistant.linter import lint

SAMPLE_LIMIT = 1000
LOCAL_HOSTS = ("localhost", "127.", "10.", "192.168.", "[::1]", "0.0.0.0")


class CheckLevel(StrEnum):
    OK = "ok"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Check:
    id: str
    level: CheckLevel
    message: str
    fix: str = ""

    def as_json(self) -> dict[str, str]:
        return {k: str(v) for k, v in asdict(self).items()}


def tenant_url_check(tenant_url: str) -> Check:
    """Passive on purpose: any SCIM request doctor sent would land in the instance's request log
    and counters (a 401 would even read as "Entra uses a stale token"), so doctor only reads."""
    parts = urlsplit(tenant_url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        return Check(
            "scim.tenant_url",
            CheckLevel.ERROR,
            "The Tenant URL is not a web address.",
            "Contact Steeple support: the instance's public URL is misconfigured.",
        )
    if host.startswith(LOCAL_HOSTS) or host == "::1" or parts.scheme != "https":
        return Check(
            "scim.tenant_url",
            CheckLevel.WARNING,
            f"The Tenant URL ({parts.scheme}://{parts.netloc}) is not a public https address: "
            "Entra, which calls from Azure, cannot reach it.",
            "Fine for the sandbox; for real provisioning use the instance's public https URL "
            "(or a tunnel).",
        )
    return Check("scim.tenant_url", CheckLevel.OK, "The Tenant URL is a public https address.")


async def fetch_samples(client: SteepleClient) -> tuple[list[ReceivedUser], list[ReceivedGroup]]:
    """The first pages of staged users and groups: enough for the linter's examples and counts."""
    users, groups = await asyncio.gather(
        client.list_scim_users(limit=SAMPLE_LIMIT), client.list_groups(limit=SAMPLE_LIMIT)
    )
    return list(users.items), list(groups.items)


def journey_checks(journey: Journey) -> list[Check]:
    checks: list[Check] = []
    for step in journey.steps:
        if step.status is StepStatus.DONE:
            checks.append(Check(f"step.{step.id.value}", CheckLevel.OK, step.title))
        elif step.status is StepStatus.BLOCKED:
            fix = " ".join(step.blockers)
            checks.append(Check(f"step.{step.id.value}", CheckLevel.ERROR, step.title, fix))
        elif step.status is StepStatus.CURRENT:
            checks.append(
                Check(
                    f"step.{step.id.value}", CheckLevel.INFO, f"Next: {step.title}", step.guidance
                )
            )
    return checks


async def run_checks(
    client: SteepleClient, journey: Journey, now: datetime | None = None
) -> list[Check]:
    """All checks after the journey; API failures of optional reads become checks, not crashes."""
    checks = [Check("connection", CheckLevel.OK, f"Connected to {client.base_url}")]
    checks += journey_checks(journey)
    facts = journey.facts
    if not facts.integration.installed:
        return checks
    if len(facts.tokens) >= 2:
        checks.append(
            Check(
                "tokens.rotation",
                CheckLevel.WARNING,
                "Two SCIM tokens are live: a rotation is in progress.",
                "Once Entra uses the newest token (Test Connection passes), revoke the older one.",
            )
        )
    try:
        credentials = await client.get_credentials()
        users, groups = await fetch_samples(client)
        communities = (await client.list_communities()).items
    except SteepleError as exc:
        checks.append(Check("instance.read", CheckLevel.ERROR, exc.message, exc.fix))
        return checks
    checks.append(tenant_url_check(credentials.tenant_url))
    prov = facts.provisioning
    if prov is not None:
        if prov.last_error is not None:
            err = prov.last_error
            checks.append(
                Check(
                    "scim.last_error",
                    CheckLevel.WARNING,
                    f"{prov.errors_total} SCIM request(s) failed; last: {err.method} "
                    f"{err.path.split('?')[0]} → {err.status} at {err.time.isoformat()}",
                    "See the request log in the assistant or in `steeple-assistant report`.",
                )
            )
        # Test Connection alone is not a cycle: estimate only once Entra has provisioned.
        window = next_cycle(prov, now) if prov.users_received or prov.cycle_starts else None
        if window is not None and window.stopped:
            checks.append(
                Check("cycle.stopped", CheckLevel.WARNING, cycle_line(prov, now))
            )
        elif window is not None:
            checks.append(
                Check(
                    "cycle.next",
                    CheckLevel.INFO,
                    f"Next Entra cycle expected {describe_window(window, now)}.",
                )
            )
    if prov is not None and prov.users_received and not facts.integration.sync_active:
        try:
            preview = await client.activation_preview()
        except SteepleError as exc:
            checks.append(Check("activation.preview", CheckLevel.WARNING, exc.message, exc.fix))
        else:
            if preview.conflicts:
                checks.append(
                    Check(
                        "activation.conflicts",
                        CheckLevel.WARNING,
                        f"{len(preview.conflicts)} received user(s) would be skipped at "
                        f"activation: {preview.conflicts[0].message}",
                        "Fix their e-mail in Entra (one person, one unique e-mail).",
                    )
                )
    for finding in lint(users, groups, facts.sso):
        level = CheckLevel(finding.severity.value)
        examples = f" (e.g. {', '.join(finding.examples)})" if finding.examples else ""
        checks.append(Check(f"lint.{finding.code}", level, finding.message + examples, finding.fix))
    for coverage in community_coverage(groups, communities):
        if "no_admin" in coverage.flags:
            checks.append(
                Check(
                    f"community.{coverage.community_id}",
                    CheckLevel.WARNING,
                    f"Community '{coverage.community_name}' has no administrator.",
                    "Map an admins group to it (one users group and one admins group each).",
                )
            )
    return checks
