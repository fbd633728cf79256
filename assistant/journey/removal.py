"""Removing the integration with Entra stopped first (issue 20, point 5), headless and in the TUI.

Removal revokes every SCIM token. If Entra's provisioning job still runs, its next call gets 401,
then the next, until Entra quarantines the app — and the admin finds out days later. So, signed
in to Entra, the removal reads the job's state first: while it runs, the TUI offers to pause it
through Graph (confirmed) and `remove --yes` refuses unless `--pause-entra` (pause, then remove)
or `--force`. Without Graph nothing can be read: the first step keeps saying "set Provisioning
Status to Off", and the result warns when Entra was still calling — or calls after the removal
(its requests bear a revoked token, so the request log still names them).

`steeple-assistant remove [--yes] [--dry-run] [--json] [--pause-entra] [--force]`, with the
conventions of `activate`/`deactivate`. JSON (`--json`, one object on stdout)::

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

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from assistant.cli.exit_codes import EXIT_BLOCKED, EXIT_OK, EXIT_USAGE
from assistant.i18n.translate import t
from assistant.journey.cycle_clock import INCREMENTAL_MAX, next_cycle
from assistant.journey.lifecycle import removal_done, removal_lines
from assistant.steeple.contract import ProvisioningStatus, RequestLogEntry

if TYPE_CHECKING:
    from assistant.cli.connection import Connection, OpenEntra
    from assistant.cli.options import Options
    from assistant.entra.facts import JobFacts
    from assistant.entra.side import EntraSide

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


async def remove_body(args: Options, conn: Connection, lang: str) -> int:
    """Preview and Entra's state; with `--yes`, Entra stopped first (or refused), then removal."""
    from assistant.cli.output import emit, fail

    client = conn.client
    integration = await client.get_integration()
    if not integration.installed:
        key = "lifecycle.not_installed"
        fail(args, "config", t(key, lang), t(f"{key}.fix", lang), lang)
        return EXIT_BLOCKED
    preview = await client.removal_preview()
    status = await client.get_provisioning()
    entra = await _open_quietly(conn.open_entra)
    try:
        job = await read_job(entra) if entra is not None else None
        lines = [*removal_lines(preview, lang), ""]
        lines.append(
            job_line(job, lang) if job is not None else t("lifecycle.removal.first_off", lang)
        )
        payload: dict[str, Any] = {
            "instance": client.base_url,
            "action": "remove",
            "applied": False,
            "preview": preview.model_dump(mode="json"),
            "entra": asdict(job) | {"running": job.running} if job is not None else None,
            "warnings": [],
            "result": None,
        }
        if args.dry_run:
            emit(args, payload, "\n".join(lines), conn.secret)
            return EXIT_OK
        if not args.yes:
            verb = t("lifecycle.action.remove", lang)
            closing = ["", t("lifecycle.needs_yes", lang, action=verb)]
            emit(args, payload, "\n".join([*lines, *closing]), conn.secret)
            return EXIT_USAGE
        warnings: list[str] = payload["warnings"]
        if job is not None and job.running:
            if args.pause_entra and entra is not None:
                await entra.pause()
                job = await read_job(entra)
                job = EntraJob(job.read, job.state, job.message, paused_now=True)
                payload["entra"] = asdict(job) | {"running": job.running}
                if job.running or not job.read:
                    key = "lifecycle.removal.pause_failed"
                    message = t(key, lang, state=job.state or job.message or "?")
                    fail(args, "entra", message, t(f"{key}.fix", lang), lang)
                    return EXIT_BLOCKED
                lines.append(t("lifecycle.removal.paused", lang))
            elif not args.force:
                key = "lifecycle.removal.refused_running"
                fail(args, "entra", t(key, lang), t(f"{key}.fix", lang), lang)
                return EXIT_USAGE
            else:
                warnings.append(t("lifecycle.removal.forced", lang))
        cursor = await log_tail(client)
        result = await client.remove_integration()
        after = calls_after_line((await client.list_requests(after=cursor, limit=1000)).items, lang)
        if after is not None:
            warnings.append(after)
        elif job is None or not job.read:  # nobody could say Entra was stopped
            recent = recent_calls_line(status, datetime.now(UTC), lang)
            if recent is not None:
                warnings.append(recent)
        payload.update(applied=True, result=result.model_dump(mode="json"))
        emit(
            args,
            payload,
            "\n".join([*lines, "", removal_done(result, lang), *warnings]),
            conn.secret,
        )
        return EXIT_OK
    finally:
        if entra is not None and hasattr(entra, "aclose"):
            await entra.aclose()


async def _open_quietly(open_entra: OpenEntra) -> EntraSide | None:
    """The Entra facade when signed in; a sign-in or Graph failure reads as not signed in (the
    removal then keeps the copy-paste instructions rather than failing)."""
    from assistant.entra.graph_errors import GraphError
    from assistant.entra.signin import SignInError

    try:
        return await open_entra()
    except (GraphError, SignInError):
        return None


__all__ = ["EntraJob", "remove_body", "read_job"]
