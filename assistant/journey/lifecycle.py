"""Deactivate and (re-)activate the sync: the previews' wording and the headless commands.

The TUI and `steeple-assistant deactivate|activate` show the same lines, built here from the
instance's own previews (computed with the very conditions the change then uses), so what a person
is told is what happens, in either language. Values from the instance are data: callers show the
lines through `rich.text.Text` (TUI) or `terminal_safe` (headless), never as markup.

`steeple-assistant deactivate|activate` runs in `assistant/cli/switch.py`; the activation dry
run's own lines are `activation_text.py`'s, re-exported here so every lifecycle wording has one
home.
"""

from __future__ import annotations

from assistant.i18n.translate import t
from assistant.journey.activation_text import activation_lines, people_skipped
from assistant.steeple.contract import (
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


__all__ = [
    "activation_done",
    "activation_lines",
    "deactivation_done",
    "deactivation_lines",
    "people_skipped",
    "removal_done",
    "removal_lines",
    "sample_line",
]
