"""Why a sign-in to Entra failed, as a sentence and a fix the admin can act on.

Entra answers a refused sign-in with an OAuth error and an AADSTS number
(https://learn.microsoft.com/entra/identity-platform/reference-error-codes). The numbers an
administrator meets when a tenant is locked down — Conditional Access blocking a flow, a device
that is not compliant, consent not granted, public client flows turned off — are decoded here into
the admin's language with the fix in the Entra admin center's own words. Any other number is
quoted as data; the provider's free-text description is never shown (it is foreign text, and
Microsoft asks that it never drive a client's behaviour).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from assistant.exit_codes import EXIT_UNREACHABLE
from assistant.i18n.translate import t
from assistant.text.safe import terminal_safe

Flow = Literal["device_code", "browser"]


class SignInError(Exception):
    """Sign-in failed: a sentence and a fix (already in the admin's language), the identity
    provider's code kept as data, and the exit code a headless command ends with."""

    def __init__(
        self, sentence: str, fix: str, code: str = "", exit_code: int = EXIT_UNREACHABLE
    ) -> None:
        super().__init__(sentence)
        self.sentence = sentence
        self.fix = fix
        self.code = code
        self.exit_code = exit_code


AADSTS_KEYS: dict[int, str] = {
    53003: "blocked",  # BlockedByConditionalAccess
    530032: "blocked",  # BlockedByConditionalAccessOnSecurityPolicy
    53000: "device",  # DeviceNotCompliant
    53001: "device",  # DeviceNotDomainJoined
    65001: "consent",  # DelegationDoesNotExist
    90094: "admin_consent",  # AdminConsentRequired
    90095: "admin_consent",  # AdminConsentRequiredRequestAccess
    65004: "declined",  # UserDeclinedConsent
    7000218: "public_client",  # the device-code grant without a client secret: not a public client
    700016: "unknown_client",  # UnauthorizedClient_DoesNotMatchRequest
    50105: "not_assigned",  # EntitlementGrantsNotFound
    50020: "other_tenant",  # UserUnauthorized: an account from another tenant
}
"""AADSTS number → the `signin.aadsts.<key>` sentence and fix in the catalogue."""

_AADSTS = re.compile(r"AADSTS(\d{5,8})")


def aadsts_numbers(result: Mapping[str, Any]) -> list[int]:
    """The AADSTS numbers of an error answer: `error_codes` when Entra sent them, else the ones
    named at the start of `error_description` (what MSAL keeps of a redirect's error)."""
    numbers = result.get("error_codes")
    if isinstance(numbers, list) and all(isinstance(n, int) for n in numbers) and numbers:
        return list(numbers)
    found = _AADSTS.findall(str(result.get("error_description") or ""))
    return [int(n) for n in found]


def refusal(result: Mapping[str, Any], flow: Flow, client_id: str, lang: str = "en") -> SignInError:
    """The `SignInError` for an error answer of Entra's token or authorize endpoint."""
    error = terminal_safe(str(result.get("error") or ""))
    numbers = aadsts_numbers(result)
    for number in numbers:
        key = AADSTS_KEYS.get(number)
        if key is None:
            continue
        values = {"code": f"AADSTS{number}", "client": terminal_safe(client_id)}
        fix_key = f"signin.aadsts.{key}.fix"
        if key in ("blocked", "device"):  # the other flow may be allowed where this one is not
            fix_key = f"signin.aadsts.{key}.fix.{flow}"
        return SignInError(
            t(f"signin.aadsts.{key}", lang, **values),
            t(fix_key, lang, **values),
            code=f"AADSTS{number}",
        )
    if error == "expired_token":
        return SignInError(t("signin.expired", lang), t("signin.expired.fix", lang), error)
    if error in ("authorization_declined", "access_denied"):
        return SignInError(t("signin.declined", lang), t("signin.declined.fix", lang), error)
    code = f"AADSTS{numbers[0]}" if numbers else error or "-"
    return SignInError(
        t("signin.failed", lang, code=code), t(f"signin.failed.fix.{flow}", lang), code=code
    )


__all__ = ["AADSTS_KEYS", "Flow", "SignInError", "aadsts_numbers", "refusal"]
