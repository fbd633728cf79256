"""`entra status`: what Entra says about the Steeple provisioning job, read through Graph.

JSON shape (`--json`):

    {"ok": true, "signed_in_as": "…", "app": {"id", "display_name"} | null,
     "not_found": null | "No enterprise app found by …",     # what was tried, when no app
     "job": null | {"id", "schedule_state", "code", "steady_state": bool,
                    "credentials_saved": bool, "in_initial_cycle": bool,
                    "quarantine": null | {"reason", "next_attempt", "series_count",
                                          "error": {"code", "message"} | null},
                    "last_execution": null | {"state", "count_entitled", "count_exported",
                                              "count_escrowed", "time_ended",
                                              "error": {"code", "message"} | null},
                    "progress": null | {"completed_units", "total_units"}},
     "logs": null | {"lines": [{"time", "action", "status", "target", "error_code", "reason"}]}
                  | {"unavailable": {"error", "code", "message", "fix"}},
     "blocking": null | "no_app" | "no_job" | "not_configured" | "quarantined"}

or, when Graph could not be asked, `{"ok": false, "error": {"error", "code", "status",
"message", "fix", "graph_message", "request_id"}}`. Every string from Entra is terminal-safe;
a time Graph writes as "never" (year 1) or leaves empty is null. Reading the provisioning logs
needs Entra ID P1/P2: on a Free tenant `logs.unavailable` says so (a licence, not a permission)
and the rest of the status still shows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from assistant.entra.contract import SynchronizationError
from assistant.entra.facts import job_facts
from assistant.entra.graph_client import GraphClient
from assistant.entra.graph_errors import GraphError
from assistant.entra.graph_models import SynchronizationJob
from assistant.i18n.translate import t
from assistant.text.safe import terminal_safe

LOG_LINES = 5


def _safe(text: str | None) -> str | None:
    return terminal_safe(text) if text is not None else None


def _time(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _error(error: SynchronizationError | None) -> dict[str, str | None] | None:
    if error is None:
        return None
    return {"code": _safe(error.code), "message": _safe(error.message)}


def job_summary(job: SynchronizationJob) -> dict[str, Any]:
    status = job.status
    facts = job_facts(job, assigned_groups=0, users_in_scope=None)
    quarantine = status.quarantine
    last = status.last_execution
    progress = status.progress[-1] if status.progress else None
    return {
        "id": terminal_safe(job.id),
        "schedule_state": terminal_safe(job.schedule.state or "") if job.schedule else None,
        "code": terminal_safe(status.code),
        "steady_state": facts.steady,
        "credentials_saved": facts.credentials_saved,
        "in_initial_cycle": facts.in_initial_cycle,
        "quarantine": None
        if quarantine is None
        else {
            "reason": _safe(quarantine.reason),
            "next_attempt": _time(quarantine.next_attempt),
            "series_count": quarantine.series_count,
            "error": _error(quarantine.error),
        },
        "last_execution": None
        if last is None
        else {
            "state": _safe(last.state),
            "count_entitled": last.count_entitled,
            "count_exported": last.count_exported,
            "count_escrowed": last.count_escrowed,
            "time_ended": _time(last.time_ended),
            "error": _error(last.error),
        },
        "progress": None
        if progress is None
        else {"completed_units": progress.completed_units, "total_units": progress.total_units},
    }


async def _logs(client: GraphClient, job_id: str, lang: str) -> dict[str, Any]:
    """The newest log lines (one request), or why they cannot be read (a P1/P2 licence)."""
    from assistant.entra.facts import log_line

    try:
        entries = await client.provisioning_logs(job_id, top=LOG_LINES)
    except GraphError as failed:
        return {"unavailable": failed.to_dict(lang)}
    lines = []
    for entry in entries:
        line = log_line(entry)
        lines.append(
            {
                "time": line.time.isoformat(),
                "action": terminal_safe(line.action),
                "status": terminal_safe(line.status),
                "target": terminal_safe(line.target),
                "error_code": terminal_safe(line.error_code),
                "reason": terminal_safe(line.reason),
            }
        )
    return {"lines": lines}


async def entra_status(
    client: GraphClient, app_name: str, signed_in_as: str, lang: str = "en"
) -> dict[str, Any]:
    """Find the app by display name (never one of several silently), then its provisioning
    job and newest log lines; raises `GraphError` (`AppAmbiguous` when several apps have it)."""
    body: dict[str, Any] = {
        "ok": True,
        "signed_in_as": signed_in_as,
        "app": None,
        "not_found": None,
        "job": None,
        "logs": None,
        "blocking": None,
    }
    from assistant.entra.side import EntraSide

    side = EntraSide(client, app_name=app_name, lang=lang)
    app = await side.find_app()  # several: AppAmbiguous
    if app is None:
        body["blocking"] = "no_app"
        body["not_found"] = terminal_safe(side.not_found_sentence())
        return body
    body["app"] = {"id": app.id, "display_name": terminal_safe(app.display_name or "")}
    jobs = await client.jobs(app.id)
    if not jobs:
        body["blocking"] = "no_job"
        return body
    job = jobs[0]
    body["job"] = job_summary(job)
    body["logs"] = await _logs(client, job.id, lang)
    if job.status.code == "Quarantine":
        body["blocking"] = "quarantined"
    elif job.status.code == "NotConfigured":
        body["blocking"] = "not_configured"
    return body


def status_text(body: dict[str, Any], lang: str = "en") -> str:
    """The plain-text rendering (values already terminal-safe), in the admin's language."""
    unknown = t("entra.status.unknown", lang)
    lines = [t("entra.status.signed_in", lang, user=body["signed_in_as"] or unknown)]
    if body["app"] is None:
        lines.append(t("entra.status.no_app", lang))
        if body.get("not_found"):
            lines.append("  " + body["not_found"])
        return "\n".join(lines)
    app = body["app"]
    lines.append(t("entra.status.app", lang, name=app["display_name"], id=app["id"]))
    job = body["job"]
    if job is None:
        lines.append(t("entra.status.no_job", lang))
        return "\n".join(lines)
    schedule = job["schedule_state"] or unknown
    lines.append(t("entra.status.job", lang, id=job["id"], code=job["code"], schedule=schedule))
    if not job["credentials_saved"]:
        lines.append("  " + t("entra.job.not_saved", lang))
    if job["quarantine"]:
        q = job["quarantine"]
        lines.append(
            "  "
            + t(
                "entra.status.quarantine",
                lang,
                reason=q["reason"] or unknown,
                next=q["next_attempt"] or unknown,
            )
        )
    if job["progress"] and job["in_initial_cycle"]:
        p = job["progress"]
        done, total = p["completed_units"], p["total_units"]
        lines.append("  " + t("entra.status.initial", lang, done=done, total=total))
    if job["last_execution"]:
        e = job["last_execution"]
        lines.append(
            "  "
            + t(
                "entra.status.last_cycle",
                lang,
                state=e["state"] or unknown,
                exported=e["count_exported"],
                escrowed=e["count_escrowed"],
                ended=e["time_ended"] or unknown,
            )
        )
    logs = body.get("logs") or {}
    if "unavailable" in logs:
        lines.append(
            t("entra.status.logs_unavailable", lang, reason=logs["unavailable"]["message"])
        )
        lines.append("  " + t("headless.fix", lang, fix=logs["unavailable"]["fix"]))
    for line in logs.get("lines", []):
        why = " ".join(part for part in (line["error_code"], line["reason"]) if part)
        parts = (line["time"], line["action"], line["status"], line["target"], why)
        lines.append(("  " + "  ".join(parts)).rstrip())
    return "\n".join(lines)
