"""The payload linter: what in Entra's data will surprise the administrator later.

Findings are aggregated per problem (a count and a few examples), not one per user, so a tenant of
10,000 people gives a short list a person can act on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from assistant.contract import ReceivedGroup, ReceivedUser, SsoConfig

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
    severity: Severity, code: str, subjects: list[str], message: str, fix: str
) -> Finding | None:
    if not subjects:
        return None
    text = message.format(count=len(subjects))
    return Finding(severity, code, text, fix, len(subjects), tuple(subjects[:SAMPLE_SIZE]))


def lint(
    received_users: Sequence[ReceivedUser],
    groups: Sequence[ReceivedGroup],
    sso: SsoConfig | None,
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
        _finding(
            Severity.WARNING,
            "upn_onmicrosoft",
            onmicrosoft,
            "{count} user(s) have a userName on onmicrosoft.com, the tenant's technical domain.",
            "In Entra, give them a UPN on your company domain, or map userName to mail.",
        ),
        _finding(
            Severity.ERROR,
            "no_email",
            no_email,
            "{count} user(s) have no e-mail: Steeple cannot link or invite them.",
            "Fill the mail attribute in Entra (or map emails[work] to userPrincipalName).",
        ),
    ]
    if claim in EMAIL_CLAIMS:
        candidates.append(
            _finding(
                Severity.INFO,
                "identifier_mismatch",
                differs,
                "{count} user(s) have a userName different from their e-mail; SSO matches people "
                "on e-mail, so this is fine as long as the e-mail is right.",
                "Nothing to do unless these e-mails are wrong in Entra.",
            )
        )
    elif claim in UPN_CLAIMS:
        candidates.append(
            _finding(
                Severity.WARNING,
                "identifier_mismatch",
                differs,
                "{count} user(s) have a userName that differs from their e-mail, but SSO "
                "identifies people by userPrincipalName: they may not be recognised at sign-in.",
                "Make the SSO identifier claim 'email', or make UPN and mail equal in Entra.",
            )
        )
    candidates += [
        _finding(
            Severity.WARNING,
            "nested_group",
            nested,
            "{count} group(s) contain other groups: Entra does not provision nested members.",
            "Assign the nested groups to the Steeple app in Entra, or flatten the membership.",
        ),
        _finding(
            Severity.INFO,
            "unmapped_group",
            unmapped,
            "{count} group(s) are not mapped to a community: their members get no access "
            "through them.",
            "Map them on the roles step, or unassign them in Entra if they are not needed.",
        ),
    ]
    return [finding for finding in candidates if finding is not None]
