"""Deactivate and (re-)activate the sync: the previews' wording and the headless commands.

The TUI and `steeple-assistant deactivate|activate` show the same lines, built here from the
instance's own previews (computed with the very conditions the change then uses), so what a person
is told is what happens, in either language. Values from the instance are data: callers show the
lines through `rich.text.Text` (TUI) or `terminal_safe` (headless), never as markup.

Headless JSON (`--json`, one object on stdout)::

    {"instance": "...", "action": "deactivate|activate", "applied": true|false,
     "preview": {... DeactivationPreview | ActivationPreview ...},
     "result": {... DeactivationResult | ActivationResult ...} | null}

Exit codes: 0 done (or nothing to do, or `--dry-run`); 2 neither `--yes` nor `--dry-run` (the
preview is printed, nothing changes); 3 not reachable or not authorised; 4 the integration is
not installed (a set-up step blocks).
"""

from __future__ import annotations

import argparse
from typing import Any

from assistant.exit_codes import EXIT_BLOCKED, EXIT_OK, EXIT_USAGE
from assistant.i18n.translate import t
from assistant.journey.activation_text import activation_lines as dry_run_lines
from assistant.steeple.contract import (
    ActivationPreview,
    ActivationResult,
    DeactivationPreview,
    DeactivationResult,
    RemovalPreview,
    RemovalResult,
)
from assistant.text.safe import terminal_safe

SAMPLE_SHOWN = 3


def sample_line(names: list[str], total: int, lang: str) -> str:
    """A few names, then "and N more" for the rest (the total, not the sample's length)."""
    line = ", ".join(terminal_safe(name) for name in names[:SAMPLE_SHOWN])
    rest = total - min(len(names), SAMPLE_SHOWN)
    return f"{line} {t('lifecycle.more', lang, count=rest)}" if rest > 0 else line


def deactivation_lines(
    preview: DeactivationPreview, lang: str, *, short: bool = False
) -> list[str]:
    """Who goes back to e-mail + password, what Entra still sends and what Steeple does with it.

    `short` (a confirmation's body) keeps the counts and what Entra's cycles become.
    """
    if not preview.sync_active:
        return [t("lifecycle.deactivate.inactive", lang)]
    lines = [
        t("lifecycle.deactivate.heading", lang),
        t("lifecycle.deactivate.to_password", lang, count=preview.users_switched_to_password),
    ]
    if short:
        return [*lines, t("lifecycle.deactivate.entra", lang, tokens=preview.live_tokens)]
    if preview.users_sample:
        sample = sample_line(preview.users_sample, preview.users_switched_to_password, lang)
        lines.append(f"  {sample}")
    lines += [
        t("lifecycle.deactivate.entra", lang, tokens=preview.live_tokens),
        t("lifecycle.deactivate.keep", lang),
        "",
        t("lifecycle.deactivate.stop_entra", lang),
    ]
    return lines


def deactivation_done(result: DeactivationResult, lang: str) -> str:
    return t("lifecycle.deactivate.done", lang, count=result.users_switched_to_password)


def removal_lines(preview: RemovalPreview, lang: str) -> list[str]:
    """What removal does, counted by the instance with the conditions the removal updates by."""
    lines = [
        t("lifecycle.removal.heading", lang),
        t("lifecycle.removal.to_password", lang, count=preview.users_switched_to_password),
        t("lifecycle.removal.tokens", lang, count=preview.tokens_revoked),
    ]
    if preview.sync_active:
        lines.append(t("lifecycle.removal.sync_on", lang))
    lines.append(
        t("lifecycle.removal.kept", lang, users=preview.staged_users, groups=preview.staged_groups)
    )
    return lines


def removal_done(result: RemovalResult, lang: str) -> str:
    return t(
        "lifecycle.removal.done",
        lang,
        count=result.users_switched_to_password,
        tokens=result.tokens_revoked,
        until=result.staged_data_kept_until.date().isoformat(),
    )


def activation_lines(preview: ActivationPreview, lang: str) -> list[str]:
    """The activation dry run, person by person: the lines the TUI's activation step shows."""
    return dry_run_lines(preview, lang)


def activation_done(result: ActivationResult, lang: str) -> str:
    return t(
        "lifecycle.activate.done",
        lang,
        linked=result.linked_by_email,
        created=result.created,
        skipped=result.skipped_conflicts,
        removed=result.removed,
        granted=result.memberships_granted,
    )


async def switch_body(args: argparse.Namespace, conn: Any, lang: str, action: str) -> int:
    """Preview, then (with `--yes`) the change; the counts printed are the instance's own."""
    from assistant.cli.headless import emit, fail

    client = conn.client
    integration = await client.get_integration()
    if not integration.installed:
        message, fix = t("lifecycle.not_installed", lang), t("lifecycle.not_installed.fix", lang)
        fail(args, "config", message, fix)
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
    payload: dict[str, Any] = {
        "instance": client.base_url,
        "action": action,
        "applied": False,
        "preview": announced,
        "result": None,
    }
    if nothing_to_do or args.dry_run:
        emit(args, payload, "\n".join(lines), conn.secret)
        return EXIT_OK
    if not args.yes:
        verb = t(f"lifecycle.action.{action}", lang)
        emit(
            args,
            payload,
            "\n".join([*lines, "", t("lifecycle.needs_yes", lang, action=verb)]),
            conn.secret,
        )
        return EXIT_USAGE
    if action == "deactivate":
        deactivated = await client.deactivate()
        summary, result = deactivation_done(deactivated, lang), deactivated.model_dump(mode="json")
    else:
        activated = await client.activate()
        summary, result = activation_done(activated, lang), activated.model_dump(mode="json")
    payload.update(applied=True, result=result)
    emit(args, payload, "\n".join([*lines, "", summary]), conn.secret)
    return EXIT_OK
