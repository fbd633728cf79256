"""`steeple-assistant deactivate|activate [--yes] [--dry-run] [--json]`: the preview, then the
change. The lines are `assistant/journey/lifecycle.py`'s, the very ones the TUI's steps show, so
the terminal and the wizard never disagree on a count.

Headless JSON (`--json`, one object on stdout)::

    {"instance": "...", "action": "deactivate|activate", "applied": true|false,
     "preview": {... DeactivationPreview | ActivationPreview ...},
     "result": {... DeactivationResult | ActivationResult ...} | null}

Exit codes: 0 done (or nothing to do, or `--dry-run`); 2 neither `--yes` nor `--dry-run` (the
preview is printed, nothing changes); 3 not reachable or not authorised; 4 the integration is
not installed (a set-up step blocks).
"""

from __future__ import annotations

from assistant.cli.connection import Connection
from assistant.cli.options import Options
from assistant.cli.output import JsonValue, emit, fail
from assistant.exit_codes import EXIT_BLOCKED, EXIT_OK, EXIT_USAGE
from assistant.i18n.translate import t
from assistant.journey.lifecycle import (
    activation_done,
    activation_lines,
    deactivation_done,
    deactivation_lines,
)
from assistant.steeple.contract import ActivationPreview, DeactivationPreview


async def switch_body(options: Options, conn: Connection, lang: str) -> int:
    """Preview, then (with `--yes`) the change; the counts printed are the instance's own."""
    action = options.action or "activate"
    client = conn.client
    integration = await client.get_integration()
    if not integration.installed:
        message, fix = t("lifecycle.not_installed", lang), t("lifecycle.not_installed.fix", lang)
        fail(options, "config", message, fix, lang)
        return EXIT_BLOCKED
    if action == "deactivate":
        deactivation: DeactivationPreview = await client.deactivation_preview()
        lines = deactivation_lines(deactivation, lang)
        nothing_to_do = not deactivation.sync_active
        announced = deactivation.model_dump(mode="json")
    else:
        activation: ActivationPreview = await client.activation_preview()
        nothing_to_do = integration.sync_active
        lines = (
            [t("lifecycle.activate.already", lang)]
            if nothing_to_do
            else activation_lines(activation, lang)
        )
        announced = activation.model_dump(mode="json")
    payload: dict[str, JsonValue] = {
        "instance": client.base_url,
        "action": action,
        "applied": False,
        "preview": announced,
        "result": None,
    }
    if nothing_to_do or options.dry_run:
        emit(options, payload, "\n".join(lines), conn.secret)
        return EXIT_OK
    if not options.yes:
        verb = t(f"lifecycle.action.{action}", lang)
        closing = ["", t("lifecycle.needs_yes", lang, action=verb)]
        emit(options, payload, "\n".join([*lines, *closing]), conn.secret)
        return EXIT_USAGE
    if action == "deactivate":
        deactivated = await client.deactivate()
        summary, result = deactivation_done(deactivated, lang), deactivated.model_dump(mode="json")
    else:
        activated = await client.activate()
        summary, result = activation_done(activated, lang), activated.model_dump(mode="json")
    payload.update(applied=True, result=result)
    emit(options, payload, "\n".join([*lines, "", summary]), conn.secret)
    return EXIT_OK
