"""The headless commands `status`, `doctor` and `report`, for scripts and support staff.

JSON shapes (stable; `--json`, one object on stdout):

`status --json`::

    {"instance": "https://acme.steeple.com", "lang": "en", "complete": false,
     "current": "entra",                      # a StepId value, or null when all done
     "blocked": false,
     "steps": [{"id": "sso", "number": 1, "status": "done|current|blocked|todo",
                "title": "...", "guidance": "...", "blockers": ["..."]}, ...]}

`doctor --json`::

    {"instance": "...", "ok": true,          # false when any check is an error
     "checks": [{"id": "step.sso", "level": "ok|info|warning|error",
                 "message": "...", "fix": "..."}, ...],
     "journey": {... as status ...}}

`report --json`::

    {"instance": "...", "output": "/path/report.md" | null, "markdown": "..."}

On failure to reach or use the instance, every command prints (with `--json`) the one failure
shape of `assistant/cli/output.py`::

    {"ok": false,
     "error": {"kind": "unreachable|tls|unauthorized|forbidden|not_found|conflict|invalid|
               server|timeout|malformed|config", "message": "...", "fix": "...",
               "status": 401 | null, "code": "..." | null}}

Exit codes: 0 ok; 2 usage (bad options, no instance URL); 3 the instance is not reachable or not
authorised (any SteepleError, or no admin key); 4 a step blocks (status: a BLOCKED step; doctor: an
error-level check; report: never, it always tries to write its report).
"""

from __future__ import annotations

from pathlib import Path

from assistant.cli.connection import Connection
from assistant.cli.options import Options
from assistant.cli.output import JsonValue, emit
from assistant.exit_codes import EXIT_BLOCKED, EXIT_OK
from assistant.i18n.translate import t
from assistant.journey.steps import Journey, load_journey
from assistant.settings import load_settings, save_settings
from assistant.support.doctor import CheckLevel, open_entra, run_checks
from assistant.support.report import build_report
from assistant.text.safe import terminal_safe


def journey_json(journey: Journey, instance: str, lang: str) -> dict[str, JsonValue]:
    return {
        "instance": instance,
        "lang": lang,
        "complete": journey.complete,
        "current": journey.current.value if journey.current else None,
        "blocked": journey.blocked,
        "steps": [
            {
                "id": s.id.value,
                "number": s.number,
                "status": s.status.value,
                "title": s.title,
                "guidance": s.guidance,
                "blockers": list(s.blockers),
            }
            for s in journey.steps
        ],
    }


def remember_step(options: Options, journey: Journey, url: str) -> None:
    """Note the instance URL and the step reached in the profile (never the key)."""
    if options.sandbox:
        return
    settings = load_settings()
    profile = settings.profile(options.profile)
    profile.url = url
    profile.last_step = journey.current.value if journey.current else "done"
    save_settings(settings)


async def status_body(options: Options, conn: Connection, lang: str) -> int:
    journey = await load_journey(conn.client, lang)
    remember_step(options, journey, conn.client.base_url)
    lines = [t("headless.instance", lang, url=terminal_safe(conn.client.base_url))]
    marks = {"done": "[x]", "current": "[>]", "blocked": "[!]", "todo": "[ ]"}
    for step in journey.steps:  # one value, one line: a newline in data cannot fake a step
        lines.append(f"{marks[step.status.value]} {step.number}. {terminal_safe(step.title)}")
        if step.status.value in ("current", "blocked"):
            lines.append(f"      {terminal_safe(step.guidance)}")
        lines += [f"      ! {terminal_safe(b)}" for b in step.blockers]
    if journey.complete:
        lines.append(t("headless.all_done", lang))
    emit(options, journey_json(journey, conn.client.base_url, lang), "\n".join(lines), conn.secret)
    return EXIT_BLOCKED if journey.blocked else EXIT_OK


async def doctor_body(options: Options, conn: Connection, lang: str) -> int:
    location = None if options.sandbox else options.entra  # the sandbox's tenant is new: none
    entra = await open_entra(location, conn.client, lang)
    try:
        journey = await load_journey(conn.client, lang, entra)
        checks = await run_checks(conn.client, journey, lang=lang, entra=entra)
    finally:
        if entra is not None:
            await entra.aclose()
    ok = not any(c.level is CheckLevel.ERROR for c in checks)
    payload = {
        "instance": conn.client.base_url,
        "ok": ok,
        "checks": [c.as_json() for c in checks],
        "journey": journey_json(journey, conn.client.base_url, lang),
    }
    lines = [t("headless.instance", lang, url=terminal_safe(conn.client.base_url))]
    for check in checks:
        lines.append(f"[{check.level.value:>7}] {terminal_safe(check.message)}")
        if check.fix and check.level is not CheckLevel.OK:
            lines.append("          " + t("headless.fix", lang, fix=terminal_safe(check.fix)))
    emit(options, payload, "\n".join(lines), conn.secret)
    return EXIT_OK if ok else EXIT_BLOCKED


async def report_body(options: Options, conn: Connection, lang: str) -> int:
    journey = await load_journey(conn.client, lang)
    checks = await run_checks(conn.client, journey, lang=lang)
    markdown = await build_report(conn.client, journey, checks, secrets=[conn.secret], lang=lang)
    output: Path | None = Path(options.output) if options.output else None
    if output is not None:
        output.write_text(markdown, encoding="utf-8")
    if options.json:
        payload = {"instance": conn.client.base_url, "output": str(output) if output else None}
        payload["markdown"] = markdown
        emit(options, payload, "", conn.secret)
    elif output is None:
        print(terminal_safe(markdown, newlines=True))
    else:
        print(t("headless.report_written", lang, path=output))
    return EXIT_OK
