"""Every check `doctor` runs, each with a verdict and a fix.

Built on the journey's facts plus a few extra reads (the Tenant URL, recent errors, the linter,
mapping coverage), all read-only so diagnosing never changes what it diagnoses; support staff see
in one list what the wizard would show over eight screens. Signed in to Entra (`entra signin`),
it also reads Entra's side: whether the tenant has the Entra ID P1/P2 licence the provisioning
logs and group assignment need (one read of the newest log line) — said as a licence, with what
still works, never as a permission to grant.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from assistant.i18n.translate import t, tn
from assistant.journey.activation_text import people_skipped
from assistant.journey.advice import community_coverage
from assistant.journey.cycle_clock import cycle_line, describe_window, next_cycle
from assistant.journey.linter import lint
from assistant.journey.steps import Journey, StepStatus
from assistant.steeple.client import SteepleClient
from assistant.steeple.contract import ReceivedGroup, ReceivedUser
from assistant.steeple.errors import SteepleError

if TYPE_CHECKING:
    from assistant.entra.options import EntraOptions
    from assistant.entra.side import EntraSide

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


def tenant_url_check(tenant_url: str, lang: str = "en") -> Check:
    """Passive on purpose: any SCIM request doctor sent would land in the instance's request log
    and counters (a 401 would even read as "Entra uses a stale token"), so doctor only reads."""
    parts = urlsplit(tenant_url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        return Check(
            "scim.tenant_url",
            CheckLevel.ERROR,
            t("doctor.tenant_url.bad", lang),
            t("doctor.tenant_url.bad.fix", lang),
        )
    if host.startswith(LOCAL_HOSTS) or host == "::1" or parts.scheme != "https":
        return Check(
            "scim.tenant_url",
            CheckLevel.WARNING,
            t("doctor.tenant_url.private", lang, url=f"{parts.scheme}://{parts.netloc}"),
            t("doctor.tenant_url.private.fix", lang),
        )
    return Check("scim.tenant_url", CheckLevel.OK, t("doctor.tenant_url.ok", lang))


async def fetch_samples(client: SteepleClient) -> tuple[list[ReceivedUser], list[ReceivedGroup]]:
    """The first pages of staged users and groups: enough for the linter's examples and counts."""
    users, groups = await asyncio.gather(
        client.list_scim_users(limit=SAMPLE_LIMIT), client.list_groups(limit=SAMPLE_LIMIT)
    )
    return list(users.items), list(groups.items)


def journey_checks(journey: Journey, lang: str = "en") -> list[Check]:
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
                    f"step.{step.id.value}",
                    CheckLevel.INFO,
                    t("doctor.next", lang, title=step.title),
                    step.guidance,
                )
            )
    return checks


async def open_entra(
    location: EntraOptions | None, client: SteepleClient, lang: str
) -> EntraSide | None:
    """The Entra facade when `entra signin` left a session here (no network otherwise), else
    None; `location` None: a `--sandbox` run, whose tenant is new every run, so none."""
    if location is None:
        return None
    from assistant.entra.side import open_entra_side
    from assistant.entra.signin import SignInError

    try:
        settings = location.settings()
        if not settings.graph_url.lower().startswith("https://"):
            return None
        sso = await client.get_sso()
        return await open_entra_side(settings, sso_identifiers=sso.app_identifiers, lang=lang)
    except SignInError:
        return None


async def entra_checks(entra: EntraSide | None, lang: str = "en") -> list[Check]:
    """Entra's side when signed in: the licence the provisioning logs need (Entra ID P1/P2),
    read by asking for the newest log line."""
    from assistant.entra.graph_errors import GraphError, GraphLicenceRequired

    if entra is None:
        return []
    try:
        await entra.graph.provisioning_logs(None, top=1)
    except GraphLicenceRequired as unlicensed:
        return [Check("entra.licence", CheckLevel.WARNING, *unlicensed.text(lang))]
    except GraphError as failed:
        return [Check("entra.graph", CheckLevel.WARNING, *failed.text(lang))]
    return [Check("entra.licence", CheckLevel.OK, t("doctor.entra.licence_ok", lang))]


async def run_checks(
    client: SteepleClient,
    journey: Journey,
    now: datetime | None = None,
    lang: str = "en",
    entra: EntraSide | None = None,
) -> list[Check]:
    """All checks after the journey; API failures of optional reads become checks, not crashes."""
    checks = [Check("connection", CheckLevel.OK, t("doctor.connected", lang, url=client.base_url))]
    checks += journey_checks(journey, lang)
    checks += await entra_checks(entra, lang)
    facts = journey.facts
    if not facts.integration.installed:
        return checks
    if len(facts.tokens) >= 2:
        checks.append(
            Check(
                "tokens.rotation",
                CheckLevel.WARNING,
                t("doctor.rotation", lang),
                t("doctor.rotation.fix", lang),
            )
        )
    try:
        credentials = await client.get_credentials()
        users, groups = await fetch_samples(client)
        communities = (await client.list_communities()).items
    except SteepleError as exc:
        checks.append(Check("instance.read", CheckLevel.ERROR, *exc.text(lang)))
        return checks
    checks.append(tenant_url_check(credentials.tenant_url, lang))
    prov = facts.provisioning
    if prov is not None:
        if prov.last_error is not None:
            err = prov.last_error
            checks.append(
                Check(
                    "scim.last_error",
                    CheckLevel.WARNING,
                    tn(
                        "doctor.last_error",
                        prov.errors_total,
                        lang,
                        request=f"{err.method} {err.path.split('?')[0]}",
                        status=err.status,
                        time=err.time.isoformat(),
                    ),
                    t("doctor.last_error.fix", lang),
                )
            )
        # Test Connection alone is not a cycle: estimate only once Entra has provisioned.
        window = next_cycle(prov, now) if prov.users_received or prov.cycle_starts else None
        if window is not None and window.stopped:
            checks.append(Check("cycle.stopped", CheckLevel.WARNING, cycle_line(prov, now)))
        elif window is not None:
            checks.append(
                Check(
                    "cycle.next",
                    CheckLevel.INFO,
                    t("doctor.next_cycle", lang, window=describe_window(window, now, lang)),
                )
            )
    if prov is not None and prov.users_received and not facts.integration.sync_active:
        try:
            preview = await client.activation_preview()
        except SteepleError as exc:
            checks.append(Check("activation.preview", CheckLevel.WARNING, *exc.text(lang)))
        else:
            if preview.conflicts:
                checks.append(
                    Check(
                        "activation.conflicts",
                        CheckLevel.WARNING,
                        tn(
                            "doctor.conflicts",
                            people_skipped(preview),
                            lang,
                            first=preview.conflicts[0].message,
                        ),
                        t("doctor.conflicts.fix", lang),
                    )
                )
    for finding in lint(users, groups, facts.sso, lang):
        level = CheckLevel(finding.severity.value)
        examples = (
            t("doctor.examples", lang, examples=", ".join(finding.examples))
            if finding.examples
            else ""
        )
        checks.append(Check(f"lint.{finding.code}", level, finding.message + examples, finding.fix))
    for coverage in community_coverage(groups, communities):
        if "no_admin" in coverage.flags:
            checks.append(
                Check(
                    f"community.{coverage.community_id}",
                    CheckLevel.WARNING,
                    t("doctor.no_admin", lang, name=coverage.community_name),
                    t("doctor.no_admin.fix", lang),
                )
            )
    return checks
