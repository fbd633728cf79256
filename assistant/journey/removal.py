"""Removing the integration with Entra stopped first (issue 20, point 5), headless and in the TUI.

Removal revokes every SCIM token. If Entra's provisioning job still runs, its next call gets 401,
then the next, until Entra quarantines the app — and the admin finds out days later. So, signed
in to Entra, the removal reads the job's state first: while it runs, the TUI offers to pause it
through Graph (confirmed) and `remove --yes` refuses unless `--pause-entra` (pause, then remove)
or `--force`. Without Graph nothing can be read: the first step keeps saying "set Provisioning
Status to Off", and the result warns when Entra was still calling — or calls after the removal
(its requests bear a revoked token, so the request log still names them).

`steeple-assistant remove [--yes] [--dry-run] [--json] [--pause-entra] [--force]` (its body is
`assistant/cli/remove.py`), with the conventions of `activate`/`deactivate`. JSON (`--json`, one
object on stdout)::

    {"instance": "...", "action": "remove", "applied": true|false,
     "preview": {... RemovalPreview ...},
     "entra": {"read": true|false, "state": "Active|Paused|…" | null, "running": true|false,
               "paused_now": true|false, "message": "..."} | null,   # null: not signed in
     "warnings": ["..."],
     "result": {... RemovalResult ...} | null}

Exit codes: 0 removed (or `--dry-run`); 2 no `--yes` (nothing changed), or `--yes` while Entra's
job runs without `--pause-entra`/`--force`; 3 not reachable or not authorised; 4 not installed,
or the job still runs after the pause.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from assistant.i18n.translate import t
from assistant.journey.cycle_clock import INCREMENTAL_MAX, next_cycle
from assistant.steeple.contract import ProvisioningStatus, RequestLogEntry

if TYPE_CHECKING:
    from assistant.entra.facts import JobFacts

RUNNING_STATES = frozenset({"Active", "Quarantine"})
"""Graph's job states in which Entra calls the SCIM endpoint (a quarantined job still retries)."""


class JobReader(Protocol):
    """What the removal needs of the Entra facade (`EntraSide`)."""

    async def facts(self) -> JobFacts: ...
    async def pause(self) -> None: ...


@dataclass(frozen=True)
class EntraJob:
    """Entra's provisioning job as the removal sees it; `read` False when Graph failed."""

    read: bool
    state: str | None = None
    message: str = ""
    paused_now: bool = False

    @property
    def running(self) -> bool:
        return self.state in RUNNING_STATES


async def read_job(entra: JobReader) -> EntraJob:
    """The job's state through Graph; a Graph failure is said, never raised."""
    from assistant.entra.graph_errors import GraphError

    try:
        return EntraJob(True, (await entra.facts()).state)
    except GraphError as exc:
        return EntraJob(False, message=exc.sentence)


def job_line(job: EntraJob, lang: str) -> str:
    """One sentence on the job for the removal's first step (Entra's words are data)."""
    if not job.read:
        return t("lifecycle.removal.entra_unread", lang, message=job.message)
    key = "entra_running" if job.running else "entra_stopped"
    return t(f"lifecycle.removal.{key}", lang, state=job.state or "?")


def entra_calls(entries: list[RequestLogEntry]) -> list[RequestLogEntry]:
    """Requests bearing a token this instance issued: Entra's (anonymous noise is not)."""
    return [entry for entry in entries if entry.token_hint is not None]


def calls_after_line(entries: list[RequestLogEntry], lang: str) -> str | None:
    """The warning when Entra kept calling after the removal, else None."""
    calls = entra_calls(entries)
    if not calls:
        return None
    return t("lifecycle.removal.calls_after", lang, time=_clock(calls[-1].time))


def recent_calls_line(status: ProvisioningStatus, now: datetime, lang: str) -> str | None:
    """The warning when Entra was still calling (its cycles are expected again), else None."""
    last = status.last_request_at
    if last is None:
        return None
    window = next_cycle(status, now)
    expected = window is not None and not window.stopped
    if not expected and now - last > 2 * INCREMENTAL_MAX:
        return None
    return t("lifecycle.removal.recent_calls", lang, time=_clock(last))


def _clock(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M UTC")


async def log_tail(client: Any) -> str:
    """The request log's newest cursor, so the calls after a point can be read back."""
    cursor: str | None = None
    while True:
        page = await client.list_requests(after=cursor, limit=1000)
        if not page.items or page.next_cursor in (None, cursor):
            return str(page.next_cursor or cursor or "0")
        cursor = page.next_cursor


__all__ = ["EntraJob", "read_job"]
