"""The activation dry run in words: the counts, who stays an administrator, then each person.

The TUI's activation step and `steeple-assistant activate --dry-run` print these same lines. An
admin reading them before activating must see that nobody is locked out by mistake: rights
granted in Steeple by hand are kept (activation never touches them), so a person in no mapped
group who holds such a right is said to keep it, not to lose all access; and every administrator
who stays one is named. Values from the instance are data: callers render the lines literally.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.i18n.translate import t
from assistant.steeple.contract import (
    ActivationConflict,
    ActivationPreview,
    CommunityRight,
    KeptAdmin,
    PersonPreview,
)
from assistant.text.safe import terminal_safe

INDENT = "    "


def role_word(role: str, lang: str) -> str:
    """ "member" / "admin" in the admin's language (never the API's "user")."""
    return t(f"role.{role}", lang)


def rights_text(rights: Sequence[CommunityRight], lang: str) -> str:
    """ "Siège (admin), Direction (member)" — community names quoted as data."""
    return ", ".join(
        t(
            "dry_run.right",
            lang,
            community=terminal_safe(r.community_name),
            role=role_word(r.role, lang),
        )
        for r in rights
    )


def conflict_line(conflict: ActivationConflict, lang: str) -> str:
    """A skipped person, in the admin's language (the server's `message` is its English)."""
    names = ", ".join(terminal_safe(name) for name in conflict.user_names) or "?"
    if conflict.kind == "missing_email":
        return t("dry_run.conflict.missing_email", lang, name=names)
    return t(
        "dry_run.conflict.duplicate_email",
        lang,
        email=terminal_safe(conflict.email or "?"),
        names=names,
    )


def person_line(person: PersonPreview, lang: str) -> str:
    """What one person keeps, and what Entra's groups add or remove, on one line."""
    parts = []
    if person.keeps:
        parts.append(t("dry_run.keeps", lang, rights=rights_text(person.keeps, lang)))
    if person.adds:
        parts.append(t("dry_run.adds", lang, rights=rights_text(person.adds, lang)))
    if person.removes:
        parts.append(t("dry_run.removes", lang, rights=rights_text(person.removes, lang)))
    if not person.adds and not person.removes:
        parts.append(t("dry_run.no_change" if person.keeps else "dry_run.no_access", lang))
    return t(
        "dry_run.person",
        lang,
        email=terminal_safe(person.email),
        account=t(f"dry_run.account.{person.account}", lang),
        changes=t("dry_run.separator", lang).join(parts),
    )


def admins_kept_lines(admins: Sequence[KeptAdmin], lang: str) -> list[str]:
    """One line per administrator who stays one, with the communities and how they got them."""
    by_person: dict[str, list[str]] = {}
    for admin in admins:
        how = t("dry_run.by_hand" if admin.by_hand else "dry_run.by_group", lang)
        community = terminal_safe(admin.community_name)
        by_person.setdefault(admin.email, []).append(f"{community} ({how})")
    if not by_person:
        return [t("dry_run.admins_kept_none", lang)]
    lines = [t("dry_run.admins_kept_heading", lang, count=len(by_person))]
    for email, communities in by_person.items():
        line = t(
            "dry_run.admin_kept", lang, email=terminal_safe(email), rights=", ".join(communities)
        )
        lines.append(f"{INDENT}✓ {line}")
    return lines


def people_skipped(preview: ActivationPreview) -> int:
    """The people activation would skip: each conflict names one SCIM user (no e-mail, an
    account linked to another) or several (one e-mail shared); activation reports the same sum
    (`ActivationResult.skipped_conflicts`), so the dry run counts people, not conflicts."""
    return sum(len(conflict.scim_user_ids) for conflict in preview.conflicts)


def activation_lines(
    preview: ActivationPreview, lang: str, *, people: bool = True, heading: bool = True
) -> list[str]:
    """The dry run: counts, the conflicts, who stays and who becomes an administrator, then
    (with `people`) each person linked or created. `heading` is left out where a title says it."""
    skipped = people_skipped(preview)
    lines = [t("lifecycle.dry_run.heading", lang)] if heading else []
    lines += [
        "• " + t("lifecycle.dry_run.linked", lang, count=preview.linked_by_email),
        "• " + t("lifecycle.dry_run.created", lang, count=preview.created),
        "• " + t("lifecycle.dry_run.conflicts", lang, count=skipped),
    ]
    lines += [f"{INDENT}✗ {conflict_line(c, lang)}" for c in preview.conflicts]
    lines.append("• " + t("lifecycle.dry_run.unmapped", lang, count=preview.unmapped_users))
    if preview.unmapped_sample:
        names = ", ".join(terminal_safe(name) for name in preview.unmapped_sample)
        rest = preview.unmapped_users - len(preview.unmapped_sample)
        if rest > 0:
            names += " " + t("lifecycle.more", lang, count=rest)
        lines.append(INDENT + names)
    if preview.unmapped_keeping:
        lines.append("• " + t("dry_run.unmapped_keeping", lang, count=preview.unmapped_keeping))
    lines.append("• " + t("lifecycle.dry_run.removed", lang, count=preview.removed))
    lines.append("• " + t("lifecycle.dry_run.admins", lang, count=len(preview.new_admins)))
    for admin in preview.new_admins:
        email, community = terminal_safe(admin.email), terminal_safe(admin.community_name)
        lines.append(f"{INDENT}+ " + t("dry_run.new_admin", lang, email=email, community=community))
    lines += admins_kept_lines(preview.admins_kept, lang)
    if people and preview.people:
        lines.append(t("dry_run.people", lang))
        lines += [INDENT + person_line(person, lang) for person in preview.people]
        rest = preview.people_total - len(preview.people)
        if rest > 0:
            lines.append(INDENT + t("lifecycle.more", lang, count=rest))
    return lines
