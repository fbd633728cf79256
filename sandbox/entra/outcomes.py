"""How SCIM answers become Entra's outcomes: provisioning-log error codes, or a stopped cycle."""

from __future__ import annotations

from sandbox.entra.transport import ScimAnswer


class CycleAborted(Exception):
    """The target refused the job itself (401/403 mid-cycle): Entra quarantines, not escrows."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


def error_code_for(answer: ScimAnswer) -> str:
    """Entra's provisioning-log error code for a failed SCIM answer."""
    if answer.status is None:
        return "ServiceUnavailable" if answer.cause == "timeout" else "TargetUnreachable"
    if answer.status == 409:
        return "EntryConflict"
    if answer.status == 429:
        return "TooManyRequests"
    if answer.status == 404:
        return "InvalidAnchor"
    if answer.status >= 500:
        return "ServiceUnavailable"
    return "ServiceIncompatible"
