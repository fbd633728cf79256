"""The payload linter: what in Entra's data will surprise the administrator later.

Findings are aggregated per problem (a count and a few examples), not one per user, so a tenant of
10,000 people gives a short list a person can act on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from assistant.i18n.translate import t, tn
from assistant.steeple.contract import ReceivedGroup, ReceivedUser, SsoConfig

SAMPLE_SIZE = 5
EMAIL_CLAIMS = {"email", "mail", "emailaddress", "emailaddresses"}
UPN_CLAIMS = {"userprincipalname", "upn", "name", "nameid"}


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str
    message: str
    fix: str
    count: int = 1
    examples: tuple[str, ...] = ()


def _finding(
    severity: Severity, code: str, subjects: list[str], lang: str, key: str = ""
) -> Finding | None:
    """One finding per problem; its sentence (`lint.<key>`, plural-aware) and fix in `lang`."""
    if not subjects:
        return None
    key = f"lint.{key or code}"
    text = tn(key, len(subjects), lang)
    fix = t(f"{key}.fix", lang)
    return Finding(severity, code, text, fix, len(subjects), tuple(subjects[:SAMPLE_SIZE]))


def lint(
    received_users: Sequence[ReceivedUser],
    groups: Sequence[ReceivedGroup],
    sso: SsoConfig | None,
    lang: str = "en",
) -> list[Finding]:
    """Check the staged users and groups against what Steeple and its SSO need."""
    active = [u for u in received_users if u.active]
    onmicrosoft = [u.user_name for u in active if u.user_name.lower().endswith(".onmicrosoft.com")]
    no_email = [u.user_name for u in active if not u.email]
    claim = ((sso.identifier_claim if sso else None) or "").replace("_", "").lower()
    differs = [u.user_name for u in active if u.email and u.user_name.lower() != u.email.lower()]
    nested = [g.display_name for g in groups if g.nested_group_count > 0]
    unmapped = [g.display_name for g in groups if g.mapping is None]
    candidates = [
        _finding(Severity.WARNING, "upn_onmicrosoft", onmicrosoft, lang),
        _finding(Severity.ERROR, "no_email", no_email, lang),
    ]
    if claim in EMAIL_CLAIMS:
        candidates.append(
            _finding(Severity.INFO, "identifier_mismatch", differs, lang, "identifier_email")
        )
    elif claim in UPN_CLAIMS:
        candidates.append(
            _finding(Severity.WARNING, "identifier_mismatch", differs, lang, "identifier_upn")
        )
    candidates += [
        _finding(Severity.WARNING, "nested_group", nested, lang),
        _finding(Severity.INFO, "unmapped_group", unmapped, lang),
    ]
    return [finding for finding in candidates if finding is not None]
