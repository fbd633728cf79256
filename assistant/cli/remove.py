"""`steeple-assistant remove`: the headless removal, Entra stopped first.

What to say and how Entra's job reads are the journey's (`assistant/journey/removal.py`, which the
TUI's removal screen uses too); this body prints them and maps the outcome to an exit code, as
`switch.py` does for `activate`/`deactivate`. The JSON shape and the exit codes are described in
`assistant/journey/removal.py`.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from assistant.cli.connection import Connection, OpenEntra
from assistant.cli.options import Options
from assistant.cli.output import emit, fail
from assistant.exit_codes import EXIT_BLOCKED, EXIT_OK, EXIT_USAGE
from assistant.i18n.translate import t
from assistant.journey.lifecycle import removal_done, removal_lines
from assistant.journey.removal import (
    EntraJob,
    calls_after_line,
    job_line,
    log_tail,
    read_job,
    recent_calls_line,
)

if TYPE_CHECKING:
    from assistant.entra.side import EntraSide


async def remove_body(args: Options, conn: Connection, lang: str) -> int:
    """Preview and Entra's state; with `--yes`, Entra stopped first (or refused), then removal."""
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
