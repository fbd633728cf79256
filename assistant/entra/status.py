"""`entra status`: what Entra says about the Steeple provisioning job, read through Graph.

JSON shape (`--json`):

    {"ok": true, "signed_in_as": "…", "app": {"id", "display_name"} | null,
     "job": null | {"id", "schedule_state", "code", "steady_state": bool,
                    "quarantine": null | {"reason", "next_attempt", "series_count",
                                          "error": {"code", "message"} | null},
                    "last_execution": null | {"state", "count_entitled", "count_exported",
                                              "count_escrowed", "time_ended",
                                              "error": {"code", "message"} | null},
                    "progress": null | {"completed_units", "total_units"}},
     "blocking": null | "no_app" | "no_job" | "quarantined"}

or, when Graph could not be asked, `{"ok": false, "error": {"error", "code", "status",
"message", "fix", "graph_message", "request_id"}}`. Every string from Entra is terminal-safe.
"""

from __future__ import annotations

from typing import Any

from assistant.entra.graph_client import GraphClient
from assistant.entra.graph_models import SynchronizationJob
from assistant.entra_contract import SynchronizationError
from assistant.safe_text import terminal_safe


def _error(error: SynchronizationError | None) -> dict[str, str] | None:
    if error is None:
        return None
    return {"code": terminal_safe(error.code), "message": terminal_safe(error.message)}


def job_summary(job: SynchronizationJob) -> dict[str, Any]:
    status = job.status
    quarantine = status.quarantine
    last = status.last_execution
    progress = status.progress[-1] if status.progress else None
    return {
        "id": terminal_safe(job.id),
        "schedule_state": terminal_safe(job.schedule.state or "") if job.schedule else None,
        "code": status.code,
        "steady_state": status.steady_state_last_achieved_time is not None,
        "quarantine": None
        if quarantine is None
        else {
            "reason": quarantine.reason,
            "next_attempt": quarantine.next_attempt.isoformat(),
            "series_count": quarantine.series_count,
            "error": _error(quarantine.error),
        },
        "last_execution": None
        if last is None
        else {
            "state": last.state,
            "count_entitled": last.count_entitled,
            "count_exported": last.count_exported,
            "count_escrowed": last.count_escrowed,
            "time_ended": last.time_ended.isoformat(),
            "error": _error(last.error),
        },
        "progress": None
        if progress is None
        else {"completed_units": progress.completed_units, "total_units": progress.total_units},
    }


async def entra_status(client: GraphClient, app_name: str, signed_in_as: str) -> dict[str, Any]:
    """Find the app by display name (never one of several silently), then its provisioning
    job; raises `GraphError` (`AppAmbiguous` when several apps have the name)."""
    body: dict[str, Any] = {
        "ok": True,
        "signed_in_as": signed_in_as,
        "app": None,
        "job": None,
        "blocking": None,
    }
    from assistant.entra.side import EntraSide

    app = await EntraSide(client, app_name=app_name).find_app()  # several: AppAmbiguous
    if app is None:
        body["blocking"] = "no_app"
        return body
    body["app"] = {"id": app.id, "display_name": terminal_safe(app.display_name or "")}
    jobs = await client.jobs(app.id)
    if not jobs:
        body["blocking"] = "no_job"
        return body
    body["job"] = job_summary(jobs[0])
    if jobs[0].status.code == "Quarantine":
        body["blocking"] = "quarantined"
    return body


def status_text(body: dict[str, Any]) -> str:
    """The plain-text rendering (already terminal-safe values)."""
    lines = [f"Signed in as {body['signed_in_as'] or '(unknown)'}"]
    if body["app"] is None:
        lines.append("No Steeple enterprise app in this tenant.")
        return "\n".join(lines)
    lines.append(f"App: {body['app']['display_name']} ({body['app']['id']})")
    job = body["job"]
    if job is None:
        lines.append("No provisioning job yet.")
        return "\n".join(lines)
    lines.append(f"Job {job['id']}: {job['code']} (schedule {job['schedule_state']})")
    if job["quarantine"]:
        q = job["quarantine"]
        lines.append(f"  Quarantined: {q['reason']}, next attempt {q['next_attempt']}")
    if job["last_execution"]:
        e = job["last_execution"]
        lines.append(
            f"  Last cycle: {e['state']}, {e['count_exported']} exported, "
            f"{e['count_escrowed']} escrowed, ended {e['time_ended']}"
        )
    return "\n".join(lines)
