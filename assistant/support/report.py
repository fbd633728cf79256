"""The diagnostics report support staff ask for: Markdown, complete enough, and free of secrets.

Everything that goes in passes through `redact` with the admin key the assistant holds, and the
request log only ever carries method, path (query values masked by pattern), status and a summary:
no token, no body.
"""

from __future__ import annotations

import platform
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from importlib import metadata

from assistant.i18n.translate import t
from assistant.journey.steps import Journey
from assistant.steeple.client import SteepleClient
from assistant.steeple.contract import RequestLogEntry
from assistant.steeple.errors import SteepleError
from assistant.support.doctor import Check
from assistant.text.redact import redact
from assistant.text.safe import markdown_safe

RECENT_REQUESTS = 30
LOG_PAGE = 1000
LOG_MAX_PAGES = 20


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def versions() -> dict[str, str]:
    return {
        "steeple-assistant": _version("steeple-assistant"),
        "python": sys.version.split()[0],
        "platform": platform.platform(terse=True),
        "httpx": _version("httpx"),
        "textual": _version("textual"),
    }


async def recent_requests(client: SteepleClient) -> list[RequestLogEntry]:
    """The newest entries of the request log (it is served oldest first, so page to the end)."""
    recent: list[RequestLogEntry] = []
    cursor: str | None = None
    for _ in range(LOG_MAX_PAGES):
        page = await client.list_requests(after=cursor, limit=LOG_PAGE)
        recent = (recent + page.items)[-RECENT_REQUESTS:]
        if len(page.items) < LOG_PAGE or not page.next_cursor or page.next_cursor == cursor:
            break
        cursor = page.next_cursor
    return recent


def _table(
    rows: Iterable[RequestLogEntry], md: Callable[[object], str], lang: str = "en"
) -> list[str]:
    lines = [t("report.table_head", lang), "|---|---|---|---|---|---|"]
    for e in rows:  # method, path and summary are what any caller sent, even unauthenticated
        lines.append(
            f"| {e.seq} | {e.time.isoformat(timespec='seconds')} | {md(e.method)} {md(e.path)} "
            f"| {e.status} | {md(e.kind)} | {md(e.summary)} |"
        )
    return lines


async def build_report(
    client: SteepleClient,
    journey: Journey,
    checks: list[Check],
    *,
    secrets: Iterable[str | None] = (),
    now: datetime | None = None,
    lang: str = "en",
) -> str:
    """The whole report as Markdown, redacted as a last step whatever went in.

    Every value from the instance goes through `md`: redacted first (escaping would split a
    secret the last pass must still recognise), then escaped, so a name holding a newline, `#`,
    `|` or `[...](...)` stays one literal value in its line.
    """
    known = [s for s in secrets if s]

    def md(value: object) -> str:
        return markdown_safe(redact(str(value), known))

    moment = now or datetime.now(UTC)
    lines = [t("report.title", lang), "", t("report.generated", lang, at=moment.isoformat()), ""]
    lines += [t("report.versions", lang), ""]
    lines += [f"- {k}: {v}" for k, v in versions().items()] + [""]
    facts = journey.facts
    integration = facts.integration
    sso = t("report.sso.yes" if facts.sso.configured else "report.sso.no", lang)
    if facts.sso.configured:
        sso += t(
            "report.sso.detail",
            lang,
            protocol=md(facts.sso.protocol),
            claim=md(facts.sso.identifier_claim),
        )
    hints = ", ".join(f"…{md(tok.hint)}" for tok in facts.tokens) or t("report.none", lang)
    lines += [
        t("report.instance", lang),
        "",
        f"- URL: {md(client.base_url)}",
        f"- SSO: {sso}",
        t(
            "report.integration",
            lang,
            installed=integration.installed,
            active=integration.sync_active,
        ),
        t("report.tokens", lang, count=len(facts.tokens), hints=hints),
        t("report.groups", lang, total=facts.groups_total, mapped=facts.mapped_groups),
        "",
        t("report.journey", lang),
        "",
    ]
    for step in journey.steps:
        lines.append(f"{step.number}. **{md(step.title)}**: {step.status.value}")
        lines += ["   - " + t("report.blocker", lang, text=md(b)) for b in step.blockers]
    lines += ["", t("report.checks", lang), ""]
    lines += [
        f"- [{c.level.value}] {md(c.id)}: {md(c.message)}" + (f" — {md(c.fix)}" if c.fix else "")
        for c in checks
    ]
    prov = facts.provisioning
    if prov is not None:
        lines += [
            "",
            t("report.provisioning", lang),
            "",
            t(
                "report.users",
                lang,
                users=prov.users_received,
                active=prov.users_active,
                groups=prov.groups_received,
            ),
            t("report.requests", lang, total=prov.requests_total, errors=prov.errors_total),
            t(
                "report.last_test",
                lang,
                at=prov.last_test_connection_at,
                status=prov.last_test_connection_status,
            ),
            t(
                "report.cycles",
                lang,
                starts=", ".join(s.isoformat() for s in prov.cycle_starts)
                or t("report.none", lang),
            ),
        ]
        try:
            recent = await recent_requests(client)
        except SteepleError as exc:
            lines += ["", t("report.log_unavailable", lang, message=md(exc.text(lang)[0]))]
        else:
            errors = [e for e in recent if e.status >= 400]
            lines += ["", t("report.recent", lang), ""] + _table(recent, md, lang)
            lines += ["", t("report.recent_errors", lang), ""]
            lines += _table(errors, md, lang) if errors else [t("report.no_errors", lang)]
    lines.append("")
    return redact("\n".join(lines), secrets)
